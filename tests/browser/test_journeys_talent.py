"""Issue 18 journey (a) in Chromium: a talent signs terms, then revokes them; every page is audited
(390 px and 1280 px screenshots, no horizontal scroll on a phone, no raw stored value, axe, console)."""

import pytest
from django.utils import timezone

from registry.consent.models import TermVersion
from tests.browser.audit import Auditor
from tests.conftest import browser_login
from tests.factories import TalentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_talent_signs_and_revokes_terms(page, talent_user):
    talent = TalentFactory(user=talent_user, stage_name="Ana Reyes", legal_name="Ana María Reyes")
    audit = Auditor(page, "talent")
    page.goto("/accounts/signup/")
    audit("sign-up")
    page.goto("/accounts/login/")
    audit("sign-in")
    browser_login(page, talent_user.email)
    audit("dashboard")

    page.goto(f"/terms/{talent.registry_id}/draft/")
    audit("draft")
    advertising = page.locator("#use-advertising")
    advertising.get_by_label("Allowed under its conditions").check()
    advertising.get_by_label("Image", exact=True).check()
    advertising.get_by_label("Countries", exact=True).fill("us, ca")
    advertising.get_by_label("Online", exact=True).check()
    advertising.get_by_label("Minimum fee", exact=True).fill("500")
    advertising.get_by_label("Countries", exact=True).fill("us, zz")  # a code that is no country
    page.click("#to-review")
    page.locator(".error-summary a[href='#id_advertising-territories']").wait_for()
    audit("draft-errors")
    page.click(".error-summary a[href='#id_advertising-territories']")
    assert page.evaluate("document.activeElement.id") == "id_advertising-territories"
    advertising = page.locator("#use-advertising")
    advertising.get_by_label("Countries", exact=True).fill("us, ca")
    page.click("#to-review")
    page.wait_for_selector("#signed-text")
    audit("review")

    page.get_by_label("Type your full legal name to sign").fill("Ana María Reyes")
    page.get_by_label("I have read the changes and the full text above, and I sign these terms.").check()
    page.click("#sign-button")
    page.wait_for_selector("#history")
    assert "Signed: version 1" in page.locator(".messages").inner_text()
    audit("signed")

    page.goto(f"/terms/{talent.registry_id}/revoke/")
    audit("revoke")
    page.get_by_label("Revocation takes effect on").fill(timezone.localdate().isoformat())
    page.click("#revoke-preview")
    page.wait_for_selector("#revoke-button")
    audit("revoke-preview")
    page.get_by_label("Type your full legal name to sign").fill("Ana María Reyes")
    page.get_by_label("I have read the resulting terms above", exact=False).check()
    page.click("#revoke-button")
    page.wait_for_selector("#history")
    audit("revoked")
    assert TermVersion.objects.filter(talent=talent).count() == 2

    page.goto(f"/talent/{talent.registry_id}/")
    audit("public-profile")
    audit.assert_clean()
