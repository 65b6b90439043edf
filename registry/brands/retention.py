"""Retention of the permission-check log (docs/privacy.md): each check in full for the detail period, then
daily counts; the nightly beat task `registry.brands.tasks.roll_up_check_log` runs `roll_up`.

A day is rolled up in one transaction: its checks are counted into `PermissionCheckDay` (added to any count
already there) and deleted, so a crash leaves the day either wholly in the log or wholly counted. Days are
in UTC (the log's `checked_at`). Daily counts older than the daily period are deleted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from registry.brands.models import PermissionCheck, PermissionCheckDay

GROUP = ("organization_id", "talent_id", "talent_registry_id", "use", "decision")


def detail_days() -> int:
    return settings.CHECK_LOG_DETAIL_DAYS


def detail_cutoff(today: date | None = None) -> datetime:
    """Checks before this moment (midnight UTC, `detail_days` ago) leave the log."""
    today = today or timezone.now().astimezone(UTC).date()
    return datetime.combine(today - timedelta(days=detail_days()), time.min, tzinfo=UTC)


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


@transaction.atomic
def roll_up_day(day: date) -> int:
    """Count one UTC day's checks into daily rows and delete them. Returns how many checks were rolled up."""
    start, end = _bounds(day)
    checks = PermissionCheck.objects.filter(checked_at__gte=start, checked_at__lt=end)
    groups = list(checks.order_by().values(*GROUP).annotate(n=Count("pk")))
    if not groups:
        return 0
    existing = {
        tuple(getattr(row, f) for f in GROUP): row for row in PermissionCheckDay.objects.filter(day=day)
    }
    new, changed = [], []
    for group in groups:
        key = tuple(group[f] for f in GROUP)
        if key in existing:
            existing[key].count += group["n"]
            changed.append(existing[key])
        else:
            new.append(PermissionCheckDay(day=day, count=group["n"], **{f: group[f] for f in GROUP}))
    PermissionCheckDay.objects.bulk_create(new, batch_size=1000)
    PermissionCheckDay.objects.bulk_update(changed, ["count"], batch_size=1000)
    deleted, _ = checks.delete()
    return deleted


def roll_up(today: date | None = None, *, max_days: int = 366) -> dict:
    """Roll up every day before the detail cutoff (the oldest first, at most `max_days` per run) and delete
    daily counts past the daily period. Idempotent: a second run finds nothing to do."""
    cutoff = detail_cutoff(today)
    rolled = days = 0
    while days < max_days:
        oldest = PermissionCheck.objects.filter(checked_at__lt=cutoff).aggregate(first=Min("checked_at"))
        if oldest["first"] is None:
            break
        rolled += roll_up_day(oldest["first"].astimezone(UTC).date())
        days += 1
    expired_before = cutoff.date() - timedelta(days=settings.CHECK_LOG_DAILY_DAYS)
    expired, _ = PermissionCheckDay.objects.filter(day__lt=expired_before).delete()
    return {"checks_rolled_up": rolled, "days": days, "daily_rows_deleted": expired}
