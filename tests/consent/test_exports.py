"""The public terms API and its mappings: registry JSON, W3C TDMRep, IPTC plus:DataMining, C2PA
training-mining; the TDM policy page, /.well-known/tdmrep.json and the public-profile partials.
Public data only."""

import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from registry.consent import revocation, selectors, signing
from registry.consent.summaries import USE_ORDER
from registry.talent.models import TalentProfile
from tests.consent.conftest import REPLICA_ALLOW
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db
DMI = "http://ns.useplus.org/ldf/vocab/DMI-"
PLUS = "http://ns.useplus.org/ldf/xmp/1.0/"
OPEN = {
    "decision": "allow",
    "modalities": ["image", "video", "voice"],
    "territories": ["worldwide"],
    "channels": ["print", "online", "social", "broadcast", "out_of_home", "film_tv", "games"],
}
PERSONAL_OPEN = {
    **OPEN,
    **{k: REPLICA_ALLOW[k] for k in ("consent_description", "consent_duration", "consent_pay")},
}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://registry.example.org"


def terms(api_client, talent, **params):
    return api_client.get(f"/api/v1/talent/{talent.registry_id}/terms/", params)


@pytest.fixture
def ana(talent_user):
    talent = TalentFactory(
        user=talent_user,
        stage_name="Ana Reyes",
        legal_name="Ana María Reyes",
        email="ana@example.org",
        date_of_birth=date(1996, 4, 2),
        membership_number="U-104233",
    )
    sign_terms(
        talent,
        {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}, "replica_use": REPLICA_ALLOW},
        effective_from=date(2026, 1, 1),
    )
    return talent


def test_registry_json_is_the_default_and_public_only(api_client, ana):
    response = terms(api_client, ana)
    assert response.status_code == 200
    body = response.json()
    assert body["talent"] == ana.registry_id and body["stage_name"] == "Ana Reyes"
    version = ana.term_versions.get()
    assert body["version"] == {
        "number": 1,
        "effective_from": "2026-01-01",
        "sha256": version.sha256,
        "signed_at": version.signed_at.isoformat(),
        "is_revocation": False,
    }
    assert list(body["uses"]) == [
        "advertising",
        "editorial",
        "digital_alteration",
        "replica_creation",
        "replica_use",
        "ai_training",
    ]
    advertising = body["uses"]["advertising"]
    assert advertising["decision"] == "allow" and advertising["territories"] == ["CA", "US"]
    assert advertising["min_fee"] == {"amount": "500.00", "currency": "USD"}
    assert advertising["excluded_categories"] == ["political", "tobacco"]
    assert body["uses"]["editorial"] == {"decision": "license", "source": "default"}
    assert body["uses"]["replica_use"]["separate_consent"] is False
    text = response.content.decode()
    for private in (
        "Ana María",
        "ana@example.org",
        "1996-04-02",
        "U-104233",
        "USD 5,000",
        "SAG-AFTRA",
        "digital double",
        "12 months",
        "signer",
        "127.0.0.1",
        "paper",
    ):
        assert private not in text, private


def test_as_of_returns_the_version_in_effect_on_that_date(api_client, ana):
    revoked = revocation.revoke(
        talent=ana,
        uses=["advertising"],
        effective_from=date(2026, 7, 1),
        ctx=signing.SignatureContext(actor=None, signed_as="talent", signer_name="Ana"),
    )
    before = terms(api_client, ana, as_of="2025-12-31").json()
    assert before["version"] is None and before["as_of"] == "2025-12-31"
    assert before["uses"]["ai_training"] == {"decision": "deny", "source": "default"}
    assert terms(api_client, ana, as_of="2026-06-30").json()["version"]["number"] == 1
    after = terms(api_client, ana, as_of="2026-07-01").json()
    assert after["version"]["number"] == revoked.number and after["version"]["is_revocation"]
    assert after["uses"]["advertising"]["decision"] == "license"


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "2026-1-1", "20260101", "2026-01-01\n"])
def test_bad_as_of_is_a_400_invalid_date(api_client, ana, bad):
    response = terms(api_client, ana, as_of=bad)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_date" and set(response.json()) == {"code", "detail", "fields"}


def test_unknown_format_is_a_400(api_client, ana):
    response = terms(api_client, ana, format="xml")
    assert response.status_code == 400 and response.json()["code"] == "unknown_format"


def test_unknown_and_withdrawn_talent_are_404(api_client, ana):
    assert api_client.get("/api/v1/talent/TR-0000-0000/terms/").json()["code"] == "not_found"
    TalentProfile.objects.filter(pk=ana.pk).update(status="withdrawn")
    assert terms(api_client, ana).status_code == 404


def test_terms_api_query_count_is_small(api_client, ana, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert terms(api_client, ana, format="c2pa").status_code == 200


# --- the three mappings ---------------------------------------------------------------------------------


def test_ai_training_denied_maps_to_reserved_prohibited_not_allowed(api_client, ana):
    tdm = terms(api_client, ana, format="tdmrep")
    body = tdm.json()
    assert body["tdm-reservation"] == 1
    assert body["tdm-policy"] == f"https://registry.example.org/terms/policy/{ana.registry_id}/"
    assert tdm["tdm-reservation"] == "1" and tdm["tdm-policy"] == body["tdm-policy"]  # HTTP headers
    assert body["headers"] == {
        "tdm-reservation": "1",
        "tdm-policy": body["tdm-policy"],
        "Content-Usage": "train-ai=n",
    }
    assert tdm["Content-Usage"] == "train-ai=n"
    assert f'<meta name="tdm-policy" content="{body["tdm-policy"]}">' in body["html_meta"]
    assert '<meta name="robots" content="noai, noimageai">' in body["html_meta"]
    assert body["well_known"] == {
        "location": f"/talent/{ana.registry_id}/*",
        "tdm-reservation": 1,
        "tdm-policy": body["tdm-policy"],
    }
    # Training denied, other mining only under a license (no use of Ana's names mining): IPTC cannot say
    # "prohibited for AI/ML training" (that would allow other mining), so it says "see constraints".
    iptc = terms(api_client, ana, format="iptc").json()
    assert iptc["plus:DataMining"] == DMI + "PROHIBITED-SEECONSTRAINT"
    assert iptc["plus:OtherConstraints"].startswith("Data mining: Data mining (other than AI training) only")
    assert "AI training: not allowed." in iptc["plus:OtherConstraints"]
    c2pa = terms(api_client, ana, format="c2pa").json()
    assert c2pa["assertion"]["label"] == "c2pa.training-mining"
    entries = c2pa["assertion"]["data"]["entries"]
    assert set(entries) == {
        "c2pa.data_mining",
        "c2pa.ai_training",
        "c2pa.ai_generative_training",
        "c2pa.ai_inference",
    }
    assert entries["c2pa.ai_training"]["use"] == "notAllowed"
    assert entries["c2pa.data_mining"]["use"] == "constrained"
    assert entries["c2pa.ai_generative_training"]["use"] == "notAllowed"
    # replica_use allow (with conditions) and digital_alteration unsigned (license) → inference constrained
    assert entries["c2pa.ai_inference"]["use"] == "constrained"
    assert ana.registry_id in entries["c2pa.ai_inference"]["constraint_info"]
    assert set(c2pa["cawg_assertion"]["data"]["entries"]) == {
        "cawg.data_mining",
        "cawg.ai_training",
        "cawg.ai_generative_training",
        "cawg.ai_inference",
    }


def test_ai_training_license_maps_to_see_constraint_and_constrained(api_client):
    talent = TalentFactory()
    sign_terms(
        talent, {"ai_training": {"decision": "license", "min_fee": {"amount": "1000", "currency": "EUR"}}}
    )
    iptc = terms(api_client, talent, format="iptc").json()
    assert iptc["plus:DataMining"] == DMI + "PROHIBITED-SEECONSTRAINT"
    assert "license" in iptc["plus:OtherConstraints"] and talent.registry_id in iptc["plus:OtherConstraints"]
    root = ET.fromstring(iptc["xmp"])
    assert root.find(f".//{{{PLUS}}}DataMining").text == DMI + "PROHIBITED-SEECONSTRAINT"
    assert root.find(f".//{{{PLUS}}}OtherConstraints") is not None
    entries = terms(api_client, talent, format="c2pa").json()["assertion"]["data"]["entries"]
    assert entries["c2pa.ai_training"]["use"] == "constrained"
    assert "license" in entries["c2pa.ai_training"]["constraint_info"]
    assert terms(api_client, talent, format="tdmrep").json()["tdm-reservation"] == 1


def test_ai_training_allowed_with_conditions_is_constrained_with_the_conditions(api_client):
    talent = TalentFactory()
    sign_terms(talent, {"ai_training": {**PERSONAL_OPEN, "territories": ["US"], "attribution": True}})
    iptc = terms(api_client, talent, format="iptc").json()
    assert iptc["plus:DataMining"] == DMI + "PROHIBITED-SEECONSTRAINT"
    assert (
        "Countries: US." in iptc["plus:OtherConstraints"]
        and "Credit required" in iptc["plus:OtherConstraints"]
    )


def test_training_allowed_but_no_replicas_maps_to_prohibited_generative_training(api_client):
    talent = TalentFactory()
    sign_terms(talent, {"ai_training": PERSONAL_OPEN, "replica_creation": {"decision": "deny"}})
    iptc = terms(api_client, talent, format="iptc").json()
    assert iptc["plus:DataMining"] == DMI + "PROHIBITED-GENAIMLTRAINING"
    entries = terms(api_client, talent, format="c2pa").json()["assertion"]["data"]["entries"]
    assert entries["c2pa.ai_training"] == {"use": "allowed"}
    assert entries["c2pa.ai_generative_training"]["use"] == "notAllowed"
    assert terms(api_client, talent, format="tdmrep").json()["tdm-reservation"] == 1


def test_everything_open_maps_to_allowed_and_no_reservation(api_client):
    talent = TalentFactory()
    sign_terms(
        talent,
        dict.fromkeys(("ai_training", "replica_creation", "replica_use"), PERSONAL_OPEN)
        | {"digital_alteration": OPEN},
    )
    assert terms(api_client, talent, format="iptc").json()["plus:DataMining"] == DMI + "ALLOWED"
    entries = terms(api_client, talent, format="c2pa").json()["assertion"]["data"]["entries"]
    assert all(e == {"use": "allowed"} for e in entries.values())
    response = terms(api_client, talent, format="tdmrep")
    assert response.json()["tdm-reservation"] == 0 and "tdm-policy" not in response.json()
    assert response["tdm-reservation"] == "0" and not response.has_header("tdm-policy")


def test_no_terms_at_all_reserves_everything(api_client):
    talent = TalentFactory()
    iptc = terms(api_client, talent, format="iptc").json()
    assert iptc["plus:DataMining"] == DMI + "PROHIBITED-SEECONSTRAINT"
    assert "AI training: not allowed." in iptc["plus:OtherConstraints"]
    assert terms(api_client, talent, format="tdmrep").json()["tdm-reservation"] == 1


def test_every_use_denied_offers_nothing_a_bare_reservation(api_client, client):
    talent = TalentFactory()
    sign_terms(talent, {use: {"decision": "deny"} for use in USE_ORDER})
    iptc = terms(api_client, talent, format="iptc").json()
    assert iptc["plus:DataMining"] == DMI + "PROHIBITED" and "plus:OtherConstraints" not in iptc
    entries = terms(api_client, talent, format="c2pa").json()["cawg_assertion"]["data"]["entries"]
    assert {e["use"] for e in entries.values()} == {"notAllowed"}
    response = terms(api_client, talent, format="tdmrep")
    assert response.json()["tdm-reservation"] == 1 and "tdm-policy" not in response.json()
    assert response["tdm-reservation"] == "1" and not response.has_header("tdm-policy")
    assert response["Content-Usage"] == "train-ai=n"
    url = f"/terms/policy/{talent.registry_id}/"
    assert client.get(url, HTTP_ACCEPT="application/ld+json").status_code == 404
    assert client.get(url).status_code == 200


# --- policy page, well-known file, partials -------------------------------------------------------------


def test_policy_page_html_and_json_ld(client, ana):
    url = f"/terms/policy/{ana.registry_id}/"
    page = client.get(url)
    assert page.status_code == 200 and page["tdm-reservation"] == "1"
    assert b"Text and data mining policy of Ana Reyes" in page.content
    assert b'<meta name="tdm-reservation" content="1">' in page.content
    ld = client.get(url, HTTP_ACCEPT="application/ld+json")
    assert ld["Content-Type"] == "application/ld+json"
    policy = ld.json()
    assert policy["@type"] == "Offer" and policy["profile"] == "http://www.w3.org/ns/tdmrep"
    assert "prohibition" not in policy
    # AI training is denied: only data mining is offered, under a license (obtainConsent).
    assert policy["permission"] == [
        {
            "target": policy["assigner"]["uid"],
            "action": "tdm:mine",
            "constraint": [{"leftOperand": "purpose", "operator": "eq", "rightOperand": "cawg.data_mining"}],
            "duty": [{"action": "obtainConsent"}],
        }
    ]
    assert page["Content-Usage"] == "train-ai=n"
    assert b'<meta name="robots" content="noai, noimageai">' in page.content
    assert client.get("/terms/policy/TR-0000-0000/").status_code == 404


def test_public_profile_partials_render_meta_and_public_summary_only(ana):
    version = selectors.version_in_effect(ana)
    meta = render_to_string("consent/_tdmrep_meta.html", {"version": version, "talent": ana})
    assert '<meta name="tdm-reservation" content="1">' in meta and f"/terms/policy/{ana.registry_id}/" in meta
    no_terms = TalentFactory()
    meta = render_to_string("consent/_tdmrep_meta.html", {"version": None, "talent": no_terms})
    assert f"/terms/policy/{no_terms.registry_id}/" in meta
    summary = render_to_string("consent/_public_summary.html", {"version": version, "talent": ana})
    assert (
        "Terms version 1" in summary
        and "Countries: CA and US." in summary
        and "Never for: political and tobacco" in summary
    )
    assert "USD 5,000" not in summary and "SAG-AFTRA" not in summary
    empty = render_to_string("consent/_public_summary.html", {"version": None})
    assert "No signed terms yet" in empty and "registry default" in empty


def test_public_profile_page_includes_the_partials(client, ana):
    page = client.get(f"/talent/{ana.registry_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<meta name="tdm-reservation" content="1">' in html
    assert '<meta name="robots" content="noai, noimageai">' in html
    assert page["tdm-reservation"] == "1" and page["Content-Usage"] == "train-ai=n"
    assert page["tdm-policy"].endswith(f"/terms/policy/{ana.registry_id}/")
    assert "Never for: political and tobacco" in html
    assert "USD 5,000" not in html


def test_terms_json_serialises_like_its_schema(api_client, ana):
    body = terms(api_client, ana).json()
    json.dumps(body)
    assert timezone.datetime.fromisoformat(body["version"]["signed_at"])


# --- the OpenAPI schema documents every response --------------------------------------------------------


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable: true` becomes an explicit null alternative."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _json_schema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.mark.parametrize("fmt", ["registry", "tdmrep", "iptc", "c2pa"])
def test_every_format_conforms_to_the_published_schema(api_client, ana, fmt):
    import jsonschema

    schema = api_client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/talent/{registry_id}/terms/"]["get"]
    body_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    document = _json_schema({**body_schema, "components": schema["components"]})
    for as_of in ("2025-06-01", "2026-06-01"):
        body = terms(api_client, ana, format=fmt, as_of=as_of).json()
        jsonschema.validate(body, document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"talent": ana.registry_id, "uses": {}}, document)
    error_schema = _json_schema(
        {
            **operation["responses"]["400"]["content"]["application/json"]["schema"],
            "components": schema["components"],
        }
    )
    jsonschema.validate(terms(api_client, ana, format="nope").json(), error_schema)


def test_terms_api_is_rate_limited_per_caller(api_client, ana, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "terms": "2/min"}
    )
    assert [terms(api_client, ana).status_code for _ in range(3)] == [200, 200, 429]
    assert terms(api_client, ana).json()["code"] == "throttled"
