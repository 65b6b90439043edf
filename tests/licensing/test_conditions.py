"""License conditions (product.md §3): ai_disclosure always for replicas and alteration and when her term
requires it, attribution when her term requires it; set on the request and counter-offers, copied to the
license, signed in its certificate, shown by the verify API and pages."""

import json

import pytest

from registry.core.errors import DomainError
from registry.licensing import certificates
from registry.licensing.models import License, LicenseRequest
from tests.brands.helpers import bearer
from tests.factories import ADVERTISING_ALLOW, sign_terms
from tests.licensing.conftest import request_body

pytestmark = pytest.mark.django_db

LIST = "/api/v1/license-requests/"


def create(client, key, profile, **overrides):
    return client.post(LIST, request_body(profile, **overrides), format="json", **bearer(key))


def logged_in(api_client, user):
    client = type(api_client)()
    client.force_login(user)
    return client


@pytest.mark.parametrize("use", ["replica_creation", "replica_use", "digital_alteration"])
def test_replica_and_alteration_always_carry_ai_disclosure(api_client, acme_key, talent, talent_user, use):
    response = create(api_client, acme_key, talent, use=use, ai_disclosure=False)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["conditions"] == {"attribution": False, "ai_disclosure": True}
    assert data["offers"][0]["terms"]["ai_disclosure"] is True
    approved = logged_in(api_client, talent_user).post(f"{LIST}{data['id']}/approve/")
    assert approved.status_code == 200, approved.content
    license = License.objects.get()
    assert license.ai_disclosure is True and license.attribution is False


def test_a_term_requiring_attribution_and_ai_disclosure_sets_them(api_client, acme_key, talent, talent_user):
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "ai_disclosure": True}})
    response = create(api_client, acme_key, talent, attribution=False)
    assert response.status_code == 201, response.content
    assert response.json()["conditions"] == {"attribution": True, "ai_disclosure": True}
    pk = response.json()["id"]
    logged_in(api_client, talent_user).post(f"{LIST}{pk}/approve/")
    license = License.objects.get()
    assert (license.attribution, license.ai_disclosure) == (True, True)
    listed = api_client.get("/api/v1/licenses/", **bearer(acme_key)).json()["results"][0]
    assert listed["conditions"] == {"attribution": True, "ai_disclosure": True}


def test_the_brand_may_take_on_duties_nobody_required(api_client, acme_key, talent):
    response = create(api_client, acme_key, talent, attribution=True)
    assert response.json()["conditions"] == {"attribution": True, "ai_disclosure": False}


def test_conditions_must_be_booleans(api_client, acme_key, talent):
    response = create(api_client, acme_key, talent, ai_disclosure="yes")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert "ai_disclosure" in response.json()["fields"]


def test_counter_offers_carry_the_conditions(api_client, acme_key, talent, talent_user):
    pk = create(api_client, acme_key, talent).json()["id"]
    talent_client = logged_in(api_client, talent_user)
    # Only a condition changes: that is a counter-offer (she asks to be credited).
    response = talent_client.post(f"{LIST}{pk}/counter/", {"attribution": True}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["conditions"]["attribution"] is True and data["offers"][-1]["terms"]["attribution"] is True
    # The brand cannot drop a duty by countering it away when her terms require it.
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    response = api_client.post(
        f"{LIST}{pk}/counter/",
        {"attribution": False, "fee": {"amount": "4500.00", "currency": "USD"}},
        format="json",
        **bearer(acme_key),
    )
    assert response.status_code == 200, response.content
    assert response.json()["offers"][-1]["terms"]["attribution"] is True
    talent_client.post(
        f"{LIST}{pk}/counter/", {"fee": {"amount": "4800.00", "currency": "USD"}}, format="json"
    )
    accepted = api_client.post(f"{LIST}{pk}/accept/", **bearer(acme_key))
    assert accepted.status_code == 200, accepted.content
    assert License.objects.get().attribution is True


@pytest.fixture
def replica_license(api_client, acme_key, talent, talent_user):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    pk = create(api_client, acme_key, talent, use="replica_use").json()["id"]
    logged_in(api_client, talent_user).post(f"{LIST}{pk}/approve/")
    return License.objects.get(request_id=pk)


def test_certificate_signs_the_conditions_and_tampering_fails(client, replica_license):
    document = certificates.certificate_for(replica_license)
    assert document["payload"]["conditions"] == {"attribution": False, "ai_disclosure": True}
    public_key = client.get("/.well-known/license-signing-key.json").json()["public_key"]
    assert certificates.verify_certificate(document, public_key)
    assert certificates.verify_certificate(json.dumps(document), public_key)
    for name in ("ai_disclosure", "attribution"):
        tampered = json.loads(json.dumps(document))
        tampered["payload"]["conditions"][name] = not tampered["payload"]["conditions"][name]
        assert not certificates.verify_certificate(tampered, public_key)
    dropped = json.loads(json.dumps(document))
    del dropped["payload"]["conditions"]
    assert not certificates.verify_certificate(dropped, public_key)


def test_verify_api_and_pages_show_the_conditions(client, api_client, acme_owner, replica_license):
    license_id = replica_license.license_id
    body = api_client.get(f"/api/v1/licenses/{license_id}/verify/").json()
    assert body["conditions"] == {"attribution": False, "ai_disclosure": True}
    page = client.get(f"/licenses/{license_id}/verify/").content.decode()
    assert 'data-condition="ai_disclosure"' in page and 'data-condition="attribution"' not in page
    pasted = client.post("/licenses/verify/", {"certificate": replica_license.certificate}).content.decode()
    assert "Signature valid" in pasted and 'data-condition="ai_disclosure"' in pasted
    client.force_login(acme_owner)
    page = client.get(f"/licenses/{license_id}/").content.decode()
    assert 'data-condition="ai_disclosure"' in page


def test_license_conditions_are_immutable(replica_license):
    replica_license.ai_disclosure = False
    with pytest.raises(DomainError):
        replica_license.save()
    assert LicenseRequest.objects.get().ai_disclosure is True


def test_schema_documents_the_conditions(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert set(components["LicenseConditions"]["properties"]) == {"attribution", "ai_disclosure"}
    assert "ai_disclosure" in components["LicenseRequestCreateRequest"]["properties"]
    assert "conditions" in components["Verification"]["properties"]
