"""Defect 6: the platform's answer is recorded on the notice (not in a note), and a case resolves as
"removed" only when every URL is removed or staff say why."""

from datetime import date

import pytest

from registry.cases import responses, workflow
from registry.cases.errors import CaseError
from registry.cases.models import Case, NoticeTemplate, ReportedURL, Status, TimelineEvent
from tests.cases.helpers import file_report
from tests.cases.notice_helpers import send_confirmed_notice
from tests.factories import sign_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(talent, staff_user, django_capture_on_commit_callbacks):
    sign_terms(talent, {"advertising": {"decision": "deny"}})
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://instagram.com/p/AD1", "https://instagram.com/p/AD2"],
        talent=talent.registry_id,
        seen_on=date(2026, 11, 1),
    )
    case = Case.objects.get(pk=report.case_id)
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff_user, version=case.version)
    return send_confirmed_notice(
        case.pk,
        actor=staff_user,
        version=case.version,
        template_id=NoticeTemplate.objects.get(kind="takedown").pk,
        recipient_name="Instagram",
        recipient_email="ip@instagram.example",
    )


def test_staff_record_the_response_on_the_notice(client, staff_user, notice):
    client.force_login(staff_user)
    url = f"/staff/cases/notices/{notice.pk}/response/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"outcome": "refused", "text": ""})
    assert bad.status_code == 400
    ok = client.post(
        url, {"outcome": "partial", "received_on": "2026-12-02", "text": "Removed AD1; AD2 is parody."}
    )
    assert ok.status_code == 302
    notice.refresh_from_db()
    assert notice.response_outcome == "partial" and notice.response_recorded_by == staff_user
    assert notice.response_text.startswith("Removed AD1") and notice.response_received_at.date() == date(
        2026, 12, 2
    )
    event = TimelineEvent.objects.filter(case=notice.case, data__response="partial").get()
    assert "partly removed" in event.message and event.actor == staff_user
    page = client.get(f"/staff/cases/{notice.case_id}/").content.decode()
    assert 'data-response="partial"' in page


def test_record_response_refuses_unknown_outcomes_and_non_staff(notice, staff_user, talent):
    with pytest.raises(CaseError, match="Choose what the recipient answered"):
        responses.record_response(notice.pk, actor=staff_user, text="x", outcome="maybe")
    with pytest.raises(CaseError):
        responses.record_response(notice.pk, actor=talent.user, text="x", outcome="removed")


def test_removed_outcome_needs_every_url_removed_or_a_reason(notice, staff_user):
    case = Case.objects.get(pk=notice.case_id)
    first, second = case.urls.order_by("pk")
    ReportedURL.objects.filter(pk=first.pk).update(status=ReportedURL.Status.REMOVED)
    with pytest.raises(CaseError, match="1 reported URL") as refused:
        workflow.transition(case.pk, to="resolved", actor=staff_user, version=case.version, outcome="removed")
    assert refused.value.code == "urls_not_removed" and refused.value.field == "outcome_note"
    case.refresh_from_db()
    assert case.status == Status.NOTICE_SENT
    # Staff say why not …
    resolved = workflow.transition(
        case.pk,
        to="resolved",
        actor=staff_user,
        version=case.version,
        outcome="removed",
        outcome_note="AD2 was geo-blocked in every territory; the platform confirmed.",
    )
    assert resolved.outcome == "removed"


def test_removed_outcome_without_a_note_once_all_urls_are_removed(notice, staff_user):
    case = Case.objects.get(pk=notice.case_id)
    case.urls.update(status=ReportedURL.Status.REMOVED)
    resolved = workflow.transition(
        case.pk, to="resolved", actor=staff_user, version=case.version, outcome="removed"
    )
    assert resolved.status == Status.RESOLVED
