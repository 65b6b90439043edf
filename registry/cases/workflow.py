"""The case state machine: one transition table, used by the staff desk, the API and the admin alike.

    new → triage → investigating → notice_sent → awaiting_response → resolved
    (+ dismissed, escalated, and reopen from resolved/dismissed back to triage or investigating)

Each transition names who may make it (staff, or supervisors for dismissing, escalating and reopening),
what it needs (a reason, an outcome, a notice) and what follows (timeline event, deadlines, reporter message).
A transition carries the case version the person saw; a stale version is refused (optimistic concurrency)
and the row is locked while it changes, so of two concurrent transitions exactly one wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registry.cases.errors import CaseError, Conflict, NotAllowed
from registry.cases.guards import ensure_not_merged
from registry.cases.models import Case, Outcome, ReportedURL, Status, TimelineEvent
from registry.cases.notify import notify_watchers, post_message
from registry.cases.selectors import visible_cases

# Who may make a transition: a permission of registry/cases/rules.py.
STAFF = "cases.work_cases"
SUPERVISOR = "cases.supervise_cases"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    perm: str = STAFF
    needs_reason: bool = False
    needs_outcome: bool = False
    via_notice: bool = False  # only by sending a notice (registry.cases.notices.send_notice)
    reporter_message: str = ""

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)


S = Status
ACTIVE_WORK = frozenset({S.INVESTIGATING, S.NOTICE_SENT, S.AWAITING_RESPONSE, S.ESCALATED})
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "triage",
        frozenset({S.NEW}),
        S.TRIAGE,
        reporter_message="A member of the union's staff is now reviewing your report.",
    ),
    Transition(
        "investigate",
        frozenset({S.TRIAGE, S.AWAITING_RESPONSE}),
        S.INVESTIGATING,
        reporter_message="We are investigating the content you reported.",
    ),
    Transition(
        "send_notice",
        ACTIVE_WORK,
        S.NOTICE_SENT,
        via_notice=True,
        reporter_message="We have sent a notice about the content you reported and await a response.",
    ),
    Transition("await_response", frozenset({S.NOTICE_SENT}), S.AWAITING_RESPONSE),
    Transition(
        "resolve",
        ACTIVE_WORK,
        S.RESOLVED,
        needs_outcome=True,
        reporter_message="Your report has been resolved.",
    ),
    Transition(
        "escalate",
        frozenset({S.TRIAGE, S.INVESTIGATING, S.NOTICE_SENT, S.AWAITING_RESPONSE}),
        S.ESCALATED,
        perm=SUPERVISOR,
        needs_reason=True,
        reporter_message="Your report has been referred to the union's legal team.",
    ),
    Transition(
        "resume",
        frozenset({S.ESCALATED}),
        S.INVESTIGATING,
        perm=SUPERVISOR,
        needs_reason=True,
    ),
    Transition(
        "dismiss",
        frozenset({S.NEW, S.TRIAGE, S.INVESTIGATING, S.NOTICE_SENT, S.AWAITING_RESPONSE, S.ESCALATED}),
        S.DISMISSED,
        perm=SUPERVISOR,
        needs_reason=True,
        reporter_message="We have closed your report without further action.",
    ),
    Transition(
        "reopen",
        frozenset({S.RESOLVED, S.DISMISSED}),
        S.TRIAGE,
        perm=SUPERVISOR,
        needs_reason=True,
        reporter_message="Your report has been reopened.",
    ),
    Transition(
        "reopen",
        frozenset({S.RESOLVED, S.DISMISSED}),
        S.INVESTIGATING,
        perm=SUPERVISOR,
        needs_reason=True,
        reporter_message="Your report has been reopened.",
    ),
)
LABELS = {
    "triage": "Start triage",
    "investigate": "Investigate",
    "send_notice": "Send a notice",
    "await_response": "Recipient acknowledged: await their response",
    "resolve": "Resolve",
    "escalate": "Escalate (legal/arbitration)",
    "resume": "Return to investigation",
    "dismiss": "Dismiss",
    "reopen": "Reopen",
}
_TABLE: dict[tuple[str, str], Transition] = {(src, t.target): t for t in TRANSITIONS for src in t.sources}


def find(source: str, target: str) -> Transition | None:
    return _TABLE.get((source, target))


def available(case: Case, user) -> list[Transition]:
    """Transitions the user may offer from the case's current status (for forms and the API)."""
    if case.duplicate_of_id:
        return []
    return [
        t
        for (src, _), t in _TABLE.items()
        if src == case.status and user.has_perm(t.perm) and not t.via_notice
    ]


def merge_perm(primary: Case) -> str:
    """Who may merge a case into `primary`: merging into a closed case changes what it holds, so it needs the
    role that may reopen it (the table's "reopen" rule); an open case takes merges from any staff."""
    rules = [t for t in TRANSITIONS if t.name == "reopen" and primary.status in t.sources]
    return rules[0].perm if rules else STAFF


def lock(case_id: int, *, actor, version: int | None) -> Case:
    """Lock the case row (inside a transaction), check visibility and the version the actor saw."""
    case = visible_cases(actor).select_for_update().filter(pk=case_id).first()
    if case is None:
        raise CaseError("not_found", "No such case.", None, status=404)
    if version is not None and int(version) != case.version:
        raise Conflict()
    return case


def bump(case: Case, seen_version: int, **fields) -> None:
    """Write the changed fields and the next version, only if nobody wrote in between (works on SQLite too,
    where the row lock above is a no-op)."""
    fields["updated_at"] = timezone.now()
    updated = Case.objects.filter(pk=case.pk, version=seen_version).update(version=F("version") + 1, **fields)
    if updated != 1:
        raise Conflict()
    case.version = seen_version + 1
    for name, value in fields.items():
        setattr(case, name, value)


def transition(
    case_id: int,
    *,
    to: str,
    actor,
    version: int | None,
    reason: str = "",
    outcome: str = "",
    outcome_note: str = "",
    license_request=None,
    response_due_at: datetime | None = None,
    via_notice: bool = False,
    now: datetime | None = None,
) -> Case:
    """Move a case to `to`. Raises CaseError (bad input or wrong state), NotAllowed (role) or Conflict."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if to not in Status.values:
        raise CaseError("invalid_status", f"Unknown status {to!r}. Known: {', '.join(Status.values)}.", "to")
    if version is None:
        raise CaseError("required", "Send the case version you saw (field 'version').", "version")
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=version)
        ensure_not_merged(case)
        rule = find(case.status, to)
        if rule is None:
            raise CaseError(
                "invalid_transition",
                f"A case that is {case.get_status_display().lower()} cannot move to "
                f"{Status(to).label.lower()}.",
                "to",
            )
        if not actor.has_perm(rule.perm):
            raise NotAllowed(
                "forbidden_transition", f"Only a supervisor may {rule.label.lower()} a case.", "to"
            )
        if rule.via_notice and not via_notice:
            raise CaseError(
                "notice_required",
                "A case moves to 'notice sent' only by sending a notice, which needs a recipient: "
                "use “Send a notice”.",
                "to",
            )
        if rule.needs_reason and not reason:
            raise CaseError("reason_required", f"To {rule.name} a case, give a reason.", "reason")
        fields: dict = {"status": to}
        message = reason
        if rule.needs_outcome:
            fields.update(_outcome_fields(case, outcome, outcome_note, license_request))
            message = Outcome(outcome).label + (f" — {outcome_note.strip()}" if outcome_note.strip() else "")
        if case.status == Status.NEW and case.triaged_at is None:
            fields["triaged_at"] = now
        if to in (Status.RESOLVED, Status.DISMISSED):
            fields["closed_at"] = now
        if to == Status.DISMISSED:
            fields["dismissal_reason"] = reason
        if rule.name == "reopen":
            fields.update(
                closed_at=None, outcome="", outcome_note="", dismissal_reason="", license_request=None
            )
        if to == Status.NOTICE_SENT and response_due_at is not None:
            fields["response_due_at"] = response_due_at
        previous = case.status
        bump(case, version, **fields)
        TimelineEvent.objects.create(
            case=case,
            actor=actor,
            kind=TimelineEvent.Kind.STATUS,
            from_status=previous,
            to_status=to,
            message=message,
            data={"transition": rule.name, **({"outcome": outcome} if outcome else {})},
            at=now,
        )
        if rule.reporter_message:
            text = rule.reporter_message
            if to == Status.RESOLVED:
                text += f" Outcome: {Outcome(outcome).label.split(' (')[0].lower()}."
            post_message(case, actor=None, body=text, record=False, now=now)
        notify_watchers(
            case,
            subject=f"Now {Status(to).label.lower()}",
            body=f"{actor} moved case {case.reference} from {Status(previous).label.lower()} to "
            f"{Status(to).label.lower()}." + (f"\n\n{message}" if message else ""),
            exclude=actor,
        )
    return case


def _outcome_fields(case: Case, outcome: str, note: str, license_request) -> dict:
    if outcome not in Outcome.values:
        raise CaseError(
            "outcome_required",
            "To resolve a case, choose its outcome: "
            + "; ".join(label.split(" (")[0].lower() for label in Outcome.labels)
            + ".",
            "outcome",
        )
    if outcome == Outcome.LICENSED:
        if license_request is None:
            raise CaseError(
                "license_request_required",
                "The 'licensed' outcome must link the license request the case led to.",
                "license_request",
            )
        if case.talent_id and license_request.talent_id != case.talent_id:
            raise CaseError(
                "license_request_mismatch",
                "That license request is for a different talent than this case.",
                "license_request",
            )
    if outcome == Outcome.REMOVED and not (note or "").strip():
        still_listed = case.urls.exclude(status=ReportedURL.Status.REMOVED).count()
        if still_listed:
            raise CaseError(
                "urls_not_removed",
                f"{still_listed} reported URL(s) are not marked removed: recheck them, or say in the outcome "
                "note why the case counts as removed.",
                "outcome_note",
            )
    return {
        "outcome": outcome,
        "outcome_note": (note or "").strip(),
        "license_request": license_request if outcome == Outcome.LICENSED else None,
    }
