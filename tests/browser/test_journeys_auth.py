"""Sign-in pages in Chromium: the two-factor step is styled like the rest of the site ("Cancel" is a quiet
button, not a second "Sign In") and passes the same page audit as the journeys."""

import pytest

from tests.browser.audit import Auditor
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_factor_step_has_one_primary_button(page, staff_user):
    audit = Auditor(page, "auth")
    page.goto("/accounts/password/reset/")
    audit("password-reset")
    browser_login(page, staff_user.email)
    page.wait_for_url("**/2fa/authenticate/")
    audit("2fa-authenticate")
    buttons = page.locator("main button")
    sign_in = buttons.filter(has_text="Sign In")
    cancel = buttons.filter(has_text="Cancel")
    assert sign_in.get_attribute("class").strip() == ""  # the primary look
    assert "ghost" in cancel.get_attribute("class")
    assert sign_in.evaluate("b => getComputedStyle(b).backgroundColor") != cancel.evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    page.fill("input[name=code]", "000000")
    page.click("main button:has-text('Sign In')")
    page.locator(".error-summary").wait_for()
    audit("2fa-wrong-code")
    audit.assert_clean()
