"""What is written on a case: staff's internal notes and messages to the reporters, the reporters' replies."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from registry.cases.errors import CaseError
from registry.cases.evidence import prepare_evidence, store_evidence
from registry.cases.guards import ensure_not_merged
from registry.cases.models import Case, Message, MisuseReport, Note, TimelineEvent
from registry.cases.notify import notify_watchers, post_message, staff_link
from registry.cases.rules import ensure_staff
from registry.cases.selectors import public_case
from registry.cases.workflow import lock
from registry.core.mail import send_email
from registry.core.outbox import dispatch


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


def reporter_reply(
    report: MisuseReport, *, body: str, files: list | None = None, now: datetime | None = None
) -> TimelineEvent:
    """The reporter writes back, and may add evidence (same upload rules as the report form), from the
    tracking page. It lands on the case the report belongs to now (a merged case's target), as a message
    from the reporter on the timeline; the assignee and watchers are told (without the text: emails carry
    no case facts)."""
    body = (body or "").strip()
    files = [f for f in files or [] if f]
    if not body and not files:
        raise CaseError("required", "Write a reply or attach a file.", "body")
    prepared = prepare_evidence(files)
    now = now or timezone.now()
    target = public_case(report)
    if target is None:
        raise CaseError("not_ready", "Your report is not open as a case yet; try again later.", None)
    reporter = report.reporter if report.reporter_id else None
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=target.pk)
        created = [
            store_evidence(item, case=case, report=report, actor=reporter, label="reporter", now=now)
            for item in prepared
        ]
        event = TimelineEvent.objects.create(
            case=case,
            actor=reporter,
            kind=TimelineEvent.Kind.MESSAGE,
            message=f"Reply from the reporter: {body[:470]}" if body else "The reporter added evidence.",
            data={
                "from_reporter": True,
                "report": report.pk,
                "body": body[:5000],
                "evidence": [e.pk for e in created],
            },
            at=now,
        )
        if created:
            TimelineEvent.objects.create(
                case=case,
                actor=reporter,
                kind=TimelineEvent.Kind.EVIDENCE,
                message="From the reporter: "
                + ", ".join(f"{e.original_name} (SHA-256 {e.sha256[:16]}…)" for e in created),
                data={"evidence": [e.pk for e in created], "report": report.pk},
                at=now,
            )
            dispatch("registry.cases.enrichment.match_case_evidence", case_id=case.pk)
        what = "replied" + (f" and added {len(created)} evidence file(s)" if created else "")
        text = f"The reporter {what} on case {case.reference}."
        notify_watchers(case, subject="The reporter replied", body=text)
        _tell_assignee(case, text)
    return event


def _tell_assignee(case: Case, text: str) -> None:
    # notify.py has no assignee notice; watchers already heard through notify_watchers.
    assignee = case.assignee
    if assignee is None or not assignee.is_active or not assignee.email:
        return
    if case.watchers.filter(pk=assignee.pk).exists():
        return
    send_email(
        subject=f"[{case.reference}] The reporter replied", body=f"{text}\n\n{staff_link(case)}", to=[assignee.email]
    )


def reporter_replies(case: Case, report: MisuseReport) -> list[dict]:
    """This reporter's own replies on the case (never other reporters'), for their tracking page."""
    events = TimelineEvent.objects.filter(case=case, kind=TimelineEvent.Kind.MESSAGE, data__report=report.pk)
    return [
        {"at": e.at, "body": e.data.get("body", ""), "files": len(e.data.get("evidence", []))}
        for e in events.order_by("at", "pk")
    ]
