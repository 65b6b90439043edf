"""Check log retention (docs/privacy.md): each check in full for the detail period, then daily counts."""

from datetime import UTC, date, datetime, timedelta

import pytest

from registry.brands import retention, selectors
from registry.brands.models import Organization, PermissionCheck, PermissionCheckDay
from registry.brands.tasks import roll_up_check_log
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)


def at(days_ago: int, hour: int = 12) -> datetime:
    day = TODAY - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def logged(org, talent, when: datetime, *, use="advertising", decision="permitted", n=1) -> None:
    for _ in range(n):
        row = PermissionCheck.objects.create(
            check_id=f"chk_{PermissionCheck.objects.count():024d}",
            organization=org,
            talent=talent,
            talent_registry_id=talent.registry_id,
            use=use,
            modality="image",
            territory="US",
            channel="online",
            as_of=when.date(),
            decision=decision,
        )
        PermissionCheck.objects.filter(pk=row.pk).update(checked_at=when)  # auto_now_add: set it afterwards


@pytest.fixture
def world(settings):
    settings.CHECK_LOG_DETAIL_DAYS = 90
    settings.CHECK_LOG_DAILY_DAYS = 365
    acme, globex = Organization.objects.create(name="Acme"), Organization.objects.create(name="Globex")
    ana, ben = TalentFactory(), TalentFactory()
    return acme, globex, ana, ben


def test_checks_past_the_detail_period_become_daily_counts_and_leave_the_log(world):
    acme, globex, ana, ben = world
    logged(acme, ana, at(120, 9), n=3)
    logged(acme, ana, at(120, 17))  # same UTC day, same group
    logged(acme, ana, at(120), decision="license_required", n=2)
    logged(globex, ana, at(120), use="ai_training", decision="denied")
    logged(acme, ben, at(91))
    logged(acme, ana, at(89))  # inside the promised period: kept in full
    logged(acme, ben, at(1))

    result = retention.roll_up(TODAY)

    assert result["checks_rolled_up"] == 8 and result["days"] == 2
    days = {
        (r.organization.name, r.talent_registry_id, r.day, r.use, r.decision): r.count
        for r in PermissionCheckDay.objects.select_related("organization")
    }
    day120, day91 = TODAY - timedelta(days=120), TODAY - timedelta(days=91)
    assert days == {
        ("Acme", ana.registry_id, day120, "advertising", "permitted"): 4,
        ("Acme", ana.registry_id, day120, "advertising", "license_required"): 2,
        ("Globex", ana.registry_id, day120, "ai_training", "denied"): 1,
        ("Acme", ben.registry_id, day91, "advertising", "permitted"): 1,
    }
    assert PermissionCheck.objects.count() == 2
    assert not PermissionCheck.objects.filter(checked_at__lt=retention.detail_cutoff(TODAY)).exists()
    # Idempotent: nothing left to roll up, the counts do not change.
    assert retention.roll_up(TODAY)["checks_rolled_up"] == 0
    assert sum(PermissionCheckDay.objects.values_list("count", flat=True)) == 8


def test_who_checked_me_and_brand_history_keep_the_promised_period(world):
    acme, _, ana, _ = world
    for days_ago in (0, 30, 89, 90, 91, 200):
        logged(acme, ana, at(days_ago, hour=0))
    retention.roll_up(TODAY)
    # 90 days in full: a check from 90 days ago (midnight UTC, the first moment kept) is still shown.
    kept = [c.checked_at for c in selectors.checks_about(ana)]
    assert kept == [at(d, hour=0) for d in (0, 30, 89, 90)]
    assert [c.checked_at for c in selectors.checks_by(acme)] == kept
    assert PermissionCheckDay.objects.filter(talent=ana).count() == 2


def test_a_day_rolled_up_twice_adds_to_its_counts(world):
    acme, _, ana, _ = world
    logged(acme, ana, at(100), n=2)
    retention.roll_up(TODAY)
    logged(acme, ana, at(100, 18))  # e.g. restored from a backup after the first roll-up
    retention.roll_up(TODAY)
    assert list(PermissionCheckDay.objects.values_list("count", flat=True)) == [3]


def test_daily_counts_past_the_daily_period_are_deleted(world):
    acme, _, ana, _ = world
    logged(acme, ana, at(90 + 366))
    logged(acme, ana, at(90 + 300))
    result = retention.roll_up(TODAY)
    assert result["daily_rows_deleted"] == 1
    assert list(PermissionCheckDay.objects.values_list("day", flat=True)) == [TODAY - timedelta(days=390)]


def test_the_nightly_task_runs_the_roll_up(world, time_machine):
    acme, _, ana, _ = world
    time_machine.move_to(datetime(2026, 11, 29, 3, 40, tzinfo=UTC), tick=False)
    logged(acme, ana, at(95))
    assert roll_up_check_log.delay().get()["checks_rolled_up"] == 1
    assert not PermissionCheck.objects.exists()


def test_beat_runs_the_roll_up_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["brands-roll-up-check-log"]
    assert entry["task"] == roll_up_check_log.name == "registry.brands.tasks.roll_up_check_log"
    assert entry["schedule"].remaining_estimate(entry["schedule"].now()) <= timedelta(days=1)
