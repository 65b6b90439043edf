"""A misuse report filed in a real browser by the public, then triaged by union staff; axe-checked."""

import re

import pytest
from django.test import Client

from registry.cases.models import Case, Status
from registry.core.uploads import private_storage
from tests.cases.helpers import photo
from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    old = private_storage._location
    private_storage._location = str(tmp_path / "private")
    for attr in ("base_location", "location"):
        private_storage.__dict__.pop(attr, None)
    yield
    private_storage._location = old
    for attr in ("base_location", "location"):
        private_storage.__dict__.pop(attr, None)


def login_as(page, live_server, user) -> None:
    """A staff session (MFA is on for the fixture user) created server-side and handed to the browser."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_public_report_then_staff_triage(page, live_server, staff_user, tmp_path):
    screenshot = tmp_path / "screenshot.jpg"
    screenshot.write_bytes(photo(11))

    page.goto("/cases/report/")
    assert axe_violations(page) == []
    page.fill("#id_urls", "https://www.instagram.com/p/BROWSER1/?utm_source=ig_web")
    page.fill("#id_seen_on", "2026-11-20")
    page.fill("#id_talent", "Someone Famous")
    page.fill("#id_organization", "Glowup Skincare")
    page.fill("#id_description", "An AI-generated face cream ad using her likeness.")
    page.select_option("#id_relationship", "fan")
    page.fill("#id_reporter_email", "pat@example.org")
    page.set_input_files("#id_evidence", str(screenshot))
    page.click("#report-form button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/report/filed/$"))
    assert axe_violations(page) == []
    link = page.locator("#tracking-link").inner_text().strip()
    assert re.search(r"/cases/track/[A-Za-z0-9_-]{43}/$", link)

    page.click("#open-tracking")
    assert page.locator("#track-status").get_attribute("data-status") == "new"
    assert axe_violations(page) == []
    case = Case.objects.get()
    assert case.evidence.count() == 1 and case.platform == "instagram"

    # Staff pick it up from the queue and start triage.
    login_as(page, live_server, staff_user)
    page.goto("/staff/cases/")
    assert axe_violations(page) == []
    page.click(f"tr[data-case='{case.pk}'] a")
    page.wait_for_url(re.compile(rf"/staff/cases/{case.pk}/$"))
    assert page.locator("#case-status").get_attribute("data-status") == "new"
    assert page.locator("img.thumb").count() == 1
    assert axe_violations(page) == []
    page.click("form[data-transition='triage-triage'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#case-status").get_attribute("data-status") == "triage"
    assert "is now in triage" in page.locator(".messages").inner_text()
    assert "Staff" in page.locator("#timeline-list li[data-kind='status']").last.inner_text()
    case.refresh_from_db()
    assert case.status == Status.TRIAGE
    page.goto(f"/staff/cases/{case.pk}/notice/?kind=takedown")
    assert axe_violations(page) == []
    page.goto("/staff/cases/dashboard/")
    assert page.locator("#stat-open").inner_text() == "1"
    assert axe_violations(page) == []

    # Bulk assignment from the queue ("select all" is cases.js).
    page.goto("/staff/cases/")
    page.check("#select-all")
    assert page.locator(f"#sel-{case.pk}").is_checked()
    page.select_option("#bulk_assignee", str(staff_user.pk))
    page.click("#bulk-assign button[type=submit]")
    page.wait_for_load_state()
    assert "1 case(s) reassigned." in page.locator(".messages").inner_text()
    case.refresh_from_db()
    assert case.assignee == staff_user

    # The reporter's tracking page follows.
    page.goto(re.search(r"/cases/track/[^/]+/$", link).group(0))
    assert page.locator("#track-status").get_attribute("data-status") == "triage"
    assert "now reviewing your report" in page.locator("#track-messages").inner_text()
