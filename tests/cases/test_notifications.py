"""Case emails: each recipient asked the visibility rule at send time, one email per case per hour per
person (the rest in a digest), the talent and her representatives told of cases about her (opt-out)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registry.cases import edits, messaging, notify, workflow
from registry.cases.models import Case, PendingNotification
from registry.talent.models import Representative
from tests.cases.helpers import file_report
from tests.conftest import make_user
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(talent, django_capture_on_commit_callbacks):
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://example.com/ad"],
        talent=talent.registry_id,
        reporter_email="fan@example.org",
    )
    return Case.objects.get(pk=report.case_id)


def to(mailoutbox, address):
    return [m for m in mailoutbox if address in m.to]


def test_watcher_hears_nothing_once_the_case_turns_confidential(
    case, staff_user, supervisor_user, mailoutbox, django_capture_on_commit_callbacks
):
    """Red before: the watcher kept receiving emails, the supervisor's dismissal reason included."""
    edits.set_watching(case.pk, actor=staff_user, user_id=staff_user.pk, watching=True)
    with django_capture_on_commit_callbacks(execute=True):
        case = edits.update_case(case.pk, actor=supervisor_user, version=case.version, confidential=True)
        case = Case.objects.get(pk=case.pk)
        workflow.transition(
            case.pk, to="dismissed", actor=supervisor_user, version=case.version, reason="SUPERVISOR-REASON"
        )
    assert to(mailoutbox, staff_user.email) == []
    assert not any("SUPERVISOR-REASON" in m.body for m in mailoutbox if supervisor_user.email not in m.to)


def test_the_assigned_watcher_still_hears_about_a_confidential_case(
    case, staff_user, supervisor_user, mailoutbox, django_capture_on_commit_callbacks
):
    edits.set_watching(case.pk, actor=staff_user, user_id=staff_user.pk, watching=True)
    with django_capture_on_commit_callbacks(execute=True):
        case = edits.update_case(
            case.pk, actor=supervisor_user, version=case.version, confidential=True, assignee=staff_user.pk
        )
        case = Case.objects.get(pk=case.pk)
        workflow.transition(case.pk, to="triage", actor=supervisor_user, version=case.version)
    assert len(to(mailoutbox, staff_user.email)) == 1


def test_one_email_per_case_per_hour_then_a_digest(
    case, staff_user, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    """Red before: one reporter got five emails in five minutes."""
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            time_machine.move_to(start + timedelta(minutes=i), tick=False)
            messaging.message_reporter(case.pk, actor=staff_user, body=f"Update number {i}.")
    assert len(to(mailoutbox, "fan@example.org")) == 1
    assert PendingNotification.objects.filter(sent_at__isnull=True).count() == 4
    time_machine.move_to(start + timedelta(minutes=30), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send_digests() == 0  # the hour is not over
    time_machine.move_to(start + timedelta(minutes=61), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send_digests() == 1
        assert notify.send_digests() == 0  # idempotent
    mails = to(mailoutbox, "fan@example.org")
    assert len(mails) == 2
    assert "4 updates" in mails[1].body and "Update number 4." in mails[1].body


def test_digest_drops_what_the_recipient_may_no_longer_see(
    case, staff_user, supervisor_user, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    edits.set_watching(case.pk, actor=staff_user, user_id=staff_user.pk, watching=True)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify_watchers(case, subject="one", body="first")
        notify.notify_watchers(case, subject="two", body="second")  # held
    assert len(to(mailoutbox, staff_user.email)) == 1
    Case.objects.filter(pk=case.pk).update(confidential=True)
    time_machine.move_to(start + timedelta(hours=2), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify.send_digests()
    assert len(to(mailoutbox, staff_user.email)) == 1
    assert PendingNotification.objects.get(subject__contains="two").dropped


@pytest.fixture
def people(talent_user, django_capture_on_commit_callbacks):
    talent = TalentFactory(user=talent_user, stage_name="Lena Ortiz")
    agent = make_user("agent@example.org", "representative")
    viewer = make_user("viewer@example.org", "representative")
    Representative.objects.create(talent=talent, user=agent, kind="agent", can_answer_requests=True)
    Representative.objects.create(
        talent=talent, user=viewer, kind="agent", can_answer_requests=False, can_manage_terms=False
    )
    return {"talent": talent, "agent": agent, "viewer": viewer, "user": talent_user}


def report_about(talent, capture, **extra):
    report, _ = file_report(
        capture, urls=[f"https://example.com/{talent.pk}"], talent=talent.registry_id, **extra
    )
    return Case.objects.get(pk=report.case_id)


def test_the_talent_and_her_answering_representatives_are_told_of_a_new_case(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    report_about(people["talent"], django_capture_on_commit_callbacks)
    assert len(to(mailoutbox, people["user"].email)) == 1
    assert len(to(mailoutbox, people["agent"].email)) == 1
    assert to(mailoutbox, people["viewer"].email) == []  # no answer_requests scope
    assert all(len(m.to) == 1 for m in mailoutbox)


def test_confidential_cases_still_tell_the_talent_but_opt_out_is_respected(
    people, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    people["agent"].notify_case_updates = False
    people["agent"].save()
    case = report_about(people["talent"], django_capture_on_commit_callbacks, sensitive=True)
    assert case.confidential
    mail = to(mailoutbox, people["user"].email)
    assert len(mail) == 1 and case.reference in mail[0].subject
    assert to(mailoutbox, people["agent"].email) == []
    assert to(mailoutbox, staff_user.email) == []


def test_the_talent_is_told_when_staff_link_a_case_to_her_later(
    people, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    """A report that named nobody we know: she hears of it once staff link the case to her."""
    report, _ = file_report(
        django_capture_on_commit_callbacks, urls=["https://example.com/unnamed"], talent="a model I saw"
    )
    case = Case.objects.get(pk=report.case_id)
    assert to(mailoutbox, people["user"].email) == []
    with django_capture_on_commit_callbacks(execute=True):
        edits.update_case(
            case.pk, actor=staff_user, version=case.version, facts={"talent": people["talent"].registry_id}
        )
    mail = to(mailoutbox, people["user"].email)
    assert len(mail) == 1 and case.reference in mail[0].subject
