"""The platform's answer to a notice: recorded on the notice and the case timeline (by staff or by email)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from registry.cases.errors import CaseError
from registry.cases.models import Notice, ResponseOutcome, TimelineEvent
from registry.cases.rules import ensure_staff
from registry.cases.workflow import lock

MAX_RESPONSE_CHARS = 20_000


def _record(notice: Notice, *, actor, text: str, outcome: str, received_at: datetime, via: str) -> Notice:
    notice.response_received_at = received_at
    notice.response_text = text[:MAX_RESPONSE_CHARS]
    notice.response_outcome = outcome
    notice.response_recorded_by = actor
    notice.save(
        update_fields=["response_received_at", "response_text", "response_outcome", "response_recorded_by"]
    )
    label = ResponseOutcome(outcome).label.lower() if outcome else "not yet classified"
    TimelineEvent.objects.create(
        case=notice.case,
        actor=actor,
        kind=TimelineEvent.Kind.NOTICE,
        message=f"Response to the {notice.get_kind_display().lower()} sent {notice.sent_at:%Y-%m-%d} "
        f"({via}): {label}.",
        data={"notice": notice.pk, "response": outcome, "via": via},
        at=received_at,
    )
    return notice


def record_response(
    notice_id: int,
    *,
    actor,
    text: str,
    outcome: str,
    received_at: datetime | None = None,
) -> Notice:
    """Staff record what the recipient answered (the outcome: removed, refused, partial, no answer…)."""
    ensure_staff(actor)
    if outcome not in ResponseOutcome.values:
        raise CaseError(
            "outcome_required",
            f"Choose what the recipient answered: {', '.join(ResponseOutcome.values)}.",
            "outcome",
        )
    text = (text or "").strip()
    if not text and outcome != ResponseOutcome.NO_ANSWER:
        raise CaseError("response_required", "Summarise the response (or choose 'no answer').", "text")
    with transaction.atomic():
        notice = Notice.objects.filter(pk=notice_id).first()
        if notice is None:
            raise CaseError("not_found", "No such notice.", None, status=404)
        lock(notice.case_id, actor=actor, version=None)  # visibility: only people who see the case
        return _record(
            notice,
            actor=actor,
            text=text,
            outcome=outcome,
            received_at=received_at or timezone.now(),
            via="recorded by staff",
        )


def record_emailed_response(notice: Notice, *, sender: str, subject: str, text: str, received_at) -> Notice:
    """A reply that reached the notice's own address (matched by its token; see registry.cases.inbound)."""
    with transaction.atomic():
        body = f"From: {sender}\nSubject: {subject}\n\n{text.strip()}"
        return _record(notice, actor=None, text=body, outcome="", received_at=received_at, via="by email")
