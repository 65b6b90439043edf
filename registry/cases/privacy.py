"""Cases' part of a data export (cases about the talent, reports they filed) and of a closure (the reports
they filed lose their contact details; cases are kept as the union's records)."""

from __future__ import annotations

from django.db.models import Prefetch

from registry.cases.models import Case, Message, MisuseReport, ReportedURL
from registry.cases.selectors import PUBLIC_STATUS
from registry.core.personal_data import Closure, Export
from registry.talent.models import TalentProfile

EXPORT_ORDER = 50
ERASE_ORDER = 30


def export(talent: TalentProfile, context: Export) -> dict:
    cases = _cases(talent)
    context.include_access_to("cases.case", [c.pk for c in cases])
    return {"cases": [_case_doc(c) for c in cases], "reports_filed": _reports_filed(talent)}


def _cases(talent: TalentProfile) -> list[Case]:
    """Cases about the talent: status, dates and public messages. Never internal notes, evidence, the
    timeline or who reported it."""
    return list(
        Case.objects.filter(talent=talent)
        .select_related("duplicate_of")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.order_by("created_at", "pk")),
            Prefetch("urls", queryset=ReportedURL.objects.order_by("created_at", "pk")),
        )
        .order_by("created_at", "pk")
    )


def _case_doc(case: Case) -> dict:
    return {
        "reference": case.reference,
        "status": case.status,
        "status_label": PUBLIC_STATUS.get(case.status, case.get_status_display()),
        "platform": case.platform,
        "use": case.use,
        "seen_on": case.seen_on,
        "opened_at": case.created_at,
        "closed_at": case.closed_at,
        "outcome": case.outcome,
        "merged_into": case.duplicate_of.reference if case.duplicate_of_id else None,
        "urls": [
            {"url": u.url, "status": u.status, "last_checked_at": u.last_checked_at} for u in case.urls.all()
        ],
        "messages": [{"at": m.created_at, "body": m.body} for m in case.messages.all()],
    }


def _reports_filed(talent: TalentProfile) -> list[dict]:
    """Misuse reports the talent filed themself (about anyone): what they wrote, and the case's status."""
    if talent.user_id is None:
        return []
    reports = (
        MisuseReport.objects.filter(reporter_id=talent.user_id)
        .select_related("case__duplicate_of")
        .order_by("created_at", "pk")
    )
    return [
        {
            "filed_at": r.created_at,
            "reporter_name": r.reporter_name,
            "reporter_email": r.reporter_email,
            "relationship": r.relationship,
            "talent": r.talent_text,
            "organization": r.organization_text,
            "platform": r.platform,
            "use": r.use,
            "territory": r.territory,
            "seen_on": r.seen_on,
            "description": r.description,
            "urls": r.urls,
            "submitted_ip": r.submitted_ip,
            "case": _public_case(r).reference if r.case_id else None,
            "case_status": PUBLIC_STATUS[_public_case(r).status if r.case_id else "received"],
        }
        for r in reports
    ]


def _public_case(report: MisuseReport) -> Case:
    """The case a reporter follows: the case itself, or the one it was merged into."""
    case = report.case
    return case.duplicate_of if case.duplicate_of_id else case


def preview(talent: TalentProfile) -> dict:
    return {"cases": Case.objects.filter(talent=talent).count()}


def erase(talent: TalentProfile, *, actor, closure: Closure) -> dict:
    """Reports the talent filed stay with their cases, without the contact details of a closed account."""
    if talent.user_id is None:
        return {}
    erased = MisuseReport.objects.filter(reporter_id=talent.user_id).update(
        reporter_name="", reporter_email="", submitted_ip=None
    )
    return {"reporter_contacts_erased": erased}
