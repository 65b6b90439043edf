"""EXPLAIN (ANALYZE, BUFFERS) of the staff queue, the case list and case search on PostgreSQL.

    DEBUG=1 DATABASE_URL=postgres://…/registry_queue CASES=20000 TALENT=100000 python bench/explain_queue.py

Fills the database (once per size, bulk_create) with TALENT talent and CASES cases (70% closed, spread
over three years, 30% unassigned, one URL each), runs ANALYZE, then prints each query's plan and timing. It
only adds rows: use a database of its own. The summary goes into docs/performance-queue.md.
"""

import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role, grant_role  # noqa: E402
from registry.brands.models import Organization  # noqa: E402
from registry.cases import selectors  # noqa: E402
from registry.cases.models import OPEN_Q, Case, Platform, Priority, ReportedURL, Status  # noqa: E402
from registry.cases.search import TALENT_CANDIDATES  # noqa: E402
from registry.cases.selectors import QueueFilters  # noqa: E402
from registry.talent.models import TalentProfile, new_registry_id  # noqa: E402
from registry.talent.search import normalize_name  # noqa: E402

CASES = int(os.environ.get("CASES", "20000"))
TALENT = int(os.environ.get("TALENT", "100000"))
FIRST = (
    "Ana Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jonas Kofi Lauren Mateo Nadia Omar Priya Rosa".split()
)
SUMMARIES = ["Deepfake ad", "Face in banner", "Voice clone", "Unlicensed photo"]
LAST = (
    "Reyes Okafor Zimmermann Mitchell Taylor Nguyen Schmidt Rossi Kowalski Haddad Silva Jensen Park".split()
)


def fill():
    rng = random.Random(17)
    staff = []
    for i in range(8):
        user, created = User.objects.get_or_create(
            email=f"staff{i}@bench.example", defaults={"display_name": f"S{i}"}
        )
        if created:
            grant_role(user, Role.SUPERVISOR if i == 0 else Role.STAFF)
        staff.append(user)
    have = TalentProfile.objects.count()
    batch = []
    for i in range(have, TALENT):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}{'' if i % 3 else '-' + rng.choice(LAST)}"
        batch.append(
            TalentProfile(
                stage_name=name, search_name=normalize_name(name), registry_id=new_registry_id(), email=""
            )
        )
        if len(batch) == 5000:
            TalentProfile.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    TalentProfile.objects.bulk_create(batch, ignore_conflicts=True)
    orgs = [Organization.objects.get_or_create(name=f"Brand {i}")[0].pk for i in range(200)]
    talent_ids = list(TalentProfile.objects.values_list("pk", flat=True)[:50000])
    now = timezone.now()
    have = Case.objects.count()
    statuses = list(Status.values)
    while have < CASES:
        batch = []
        for i in range(have, min(CASES, have + 5000)):
            created = now - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            status = (
                rng.choice([Status.RESOLVED, Status.DISMISSED])
                if rng.random() < 0.7
                else rng.choice(statuses[:5])
            )
            priority = rng.choice(Priority.values)
            batch.append(
                Case(
                    status=status,
                    priority=priority,
                    talent_id=rng.choice(talent_ids) if rng.random() < 0.8 else None,
                    talent_name="" if rng.random() < 0.8 else f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    organization_id=rng.choice(orgs) if rng.random() < 0.5 else None,
                    organization_name=f"Shop {rng.randrange(5000)}",
                    platform=rng.choice(Platform.values),
                    summary=f"{rng.choice(SUMMARIES)} {i}",
                    description="Reported use of a likeness without a license. " * rng.randrange(1, 6),
                    assignee=rng.choice(staff) if rng.random() < 0.7 else None,
                    triage_due_at=created + timedelta(hours=rng.choice([4, 24, 72, 168])),
                    response_due_at=created + timedelta(days=14) if rng.random() < 0.3 else None,
                    outcome="removed" if status == Status.RESOLVED else "",
                    dismissal_reason="spam" if status == Status.DISMISSED else "",
                    created_at=created,
                )
            )
        made = Case.objects.bulk_create(batch)
        ReportedURL.objects.bulk_create(
            ReportedURL(
                case=c,
                url=f"https://shop{c.pk % 97}.example/p/{c.pk}",
                normalized_url=f"https://shop{c.pk % 97}.example/p/{c.pk}",
            )
            for c in made
        )
        have += len(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE cases_reportedurl")
        cursor.execute("VACUUM ANALYZE talent_talentprofile")
    return staff


def explain(label, qs, count=False):
    if count:
        qs = qs.order_by().values("pk")[:1001]
    sql, params = qs.query.sql_with_params()
    if count:
        sql = f"SELECT COUNT(*) FROM ({sql}) s"  # noqa: S608 (SQL compiled by Django)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    print(f"\n### {label}\n" + "\n".join(plan))


def main():
    staff = fill()
    supervisor, member = staff[0], staff[1]
    total, open_cases = Case.objects.count(), Case.objects.filter(OPEN_Q).count()
    print(f"cases={total} open={open_cases} talent={TalentProfile.objects.count()}")
    scenarios = [
        ("open, priority (default)", member, QueueFilters(status="open", sort="priority")),
        ("open, due", member, QueueFilters(status="open", sort="due")),
        ("open, newest", member, QueueFilters(status="open", sort="newest")),
        ("open, oldest", member, QueueFilters(status="open", sort="oldest")),
        ("open, updated", member, QueueFilters(status="open", sort="updated")),
        ("open, priority=high", member, QueueFilters(status="open", priority="high")),
        ("open, my cases, priority", member, QueueFilters(status="open", assignee="me")),
        ("open, unassigned, due", member, QueueFilters(status="open", assignee="none", sort="due")),
        ("open, platform=tiktok", member, QueueFilters(status="open", platform="tiktok")),
        ("open, overdue, due", member, QueueFilters(status="open", overdue=True, sort="due")),
        ("status=triage, priority", member, QueueFilters(status="triage")),
        ("closed, newest", supervisor, QueueFilters(status="closed", sort="newest")),
        ("all, priority", supervisor, QueueFilters(status="", sort="priority")),
    ]
    for label, user, filters in scenarios:
        qs = selectors.queue(user, filters)
        explain(f"page: {label}", qs[:50])
        explain(f"count: {label}", selectors.queue(user, filters), count=True)
    api = selectors.queue(
        member, QueueFilters(status="open", sort="due"), fields=selectors.API_FIELDS, counts=False
    )
    explain("API list: open, due", api[:25])
    case = Case.objects.filter(talent__isnull=False).select_related("talent").order_by("pk").first()
    for q in (
        "C-00042",
        case.talent.registry_id,
        "mitchell",
        "lauren zimmermann",
        "https://shop5.example/p/5",
        "shop5.example",
    ):
        explain(f"search q={q!r}", selectors.queue(member, QueueFilters(status="", q=q))[:50])
    for needle in ("mitchell", "lauren zimmermann"):
        explain(
            f"talent candidates for {needle!r}",
            TalentProfile.objects.filter(search_name__contains=needle)
            .filter(Exists(Case.objects.filter(talent_id=OuterRef("pk"))))
            .order_by()
            .values("pk")[:TALENT_CANDIDATES],
        )
    url = "https://shop5.example"
    under = (
        Q(normalized_url=url)
        | Q(normalized_url__startswith=url + "/")
        | Q(normalized_url__startswith=url + "?")
    )
    explain(
        f"URL candidates for {url!r}", ReportedURL.objects.filter(under).order_by().values("case_id")[:1000]
    )


if __name__ == "__main__":
    main()
