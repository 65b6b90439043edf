"""The strict CSP holds in a real browser: pages load with no console error and no CSP violation
(htmx's indicator <style> used to be refused on every page)."""

import pytest
from django.test import Client

from tests.factories import TalentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return errors


def _visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")
    # htmx has read our configuration (so it injected no <style>), and no inline <style> exists
    assert page.evaluate("window.htmx && htmx.config.includeIndicatorStyles") is False, path
    assert page.locator("style").count() == 0, path


def test_public_and_staff_pages_show_no_csp_violation(page, live_server, staff_user):
    talent = TalentFactory(stage_name="Ana Reyes")
    errors = _watch(page)
    for path in ["/", "/talent/", f"/talent/{talent.registry_id}/", "/licenses/verify/", "/cases/report/"]:
        _visit(page, path)
    client = Client()
    client.force_login(staff_user)  # MFA is on for the fixture user: a session made server-side
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    _visit(page, "/staff/cases/")
    page.select_option("#queue-filters select[name=status]", index=1)  # an htmx request on the queue
    page.wait_for_load_state("networkidle")
    assert errors == []
