"""Issue 14, acceptance 4, in a real browser: staff send a notice (preview, final PDF, confirm), record the
platform's answer, recheck the URL and resolve; the reporter sees each public step and replies."""

import re

import pytest
from django.core import mail

from registry.cases import workflow
from registry.cases.models import Case, Notice, NoticeTemplate, ReportedURL, SLAPolicy, Status
from registry.cases.notice_defaults import DEFAULT_SLA, DEFAULT_TEMPLATES
from tests.browser.test_cases import login_as, private_media  # noqa: F401
from tests.cases.helpers import file_report
from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def seeded_desk():
    """What migrations seed (notice templates, SLA policies): a transactional test that ran before on this
    worker flushed them."""
    for template in DEFAULT_TEMPLATES:
        NoticeTemplate.objects.get_or_create(name=template["name"], defaults=template)
    for priority, hours, days in DEFAULT_SLA:
        SLAPolicy.objects.get_or_create(
            priority=priority, defaults={"triage_hours": hours, "response_days": days}
        )


def test_notice_answer_recheck_resolve_and_the_reporter_follows(
    page, live_server, staff_user, settings, django_capture_on_commit_callbacks
):
    settings.CASES_RECHECK_ALLOW_LOOPBACK = True  # the "platform" is our own test server on 127.0.0.1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    gone = f"{live_server.url}/gone-ad/"  # answers 404: the content was taken down
    report, code = file_report(
        django_capture_on_commit_callbacks,
        urls=[gone],
        platform="website",
        organization="Shady Skincare",
        reporter_email="pat@example.org",
    )
    case = Case.objects.get(pk=report.case_id)
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff_user, version=case.version)
    tracking = f"/cases/track/{code}/"

    # Staff write a takedown notice: preview, the final PDF, then confirm and send.
    login_as(page, live_server, staff_user)
    page.goto(f"/staff/cases/{case.pk}/")
    page.click("#send-takedown")
    page.wait_for_url(re.compile(r"/notice/"))
    page.fill("#id_recipient_name", "Website abuse desk")
    page.fill("#id_recipient_email", "abuse@website.example")
    with page.expect_navigation():
        page.click("button[value=preview]")
    assert page.locator("#notice-preview").is_visible()
    assert axe_violations(page) == []
    page.check("#confirm-send")  # the confirmation step: without it nothing is sent
    with page.expect_navigation():
        page.click("#send-notice")
    assert re.search(rf"/staff/cases/{case.pk}/", page.url)
    notice = Notice.objects.get(case=case)
    case.refresh_from_db()
    assert case.status == Status.NOTICE_SENT
    sent = [m for m in mail.outbox if "abuse@website.example" in m.to]
    assert sent and sent[0].reply_to and notice.reply_token in sent[0].reply_to[0]

    # The reporter sees the notice went out, and replies with what they saw since.
    page.context.clear_cookies()
    page.goto(tracking)
    assert page.locator("#track-status").get_attribute("data-status") == "notice_sent"
    page.fill("#reply-body", "It is still up on the product page today.")
    with page.expect_navigation():
        page.click("#track-reply button[type=submit]")
    assert "It is still up on the product page today." in page.content()
    assert case.timeline.filter(kind="message", data__report=report.pk).exists()

    # The platform answered: staff record it on the notice.
    login_as(page, live_server, staff_user)
    page.goto(f"/staff/cases/{case.pk}/")
    page.click(f"#notice-response-{notice.pk}")
    page.select_option("#id_outcome", "removed")
    page.fill("#id_text", "We removed the advert.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    notice.refresh_from_db()
    assert notice.response_outcome == "removed" and notice.response_recorded_by == staff_user

    # Staff recheck the URL: our server answers 404, so it is recorded as removed.
    url = ReportedURL.objects.get(case=case)
    page.goto(f"/staff/cases/{case.pk}/")
    with page.expect_navigation():
        page.click(f"#recheck-{url.pk}")
    url.refresh_from_db()
    assert url.status == "removed" and url.last_checked_at is not None

    # …and resolve the case as removed.
    page.goto(f"/staff/cases/{case.pk}/")
    page.click("details.transition-more:has(form[data-transition='resolve-resolved']) > summary")
    resolve = page.locator("form[data-transition='resolve-resolved']")
    resolve.locator("select[name=outcome]").select_option("removed")
    with page.expect_navigation():
        resolve.locator("button[type=submit]").click()
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.outcome == "removed"

    # The reporter sees the outcome.
    page.context.clear_cookies()
    page.goto(tracking)
    assert page.locator("#track-status").get_attribute("data-status") == "resolved"
    assert "removed" in page.locator("main").inner_text().lower()
    assert axe_violations(page) == []
