"""The feed starts with the registry's history: every signed version and every license fact so far, numbered
oldest first (later facts are recorded as they happen, see registry.checks.changes)."""

from datetime import datetime, time, timedelta

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    Change = apps.get_model("checks", "Change")
    ChangeSequence = apps.get_model("checks", "ChangeSequence")
    TermVersion = apps.get_model("consent", "TermVersion")
    License = apps.get_model("licensing", "License")
    if Change.objects.exists():
        return
    rows, order = [], {}
    for v in TermVersion.objects.filter(status="signed").exclude(number=None).iterator():
        kind = "terms_revoked" if v.is_revocation else "terms_signed"
        rows.append(Change(kind=kind, talent_id=v.talent_id, terms_version=v.number, occurred_at=v.signed_at))
    today = timezone.localdate()
    for lic in License.objects.iterator():
        common = {"talent_id": lic.talent_id, "organization_id": lic.organization_id, "license_id": lic.license_id}
        rows.append(Change(kind="license_issued", occurred_at=lic.approved_at or lic.created_at, **common))
        ended = timezone.make_aware(datetime.combine(lic.valid_until + timedelta(days=1), time.min))
        terminated_first = lic.terminated_at is not None and lic.terminated_at < ended
        if lic.valid_until < today and not terminated_first:
            rows.append(Change(kind="license_expired", occurred_at=ended, **common))
            order[id(rows[-1])] = max(ended, rows[-2].occurred_at)  # never before its own issue
        if lic.terminated_at is not None:
            rows.append(Change(kind="license_terminated", occurred_at=lic.terminated_at, **common))
    rows.sort(key=lambda c: order.get(id(c), c.occurred_at))
    for number, change in enumerate(rows, start=1):
        change.seq = number
    Change.objects.bulk_create(rows, batch_size=500)
    ChangeSequence.objects.update_or_create(pk=1, defaults={"last": len(rows)})


class Migration(migrations.Migration):
    dependencies = [
        ("checks", "0001_change_feed"),
        ("consent", "0004_term_organizations_category_synonyms"),
        ("licensing", "0004_replica_licenses_disclose_ai"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
