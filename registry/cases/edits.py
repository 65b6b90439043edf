"""Staff edits of a case: priority, assignee, confidentiality, summary, facts, bulk assignment, watching."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registry.cases import deadlines, notify
from registry.cases.errors import CaseError, NotAllowed
from registry.cases.guards import ensure_not_merged
from registry.cases.intake import product_category, resolve_organization, resolve_talent
from registry.cases.models import Case, Platform, Priority, Status, TimelineEvent
from registry.cases.rules import ensure_staff
from registry.cases.selectors import visible_cases
from registry.cases.workflow import bump, lock
from registry.consent.vocab import USES
from registry.core.outbox import dispatch
from registry.talent.registry_ids import looks_like_registry_id


def _staff_user(user_id: int):
    User = get_user_model()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_perm("cases.work_cases"):
        raise CaseError("invalid_assignee", "Cases can only be assigned to active union staff.", "assignee")
    return user


_UNSET = object()


def update_case(
    case_id: int,
    *,
    actor,
    version: int | None,
    priority: str | None = None,
    assignee=_UNSET,
    confidential: bool | None = None,
    summary: str | None = None,
    facts: dict | None = None,
    now: datetime | None = None,
) -> Case:
    """Change a case's priority, assignee, confidentiality, summary or facts (the version the actor saw is
    required).

    `assignee` is a user id, or None to unassign. `facts` may hold `talent` (a registry ID, "" to unlink),
    `organization` (an organization's name, "" to unlink), `use`, `product_category` (synonyms resolved),
    `platform` and `seen_on`; changing them runs the enrichment again (matches with the talent's reference
    photos, the permission check) after commit. Each change is an event on the timeline.
    """
    ensure_staff(actor)
    now = now or timezone.now()
    if version is None:
        raise CaseError("required", "Send the case version you saw (field 'version').", "version")
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=version)
        ensure_not_merged(case)
        fields: dict = {}
        events: list[tuple[str, str, dict]] = []
        if priority is not None and priority != case.priority:
            if priority not in Priority.values:
                raise CaseError(
                    "invalid_priority", f"Priority must be one of {', '.join(Priority.values)}.", "priority"
                )
            fields.update(priority=priority, priority_set_by_staff=True)
            if case.status == Status.NEW:
                fields["triage_due_at"] = deadlines.triage_due(case.created_at, priority)
            if case.status in (Status.NOTICE_SENT, Status.AWAITING_RESPONSE):
                last = case.notices.order_by("-sent_at").first()
                if last is not None:
                    fields["response_due_at"] = deadlines.response_due(last.sent_at, priority)
            events.append(
                (
                    TimelineEvent.Kind.PRIORITY,
                    f"Priority {Priority(case.priority).label.lower()} → {Priority(priority).label.lower()}.",
                    {"from": case.priority, "to": priority},
                )
            )
        if assignee is not _UNSET:
            new = _staff_user(assignee) if assignee is not None else None
            if (new.pk if new else None) != case.assignee_id:
                if (
                    new is not None
                    and case.confidential
                    and not (new.has_perm("cases.supervise_cases") or actor.has_perm("cases.supervise_cases"))
                ):
                    raise NotAllowed(
                        "forbidden",
                        "Only a supervisor can hand a confidential case to someone else.",
                        "assignee",
                    )
                fields["assignee"] = new
                events.append(
                    (
                        TimelineEvent.Kind.ASSIGNED,
                        f"Assigned to {new}." if new else "Unassigned.",
                        {"assignee": new.pk if new else None},
                    )
                )
        if confidential is not None and bool(confidential) != case.confidential:
            if not confidential and not actor.has_perm("cases.supervise_cases"):
                raise NotAllowed(
                    "forbidden", "Only a supervisor can lift the confidential mark.", "confidential"
                )
            fields["confidential"] = bool(confidential)
            events.append(
                (
                    TimelineEvent.Kind.CONFIDENTIAL,
                    "Marked confidential." if confidential else "Confidential mark lifted.",
                    {"confidential": bool(confidential)},
                )
            )
        if summary is not None and summary.strip() != case.summary:
            fields["summary"] = summary.strip()[:200]
            events.append((TimelineEvent.Kind.EDIT, "Summary edited.", {"summary": fields["summary"]}))
        changed_facts = _fact_changes(case, facts or {})
        if changed_facts:
            fields.update(changed_facts)
            events.append(
                (
                    TimelineEvent.Kind.EDIT,
                    "Facts edited: " + ", ".join(sorted(k.replace("_name", "") for k in changed_facts)) + ".",
                    {
                        k: (v.pk if hasattr(v, "pk") else str(v) if v is not None else None)
                        for k, v in changed_facts.items()
                    },
                )
            )
        if not fields:
            return case
        bump(case, version, **fields)
        for kind, message, data in events:
            TimelineEvent.objects.create(
                case=case, actor=actor, kind=kind, message=message, data=data, at=now
            )
        if changed_facts:
            dispatch("registry.cases.enrichment.reenrich_case", case_id=case.pk)
        if changed_facts.get("talent") is not None:  # she is told of a case once it is known to be about her
            transaction.on_commit(lambda: notify.notify_talent_of_case(case))
    return case


def _fact_changes(case: Case, facts: dict) -> dict:
    """Validate staff's corrections of who and what a case is about; returns the changed model fields."""
    changes: dict = {}
    if "talent" in facts:
        text = (facts["talent"] or "").strip()
        talent = None
        if text:
            if not looks_like_registry_id(text):
                raise CaseError("invalid_talent", "Give the talent's registry ID (TR-XXXX-XXXX).", "talent")
            try:
                talent = resolve_talent(text)
            except ValidationError as exc:
                raise CaseError("invalid_talent", exc.message_dict["talent"][0], "talent")
        if (talent.pk if talent else None) != case.talent_id:
            changes["talent"] = talent
    if "organization" in facts:
        text = (facts["organization"] or "").strip()
        organization = resolve_organization(text)
        name = "" if organization or not text else text[:200]
        new_id = organization.pk if organization else None
        if new_id != case.organization_id or name != case.organization_name:
            changes.update(organization=organization, organization_name=name)
    if "use" in facts and (facts["use"] or "") != case.use:
        if facts["use"] and facts["use"] not in USES:
            raise CaseError("invalid_use", f"Unknown use {facts['use']!r}.", "use")
        changes["use"] = facts["use"] or ""
    if "product_category" in facts:
        category = product_category(facts["product_category"])
        if category != case.product_category:
            changes["product_category"] = category
    if "platform" in facts and facts["platform"] and facts["platform"] != case.platform:
        if facts["platform"] not in Platform.values:
            raise CaseError("invalid_platform", f"Unknown platform {facts['platform']!r}.", "platform")
        changes["platform"] = facts["platform"]
    if "seen_on" in facts and facts["seen_on"] != case.seen_on:
        if facts["seen_on"] and facts["seen_on"] > timezone.localdate():
            raise CaseError("invalid_date", "The date seen cannot be in the future.", "seen_on")
        changes["seen_on"] = facts["seen_on"]
    return changes


def bulk_assign(case_ids: list[int], *, assignee_id, actor, now: datetime | None = None) -> int:
    """Assign many cases at once (each on its own timeline); cases the actor cannot see and merged cases are
    skipped."""
    ensure_staff(actor)
    changed = 0
    ids = list(
        visible_cases(actor).filter(pk__in=case_ids, duplicate_of__isnull=True).values_list("pk", "version")
    )
    for pk, version in ids:
        try:
            before = Case.objects.filter(pk=pk).values_list("assignee_id", flat=True).first()
            update_case(pk, actor=actor, version=version, assignee=assignee_id, now=now)
            changed += int(before != assignee_id)
        except NotAllowed:
            continue
    return changed


def set_watching(case_id: int, *, actor, user_id: int, watching: bool, now: datetime | None = None) -> Case:
    ensure_staff(actor)
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        ensure_not_merged(case)
        user = _staff_user(user_id)
        if watching == case.watchers.filter(pk=user.pk).exists():
            return case
        (case.watchers.add if watching else case.watchers.remove)(user)
        TimelineEvent.objects.create(
            case=case,
            actor=actor,
            kind=TimelineEvent.Kind.WATCHERS,
            message=f"{user} {'now watches' if watching else 'no longer watches'} this case.",
            data={"user": user.pk, "watching": watching},
            at=now or timezone.now(),
        )
    return case
