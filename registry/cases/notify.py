"""Who hears about what on a case: reporters (messages), watchers (changes), assignee and supervisors (SLA).

Emails never carry evidence or confidential facts: only the case reference and a link to the staff desk.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role
from registry.cases.models import Case, Message, TimelineEvent
from registry.core.mail import send_email


def staff_link(case) -> str:
    return f"{settings.SITE_URL}/staff/cases/{case.pk}/"


def supervisors():
    User = get_user_model()
    return (
        User.objects.filter(Q(groups__name=str(Role.SUPERVISOR)) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("pk")
    )


def reporter_addresses(case) -> list[str]:
    addresses = set()
    for email, user_email in case.reports.values_list("reporter_email", "reporter__email"):
        if email or user_email:
            addresses.add((email or user_email).lower())
    return sorted(addresses)


def notify_reporters(case, body: str) -> list[str]:
    to = reporter_addresses(case)
    for address in to:  # one email each: reporters never see each other's addresses
        send_email(
            subject=f"Update on your misuse report ({case.reference})",
            body=f"{body}\n\nFollow your report with the private tracking link you received when you filed "
            "it. Please do not reply to this email.\n\n— The union's likeness desk",
            to=[address],
        )
    return to


def post_message(
    case: Case, *, actor, body: str, record: bool = True, now: datetime | None = None
) -> Message:
    """A message to the reporters: on the tracking page, and emailed to those who left an address."""
    message = Message.objects.create(case=case, author=actor, body=body[:5000])
    sent_to = notify_reporters(case, body)
    if record:
        TimelineEvent.objects.create(
            case=case,
            actor=actor,
            kind=TimelineEvent.Kind.MESSAGE,
            message=body[:500],
            data={"message": message.pk, "emailed": len(sent_to)},
            at=now or timezone.now(),
        )
    return message


def notify_watchers(case, *, subject: str, body: str, exclude=None) -> None:
    to = sorted({u.email for u in case.watchers.all() if u.is_active and u != exclude and u.email})
    for address in to:
        send_email(
            subject=f"[{case.reference}] {subject}", body=f"{body}\n\n{staff_link(case)}", to=[address]
        )


def notify_breach(case, breach) -> list[str]:
    people = list(supervisors())
    if case.assignee_id and case.assignee.is_active and case.assignee not in people:
        people.insert(0, case.assignee)
    to = sorted({p.email for p in people if p.email})
    what = "triaged" if breach.kind == "triage" else "answered after the notice"
    for address in to:
        send_email(
            subject=f"[{case.reference}] Deadline missed ({breach.get_kind_display().lower()})",
            body=f"Case {case.reference} was not {what} by {breach.due_at:%Y-%m-%d %H:%M} UTC.\n"
            f"Priority: {case.get_priority_display()}. Assignee: {case.assignee or 'nobody'}.\n\n"
            f"{staff_link(case)}",
            to=[address],
        )
    return to
