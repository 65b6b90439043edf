"""Licensing pages: the brand requests, the talent counters, the brand accepts, the public verification page
says valid, staff terminate, it says terminated. Plus the inbox, personal-consent guard, isolation, the
certificate paste check and the published signing key."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from registry.licensing import certificates
from registry.licensing.models import License, LicenseRequest

pytestmark = pytest.mark.django_db


def form_data(profile, **overrides):
    today = timezone.localdate()
    data = {
        "talent": profile.registry_id,
        "use": "advertising",
        "description": "Spring denim campaign: studio photos for the online shop and social channels "
        "in the US.",
        "modalities": ["image"],
        "territories": "US, ca",
        "channels": ["online", "social"],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
        "fee_amount": "3000.00",
        "fee_currency": "USD",
        "product_category": "apparel",
        "message": "Hello!",
    }
    data.update(overrides)
    return data


def test_web_journey_request_counter_accept_verify_terminate(
    client, acme_owner, talent, talent_user, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    # The brand requests.
    client.force_login(acme_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/licenses/requests/new/", form_data(talent))
    req = LicenseRequest.objects.get()
    assert response["Location"] == f"/licenses/requests/{req.pk}/"
    assert req.territories == ["US", "CA"] and req.status == "pending"
    assert mailoutbox[-1].to == [talent_user.email]
    page = client.get(f"/licenses/requests/{req.pk}/").content.decode()
    assert (
        "Waiting for the talent" in page and 'id="withdraw-form"' in page and 'id="approve-form"' not in page
    )

    # The talent sees it in the inbox and counters with a higher fee.
    client.force_login(talent_user)
    inbox = client.get("/licenses/requests/").content.decode()
    assert f"#{req.pk}" in inbox and "Requests to answer" in inbox
    page = client.get(f"/licenses/requests/{req.pk}/").content.decode()
    assert 'id="approve-form"' in page and 'id="counter-form"' in page
    counter = {
        "counter-modalities": ["image"],
        "counter-territories": "US",
        "counter-channels": ["online"],
        "counter-valid_from": req.valid_from.isoformat(),
        "counter-valid_until": req.valid_until.isoformat(),
        "counter-fee_amount": "4500.00",
        "counter-fee_currency": "USD",
        "counter-product_category": "apparel",
        "counter-message": "US online only, at this fee.",
    }
    client.post(f"/licenses/requests/{req.pk}/counter/", counter)
    req.refresh_from_db()
    assert req.status == "countered" and str(req.fee_amount) == "4500.00" and req.territories == ["US"]

    # The brand accepts; the license is issued.
    client.force_login(acme_owner)
    page = client.get(f"/licenses/requests/{req.pk}/").content.decode()
    assert "US online only, at this fee." in page and 'id="accept-form"' in page
    client.post(f"/licenses/requests/{req.pk}/accept/")
    license = License.objects.get(request=req)
    page = client.get(f"/licenses/requests/{req.pk}/").content.decode()
    assert license.license_id in page and "Counter-offer" in page and "Accepted" in page
    detail = client.get(f"/licenses/{license.license_id}/").content.decode()
    assert "4500.00 USD" in detail and "Download PDF" in detail

    # Anyone: the public verification page says valid.
    client.logout()
    page = client.get(f"/licenses/{license.license_id}/verify/").content.decode()
    assert 'data-status="valid">Valid<' in page and "Acme Apparel" in page and "4500" not in page
    assert talent.legal_name not in page
    lookup = client.get("/licenses/verify/", {"license_id": license.license_id.lower()})
    assert lookup["Location"] == f"/licenses/{license.license_id}/verify/"

    # Staff terminate with a reason.
    client.force_login(staff_user)
    assert license.license_id in client.get("/staff/licenses/").content.decode()
    assert (
        client.post(f"/staff/licenses/{license.license_id}/terminate/", {"reason": "short"}).status_code
        == 302
    )
    license.refresh_from_db()
    assert license.terminated_at is None
    client.post(f"/staff/licenses/{license.license_id}/terminate/", {"reason": "Used outside the US online."})
    license.refresh_from_db()
    assert license.terminated_at and license.terminated_by == staff_user
    client.logout()
    page = client.get(f"/licenses/{license.license_id}/verify/").content.decode()
    assert 'data-status="terminated">Terminated<' in page


def test_vague_description_and_bad_fields_stay_on_the_form(client, acme_owner, talent):
    client.force_login(acme_owner)
    page = client.post("/licenses/requests/new/", form_data(talent, description="Ads for stuff"))
    assert page.status_code == 200 and b"reasonably specifically" in page.content
    page = client.post("/licenses/requests/new/", form_data(talent, territories="US, Narnia"))
    assert page.status_code == 200 and b"Unknown territory" in page.content
    page = client.post("/licenses/requests/new/", form_data(talent, talent="TR-0000-0000"))
    assert b"No registered talent" in page.content
    assert LicenseRequest.objects.count() == 0


def test_representative_sees_no_approve_button_for_replica_use(client, acme_owner, talent, agent):
    client.force_login(acme_owner)
    client.post("/licenses/requests/new/", form_data(talent, use="replica_use"))
    req = LicenseRequest.objects.get()
    client.force_login(agent)
    page = client.get(f"/licenses/requests/{req.pk}/").content.decode()
    assert (
        'id="approve-form"' not in page and "Only Ana Reyes in person" in page and 'id="decline-form"' in page
    )
    client.post(f"/licenses/requests/{req.pk}/approve/")
    req.refresh_from_db()
    assert req.status == "pending" and not License.objects.exists()


def test_other_brand_and_strangers_get_404(
    client, acme_owner, nimbus_owner, talent, talent_user, other_talent_user
):
    client.force_login(acme_owner)
    client.post("/licenses/requests/new/", form_data(talent))
    req = LicenseRequest.objects.get()
    client.force_login(talent_user)
    client.post(f"/licenses/requests/{req.pk}/approve/")
    license = License.objects.get()
    for user in (nimbus_owner, other_talent_user):
        client.force_login(user)
        assert client.get(f"/licenses/requests/{req.pk}/").status_code == 404
        assert client.post(f"/licenses/requests/{req.pk}/withdraw/").status_code == 404
        assert client.get(f"/licenses/{license.license_id}/").status_code == 404
        assert license.license_id not in client.get("/licenses/").content.decode()
    client.force_login(nimbus_owner)
    assert f"#{req.pk}" not in client.get("/licenses/requests/").content.decode()


def test_request_list_query_count_is_fixed(client, acme_owner, talent, django_assert_max_num_queries):
    client.force_login(acme_owner)
    for _ in range(6):
        client.post("/licenses/requests/new/", form_data(talent))
    with django_assert_max_num_queries(12):
        page = client.get("/licenses/requests/")
    assert page.context["brand_page"].paginator.count == 6


def test_certificate_paste_verification(client, acme_owner, talent, talent_user):
    client.force_login(acme_owner)
    client.post("/licenses/requests/new/", form_data(talent))
    client.force_login(talent_user)
    client.post(f"/licenses/requests/{LicenseRequest.objects.get().pk}/approve/")
    license = License.objects.get()
    client.logout()
    text = certificates.certificate_json(certificates.certificate_for(license))
    page = client.post("/licenses/verify/", {"certificate": text}).content.decode()
    assert "Signature valid" in page and license.license_id in page
    tampered = text.replace('"Ana Reyes"', '"Ana Reyez"')
    page = client.post("/licenses/verify/", {"certificate": tampered}).content.decode()
    assert "Signature not valid" in page
    page = client.post("/licenses/verify/", {"certificate": "not json"}).content.decode()
    assert "Signature not valid" in page


def test_signing_key_is_published(client):
    doc = client.get("/.well-known/license-signing-key.json").json()
    assert doc["algorithm"] == "Ed25519" and re.fullmatch(r"[0-9a-f]{16}", doc["key_id"])
    assert doc["keys"][0]["current"] and doc["keys"][0]["public_key"] == doc["public_key"]
    assert json.loads(json.dumps(doc))  # plain JSON


def test_unknown_license_verify_page_is_404(client):
    response = client.get("/licenses/LIC-NOTHING/verify/")
    assert response.status_code == 404 and b"No license with this ID" in response.content
