"""The desk's figures: counts (my queue, overdue, unassigned, new today), workload per assignee, the
dashboard's charts, and each case's current deadline with its countdown. Aggregate queries only (a fixed
number whatever the number of cases); every figure has the queue filter that lists its cases."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone

from registry.cases.deadlines import overdue_q
from registry.cases.models import (
    AWAITING_STATUSES,
    OPEN_Q,
    OPEN_STATUSES,
    Platform,
    Priority,
    Status,
)
from registry.cases.selectors import OPENED, visible_cases
from registry.consent.vocab import Use
from registry.core.labels import in_sentence


def queue_url(**params) -> str:
    """The staff queue filtered by `params` (None values left out; "" kept: status="" means all)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return reverse("cases_staff:queue") + (f"?{query}" if query else "")


# --- a queue row ----------------------------------------------------------------------------------------


def row_title(case) -> str:
    """The title of a queue row without what the talent and platform columns already say: an intake summary
    ("Ada on Instagram by Shady") becomes "Shady · Advertising"; a summary written by staff stays."""
    who = case.talent.stage_name if case.talent_id else (case.talent_name or "Unknown talent")
    where = Platform(case.platform).label if case.platform else "unknown platform"
    summary = (case.summary or "").strip()
    automatic = f"{who} on {where}"
    if summary and not summary.lower().startswith(automatic.lower()):
        return summary
    rest = summary[len(automatic) :].strip()
    parts = [rest[3:].strip() if rest.startswith("by ") else rest]
    if case.use:
        parts.append(dict(Use.choices).get(case.use, ""))
    return " · ".join(p for p in parts if p) or "No suspected user named"


# --- a case's deadline -------------------------------------------------------------------------------------


def current_deadline(case) -> datetime | None:
    """The deadline the case is working to now: triage while new, the notice's response while awaiting one."""
    if case.status == Status.NEW:
        return case.triage_due_at
    if case.status in AWAITING_STATUSES:
        return case.response_due_at
    return None


def countdown(due: datetime | None, now: datetime) -> str:
    """ "due in 3 h", "due in 2 d", "due in 40 min"; "" when there is no deadline or it has passed."""
    if due is None or due <= now:
        return ""
    left = due - now
    minutes = int(left.total_seconds() // 60)
    if minutes < 60:
        return f"due in {max(minutes, 1)} min"
    if minutes < 48 * 60:
        return f"due in {minutes // 60} h"
    return f"due in {left.days} d"


# --- counts and workload --------------------------------------------------------------------------------


def desk_counts(user, *, now: datetime | None = None) -> list[dict]:
    """My queue, overdue, unassigned and new today: one aggregate query; each with its queue link."""
    now = now or timezone.now()
    today = OPENED["today"](now)
    figures = visible_cases(user).aggregate(
        mine=Count("pk", filter=OPEN_Q & Q(assignee=user)),
        overdue=Count("pk", filter=OPEN_Q & overdue_q(now)),
        unassigned=Count("pk", filter=OPEN_Q & Q(assignee__isnull=True)),
        new_today=Count("pk", filter=Q(created_at__gte=today)),
    )
    return [
        {
            "key": "mine",
            "label": "My queue",
            "count": figures["mine"],
            "url": queue_url(status="open", assignee="me", sort="due"),
        },
        {
            "key": "overdue",
            "label": "Overdue",
            "count": figures["overdue"],
            "url": queue_url(status="open", overdue="on", sort="due"),
        },
        {
            "key": "unassigned",
            "label": "Unassigned",
            "count": figures["unassigned"],
            "url": queue_url(status="open", assignee="none"),
        },
        {
            "key": "new_today",
            "label": "New today",
            "count": figures["new_today"],
            "url": queue_url(status="", opened="today", sort="newest"),
        },
    ]


def workload(user) -> list[dict]:
    """Open cases per assignee (most first, unassigned last): one grouped query; each a queue link."""
    rows = (
        visible_cases(user)
        .filter(OPEN_Q)
        .values("assignee", "assignee__display_name", "assignee__email")
        .annotate(n=Count("pk"))
        .order_by()
    )
    peak = max([r["n"] for r in rows] + [1])
    out = []
    for r in rows:
        assigned = r["assignee"] is not None
        out.append(
            {
                "key": r["assignee"],
                "label": (r["assignee__display_name"] or r["assignee__email"]) if assigned else "Unassigned",
                "count": r["n"],
                "pct": round(100 * r["n"] / peak, 1),
                "url": queue_url(status="open", assignee=str(r["assignee"]) if assigned else "none"),
            }
        )
    for bar in out:
        whose = f"assigned to {bar['label']}" if bar["key"] is not None else "not assigned to anyone"
        bar["name"] = f"{cases_phrase(bar['count'], 'open case')} {whose}"
    return sorted(out, key=lambda b: (b["key"] is None, -b["count"], b["label"].lower()))


# --- dashboard ------------------------------------------------------------------------------------------


def _median_hours(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 3600, 1)


def cases_phrase(n: int, what: str = "case") -> str:
    """ "1 open case", "12 open cases" (`what` is the noun with its adjective)."""
    return f"{n} {what}{'' if n == 1 else 's'}"


def _bars(
    counter: dict, labels: dict | None = None, order: list | None = None, link=None, name=None
) -> list[dict]:
    """Bars of a chart; `link(key)` gives the queue filter of one bar (None: the bar is not a link) and
    `name(label, count)` its accessible name ("12 new cases in the week of 2 Nov")."""
    keys = order if order is not None else sorted(counter, key=lambda k: (-counter[k], str(k)))
    peak = max([counter.get(k, 0) for k in keys] + [1])
    bars = []
    for k in keys:
        label = (labels or {}).get(k, k) or "Not given"
        count = counter.get(k, 0)
        bars.append(
            {
                "key": k,
                "label": label,
                "count": count,
                "pct": round(100 * count / peak, 1),
                "url": link(k) if link else None,
                "name": name(label, count) if name else f"{label}: {count}",
            }
        )
    return bars


def dashboard_stats(user, *, now: datetime | None = None, weeks: int = 12) -> dict:
    """Open cases by status and priority, overdue, new per week, medians, by platform and use, workload."""
    now = now or timezone.now()
    cases = visible_cases(user)
    open_cases = cases.filter(OPEN_Q)
    by_status = dict(open_cases.values_list("status").annotate(n=Count("pk")).order_by())
    by_priority = dict(open_cases.values_list("priority").annotate(n=Count("pk")).order_by())
    by_platform = dict(cases.values_list("platform").annotate(n=Count("pk")).order_by())
    by_use = dict(cases.values_list("use").annotate(n=Count("pk")).order_by())
    since = now - timedelta(weeks=weeks)
    start_of_week = timezone.localtime(now).date() - timedelta(days=timezone.localtime(now).weekday())
    week_starts = [start_of_week - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    per_week = Counter()
    for week, n in (
        cases.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        per_week[timezone.localtime(week).date() if isinstance(week, datetime) else week] += n
    year_ago = now - timedelta(days=365)
    triage = [
        t - c
        for c, t in cases.filter(triaged_at__isnull=False, created_at__gte=year_ago).values_list(
            "created_at", "triaged_at"
        )
    ]
    resolution = [
        t - c
        for c, t in cases.filter(
            status=Status.RESOLVED, closed_at__isnull=False, created_at__gte=year_ago
        ).values_list("created_at", "closed_at")
    ]
    open_statuses = [s for s in Status.values if s in OPEN_STATUSES]
    return {
        "open_total": sum(by_status.values()),
        "open_url": queue_url(status="open"),
        "overdue": open_cases.filter(overdue_q(now)).count(),
        "overdue_url": queue_url(status="open", overdue="on", sort="due"),
        "new_this_week": cases.filter(created_at__gte=OPENED["week"](now)).count(),
        "new_this_week_url": queue_url(status="", opened="week", sort="newest"),
        "by_status": _bars(
            by_status,
            dict(Status.choices),
            open_statuses,
            lambda k: queue_url(status=k),
            lambda label, n: f"{cases_phrase(n, 'open case')} with status {label}",
        ),
        "by_priority": _bars(
            by_priority,
            dict(Priority.choices),
            list(Priority.values),
            lambda k: queue_url(status="open", priority=k),
            lambda label, n: f"{cases_phrase(n, 'open case')} of {label.lower()} priority",
        ),
        "by_platform": _bars(
            by_platform,
            dict(Platform.choices),
            link=lambda k: queue_url(status="", platform=k) if k else None,
            name=lambda label, n: f"{cases_phrase(n)} on {label}",
        ),
        "by_use": _bars(
            by_use,
            {**dict(Use.choices), "": "Not determined"},
            link=lambda k: queue_url(status="", use=k) if k else None,
            name=lambda label, n: (
                f"{cases_phrase(n)} about {in_sentence(label)}"
                if label != "Not determined"
                else f"{cases_phrase(n)} with no use determined"
            ),
        ),
        "per_week": _bars(
            per_week,
            {w: f"{w.day} {w:%b}" for w in week_starts},
            week_starts,
            lambda w: queue_url(status="", week=w.isoformat(), sort="newest"),
            lambda label, n: f"{cases_phrase(n, 'new case')} in the week of {label}",
        ),
        "median_triage_hours": _median_hours(triage),
        "median_resolution_hours": _median_hours(resolution),
        "workload": workload(user),
    }
