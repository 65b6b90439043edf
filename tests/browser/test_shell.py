"""The web shell in a real browser: home, sign-up and login render, are accessible and work on mobile."""

import pytest

from tests.conftest import axe_violations, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_signup_login_are_accessible(page):
    for path in ["/", "/accounts/signup/", "/accounts/login/"]:
        page.goto(path)
        assert page.locator("h1").count() >= 1, path
        assert axe_violations(page) == [], path


def test_talent_logs_in_and_reaches_dashboard(page, talent_user):
    browser_login(page, talent_user.email)
    assert "/dashboard/" in page.url
    assert page.locator("#dash-talent").is_visible()


def test_mobile_menu_toggles(page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    links = page.locator("#nav-links")
    assert not links.is_visible()
    page.click(".nav-toggle")
    assert links.is_visible()
