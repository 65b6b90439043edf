"""Reminders 30 and 7 days before a license or a term in the current signed version ends: each once."""

from datetime import date, timedelta

import pytest

from registry.brands.models import Organization
from registry.licensing import licenses
from registry.licensing.models import ExpiryReminder, License
from registry.licensing.tasks import send_expiry_reminders
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def license(acme_owner, talent):
    return License.objects.create(
        talent=talent,
        organization=Organization.objects.get(name="Acme Apparel"),
        use="advertising",
        modalities=["image"],
        territories=["US"],
        channels=["online"],
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 3, 31),
        description="Spring campaign photos for the online shop in the United States",
    )


def run(time_machine, day, mailoutbox, capture):
    time_machine.move_to(f"{day} 06:15:00Z", tick=False)
    before = len(mailoutbox)
    with capture(execute=True):
        send_expiry_reminders.delay()
    return mailoutbox[before:]


def test_license_reminders_30_and_7_days_before_each_once(
    license, talent_user, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    cap = django_capture_on_commit_callbacks
    assert run(time_machine, "2027-02-27", mailoutbox, cap) == []  # 32 days before
    sent = run(time_machine, "2027-03-01", mailoutbox, cap)  # 30 days before
    # one message per recipient: the brand never sees the talent's address
    assert all(license.license_id in m.subject and len(m.to) == 1 for m in sent)
    assert sorted(m.to[0] for m in sent) == sorted(["brand@example.org", talent_user.email])
    assert run(time_machine, "2027-03-01", mailoutbox, cap) == []  # beat ran twice: nothing more
    assert run(time_machine, "2027-03-10", mailoutbox, cap) == []
    sent = run(time_machine, "2027-03-24", mailoutbox, cap)  # 7 days before
    assert len(sent) == 2 and all("7 days" in m.body for m in sent)
    assert run(time_machine, "2027-03-25", mailoutbox, cap) == []
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True).order_by("days_before")) == [
        7,
        30,
    ]


def test_a_missed_day_is_caught_up_and_terminated_licenses_are_skipped(
    license, staff_user, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    cap = django_capture_on_commit_callbacks
    assert len(run(time_machine, "2027-03-05", mailoutbox, cap)) == 2  # 26 days left: the 30-day reminder
    time_machine.move_to("2027-03-06 10:00:00Z", tick=False)
    licenses.terminate(license_id=license.license_id, actor=staff_user, reason="Ended early by agreement")
    assert run(time_machine, "2027-03-26", mailoutbox, cap) == []


def test_term_reminders_only_for_the_current_version(
    time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    cap = django_capture_on_commit_callbacks
    time_machine.move_to("2026-01-01 00:00:00Z", tick=False)
    ending = TalentFactory(email="ending@example.org")
    sign_terms(ending, {"advertising": ADVERTISING_ALLOW})  # valid until 2027-12-31
    replaced = TalentFactory(email="replaced@example.org")
    sign_terms(replaced, {"advertising": ADVERTISING_ALLOW})
    later = {**ADVERTISING_ALLOW, "valid_until": "2029-12-31"}
    sign_terms(replaced, {"advertising": later}, effective_from=date(2027, 6, 1))
    sent = run(time_machine, "2027-12-01", mailoutbox, cap)  # 30 days before 2027-12-31
    assert [m.to for m in sent] == [["ending@example.org"]]
    assert "2027-12-31" in sent[0].subject
    assert run(time_machine, "2027-12-02", mailoutbox, cap) == []
    sent = run(time_machine, "2027-12-24", mailoutbox, cap)
    assert [m.to for m in sent] == [["ending@example.org"]]
    assert ExpiryReminder.objects.filter(kind="term").count() == 2


def test_beat_schedule_runs_the_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["licensing-expiry-reminders"]
    assert entry["task"] == "registry.licensing.tasks.send_expiry_reminders"
    assert entry["schedule"].remaining_estimate(entry["schedule"].now()) <= timedelta(days=1)


def test_withdrawn_talent_get_no_reminders_but_the_brand_still_does(
    license, talent, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "valid_until": "2027-03-31"}})
    talent.status = talent.Status.WITHDRAWN
    talent.save(update_fields=["status"])
    sent = run(time_machine, "2027-03-01", mailoutbox, django_capture_on_commit_callbacks)
    assert [m.to for m in sent] == [["brand@example.org"]]  # the license reminder, to the brand only
