"""Terms that name organizations (product.md §2): the drafting form asks "for any brand, or only for…" (named
brands by default for replicas and AI training), ids are checked, and the names are in the canonical document,
the text signed, the public summaries and the exports (constrained / see-constraint)."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registry.brands.models import Organization
from registry.consent import exports, terms
from registry.consent.summaries import plain_text
from tests.consent.conftest import REPLICA_ALLOW
from tests.consent.test_pages import REPLICA_FORM, draft_post, sign_via_pages
from tests.factories import sign_terms

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def glowskin(db):
    return Organization.objects.create(name="GlowSkin")


@pytest.fixture
def acme(db):
    return Organization.objects.create(name="Acme Apparel")


def test_draft_form_defaults_personal_uses_to_named_brands(client, talent, talent_user, glowskin):
    client.force_login(talent_user)
    page = client.get(reverse("consent:draft", args=[talent.registry_id])).content.decode()
    assert "For any brand" in page and "Only for the brands I name" in page
    assert f'<option value="{glowskin.pk}">GlowSkin</option>' in page
    assert 'name="replica_use-scope" value="named" id="id_replica_use-scope_1" checked' in page
    assert 'name="advertising-scope" value="any" id="id_advertising-scope_0" checked' in page
    # An allow for a replica with no brand named is not signed by default: it must be an explicit choice.
    form = {k: v for k, v in REPLICA_FORM.items() if k != "scope"}
    response = client.post(
        reverse("consent:draft", args=[talent.registry_id]), draft_post({"replica_use": form})
    )
    assert response.status_code == 200 and "Name at least one brand" in response.content.decode()


def test_a_replica_consent_for_one_brand_names_it_in_what_is_signed(
    client, talent, talent_user, glowskin, acme
):
    client.force_login(talent_user)
    form = {**REPLICA_FORM, "scope": "named", "organizations": [str(glowskin.pk)]}
    review, signed = sign_via_pages(client, talent, draft_post({"replica_use": form}), ticks=["replica_use"])
    assert signed.status_code == 302, signed.content.decode()[:2000]
    assert "Only for: GlowSkin" in review.content.decode()
    version = talent.term_versions.get(status="signed")
    term = version.terms.get(use="replica_use")
    assert term.organizations == [glowskin.pk]
    document = json.loads(version.canonical_json)
    assert document["uses"]["replica_use"]["organizations"] == [{"id": glowskin.pk, "name": "GlowSkin"}]
    assert "Only for: GlowSkin" in version.text_shown and "Acme Apparel" not in version.text_shown


def test_terms_without_organizations_keep_their_canonical_shape(talent):
    version = sign_terms(talent, {"advertising": {"decision": "allow", "modalities": ["image"]}})
    assert "organizations" not in json.loads(version.canonical_json)["uses"]["advertising"]
    assert "For any organization." in plain_text(version)


def test_unknown_organization_ids_and_organizations_on_other_decisions_are_refused(glowskin):
    with pytest.raises(ValidationError) as exc:
        terms.clean_term("replica_use", {**REPLICA_ALLOW, "organizations": [glowskin.pk, 999999]})
    assert exc.value.message_dict["replica_use.organizations"] == ["Unknown organization id(s): 999999."]
    with pytest.raises(ValidationError) as exc:
        terms.clean_term("advertising", {"decision": "license", "organizations": [glowskin.pk]})
    assert "Only an allowed use" in exc.value.message_dict["advertising.organizations"][0]
    with pytest.raises(ValidationError):
        terms.clean_term("advertising", {"decision": "allow", "organizations": ["GlowSkin"]})
    cleaned = terms.clean_term("replica_use", {**REPLICA_ALLOW, "organizations": [glowskin.pk, glowskin.pk]})
    assert cleaned["organizations"] == [glowskin.pk]


OPEN_TRAINING = {
    **REPLICA_ALLOW,
    "modalities": ["image", "video", "voice"],
    "territories": ["worldwide"],
    "channels": ["print", "online", "social", "broadcast", "out_of_home", "film_tv", "games"],
    "represented_by": "",
}


def test_exports_show_the_names_and_call_a_limited_term_constrained(api_client, talent, glowskin):
    sign_terms(
        talent,
        {
            "ai_training": {**OPEN_TRAINING, "organizations": [glowskin.pk]},
            "replica_creation": {**OPEN_TRAINING, "organizations": [glowskin.pk]},
        },
        effective_from=date(2026, 1, 1),
    )
    body = api_client.get(f"/api/v1/talent/{talent.registry_id}/terms/", {"as_of": "2026-06-01"}).json()
    assert body["uses"]["ai_training"]["organizations"] == ["GlowSkin"]
    c2pa = api_client.get(
        f"/api/v1/talent/{talent.registry_id}/terms/", {"as_of": "2026-06-01", "format": "c2pa"}
    ).json()
    entry = c2pa["cawg_assertion"]["data"]["entries"]["cawg.ai_training"]
    assert entry["use"] == "constrained" and "Only for: GlowSkin" in entry["constraint_info"]
    iptc = api_client.get(
        f"/api/v1/talent/{talent.registry_id}/terms/", {"as_of": "2026-06-01", "format": "iptc"}
    ).json()
    assert iptc["plus:DataMining"] == exports.DMI + "PROHIBITED-SEECONSTRAINT"
    assert "GlowSkin" in iptc["plus:OtherConstraints"]
    assert (
        api_client.get(
            f"/api/v1/talent/{talent.registry_id}/terms/", {"as_of": "2026-06-01", "format": "tdmrep"}
        ).json()["tdm-reservation"]
        == 1
    )


def test_the_same_open_term_for_any_caller_stays_allowed(talent):
    version = sign_terms(talent, {"ai_training": OPEN_TRAINING, "replica_creation": OPEN_TRAINING})
    entries = exports.c2pa_entries(version, date(2026, 6, 1), talent.registry_id)
    assert entries["ai_training"].level == exports.ALLOWED
