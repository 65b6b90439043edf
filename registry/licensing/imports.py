"""Licenses agreed before or outside the registry, recorded from a registry import: once, never changed."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from registry.consent import vocab
from registry.consent.selectors import version_in_effect
from registry.core.errors import DomainError
from registry.core.values import Money
from registry.licensing.models import License
from registry.licensing.screening import required_conditions

# What must match for a re-imported license to be "the same" one as the license already recorded.
LICENSE_SCOPE = ("modalities", "territories", "channels", "product_category", "fee_amount", "fee_currency")


def _ai_disclosure(talent, use: str, valid_from: date, given: bool | None) -> bool:
    """Always for replicas and digital alteration, and whenever her term in effect requires it (§3)."""
    version = version_in_effect(talent, valid_from)
    terms = [t for t in version.terms.all() if t.use == use] if version else []
    return bool(given) or required_conditions(use, terms)[0]


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
    attribution: bool | None = None,
    ai_disclosure: bool | None = None,
) -> tuple[License, bool]:
    """The license (created=True), or the one already recorded with the same parties, use, period and
    description (created=False). A different scope under the same key is refused: licenses never change.

    `attribution`/`ai_disclosure` None: not stated by the file (no credit; AI disclosure where §3 requires
    it). A re-import compares only the conditions the file states."""
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
    conditions = {
        "attribution": bool(attribution),
        "ai_disclosure": _ai_disclosure(talent, use, valid_from, ai_disclosure),
    }
    stated = [
        name
        for name, given in (("attribution", attribution), ("ai_disclosure", ai_disclosure))
        if given is not None
    ]
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
        differs += [f for f in stated if getattr(existing, f) != conditions[f]]
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
        **conditions,
    )
    return license, True


def record_new_licenses(entries: list[dict], terms_in_force) -> list[tuple[License, bool] | DomainError]:
    """`record_existing_license` for licenses of talent created by this import (none in the database yet),
    written in one bulk insert: the same checks, the AI-disclosure rule read from `terms_in_force(talent,
    use, on)` (the import's versions, in memory), the same key twice in the file one license (or a refusal).

    A bulk insert sends no `post_save`: the caller records the change feed's `license_issued` rows and
    replaces the talent's cached facts."""
    results: list[tuple[License, bool] | DomainError] = []
    by_key: dict[tuple, License] = {}
    fresh: list[License] = []
    for e in entries:
        try:
            vocab.check_use(e["use"])
            if e["valid_from"] > e["valid_until"]:
                raise DomainError("invalid_period", "The license ends before it starts.", "valid_until")
        except DomainError as exc:
            results.append(exc)
            continue
        fee = e["fee"]
        values = {
            "modalities": e["modalities"],
            "territories": e["territories"],
            "channels": e["channels"],
            "product_category": e["product_category"],
            "fee_amount": fee.amount if fee else None,
            "fee_currency": fee.currency if fee else "",
        }
        terms = terms_in_force(e["talent"], e["use"], e["valid_from"])
        conditions = {
            "attribution": bool(e["attribution"]),
            "ai_disclosure": bool(e["ai_disclosure"]) or required_conditions(e["use"], terms)[0],
        }
        key = (
            e["organization"].pk,
            e["talent"].pk,
            e["use"],
            e["valid_from"],
            e["valid_until"],
            e["description"],
        )
        same = by_key.get(key)
        if same is not None:
            stated = [n for n in ("attribution", "ai_disclosure") if e[n] is not None]
            differs = [f for f in LICENSE_SCOPE if _normal(getattr(same, f)) != _normal(values[f])]
            differs += [f for f in stated if getattr(same, f) != conditions[f]]
            if differs:
                results.append(
                    DomainError(
                        "license_differs",
                        f"Differs from license {same.license_id} ({', '.join(differs)}); "
                        "licenses never change: staff terminate one and record a new one.",
                        status=409,
                    )
                )
            else:
                results.append((same, False))
            continue
        license = License(
            talent=e["talent"],
            organization=e["organization"],
            use=e["use"],
            valid_from=e["valid_from"],
            valid_until=e["valid_until"],
            description=e["description"],
            document_ref=e["document_ref"],
            **values,
            **conditions,
        )
        by_key[key] = license
        fresh.append(license)
        results.append((license, True))
    if fresh:
        License.objects.bulk_create(fresh, batch_size=1000)
    return results
