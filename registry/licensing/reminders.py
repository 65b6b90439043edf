"""Expiry reminders: 30 and 7 days before a license or a term in effect ends, each sent once."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from registry.consent import selectors as consent_selectors
from registry.consent.models import Term, TermVersion
from registry.core.mail import send_email
from registry.licensing.models import ExpiryReminder, License
from registry.licensing.notify import org_owner_emails, talent_recipients

REMINDER_DAYS = (30, 7)


def _threshold(days_left: int) -> int | None:
    """The reminder due for this many days left: 30 (8–30 days), 7 (0–7 days), or none."""
    for days in sorted(REMINDER_DAYS):
        if 0 <= days_left <= days:
            return days
    return None


def _record_reminder(kind: str, object_id: int, days: int, valid_until: date) -> bool:
    """True if this reminder was not sent before (it is now recorded; a unique constraint keeps it once)."""
    try:
        with transaction.atomic():
            ExpiryReminder.objects.create(
                kind=kind, object_id=object_id, days_before=days, valid_until=valid_until
            )
        return True
    except IntegrityError:
        return False


def _remind_licenses(today: date, horizon: date) -> int:
    sent = 0
    licenses = License.objects.filter(
        terminated_at__isnull=True, valid_until__gte=today, valid_until__lte=horizon
    ).select_related("talent", "talent__user", "organization")
    for license in licenses:
        days = _threshold((license.valid_until - today).days)
        if days is None or not _record_reminder(
            ExpiryReminder.Kind.LICENSE, license.pk, days, license.valid_until
        ):
            continue
        body = (
            f"License {license.license_id} — {license.get_use_display()} of {license.talent.stage_name} by "
            f"{license.organization.name} — ends on {license.valid_until} "
            f"({(license.valid_until - today).days} days). To continue, request a new license.\n\n"
            f"{settings.SITE_URL}/licenses/{license.license_id}/"
        )
        to = sorted(set(org_owner_emails(license.organization_id) + talent_recipients(license.talent)))
        for address in to:  # one message per recipient: the brand never sees the talent's address
            send_email(
                subject=f"License {license.license_id} ends on {license.valid_until}", body=body, to=[address]
            )
        sent += 1
    return sent


def _remind_terms(today: date, horizon: date) -> int:
    sent = 0
    terms = list(
        Term.objects.filter(
            version__status=TermVersion.Status.SIGNED,
            version__effective_from__lte=today,
            version__talent__status="active",
            valid_until__gte=today,
            valid_until__lte=horizon,
        ).select_related("version", "version__talent", "version__talent__user")
    )
    versions: dict[int, list] = {}
    for version in TermVersion.objects.filter(
        talent_id__in={t.version.talent_id for t in terms},
        status=TermVersion.Status.SIGNED,
        effective_from__lte=today,
    ).order_by("talent_id", "effective_from", "number"):
        versions.setdefault(version.talent_id, []).append(version)
    for term in terms:
        current = consent_selectors.in_effect_among(versions.get(term.version.talent_id, []), today)
        if current is None or current.pk != term.version_id:
            continue  # only the terms in effect today
        days = _threshold((term.valid_until - today).days)
        if days is None or not _record_reminder(ExpiryReminder.Kind.TERM, term.pk, days, term.valid_until):
            continue
        for address in talent_recipients(term.version.talent):  # one message per recipient
            send_email(
                subject=f"Your {term.get_use_display().lower()} terms end on {term.valid_until}",
                body=(
                    f"Your likeness-use terms for {term.get_use_display().lower()} (version "
                    f"{term.version.number}) end on {term.valid_until}. After that date, checks answer "
                    f"'license required' for this use unless you sign new terms.\n\n"
                    f"{settings.SITE_URL}/terms/"
                ),
                to=[address],
            )
        sent += 1
    return sent


@transaction.atomic
def send_expiry_reminders(*, today: date | None = None) -> int:
    """Remind brands and talent 30 and 7 days before licenses end, and talent before their terms end.

    Run daily by beat; each reminder goes out once (a missed day is caught up the next day).
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    return _remind_licenses(today, horizon) + _remind_terms(today, horizon)
