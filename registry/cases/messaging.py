"""What staff write on a case: internal notes, and messages to the reporters."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from registry.cases.errors import CaseError
from registry.cases.guards import ensure_not_merged
from registry.cases.models import Message, Note, TimelineEvent
from registry.cases.notify import post_message
from registry.cases.rules import ensure_staff
from registry.cases.workflow import lock


def add_note(case_id: int, *, actor, body: str, now: datetime | None = None) -> Note:
    """An internal note (staff only; never shown to reporters or talent)."""
    ensure_staff(actor)
    body = (body or "").strip()
    if not body:
        raise CaseError("required", "Write the note first.", "body")
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        ensure_not_merged(case)
        note = Note.objects.create(case=case, author=actor, body=body[:10000])
        TimelineEvent.objects.create(
            case=case,
            actor=actor,
            kind=TimelineEvent.Kind.NOTE,
            message=body[:500],
            data={"note": note.pk},
            at=now or timezone.now(),
        )
    return note


def message_reporter(case_id: int, *, actor, body: str, now: datetime | None = None) -> Message:
    ensure_staff(actor)
    body = (body or "").strip()
    if not body:
        raise CaseError("required", "Write the message first.", "body")
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        ensure_not_merged(case)
        return post_message(case, actor=actor, body=body, now=now)
