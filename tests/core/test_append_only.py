"""The audit log and case timelines are append-only in the database itself (SQLite and PostgreSQL triggers):
no queryset update/delete, no raw SQL; only an account deletion may clear the actor link."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from registry.cases.models import Case, TimelineEvent
from registry.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _refused(sql, params):
    with pytest.raises(IntegrityError) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert "append-only" in str(exc.value)


@pytest.fixture
def actor():
    return User.objects.create_user(email="clerk@example.org", password="x" * 12)


@pytest.fixture
def audit_event(actor):
    return AuditEvent.objects.create(
        actor=actor,
        action="evidence.view",
        object_type="cases.evidence",
        object_id="7",
        ip_address="10.0.0.1",
    )


@pytest.fixture
def timeline_event(actor):
    case = Case.objects.create(summary="A fake advert")
    return TimelineEvent.objects.create(
        case=case, actor=actor, kind="note", message="seen", at=timezone.now()
    )


def test_raw_sql_cannot_change_or_delete_audit_events(audit_event):
    for sql in (
        "UPDATE core_auditevent SET action = 'nothing' WHERE id = %s",
        "UPDATE core_auditevent SET detail = 'rewritten' WHERE id = %s",
        "UPDATE core_auditevent SET ip_address = NULL WHERE id = %s",
    ):
        _refused(sql, [audit_event.pk])
    _refused("DELETE FROM core_auditevent WHERE id = %s", [audit_event.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=audit_event.pk).delete()
    audit_event.refresh_from_db()
    assert audit_event.action == "evidence.view" and audit_event.detail == ""


def test_raw_sql_cannot_change_or_delete_timeline_events(timeline_event):
    _refused("UPDATE cases_timelineevent SET message = 'rewritten' WHERE id = %s", [timeline_event.pk])
    _refused("UPDATE cases_timelineevent SET kind = 'status' WHERE id = %s", [timeline_event.pk])
    other = Case.objects.create(summary="Another")
    _refused("UPDATE cases_timelineevent SET case_id = %s WHERE id = %s", [other.pk, timeline_event.pk])
    _refused("DELETE FROM cases_timelineevent WHERE id = %s", [timeline_event.pk])
    timeline_event.refresh_from_db()
    assert timeline_event.message == "seen" and timeline_event.case_id != other.pk


def test_pointing_the_actor_at_someone_else_is_refused(audit_event, timeline_event):
    someone = User.objects.create_user(email="someone@example.org", password="x" * 12)
    _refused("UPDATE core_auditevent SET actor_id = %s WHERE id = %s", [someone.pk, audit_event.pk])
    _refused("UPDATE cases_timelineevent SET actor_id = %s WHERE id = %s", [someone.pk, timeline_event.pk])


def test_deleting_an_account_clears_the_actor_and_keeps_the_rows(actor, audit_event, timeline_event):
    actor.delete()
    audit_event.refresh_from_db()
    timeline_event.refresh_from_db()
    assert audit_event.actor_id is None and audit_event.action == "evidence.view"
    assert timeline_event.actor_id is None and timeline_event.message == "seen"


def test_new_rows_are_still_written(audit_event, timeline_event):
    AuditEvent.objects.create(action="case.view", object_type="cases.case", object_id="1")
    TimelineEvent.objects.create(case=timeline_event.case, kind="status", at=timezone.now())
    assert AuditEvent.objects.count() == 2 and TimelineEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_flush_between_transactional_tests_still_empties_the_tables(audit_event, timeline_event):
    """A transactional test's rows are flushed afterwards (SQLite: the triggers step aside for the flush)."""
    assert AuditEvent.objects.exists() and TimelineEvent.objects.exists()


def test_the_previous_transactional_test_was_flushed():
    assert not AuditEvent.objects.exists() and not TimelineEvent.objects.exists()
