"""SLA deadlines: the policy per priority, due times, and the beat job that flags and notifies breaches."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from registry.cases.models import (
    AWAITING_STATUSES,
    Case,
    Priority,
    SLABreach,
    SLAPolicy,
    Status,
    TimelineEvent,
)
from registry.cases.notify import notify_breach

# Used when a policy row is missing (the data migration seeds the same values; supervisors edit them).
DEFAULT_POLICIES = {
    Priority.URGENT: (4, 14),
    Priority.HIGH: (24, 14),
    Priority.NORMAL: (72, 14),
    Priority.LOW: (7 * 24, 14),
}


def policy_for(priority: str) -> tuple[int, int]:
    """(triage hours, response days) for a priority."""
    row = SLAPolicy.objects.filter(priority=priority).values_list("triage_hours", "response_days").first()
    return row or DEFAULT_POLICIES.get(priority, DEFAULT_POLICIES[Priority.NORMAL])


def triage_due(created_at: datetime, priority: str) -> datetime:
    return created_at + timedelta(hours=policy_for(priority)[0])


def response_due(sent_at: datetime, priority: str) -> datetime:
    return sent_at + timedelta(days=policy_for(priority)[1])


def overdue_q(now: datetime) -> Q:
    """Cases past a deadline: a new case not triaged in time, or a notice not answered in time."""
    return Q(status=Status.NEW, triage_due_at__lt=now) | Q(
        status__in=list(AWAITING_STATUSES), response_due_at__lt=now
    )


def is_overdue(case, now: datetime | None = None) -> bool:
    """The same rule as overdue_q, for one case already in memory."""
    now = now or timezone.now()
    if case.status == Status.NEW:
        return bool(case.triage_due_at and case.triage_due_at < now)
    return case.status in AWAITING_STATUSES and bool(case.response_due_at and case.response_due_at < now)


def flag_overdue(now: datetime | None = None) -> int:
    """Record each missed deadline once (SLABreach is unique per case, kind and due time), note it on the
    timeline and tell the assignee and the supervisors. Returns how many new breaches were found."""
    now = now or timezone.now()
    found = 0
    candidates = Case.objects.filter(overdue_q(now)).select_related("assignee")
    for case in candidates:
        kind = case.overdue_kind(now)
        due = case.triage_due_at if kind == SLABreach.Kind.TRIAGE else case.response_due_at
        if _record_breach(case, kind, due, now):
            found += 1
    return found


def _record_breach(case: Case, kind: str, due: datetime, now: datetime) -> bool:
    try:
        with transaction.atomic():
            breach = SLABreach.objects.create(case=case, kind=kind, due_at=due, detected_at=now)
            recipients = notify_breach(case, breach)
            breach.notified = recipients
            breach.save(update_fields=["notified"])
            TimelineEvent.objects.create(
                case=case,
                kind=TimelineEvent.Kind.SLA_BREACH,
                message=f"The {breach.get_kind_display().lower()} deadline "
                f"({timezone.localtime(due):%Y-%m-%d %H:%M}) was missed.",
                data={"kind": kind, "due_at": due.isoformat(), "notified": recipients},
                at=now,
            )
    except IntegrityError:  # already recorded (another beat run got there first)
        return False
    return True
