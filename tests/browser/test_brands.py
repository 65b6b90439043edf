"""A brand member picks a person by name on the check form, runs a permission check and turns "license
required" into a request."""

import pytest

from registry.brands import services
from registry.licensing.models import LicenseRequest
from tests.conftest import axe_violations, browser_login
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_brand_checks_a_permission_and_requests_a_license(page, brand_user):
    services.create_organization(name="Acme Apparel", actor=brand_user)
    talent = TalentFactory(stage_name="Ana Reyes")
    TalentFactory(stage_name="Ana Lima", is_verified=False)
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    browser_login(page, brand_user.email)

    page.goto("/brands/")
    assert page.locator("h1").inner_text() == "Acme Apparel"
    assert axe_violations(page) == []
    page.click("text=Check a permission")
    page.fill("#id_talent", "ana")  # a name: the picker lists both Anas, with whether each is verified
    choice = page.locator(f"#person-{talent.registry_id}")
    choice.wait_for()
    assert page.locator("#talent-choices input[type=radio]").count() == 2
    assert "verified by the union" in page.locator(f"label[for=person-{talent.registry_id}]").inner_text()
    assert axe_violations(page) == []
    choice.check()
    page.select_option("#id_use", "advertising")
    page.select_option("#id_modality", "video")
    page.fill("#id_territory", "XX")
    page.select_option("#id_channel", "social")
    page.fill("#id_date", "2026-12-01")
    page.click("#check-form button[type=submit]")
    page.locator("#id_territory_errors").wait_for()
    assert "Unknown territory" in page.locator("#id_territory_errors").inner_text()
    page.fill("#id_territory", "DE")
    page.click("#check-form button[type=submit]")
    decision = page.locator("#decision")
    decision.wait_for()
    assert decision.inner_text() == "License required"
    summary = page.locator("#decision-summary").inner_text()
    assert "request a license" in summary
    assert "not in Germany: the terms cover CA and US" in summary
    assert axe_violations(page) == []

    page.click("#request-license")
    page.wait_for_url("**/licenses/requests/new/**")
    assert page.input_value("#id_talent") == talent.registry_id
    assert page.input_value("#id_territories") == "DE"
    assert page.is_checked("input[name=modalities][value=video]")
    assert page.is_checked("input[name=channels][value=social]")
    assert axe_violations(page) == []
    page.fill(
        "#id_description",
        "Winter outerwear launch: a 20-second social video of Ana in the Alpine parka, shown on Instagram "
        "and TikTok in Germany for eight weeks.",
    )
    page.fill("#id_valid_until", "2027-01-31")
    page.fill("#id_fee_amount", "2500")
    page.click("#license-request-form button[type=submit]")
    page.wait_for_url("**/licenses/requests/*/")
    assert page.locator("#request-status").inner_text() == "Waiting for the talent"
    assert "Request" in page.locator("#offer-thread").inner_text()
    assert axe_violations(page) == []
    request = LicenseRequest.objects.get()
    assert request.territories == ["DE"] and request.modalities == ["video"]
    assert request.channels == ["social"]
    assert str(request.valid_from) == "2026-12-01" and str(request.fee_amount) == "2500.00"
