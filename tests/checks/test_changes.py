"""The change feed (product.md §5): a revocation, a new version, a termination and an expiry each appear
once, in order, to a brand that polls again and again with cursors; only what is in its scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registry.brands import retention
from registry.brands.models import PermissionCheck, PermissionCheckDay
from registry.checks import changes, tasks
from registry.checks.models import Change
from registry.licensing.models import LicenseRequest
from tests.brands.helpers import org
from tests.checks.changes_helpers import (
    brand_key,
    check,
    license_for,
    new_version,
    page,
    poll,
    revoke,
    terminate,
)
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


def test_each_change_appears_once_in_order_across_repeated_polling(api_client):
    acme = brand_key("Acme Apparel")
    ana = TalentFactory(stage_name="Ana Reyes")
    ana_id = ana.registry_id
    v1 = new_version(ana)
    check(api_client, acme, ana)

    seen, cursor = poll(api_client, acme, None)
    assert seen == [("terms_signed", ana_id, v1.number)]
    again, same = poll(api_client, acme, cursor)
    assert (again, same) == ([], cursor)  # nothing new: the same cursor comes back

    revoked = revoke(ana)
    more, cursor = poll(api_client, acme, cursor)
    seen += more
    v3 = new_version(ana, territories=["US"])
    current = license_for(ana, "Acme Apparel")
    lapsing = license_for(
        ana, "Acme Apparel", valid_until=timezone.localdate() - timedelta(days=1), ref="p 2"
    )
    more, cursor = poll(api_client, acme, cursor)
    seen += more
    terminate(current)
    assert tasks.record_license_expiries.delay().get() == 1  # the beat task
    assert changes.record_license_expiries() == 0  # once only
    for _ in range(3):  # repeated polling with the latest cursor
        more, cursor = poll(api_client, acme, cursor, limit=1)
        seen += more

    assert seen == [
        ("terms_signed", ana_id, v1.number),
        ("terms_revoked", ana_id, revoked.number),
        ("terms_signed", ana_id, v3.number),
        ("license_issued", ana_id, current.license_id),
        ("license_issued", ana_id, lapsing.license_id),
        ("license_terminated", ana_id, current.license_id),
        ("license_expired", ana_id, lapsing.license_id),
    ]
    # From the start again, in pages of 3: the same changes, the same order.
    assert poll(api_client, acme, None, limit=3)[0] == seen


def test_item_shape(api_client):
    acme = brand_key("Acme Apparel")
    ana = TalentFactory()
    check(api_client, acme, ana)
    license = license_for(ana, "Acme Apparel")
    terminate(license)
    body = page(api_client, acme)
    issued, terminated = body["results"]
    assert set(body) == {"results", "next", "has_more"} and body["has_more"] is False
    assert issued["kind"] == "license_issued" and issued["terms_version"] is None
    assert issued["license_id"] == license.license_id and issued["talent"] == ana.registry_id
    license.refresh_from_db()
    assert terminated["occurred_at"].replace("Z", "+00:00") == license.terminated_at.isoformat()


def test_scope_checked_or_licensed_talent_and_own_licenses_only(api_client):
    acme, nimbus = brand_key("Acme Apparel"), brand_key("Nimbus Media")
    ana, bea, cai = TalentFactory(), TalentFactory(), TalentFactory()
    check(api_client, acme, ana)
    new_version(bea)  # never checked nor licensed by Acme
    revoke(bea)
    nimbus_license = license_for(ana, "Nimbus Media")  # another organization's license
    terminate(nimbus_license)
    license_for(cai, "Nimbus Media", ref="p 3")
    new_version(cai)  # licensed by Nimbus only

    acme_kinds = [(kind, talent) for kind, talent, _ in poll(api_client, acme, None)[0]]
    assert acme_kinds == []  # Ana has no terms changes; Nimbus's licenses are not Acme's business
    revoke(ana)
    acme_kinds = [(kind, talent) for kind, talent, _ in poll(api_client, acme, None)[0]]
    assert acme_kinds == [("terms_revoked", ana.registry_id)]

    nimbus_seen = [(kind, talent) for kind, talent, _ in poll(api_client, nimbus, None)[0]]
    assert nimbus_seen == [
        ("license_issued", ana.registry_id),
        ("license_terminated", ana.registry_id),
        ("license_issued", cai.registry_id),
        ("terms_signed", cai.registry_id),  # licensed talent's terms are in scope
        ("terms_revoked", ana.registry_id),
    ]
    assert bea.registry_id not in {t for _, t in nimbus_seen}


def test_a_license_request_brings_the_talent_into_scope(api_client):
    acme = brand_key("Acme Apparel")
    dana = TalentFactory()
    today = timezone.localdate()
    LicenseRequest.objects.create(
        talent=dana,
        organization=org("Acme Apparel"),
        use="advertising",
        valid_from=today,
        valid_until=today + timedelta(days=30),
        fee_amount="100.00",
        description="Spring denim campaign photos for our online shop in the US",
    )
    version = new_version(dana)
    assert poll(api_client, acme, None)[0] == [("terms_signed", dana.registry_id, version.number)]


def test_no_expiry_for_a_license_terminated_before_its_end(api_client):
    acme = brand_key("Acme Apparel")
    ana = TalentFactory()
    license = license_for(ana, "Acme Apparel", valid_until=timezone.localdate())
    terminate(license)
    assert changes.record_license_expiries(today=timezone.localdate() + timedelta(days=2)) == 0
    kinds = [kind for kind, _, _ in poll(api_client, acme, None)[0]]
    assert kinds == ["license_issued", "license_terminated"]


def test_the_beat_schedule_records_expiries(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["checks-license-expiries"]
    assert entry["task"] == tasks.record_license_expiries.name and entry["schedule"] <= 15 * 60


def test_a_change_committed_late_is_delivered_after_the_cursor_not_skipped(api_client):
    """Ids are taken at insert, commits happen in another order: a row with a lower id that becomes
    visible after a poll still comes once, after what was delivered (the order is `seq`, given after
    commit)."""
    acme = brand_key("Acme Apparel")
    ana = TalentFactory()
    check(api_client, acme, ana)
    now = timezone.now()
    Change.objects.create(pk=1000, kind="terms_signed", talent=ana, terms_version=2, occurred_at=now)
    first, cursor = poll(api_client, acme, None)
    Change.objects.create(pk=500, kind="terms_signed", talent=ana, terms_version=1, occurred_at=now)
    later, _ = poll(api_client, acme, cursor)
    assert [n for _, _, n in first] == [2] and [n for _, _, n in later] == [1]


def test_talent_checked_before_the_log_was_rolled_up_stay_in_scope(api_client, time_machine):
    """Checks past the detail period leave the log for daily counts; the feed still follows those talent."""
    acme = brand_key("Acme Apparel")
    ana = TalentFactory()
    check(api_client, acme, ana)
    time_machine.move_to(timezone.now() + timedelta(days=120))
    assert retention.roll_up()["checks_rolled_up"] == 1
    assert not PermissionCheck.objects.filter(talent=ana).exists()
    assert PermissionCheckDay.objects.filter(talent=ana).exists()
    revoke(ana)
    kinds = [(kind, talent) for kind, talent, _ in poll(api_client, acme, None)[0]]
    assert ("terms_revoked", ana.registry_id) in kinds
