"""SLA deadlines: an overdue case is flagged and notified exactly once per breach by the beat task."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from registry.cases import deadlines, edits, workflow
from registry.cases.models import Case, Priority, SLABreach, SLAPolicy, Status
from registry.cases.tasks import flag_overdue_cases
from tests.cases.helpers import file_report
from tests.cases.notice_helpers import send_confirmed_notice

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_beat_schedule_runs_the_task_every_15_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["cases-flag-overdue"]
    assert entry["task"] == "registry.cases.tasks.flag_overdue_cases" and entry["schedule"] == 900


def test_default_policies_are_seeded():
    assert {p.priority: (p.triage_hours, p.response_days) for p in SLAPolicy.objects.all()} == {
        "urgent": (4, 14),
        "high": (24, 14),
        "normal": (72, 14),
        "low": (168, 14),
    }


def test_overdue_triage_is_flagged_and_notified_exactly_once(
    client, staff_user, supervisor_user, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False):
        report, _ = file_report(django_capture_on_commit_callbacks, urls=["https://late.example/1"])
        case = Case.objects.get(pk=report.case_id)
        case = edits.update_case(case.pk, actor=staff_user, version=case.version, assignee=staff_user.pk)
        assert case.priority == Priority.NORMAL and case.triage_due_at == T0 + timedelta(hours=72)

    mailoutbox.clear()
    with (
        time_machine.travel(T0 + timedelta(hours=71), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert flag_overdue_cases.delay().get() == 0  # not yet due
    assert mailoutbox == []

    with time_machine.travel(T0 + timedelta(hours=72, minutes=15), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert flag_overdue_cases.delay().get() == 1
        breach = SLABreach.objects.get()
        assert (breach.case, breach.kind, breach.due_at) == (case, "triage", T0 + timedelta(hours=72))
        assert sorted(m.to[0] for m in mailoutbox) == sorted([staff_user.email, supervisor_user.email])
        assert all(case.reference in m.subject and "Deadline missed" in m.subject for m in mailoutbox)
        assert case.timeline.filter(kind="sla_breach").count() == 1
        # The queue shows the overdue badge.
        client.force_login(staff_user)
        page = client.get("/staff/cases/").content.decode()
        assert "badge overdue" in page
        assert client.get("/staff/cases/?overdue=on&status=open").context["page"].paginator.count == 1

    # Later beat runs during the same breach notify nobody again.
    for hours in (73, 80, 200):
        with (
            time_machine.travel(T0 + timedelta(hours=hours), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert flag_overdue_cases.delay().get() == 0
    assert len(mailoutbox) == 2 and SLABreach.objects.count() == 1


def test_a_new_deadline_is_a_new_breach(staff_user, mailoutbox, django_capture_on_commit_callbacks):
    """Raising the priority sets a new, earlier triage deadline; missing it is a second, separate breach."""
    with time_machine.travel(T0, tick=False):
        report, _ = file_report(django_capture_on_commit_callbacks, urls=["https://late.example/2"])
        case = Case.objects.get(pk=report.case_id)
    with (
        time_machine.travel(T0 + timedelta(hours=73), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert deadlines.flag_overdue() == 1
        case.refresh_from_db()
        edits.update_case(case.pk, actor=staff_user, version=case.version, priority=Priority.LOW)
        assert deadlines.flag_overdue() == 0  # low: 7 days from opening, not yet due
    with (
        time_machine.travel(T0 + timedelta(days=7, hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert deadlines.flag_overdue() == 1
    assert list(SLABreach.objects.order_by("due_at").values_list("due_at", flat=True)) == [
        T0 + timedelta(hours=72),
        T0 + timedelta(days=7),
    ]


def test_triaged_case_is_not_overdue(staff_user, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        report, _ = file_report(django_capture_on_commit_callbacks, urls=["https://ok.example/1"])
        case = Case.objects.get(pk=report.case_id)
    with time_machine.travel(T0 + timedelta(hours=10), tick=False):
        workflow.transition(case.pk, to=Status.TRIAGE, actor=staff_user, version=case.version)
    with time_machine.travel(T0 + timedelta(days=30), tick=False):
        assert deadlines.flag_overdue() == 0
    case.refresh_from_db()
    assert case.triaged_at == T0 + timedelta(hours=10)


def test_unanswered_notice_breaches_the_response_window(
    staff_user, supervisor_user, mailoutbox, django_capture_on_commit_callbacks
):
    from registry.cases.models import NoticeTemplate

    with time_machine.travel(T0, tick=False):
        report, _ = file_report(django_capture_on_commit_callbacks, urls=["https://slow.example/1"])
        case = Case.objects.get(pk=report.case_id)
        for to in ("triage", "investigating"):
            case = workflow.transition(case.pk, to=to, actor=staff_user, version=case.version)
        notice = send_confirmed_notice(
            case.pk,
            actor=staff_user,
            version=case.version,
            template_id=NoticeTemplate.objects.get(kind="takedown").pk,
            recipient_name="Slow Platform",
            recipient_email="legal@slow.example",
        )
    assert notice.response_due_at == T0 + timedelta(days=14)
    mailoutbox.clear()
    with (
        time_machine.travel(T0 + timedelta(days=14, minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert deadlines.flag_overdue() == 1
        assert deadlines.flag_overdue() == 0
    breach = SLABreach.objects.get()
    assert breach.kind == "response" and breach.notified == [supervisor_user.email]  # unassigned: supervisors
    assert len(mailoutbox) == 1
