"""seed_demo: two brands with working demo API keys, requests in every state, active/terminated/expired
licenses; running it again changes nothing."""

import io

import pytest
from django.core.management import call_command

from registry.brands.demo import demo_key
from registry.brands.models import ApiKey, Organization
from registry.licensing import licenses
from registry.licensing.models import License, LicenseRequest
from tests.brands.helpers import bearer

pytestmark = pytest.mark.django_db


def test_demo_brands_keys_requests_and_licenses(api_client):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert demo_key("Acme Apparel") in out.getvalue() and demo_key("Nimbus Media") in out.getvalue()
    counts = (
        Organization.objects.count(),
        ApiKey.objects.count(),
        LicenseRequest.objects.count(),
        License.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        Organization.objects.count(),
        ApiKey.objects.count(),
        LicenseRequest.objects.count(),
        License.objects.count(),
    )

    acme = Organization.objects.get(name="Acme Apparel")
    assert acme.memberships.get().user.email == "brand@demo.example" and acme.is_verified
    assert Organization.objects.get(name="Nimbus Media").memberships.get().user.email == "brand2@demo.example"
    assert set(LicenseRequest.objects.values_list("status", flat=True)) == set(LicenseRequest.Status.values)
    statuses = {licenses.license_status(lic) for lic in License.objects.all()}
    assert {"terminated", "expired"} <= statuses and statuses & {"valid", "not_yet_valid"}
    # The printed demo key works against the API.
    response = api_client.get("/api/v1/license-requests/", **bearer(demo_key("Acme Apparel")))
    assert response.status_code == 200
    assert {r["organization"] for r in response.json()["results"]} == {"Acme Apparel"}
