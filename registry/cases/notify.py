"""Who hears about what on a case, checked at send time against the one visibility rule, one email per
person, at most one per case per hour (later ones wait for the digest).

Emails never carry evidence or confidential facts: only the case reference and a link to the desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.roles import Role
from registry.cases.models import Case, Message, PendingNotification, TimelineEvent
from registry.core.mail import send_email
from registry.talent import selectors as talent_selectors

Audience = PendingNotification.Audience
BATCH_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Recipient:
    email: str
    audience: str
    user: object | None = None


def staff_link(case) -> str:
    return f"{settings.SITE_URL}/staff/cases/{case.pk}/"


def supervisors():
    User = get_user_model()
    return (
        User.objects.filter(Q(groups__name=str(Role.SUPERVISOR)) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("pk")
    )


# --- who may receive (asked at send time, also when the digest goes out) ----------------------------


def may_receive(case: Case, recipient: Recipient) -> bool:
    """Staff recipients only while `cases.view_case` holds (a case turned confidential reaches nobody
    without access); the talent and her representatives while they act for her and have not opted out."""
    user = recipient.user
    if recipient.audience == Audience.REPORTER:
        return True
    if user is None or not user.is_active:
        return False
    if recipient.audience == Audience.TALENT:
        return (
            case.talent_id is not None
            and user.notify_case_updates
            and talent_role(user, case.talent) is not None
        )
    return user.has_perm("cases.view_case", case)


def talent_role(user, talent) -> str | None:
    """'the talent' or 'a representative…' when the user hears about cases about this talent."""
    if talent.user_id is not None and talent.user_id == user.pk:
        return "the talent concerned"
    if talent_selectors.can_act_for(user, talent, scope="answer_requests"):
        return f"a representative of {talent.stage_name}"
    return None


# --- sending, batched per (case, address) -----------------------------------------------------------


def send_about_case(
    case: Case, recipient: Recipient, *, subject: str, body: str, now: datetime | None = None
) -> bool:
    """Send now, or hold for the digest when this address had an email about this case within the hour.
    Returns False (nothing sent or held) when the recipient may not hear about the case."""
    if not recipient.email or not may_receive(case, recipient):
        return False
    now = now or timezone.now()
    recent = PendingNotification.objects.filter(
        case=case, email__iexact=recipient.email, sent_at__gte=now - BATCH_WINDOW
    ).exists()
    waiting = PendingNotification.objects.filter(
        case=case, email__iexact=recipient.email, sent_at__isnull=True, dropped=False
    ).exists()
    row = PendingNotification.objects.create(
        case=case,
        email=recipient.email,
        user=recipient.user,
        audience=recipient.audience,
        subject=subject[:300],
        body=body,
        created_at=now,
        sent_at=None if (recent or waiting) else now,
    )
    if row.sent_at is not None:
        send_email(subject=subject, body=body, to=[recipient.email])
    return True


def send_digests(*, now: datetime | None = None) -> int:
    """Fold held emails into one digest per (case, address) once its hour has passed; each recipient is
    asked the visibility rule again (held emails to someone who lost access are dropped)."""
    now = now or timezone.now()
    sent = 0
    waiting = (
        PendingNotification.objects.filter(sent_at__isnull=True, dropped=False)
        .values_list("case_id", "email")
        .distinct()
    )
    for case_id, email in sorted(set(waiting)):
        with transaction.atomic():
            rows = list(
                PendingNotification.objects.select_for_update(of=("self",))
                .filter(case_id=case_id, email=email, sent_at__isnull=True, dropped=False)
                .select_related("case__talent", "user")
                .order_by("created_at", "pk")
            )
            if not rows:
                continue
            if PendingNotification.objects.filter(
                case_id=case_id, email__iexact=email, sent_at__gte=now - BATCH_WINDOW
            ).exists():
                continue  # its hour is not over yet
            case = rows[0].case
            keep = [r for r in rows if may_receive(case, Recipient(r.email, r.audience, r.user))]
            PendingNotification.objects.filter(pk__in=[r.pk for r in rows if r not in keep]).update(
                dropped=True
            )
            if not keep:
                continue
            PendingNotification.objects.filter(pk__in=[r.pk for r in keep]).update(sent_at=now)
            if len(keep) == 1:
                subject, body = keep[0].subject, keep[0].body
            else:
                subject = f"[{case.reference}] {len(keep)} updates"
                body = render_to_string(
                    "cases/email/digest.txt",
                    {"count": len(keep), "reference": case.reference, "items": keep},
                )
            send_email(subject=subject, body=body, to=[email])
            sent += 1
    return sent


# --- what each audience hears -------------------------------------------------------------------------


def reporter_addresses(case) -> list[str]:
    addresses = set()
    for email, user_email in case.reports.values_list("reporter_email", "reporter__email"):
        if email or user_email:
            addresses.add((email or user_email).lower())
    return sorted(addresses)


def notify_reporters(case, body: str, *, now: datetime | None = None) -> list[str]:
    to = reporter_addresses(case)
    text = render_to_string("cases/email/reporter_update.txt", {"body": body, "case": case})
    for address in to:  # one email each: reporters never see each other's addresses
        send_about_case(
            case,
            Recipient(address, Audience.REPORTER),
            subject=f"Update on your misuse report ({case.reference})",
            body=text,
            now=now,
        )
    return to


def post_message(
    case: Case, *, actor, body: str, record: bool = True, now: datetime | None = None
) -> Message:
    """A message to the reporters: on the tracking page, and emailed to those who left an address."""
    message = Message.objects.create(case=case, author=actor, body=body[:5000])
    sent_to = notify_reporters(case, body, now=now)
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


def notify_watchers(case, *, subject: str, body: str, exclude=None, now: datetime | None = None) -> int:
    """Each watcher who may still see the case (asked now: confidential cases reach no one else)."""
    case = Case.objects.get(pk=case.pk)  # the state as committed now, not the caller's copy
    text = render_to_string("cases/email/watcher_update.txt", {"body": body, "link": staff_link(case)})
    sent = 0
    for user in case.watchers.filter(is_active=True).order_by("pk"):
        if user == exclude or not user.email:
            continue
        sent += send_about_case(
            case,
            Recipient(user.email, Audience.WATCHER, user),
            subject=f"[{case.reference}] {subject}",
            body=text,
            now=now,
        )
    return sent


def notify_assignee(case, *, subject: str, body: str, now: datetime | None = None) -> int:
    """The assignee, when they do not already hear through watching (same checks and batching)."""
    case = Case.objects.select_related("assignee").get(pk=case.pk)
    user = case.assignee
    if user is None or not user.is_active or not user.email or case.watchers.filter(pk=user.pk).exists():
        return 0
    text = render_to_string("cases/email/watcher_update.txt", {"body": body, "link": staff_link(case)})
    recipient = Recipient(user.email, Audience.WATCHER, user)
    return int(send_about_case(case, recipient, subject=f"[{case.reference}] {subject}", body=text, now=now))


def notify_breach(case, breach, *, now: datetime | None = None) -> list[str]:
    people = list(supervisors())
    if case.assignee_id and case.assignee.is_active and case.assignee not in people:
        people.insert(0, case.assignee)
    what = "triaged" if breach.kind == "triage" else "answered after the notice"
    text = render_to_string(
        "cases/email/sla_breach.txt", {"case": case, "breach": breach, "what": what, "link": staff_link(case)}
    )
    subject = f"[{case.reference}] Deadline missed ({breach.get_kind_display().lower()})"
    return sorted(
        p.email
        for p in {p.email: p for p in people if p.email}.values()
        if send_about_case(case, Recipient(p.email, Audience.STAFF, p), subject=subject, body=text, now=now)
    )


def talent_recipients(case: Case) -> list[Recipient]:
    """The talent herself and her representatives who answer for her (registry.talent.selectors)."""
    talent = case.talent
    if talent is None or talent.status != talent.Status.ACTIVE:
        return []
    users = [talent.user] if talent.user_id else []
    users += [rep.user for rep in talent_selectors.active_representatives(talent)]
    return [Recipient(u.email, Audience.TALENT, u) for u in dict.fromkeys(users) if u.email]


def notify_talent_of_case(case: Case, *, now: datetime | None = None) -> int:
    """Tell the talent (and her representatives) that a case about her was opened, unless they opted out.
    Confidential cases too: it is about her."""
    case = Case.objects.select_related("talent__user").get(pk=case.pk)
    sent = 0
    for recipient in talent_recipients(case):
        capacity = talent_role(recipient.user, case.talent) if recipient.user else None
        if capacity is None:
            continue
        body = render_to_string(
            "cases/email/talent_new_case.txt",
            {
                "case": case,
                "talent_name": case.talent.stage_name,
                "platform": case.get_platform_display(),
                "capacity": capacity,
                "link": f"{settings.SITE_URL}/talent/me/",
                "settings_link": f"{settings.SITE_URL}/talent/me/",
            },
        )
        sent += send_about_case(
            case,
            recipient,
            subject=f"A misuse case about {case.talent.stage_name} ({case.reference})",
            body=body,
            now=now,
        )
    return sent
