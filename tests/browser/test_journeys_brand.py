"""Issue 18 journey (b) in Chromium: a brand checks a use, requests a license, the talent approves it, and
the brand gets and verifies the certificate; every page is audited (see tests/browser/audit.py)."""

import re

import pytest

from registry.brands import services
from registry.licensing.models import License
from tests.browser.audit import Auditor
from tests.conftest import browser_login
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_brand_checks_requests_and_verifies_a_license(page, browser, live_server, brand_user, talent_user):
    services.create_organization(name="Acme Apparel", actor=brand_user)
    talent = TalentFactory(user=talent_user, stage_name="Ana Reyes")
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    audit = Auditor(page, "brand")
    browser_login(page, brand_user.email)
    audit("dashboard")

    page.goto("/brands/")
    audit("workspace")
    page.uncheck("#id_scopes_0")
    page.click("#key-form button[type=submit]")  # no name, no scope: the summary links both
    page.locator(".error-summary a[href='#id_scopes_0']").wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    audit("workspace-key-errors")
    page.goto("/brands/")
    page.click("text=Check a permission")
    page.fill("#id_talent", talent.registry_id)
    page.locator(f"#person-{talent.registry_id}").check()
    page.select_option("#id_use", "advertising")
    page.select_option("#id_modality", "video")
    page.fill("#id_territory", "DE")
    page.select_option("#id_channel", "social")
    page.fill("#id_date", "2026-12-01")
    page.click("#check-form button[type=submit]")
    page.locator("#decision").wait_for()
    assert page.locator("#decision").inner_text() == "License required"
    audit("check-result")

    page.click("#request-license")
    page.wait_for_url("**/licenses/requests/new/**")
    page.click("#license-request-form button[type=submit]")  # nothing described yet: the summary links it
    page.locator(".error-summary a[href='#id_description']").wait_for()
    audit("request-errors")
    page.click(".error-summary a[href='#id_description']")
    page.fill(
        "#id_description", "Winter outerwear launch: a 20-second social video in Germany for eight weeks."
    )
    page.fill("#id_valid_until", "2027-01-31")
    page.fill("#id_fee_amount", "2500")
    page.check("#id_attribution")  # her terms ask to be credited
    page.click("#license-request-form button[type=submit]")
    page.wait_for_url(re.compile(r"/licenses/requests/\d+/(#.*)?$"))
    audit("request")
    page.goto("/licenses/requests/")
    audit("requests")

    # The talent approves it (her own browser).
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    talent_page = context.new_page()
    talent_audit = Auditor(talent_page, "brand-talent")
    browser_login(talent_page, talent_user.email)
    talent_page.goto("/licenses/requests/")
    talent_audit("inbox")
    talent_page.click("#inbox a[href^='/licenses/requests/']")
    talent_page.locator("#approve-form").wait_for()
    talent_audit("answer")
    talent_page.click("#approve-form button[type=submit]")
    talent_page.locator("#license-link").wait_for()
    talent_page.goto("/talent/me/?open=activity#dashboard-sections")  # "who checked you", in words
    talent_page.locator("#dashboard-sections").wait_for()
    talent_audit("registry-page")
    context.close()

    license = License.objects.get()
    page.goto("/dashboard/")
    audit("dashboard-after")
    page.goto("/licenses/")
    audit("licenses")
    page.goto("/brands/checks/")
    audit("checks")
    page.goto(f"/licenses/{license.license_id}/")
    audit("license")
    certificate = page.request.get(f"/licenses/{license.license_id}/certificate.json").text()
    page.goto("/licenses/verify/")
    audit("verify")
    page.fill("#verify-document textarea", certificate)
    page.click("#verify-document button[type=submit]")
    page.locator("#verify-outcome").wait_for()
    assert "Signature valid" in page.locator("#verify-outcome").inner_text()
    audit("verified")
    page.goto(f"/licenses/{license.license_id}/verify/")
    audit("verify-license")
    audit.assert_clean()
    talent_audit.assert_clean()
