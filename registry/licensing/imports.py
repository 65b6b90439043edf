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


def _scope(fee: Money | None, modalities, territories, channels, product_category) -> dict:
    return {
        "modalities": modalities,
        "territories": territories,
        "channels": channels,
        "product_category": product_category,
        "fee_amount": fee.amount if fee else None,
        "fee_currency": fee.currency if fee else "",
    }


def _differs(existing: License, values: dict, conditions: dict, stated: list[str]) -> DomainError | None:
    """A refusal when a license recorded under the same key has another scope or a stated condition."""
    differs = [f for f in LICENSE_SCOPE if _normal(getattr(existing, f)) != _normal(values[f])]
    differs += [f for f in stated if getattr(existing, f) != conditions[f]]
    if not differs:
        return None
    return DomainError(
        "license_differs",
        f"Differs from license {existing.license_id} ({', '.join(differs)}); "
        "licenses never change: staff terminate one and record a new one.",
        status=409,
    )


def _check(use: str, valid_from: date, valid_until: date) -> None:
    vocab.check_use(use)
    if valid_from > valid_until:
        raise DomainError("invalid_period", "The license ends before it starts.", "valid_until")


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
    _check(use, valid_from, valid_until)
    values = _scope(fee, modalities, territories, channels, product_category)
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
        refusal = _differs(existing, values, conditions, stated)
        if refusal:
            raise refusal
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


def _key(organization_id: int, talent_id: int, use: str, valid_from, valid_until, description: str) -> tuple:
    return (organization_id, talent_id, use, valid_from, valid_until, description)


def _recorded(entries: list[dict]) -> dict[tuple, License]:
    """The licenses already recorded under the entries' keys, in one query."""
    talent_ids = {e["talent"].pk for e in entries}
    organization_ids = {e["organization"].pk for e in entries}
    if not talent_ids:
        return {}
    found = License.objects.filter(talent_id__in=talent_ids, organization_id__in=organization_ids)
    return {
        _key(x.organization_id, x.talent_id, x.use, x.valid_from, x.valid_until, x.description): x
        for x in found
    }


def record_licenses(entries: list[dict], terms_in_force) -> list[tuple[License, bool] | DomainError]:
    """`record_existing_license` for a batch (each entry its keyword arguments), written in one bulk insert:
    the same checks, the AI-disclosure rule read from `terms_in_force(talent, use, on)` (loaded by the
    caller for the whole batch), a key recorded before — in the database or earlier in the batch — the same
    license (or a refusal).

    A bulk insert sends no `post_save`: the caller records the change feed's `license_issued` rows and
    replaces the talent's cached facts."""
    results: list[tuple[License, bool] | DomainError] = []
    by_key = _recorded(entries)
    fresh: list[License] = []
    for e in entries:
        try:
            _check(e["use"], e["valid_from"], e["valid_until"])
        except DomainError as exc:
            results.append(exc)
            continue
        values = _scope(e["fee"], e["modalities"], e["territories"], e["channels"], e["product_category"])
        terms = terms_in_force(e["talent"], e["use"], e["valid_from"])
        conditions = {
            "attribution": bool(e["attribution"]),
            "ai_disclosure": bool(e["ai_disclosure"]) or required_conditions(e["use"], terms)[0],
        }
        period = (e["valid_from"], e["valid_until"])
        key = _key(e["organization"].pk, e["talent"].pk, e["use"], *period, e["description"])
        same = by_key.get(key)
        if same is not None:
            stated = [n for n in ("attribution", "ai_disclosure") if e[n] is not None]
            results.append(_differs(same, values, conditions, stated) or (same, False))
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
