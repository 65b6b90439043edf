"""Recording the change feed (product.md §5 `GET /api/v1/changes/`): facts that can alter brands' answers.

Design: an append-only `Change` row per fact, written in the same transaction as the fact, numbered after
commit by one sequencer.

- **Written with the fact.** Receivers of `post_save` on `TermVersion` (saved as signed: `terms_signed`, or
  `terms_revoked` for a version written by a revocation) and on `License` (created: `license_issued`; saved
  with `terminated_at`: `license_terminated`) add the row in the saving transaction, whichever path wrote
  it (signing, revocation, paper and file imports, approval, counter-offer accepted, termination, demo data).
  Consent and licensing sit below this layer and never learn about the feed. A rolled-back fact leaves no row.
- **Expiries** have no write of their own: `record_license_expiries` (the beat task
  `registry.checks.tasks.record_license_expiries`, every 15 minutes) adds `license_expired` once per license
  whose `valid_until` has passed (unique constraint), dated the start of the day after `valid_until`.
  A license terminated on or before its last day gets no expiry (it had already ended).
- **Exactly once, in order.** An autoincrement id is not a safe cursor: ids are taken at insert and
  transactions commit in another order, so a poller could pass over a row committed late. `sequence`
  therefore numbers committed rows (`seq`) under a lock on the one `ChangeSequence` row, in the order
  they were written within a batch; rows committed later get higher numbers. The feed reads only numbered
  rows with `seq` above the cursor, so nothing is skipped or repeated however often a brand polls. It runs
  at each poll (one cheap query when nothing is pending).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.signals import post_save
from django.utils import timezone

from registry.checks.models import Change, ChangeSequence
from registry.consent.models import TermVersion
from registry.licensing.models import License

BATCH = 5000


def _record(change: Change) -> None:
    # Idempotent: a fact already recorded (unique constraints) is left as it is.
    Change.objects.bulk_create([change], ignore_conflicts=True)


def terms_version_saved(sender, instance: TermVersion, raw: bool = False, **kwargs) -> None:
    if raw or instance.status != TermVersion.Status.SIGNED or instance.number is None:
        return
    kind = Change.Kind.TERMS_REVOKED if instance.is_revocation else Change.Kind.TERMS_SIGNED
    _record(
        Change(
            kind=kind,
            talent_id=instance.talent_id,
            terms_version=instance.number,
            occurred_at=instance.signed_at or timezone.now(),
        )
    )


def record_signed_versions(versions) -> None:
    """The feed rows of signed versions written in bulk (no `post_save`; e.g. a registry import), as
    `terms_version_saved` would have written them one by one."""
    rows = [
        Change(
            kind=Change.Kind.TERMS_REVOKED if v.is_revocation else Change.Kind.TERMS_SIGNED,
            talent_id=v.talent_id,
            terms_version=v.number,
            occurred_at=v.signed_at or timezone.now(),
        )
        for v in versions
        if v.status == TermVersion.Status.SIGNED and v.number is not None
    ]
    Change.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def record_issued_licenses(licenses) -> None:
    """The feed rows of licenses created in bulk (no `post_save`; a registry import), as `license_saved`
    would have written them one by one."""
    rows = [
        Change(
            kind=Change.Kind.LICENSE_ISSUED,
            license_id=lic.license_id,
            talent_id=lic.talent_id,
            organization_id=lic.organization_id,
            occurred_at=lic.approved_at or lic.created_at or timezone.now(),
        )
        for lic in licenses
    ]
    Change.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def license_saved(
    sender, instance: License, created: bool, raw: bool = False, update_fields=None, **kw
) -> None:
    if raw:
        return
    common = {"talent_id": instance.talent_id, "organization_id": instance.organization_id}
    if created:
        occurred_at = instance.approved_at or instance.created_at or timezone.now()
        _record(
            Change(
                kind=Change.Kind.LICENSE_ISSUED,
                license_id=instance.license_id,
                occurred_at=occurred_at,
                **common,
            )
        )
    if instance.terminated_at is not None and (update_fields is None or "terminated_at" in update_fields):
        _record(
            Change(
                kind=Change.Kind.LICENSE_TERMINATED,
                license_id=instance.license_id,
                occurred_at=instance.terminated_at,
                **common,
            )
        )


def connect() -> None:
    """Called once by ChecksConfig.ready."""
    post_save.connect(terms_version_saved, sender=TermVersion, dispatch_uid="changes_terms_version")
    post_save.connect(license_saved, sender=License, dispatch_uid="changes_license")


def expired_at(valid_until: date) -> datetime:
    """A license is valid through its last day: it expires when the next day starts (registry time zone)."""
    return timezone.make_aware(datetime.combine(valid_until + timedelta(days=1), time.min))


def record_license_expiries(*, today: date | None = None) -> int:
    """Add `license_expired` for each license past its `valid_until` not recorded yet. Idempotent."""
    today = today or timezone.localdate()
    recorded = Change.objects.filter(kind=Change.Kind.LICENSE_EXPIRED, license_id=OuterRef("license_id"))
    due = (
        License.objects.filter(valid_until__lt=today)
        .filter(~Exists(recorded))
        .exclude(terminated_at__date__lte=F("valid_until"))
        .values_list("license_id", "talent_id", "organization_id", "valid_until")
        .order_by("valid_until", "pk")
    )
    changes = [
        Change(
            kind=Change.Kind.LICENSE_EXPIRED,
            license_id=license_id,
            talent_id=talent_id,
            organization_id=organization_id,
            occurred_at=expired_at(valid_until),
        )
        for license_id, talent_id, organization_id, valid_until in due
    ]
    Change.objects.bulk_create(changes, ignore_conflicts=True, batch_size=500)
    return len(changes)


def sequence(*, batch: int = BATCH) -> int:
    """Number the committed rows that have no `seq` yet, in the order written. Returns how many."""
    if not Change.objects.filter(seq__isnull=True).exists():
        return 0
    with transaction.atomic():
        ChangeSequence.objects.get_or_create(pk=1)
        counter = ChangeSequence.objects.select_for_update().get(pk=1)
        pending = list(Change.objects.filter(seq__isnull=True).order_by("pk").only("pk")[:batch])
        for number, change in enumerate(pending, start=counter.last + 1):
            change.seq = number
        Change.objects.bulk_update(pending, ["seq"], batch_size=500)
        counter.last += len(pending)
        counter.save(update_fields=["last"])
    return len(pending)
