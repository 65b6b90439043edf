"""Issue 18 journey (c) in Chromium: the public reports misuse, staff work the case to resolution, and the
reporter follows it through the private tracking link; every page is audited (see tests/browser/audit.py)."""

import re

import pytest

from registry.cases.models import Case, Status
from tests.browser.audit import Auditor
from tests.browser.test_cases import login_as, private_media  # noqa: F401 (fixture)
from tests.cases.helpers import photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def transition(page, name: str) -> None:
    page.click(f"form[data-transition^='{name}-'] button[type=submit]")
    page.wait_for_load_state()


def test_public_report_worked_to_resolution_and_followed(page, live_server, staff_user, tmp_path):
    screenshot = tmp_path / "screenshot.jpg"
    screenshot.write_bytes(photo(12))
    audit = Auditor(page, "report")

    page.goto("/cases/report/")
    audit("form")
    page.click("#report-form button[type=submit]")  # empty: the summary lists and links each field
    page.wait_for_load_state()
    page.locator(".error-summary a[href='#id_description']").wait_for()
    audit("form-errors")
    page.fill("#id_urls", "https://www.instagram.com/p/JOURNEY1/?utm_source=ig_web")
    page.fill("#id_seen_on", "2026-11-20")
    page.fill("#id_talent", "Someone Famous")
    page.fill("#id_description", "An AI-generated face cream ad using her likeness.")
    page.select_option("#id_relationship", "fan")
    page.fill("#id_reporter_email", "pat@example.org")
    page.set_input_files("#id_evidence", str(screenshot))
    page.click("#report-form button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/report/filed/$"))
    audit("filed")
    track = re.search(r"/cases/track/[^/]+/$", page.locator("#tracking-link").inner_text().strip()).group(0)
    page.goto(track)
    audit("track-new")

    case = Case.objects.get()
    login_as(page, live_server, staff_user)
    page.goto("/staff/cases/")
    audit("queue")
    # On a phone the filters fold into "Filters (n active)"; on a desk they are open. (A fresh page: axe
    # leaves empty style attributes behind, which htmx would copy when it settles, against the CSP.)
    page.goto("/staff/cases/")
    fold = page.locator("#queue-filters-fold")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fold.get_attribute("open") is None
    assert page.locator("#filters-active").inner_text() == "(0 active)"
    page.click("#queue-filters-fold > summary")
    page.select_option("#id_priority", case.priority)
    page.locator("#filters-active").filter(has_text="(1 active)").wait_for()
    page.wait_for_load_state("networkidle")  # htmx has swapped the filtered table in
    assert page.locator("#queue-count").inner_text().startswith("1 case")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert fold.get_attribute("open") is not None

    # The dashboard's bars are links to the queue they count, named in words.
    page.goto("/staff/cases/dashboard/")
    audit("dashboard")
    week = page.locator("#h-week + ul.bars a.bar-link").last  # this week: the report just filed
    assert re.fullmatch(r"1 new case in the week of \d{1,2} \w{3}", week.get_attribute("aria-label"))
    week.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/cases/\?.*week="))
    assert page.locator("#queue-count").inner_text().startswith("1 case")
    audit("queue-week")
    page.goto(f"/staff/cases/{case.pk}/")
    audit("case-new")
    transition(page, "triage")
    transition(page, "investigate")
    assert page.locator("#case-status").get_attribute("data-status") == "investigating"
    page.click("details.transition-more:has(form[data-transition='resolve-resolved']) > summary")
    resolve = page.locator("form[data-transition='resolve-resolved']")
    resolve.locator("select[name=outcome]").select_option("removed")
    resolve.locator("input[name=outcome_note], textarea[name=outcome_note]").fill(
        "The platform removed the ad."
    )
    audit("case-investigating")
    resolve.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#case-status").get_attribute("data-status") == "resolved"
    audit("case-resolved")
    case.refresh_from_db()
    assert case.status == Status.RESOLVED

    page.context.clear_cookies()  # the reporter again, without an account
    page.goto(track)
    assert page.locator("#track-status").get_attribute("data-status") == "resolved"
    assert "resolved" in page.locator("#track-messages").inner_text()
    audit("track-resolved")
    audit.assert_clean()
