"""Reads with rules: which cases a person may see, the staff queue, a case page, tracking, dashboards."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from registry.cases.deadlines import overdue_q
from registry.cases.models import (
    CLOSED_STATUSES,
    OPEN_Q,
    PRIORITY_RANK,
    Case,
    CaseLink,
    Evidence,
    EvidenceMatch,
    Message,
    MisuseReport,
    Note,
    Notice,
    Outcome,
    Platform,
    Priority,
    ReportedURL,
    Status,
    TimelineEvent,
    hash_tracking_code,
)
from registry.cases.search import search_q
from registry.cases.urlnorm import normalize_url
from registry.consent.vocab import Use


def visible_cases(user) -> QuerySet[Case]:
    """Staff see every case except confidential ones, which only supervisors and the assignee see.

    The one rule for "may this user see this case": the `cases.view_case` permission asks it of one case.
    """
    if user is None or not user.has_perm("cases.work_cases"):
        return Case.objects.none()
    if user.has_perm("cases.supervise_cases"):
        return Case.objects.all()
    return Case.objects.filter(Q(confidential=False) | Q(assignee=user))


def can_see(user, case) -> bool:
    """Whether `user` may see `case` (visible_cases asked of one case, read fresh: used at send time)."""
    return case is not None and visible_cases(user).filter(pk=case.pk).exists()


def hidden_case_ids(user) -> set[int]:
    """Cases the user may not see (a short list for staff: confidential cases of others)."""
    if user is not None and user.has_perm("cases.supervise_cases"):
        return set()
    return set(Case.objects.exclude(pk__in=visible_cases(user)).values_list("pk", flat=True))


# timeline events point at other cases through these keys of `data` (links and merges)
CASE_KEYS = ("case", "primary", "duplicate")


def naming_hidden_cases_q(hidden: set[int]) -> Q:
    """Timeline events that name one of the `hidden` cases (exclude them, or redact their message)."""
    if not hidden:
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for key in CASE_KEYS:
        q |= Q(**{f"data__{key}__in": sorted(hidden)})
    return q


def _names_hidden(event: TimelineEvent, hidden: set[int]) -> bool:
    data = event.data if isinstance(event.data, dict) else {}
    return any(data.get(key) in hidden for key in CASE_KEYS)


def _hide_other_cases(case: Case, user) -> Case:
    """Take out of a loaded case page every mention of a case the viewer may not see: links, image
    matches ("also seen in"), the merged-into banner and timeline entries naming one."""
    hidden = hidden_case_ids(user)
    case.duplicate_of_hidden = bool(case.duplicate_of_id and case.duplicate_of_id in hidden)
    if not hidden:
        return case
    cache = case._prefetched_objects_cache
    cache["links_out"] = [link for link in case.links_out.all() if link.to_case_id not in hidden]
    cache["links_in"] = [link for link in case.links_in.all() if link.from_case_id not in hidden]
    for event in case.timeline.all():
        if _names_hidden(event, hidden):
            event.message = "A change involving a case you cannot see."
            event.data = {k: v for k, v in event.data.items() if k not in CASE_KEYS}
    for item in case.evidence.all():
        item._prefetched_objects_cache["matches"] = [
            m
            for m in item.matches.all()
            if m.other_evidence_id is None or m.other_evidence.case_id not in hidden
        ]
        item._prefetched_objects_cache["matched_by"] = [
            m for m in item.matched_by.all() if m.evidence.case_id not in hidden
        ]
    return case


def start_of_today(now: datetime) -> datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


# the queue's "opened" filter: since when
def local_midnight(day: date) -> datetime:
    """The start of `day` in the site's time zone (the weeks of the dashboard are local weeks)."""
    return timezone.make_aware(datetime.combine(day, time.min))


OPENED = {"today": start_of_today, "week": lambda now: now - timedelta(days=7)}

SORTS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "priority": ("priority_rank", "-created_at", "-pk"),
    "due": ("due_at", "priority_rank", "pk"),
    "updated": ("-updated_at", "-pk"),
}

# The columns each reader of the queue shows (never a whole joined row: no password hash of the assignee).
PAGE_FIELDS = (
    "id",
    "status",
    "priority",
    "confidential",
    "summary",
    "talent_id",
    "talent_name",
    "platform",
    "use",
    "assignee_id",
    "due_at",
    "triage_due_at",
    "response_due_at",
    "talent__stage_name",
    "assignee__display_name",
    "assignee__email",
)
API_FIELDS = (
    *PAGE_FIELDS,
    "suggested_priority",
    "organization_id",
    "organization_name",
    "product_category",
    "seen_on",
    "outcome",
    "version",
    "created_at",
    "updated_at",
    "talent__registry_id",
    "organization__name",
)
EXPORT_COLUMNS = (*API_FIELDS, "triaged_at", "closed_at")


@dataclass
class QueueFilters:
    status: str = ""  # a status, "open" (default view), "closed" or "" for all
    priority: str = ""
    assignee: str = ""  # a user id, "me" or "none"
    platform: str = ""
    use: str = ""
    overdue: bool = False
    q: str = ""
    sort: str = "priority"
    opened: str = ""  # "today" (since local midnight) or "week" (the last 7 days)
    week: date | None = None  # opened in the calendar week starting that day (the dashboard's weekly bars)


def queue(
    user,
    filters: QueueFilters,
    *,
    now: datetime | None = None,
    fields: tuple[str, ...] = PAGE_FIELDS,
    counts: bool = True,
) -> QuerySet[Case]:
    """The staff queue: filtered, searched, sorted by stored, indexed keys (priority_rank, due_at), reading
    only `fields` (with their joins) and, when `counts`, the evidence and match counts of the rows read. Every
    filter and sort has an index (Case.Meta.indexes); a fixed number of queries."""
    now = now or timezone.now()
    qs = visible_cases(user)
    f = filters
    if f.status == "open":
        qs = qs.filter(OPEN_Q)
    elif f.status == "closed":
        qs = qs.filter(status__in=sorted(CLOSED_STATUSES))
    elif f.status in Status.values:
        qs = qs.filter(status=f.status)
    if f.priority in Priority.values:
        qs = qs.filter(priority_rank=PRIORITY_RANK[f.priority])  # the indexed key, same meaning
    if f.assignee == "me":
        qs = qs.filter(assignee=user)
    elif f.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee.isascii() and f.assignee.isdigit():
        # An id no bigint can hold matches nobody (PostgreSQL would refuse the comparison).
        qs = qs.filter(assignee_id=int(f.assignee)) if int(f.assignee) < 2**63 else qs.none()
    if f.platform in Platform.values:
        qs = qs.filter(platform=f.platform)
    if f.use in Use.values:
        qs = qs.filter(use=f.use)
    if f.overdue:
        qs = qs.filter(overdue_q(now))
    if f.q.strip():
        qs = qs.filter(search_q(f.q.strip()))
    if f.opened in OPENED:
        qs = qs.filter(created_at__gte=OPENED[f.opened](now))
    if f.week is not None:
        qs = qs.filter(
            created_at__gte=local_midnight(f.week), created_at__lt=local_midnight(f.week + timedelta(days=7))
        )
    joins = sorted({name.split("__")[0] for name in fields if "__" in name})
    qs = qs.select_related(*joins).only(*fields)
    qs = qs.annotate(is_overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField()))
    if counts:
        qs = qs.annotate(
            evidence_count=Coalesce(
                Subquery(
                    Evidence.objects.filter(case=OuterRef("pk"))
                    .order_by()
                    .values("case")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
            match_count=Coalesce(
                Subquery(
                    EvidenceMatch.objects.filter(evidence__case=OuterRef("pk"))
                    .order_by()
                    .values("evidence__case")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
        )
    return qs.order_by(*SORTS.get(f.sort, SORTS["priority"]))


def case_page(user, pk: int) -> Case | None:
    """One case with everything its staff page shows, in a fixed number of queries; other cases are named
    only when the viewer may see them."""
    case = (
        visible_cases(user)
        .select_related("talent", "organization", "assignee", "duplicate_of", "license_request")
        .prefetch_related(
            "watchers",
            Prefetch("timeline", queryset=TimelineEvent.objects.select_related("actor")),
            Prefetch("notes", queryset=case_notes_qs()),
            Prefetch("messages", queryset=Message.objects.select_related("author")),
            Prefetch("urls", queryset=ReportedURL.objects.order_by("created_at", "pk")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("uploaded_by").prefetch_related(
                    Prefetch(
                        "matches",
                        queryset=EvidenceMatch.objects.select_related(
                            "reference_media__talent", "other_evidence__case"
                        ),
                    ),
                    Prefetch("matched_by", queryset=EvidenceMatch.objects.select_related("evidence__case")),
                ),
            ),
            Prefetch(
                "reports", queryset=MisuseReport.objects.select_related("reporter", "talent", "organization")
            ),
            Prefetch("notices", queryset=case_notices_qs()),
            Prefetch("links_out", queryset=CaseLink.objects.select_related("to_case")),
            Prefetch("links_in", queryset=CaseLink.objects.select_related("from_case")),
        )
        .filter(pk=pk)
        .first()
    )
    return _hide_other_cases(case, user) if case is not None else None


def case_notes_qs() -> QuerySet[Note]:
    return Note.objects.select_related("author")


def case_notices_qs() -> QuerySet[Notice]:
    return Notice.objects.select_related("sent_by", "template")


def visible_evidence(user) -> QuerySet[Evidence]:
    return Evidence.objects.filter(case__in=visible_cases(user)).select_related("case")


def cases_about(talent) -> QuerySet[Case]:
    """Cases about a talent, for their dashboard (status and public facts only: no notes, no evidence)."""
    if talent is None:
        return Case.objects.none()
    return (
        Case.objects.filter(talent=talent, duplicate_of__isnull=True)
        .only(
            "pk", "status", "platform", "seen_on", "created_at", "updated_at", "outcome", "talent_id", "use"
        )
        .annotate(message_count=Count("messages"))
        .order_by("-created_at")
    )


def reports_by(user) -> QuerySet[MisuseReport]:
    if not getattr(user, "is_authenticated", False):
        return MisuseReport.objects.none()
    return (
        MisuseReport.objects.filter(reporter=user)
        .select_related("case__duplicate_of")
        .order_by("-created_at")
    )


# --- tracking (holder of the code) ----------------------------------------------------------------

PUBLIC_STATUS = {
    "received": "Received: we will review it shortly",
    Status.NEW: "Received: waiting for review",
    Status.TRIAGE: "Being reviewed by union staff",
    Status.INVESTIGATING: "Under investigation",
    Status.NOTICE_SENT: "Notice sent: waiting for a response",
    Status.AWAITING_RESPONSE: "Notice sent: waiting for a response",
    Status.ESCALATED: "Referred to the union's legal team",
    Status.RESOLVED: "Resolved",
    Status.DISMISSED: "Closed",
}


def report_for_code(code: str) -> MisuseReport | None:
    """The report a tracking code belongs to (looked up by hash, confirmed in constant time)."""
    if not code or len(code) > 200:
        return None
    digest = hash_tracking_code(code)
    report = MisuseReport.objects.select_related("case__duplicate_of").filter(tracking_hash=digest).first()
    if report is None or not hmac.compare_digest(report.tracking_hash, digest):
        return None
    return report


def public_case(report: MisuseReport) -> Case | None:
    case = report.case
    while case is not None and case.duplicate_of_id:
        case = case.duplicate_of
    return case


def tracking_status(report: MisuseReport) -> dict:
    """What a reporter sees: status, dates, public messages, their URLs. Never notes, evidence or other
    reporters."""
    case = public_case(report)
    status = case.status if case else "received"
    label = PUBLIC_STATUS[status]
    if case and case.status == Status.RESOLVED and case.outcome:
        label += f": {Outcome(case.outcome).label.split(' (')[0].lower()}"
    messages = list(case.messages.order_by("created_at", "pk").values("created_at", "body")) if case else []
    url_status = dict(case.urls.values_list("normalized_url", "status")) if case else {}
    return {
        "reference": case.reference if case else None,
        "status": status,
        "status_label": label,
        "submitted_at": report.created_at,
        "updated_at": max([case.updated_at, *[m["created_at"] for m in messages]])
        if case
        else report.created_at,
        "messages": [{"at": m["created_at"], "body": m["body"]} for m in messages],
        "urls": [
            {
                "url": url,
                "status": url_status.get(normalize_url(url), ReportedURL.Status.REPORTED),
                "status_label": ReportedURL.Status(
                    url_status.get(normalize_url(url), ReportedURL.Status.REPORTED)
                ).label,
            }
            for url in report.urls
        ],
    }


EXPORT_FIELDS = [
    ("reference", "Reference"),
    ("status", "Status"),
    ("priority", "Priority"),
    ("confidential", "Confidential"),
    ("talent", "Talent"),
    ("registry_id", "Registry ID"),
    ("organization", "Suspected user"),
    ("platform", "Platform"),
    ("use", "Use"),
    ("seen_on", "Seen on"),
    ("summary", "Summary"),
    ("assignee", "Assignee"),
    ("created_at", "Opened"),
    ("triaged_at", "Triaged"),
    ("closed_at", "Closed"),
    ("outcome", "Outcome"),
    ("urls", "URLs"),
]


def export_rows(user, filters: QueueFilters, *, now=None):
    """Rows for the CSV export (the queue's filters apply)."""
    qs = queue(user, filters, now=now, fields=EXPORT_COLUMNS, counts=False).prefetch_related(
        Prefetch("urls", queryset=ReportedURL.objects.order_by("pk"))
    )
    for c in qs.iterator(chunk_size=500):
        yield {
            "reference": c.reference,
            "status": c.status,
            "priority": c.priority,
            "confidential": "yes" if c.confidential else "no",
            "talent": c.talent.stage_name if c.talent_id else c.talent_name,
            "registry_id": c.talent.registry_id if c.talent_id else "",
            "organization": c.organization.name if c.organization_id else c.organization_name,
            "platform": c.platform,
            "use": c.use,
            "seen_on": c.seen_on.isoformat() if c.seen_on else "",
            "summary": c.summary,
            "assignee": c.assignee.email if c.assignee_id else "",
            "created_at": c.created_at.isoformat(),
            "triaged_at": c.triaged_at.isoformat() if c.triaged_at else "",
            "closed_at": c.closed_at.isoformat() if c.closed_at else "",
            "outcome": c.outcome,
            "urls": " ".join(u.normalized_url for u in c.urls.all()),
        }
