"""Licenses agreed before or outside the registry, recorded from a registry import: once, never changed."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from registry.consent import vocab
from registry.core.errors import DomainError
from registry.core.values import Money
from registry.licensing.models import License

# What must match for a re-imported license to be "the same" one as the license already recorded.
LICENSE_SCOPE = ("modalities", "territories", "channels", "product_category", "fee_amount", "fee_currency")


def _normal(value):
    if isinstance(value, list):
        return sorted(value)
    if value in (None, ""):
        return None
    return value


@transaction.atomic
def record_existing_license(
    *,
    talent,
    organization,
    use: str,
    modalities: list[str],
    territories: list[str],
    channels: list[str],
    product_category: str,
    valid_from: date,
    valid_until: date,
    fee: Money | None,
    description: str,
    document_ref: str,
) -> tuple[License, bool]:
    """The license (created=True), or the one already recorded with the same parties, use, period and
    description (created=False). A different scope under the same key is refused: licenses never change."""
    vocab.check_use(use)
    if valid_from > valid_until:
        raise DomainError("invalid_period", "The license ends before it starts.", "valid_until")
    values = {
        "modalities": modalities,
        "territories": territories,
        "channels": channels,
        "product_category": product_category,
        "fee_amount": fee.amount if fee else None,
        "fee_currency": fee.currency if fee else "",
    }
    existing = License.objects.filter(
        organization=organization,
        talent=talent,
        use=use,
        valid_from=valid_from,
        valid_until=valid_until,
        description=description,
    ).first()
    if existing is not None:
        differs = [f for f in LICENSE_SCOPE if _normal(getattr(existing, f)) != _normal(values[f])]
        if differs:
            raise DomainError(
                "license_differs",
                f"Differs from license {existing.license_id} ({', '.join(differs)}); "
                "licenses never change: staff terminate one and record a new one.",
                status=409,
            )
        return existing, False
    license = License.objects.create(
        talent=talent,
        organization=organization,
        use=use,
        valid_from=valid_from,
        valid_until=valid_until,
        description=description,
        document_ref=document_ref,
        **values,
    )
    return license, True
