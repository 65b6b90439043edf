"""Routing of a report (run by enrichment): join an open case about the same content, or open a new one."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from registry.cases import deadlines, notify
from registry.cases.models import (
    OPEN_STATUSES,
    Case,
    MisuseReport,
    Platform,
    Priority,
    ReportedURL,
    Status,
    TimelineEvent,
)
from registry.cases.urlnorm import normalize_url
from registry.cases.workflow import bump


def route_report(report: MisuseReport, *, now: datetime | None = None) -> Case:
    """Attach the report to an open case about the same content (by normalised URL), or open a new case."""
    now = now or timezone.now()
    if report.case_id:
        return report.case
    normalized = [normalize_url(u) for u in report.urls]
    match = (
        ReportedURL.objects.filter(normalized_url__in=normalized, case__status__in=list(OPEN_STATUSES))
        .select_related("case")
        .order_by("case__created_at", "case_id")
        .first()
    )
    if match is not None:
        case = match.case
        _attach(report, case, match.normalized_url, now)
    else:
        case = _open_case(report, now)
    for original, norm in zip(report.urls, normalized, strict=True):
        ReportedURL.objects.get_or_create(
            case=case, normalized_url=norm, defaults={"url": original[:2000], "report": report}
        )
    report.evidence.update(case=case)
    report.case = case
    report.routed_at = now
    report.save(update_fields=["case", "routed_at"])
    return case


def _summary(report: MisuseReport) -> str:
    who = report.talent.stage_name if report.talent_id else (report.talent_text or "Unknown talent")
    where = Platform(report.platform).label if report.platform else "unknown platform"
    by = (
        f" by {report.organization.name if report.organization_id else report.organization_text}"
        if (report.organization_id or report.organization_text)
        else ""
    )
    return f"{who} on {where}{by}"[:200]


def _open_case(report: MisuseReport, now: datetime) -> Case:
    priority = Priority.URGENT if report.sensitive else Priority.NORMAL
    case = Case.objects.create(
        status=Status.NEW,
        priority=priority,
        confidential=report.sensitive,
        talent=report.talent,
        talent_name="" if report.talent_id else report.talent_text,
        organization=report.organization,
        organization_name="" if report.organization_id else report.organization_text,
        platform=report.platform or Platform.OTHER,
        use=report.use,
        product_category=report.product_category,
        seen_on=report.seen_on,
        summary=_summary(report),
        description=report.description,
        triage_due_at=deadlines.triage_due(report.created_at, priority),
        created_at=report.created_at,
    )
    TimelineEvent.objects.create(
        case=case,
        actor=report.reporter,
        kind=TimelineEvent.Kind.REPORTED,
        to_status=Status.NEW,
        message=f"Reported ({report.get_relationship_display().lower()}).",
        data={"report": report.pk, "urls": len(report.urls)},
        at=report.created_at,
    )
    if case.talent_id:
        transaction.on_commit(lambda: notify.notify_talent_of_case(case))
    return case


def _attach(report: MisuseReport, case: Case, matched_url: str, now: datetime) -> None:
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        fill: dict = {}
        if not locked.talent_id and report.talent_id:
            fill.update(talent=report.talent, talent_name="")
        if not locked.organization_id and report.organization_id:
            fill.update(organization=report.organization, organization_name="")
        if not locked.seen_on and report.seen_on:
            fill["seen_on"] = report.seen_on
        if not locked.use and report.use:
            fill["use"] = report.use
        if not locked.product_category and report.product_category:
            fill["product_category"] = report.product_category
        if report.sensitive and not locked.confidential:
            fill["confidential"] = True
        if fill:
            bump(locked, locked.version, **fill)
        if "talent" in fill:
            transaction.on_commit(lambda: notify.notify_talent_of_case(locked))
        TimelineEvent.objects.create(
            case=case,
            actor=report.reporter,
            kind=TimelineEvent.Kind.REPORT_ATTACHED,
            message=f"A further report about the same content joined this case (matching URL {matched_url}).",
            data={"report": report.pk, "matched_url": matched_url},
            at=now,
        )
    case.refresh_from_db()
