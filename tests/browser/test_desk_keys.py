"""The case desk from the keyboard, in Chromium: j/k move the selection, Enter opens the case, n focuses
the note box, a assigns the selected case to me; one-line rows; the shortcuts help; axe-checked."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from registry.cases.models import Case, Priority
from tests.conftest import axe_violations
from tests.factories import TalentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login_as(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_queue_keyboard_navigation(page, live_server, staff_user):
    talent = TalentFactory(stage_name="Ana Reyes")
    now = timezone.now()
    cases = [
        Case.objects.create(
            talent=talent,
            priority=Priority.URGENT,
            summary="A rather long summary that a staff member wrote about this case " * 3 + str(i),
            triage_due_at=now + timedelta(hours=3 + i, minutes=30),
        )
        for i in range(3)
    ]
    login_as(page, live_server, staff_user)
    page.goto("/staff/cases/?status=open&sort=due")
    rows = page.locator("#queue-table tbody tr[data-case]")
    assert rows.count() == 3
    # one line per row, however long the title
    heights = [rows.nth(i).bounding_box()["height"] for i in range(3)]
    assert max(heights) < 48, heights
    assert "due in 3 h" in rows.nth(0).inner_text()
    assert axe_violations(page) == []

    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    assert rows.nth(0).get_attribute("class") == "is-selected"
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stays on the last row
    assert rows.nth(2).get_attribute("class") == "is-selected"
    page.keyboard.press("k")
    assert rows.nth(1).get_attribute("class") == "is-selected"
    assert rows.nth(2).get_attribute("class") != "is-selected"
    page.keyboard.press("?")
    assert page.locator("#shortcuts-help").get_attribute("open") is not None

    selected = int(rows.nth(1).get_attribute("data-case"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(rf"/staff/cases/{selected}/$", page.url)
    page.locator("h1").click()
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.id") == "note-body"
    # the note and "Assign to me" update the page in place (htmx), no reload
    page.evaluate("window.__same_page = true")
    page.keyboard.type("Called the platform's abuse desk.")
    page.click("#note-form button[type=submit]")
    page.wait_for_selector("#notes li:has-text('abuse desk')")
    page.wait_for_selector("#timeline-list li[data-kind='note']")
    page.click("#assign-me button[type=submit]")
    page.wait_for_selector("#case-assignee:has-text('Staff')")
    assert page.evaluate("window.__same_page") is True
    assert Case.objects.get(pk=selected).assignee_id == staff_user.pk

    # back on the queue, "a" assigns the selected case to me (and only that one)
    page.goto("/staff/cases/?status=open&sort=due")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("a")
    assigned = {c.pk: c.assignee_id for c in Case.objects.filter(pk__in=[c.pk for c in cases])}
    assert assigned == {cases[0].pk: staff_user.pk, cases[1].pk: staff_user.pk, cases[2].pk: None}
