"""Cases about the same thing: linking related cases, merging a duplicate into its primary."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from registry.cases.errors import CaseError, NotAllowed
from registry.cases.guards import ensure_not_merged
from registry.cases.models import Case, CaseLink, ReportedURL, Status, TimelineEvent
from registry.cases.rules import ensure_staff
from registry.cases.workflow import bump, lock, merge_perm


def link_cases(case_id: int, other_id: int, *, actor, now: datetime | None = None) -> CaseLink:
    """Mark two cases as related (both timelines record it)."""
    ensure_staff(actor)
    if int(case_id) == int(other_id):
        raise CaseError("invalid_link", "A case cannot be linked to itself.", "other")
    now = now or timezone.now()
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        other = lock(other_id, actor=actor, version=None)
        ensure_not_merged(case)
        ensure_not_merged(other)
        link, created = CaseLink.objects.get_or_create(
            from_case=case, to_case=other, defaults={"kind": CaseLink.Kind.RELATED, "created_by": actor}
        )
        if created:
            for a, b in ((case, other), (other, case)):
                TimelineEvent.objects.create(
                    case=a,
                    actor=actor,
                    kind=TimelineEvent.Kind.LINK,
                    message=f"Linked as related to {b.reference}.",
                    data={"case": b.pk},
                    at=now,
                )
    return link


def merge_cases(
    duplicate_id: int, primary_id: int, *, actor, version: int | None, now: datetime | None = None
) -> Case:
    """Merge a duplicate into a primary case: its reports, URLs and evidence move to the primary (evidence
    originals are untouched), it points to the primary and is closed as dismissed; both timelines
    record who merged which case when. Merging into a resolved or dismissed case needs the role that may
    reopen it (workflow.merge_perm); nothing merges into, or out of, a merged case."""
    ensure_staff(actor)
    if int(duplicate_id) == int(primary_id):
        raise CaseError("invalid_merge", "A case cannot be merged into itself.", "primary")
    now = now or timezone.now()
    with transaction.atomic():
        duplicate = lock(duplicate_id, actor=actor, version=version)
        primary = lock(primary_id, actor=actor, version=None)
        ensure_not_merged(duplicate)
        if duplicate.status in (Status.RESOLVED, Status.DISMISSED):
            raise CaseError("invalid_merge", "Only an open case can be merged into another.", "primary")
        if primary.duplicate_of_id:
            raise CaseError(
                "case_merged",
                f"{primary.reference} was merged into {primary.duplicate_of.reference}; "
                "merge into that case.",
                "primary",
                status=409,
            )
        if not actor.has_perm(merge_perm(primary)):
            raise NotAllowed(
                "forbidden_merge",
                f"{primary.reference} is {primary.get_status_display().lower()}: only someone who may reopen "
                "it (a supervisor) can merge another case into it.",
                "primary",
            )
        existing = set(primary.urls.values_list("normalized_url", flat=True))
        for url in duplicate.urls.all():
            if url.normalized_url in existing:
                continue
            ReportedURL.objects.filter(pk=url.pk).update(case=primary)
        duplicate.reports.update(case=primary)
        duplicate.evidence.update(case=primary)
        CaseLink.objects.update_or_create(
            from_case=duplicate,
            to_case=primary,
            defaults={"kind": CaseLink.Kind.DUPLICATE, "created_by": actor},
        )
        previous = duplicate.status
        bump(
            duplicate,
            duplicate.version,
            status=Status.DISMISSED,
            duplicate_of=primary,
            closed_at=now,
            dismissal_reason=f"Duplicate of {primary.reference}.",
        )
        bump(primary, primary.version, confidential=primary.confidential or duplicate.confidential)
        TimelineEvent.objects.create(
            case=duplicate,
            actor=actor,
            kind=TimelineEvent.Kind.MERGE,
            from_status=previous,
            to_status=Status.DISMISSED,
            message=f"Merged into {primary.reference} as a duplicate by {actor}.",
            data={"primary": primary.pk, "primary_reference": primary.reference, "by": actor.pk},
            at=now,
        )
        TimelineEvent.objects.create(
            case=primary,
            actor=actor,
            kind=TimelineEvent.Kind.MERGE,
            message=f"{duplicate.reference} was merged into this case by {actor} (its reports, URLs and "
            "evidence).",
            data={"duplicate": duplicate.pk, "duplicate_reference": duplicate.reference, "by": actor.pk},
            at=now,
        )
    return primary
