"""The offer of a license request or counter-offer (scope, period, fee) and the description, validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from registry.consent import vocab
from registry.consent.categories import canonical_category
from registry.core.errors import DomainError
from registry.core.values import parse_iso_date, parse_money, parse_slug
from registry.licensing.models import LicenseRequest

SCOPE_FIELDS = ("modalities", "territories", "channels", "product_category")
CONDITION_FIELDS = ("ai_disclosure", "attribution")
OFFER_FIELDS = (
    "use",
    *SCOPE_FIELDS,
    "valid_from",
    "valid_until",
    "fee_amount",
    "fee_currency",
    *CONDITION_FIELDS,
)


@dataclass
class Offer:
    """The scope, period, fee and conditions (duties of the license) of a request or counter-offer."""

    use: str
    modalities: list[str]
    territories: list[str]
    channels: list[str]
    valid_from: date
    valid_until: date
    fee_amount: Decimal
    fee_currency: str
    product_category: str = ""
    ai_disclosure: bool = False
    attribution: bool = False
    extra: dict = field(default_factory=dict)

    def as_terms(self) -> dict:
        return {
            "use": self.use,
            "modalities": self.modalities,
            "territories": self.territories,
            "channels": self.channels,
            "product_category": self.product_category,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "fee": {"amount": f"{self.fee_amount:.2f}", "currency": self.fee_currency},
            "ai_disclosure": self.ai_disclosure,
            "attribution": self.attribution,
        }

    def model_fields(self) -> dict:
        return {name: getattr(self, name) for name in OFFER_FIELDS}


def _list_of(data: dict, name: str, check, **kwargs) -> list[str]:
    values = data.get(name)
    if isinstance(values, str):
        values = [v for v in re.split(r"[\s,]+", values) if v]
    if not isinstance(values, list | tuple) or not values:
        raise DomainError("required", f"Give at least one value for {name!r} (a list).", name)
    cleaned = []
    for value in values:
        try:
            cleaned.append(check(value, **kwargs))
        except vocab.VocabularyError as exc:
            raise DomainError(exc.code, exc.detail, name) from exc
    return sorted(set(cleaned), key=cleaned.index)


def _flag(data: dict, name: str) -> bool:
    value = data.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise DomainError("invalid", f"Field {name!r} must be true or false.", name)
    return value


def clean_category(value) -> str:
    """A product category as typed ("Cigarettes") read as its canonical slug ("tobacco"); empty stays."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        return parse_slug(value, "product_category")
    return parse_slug(canonical_category(value) or value.strip().lower(), "product_category")


def clean_offer(data: dict, *, use: str | None = None, today: date | None = None) -> Offer:
    """Validate the scope, period and fee of an offer. `use` fixes the use (counter-offers keep it)."""
    if not isinstance(data, dict):
        raise DomainError("invalid", "The body must be a JSON object.")
    today = today or timezone.localdate()
    use = use or vocab.check_use(data.get("use"))
    valid_from = parse_iso_date(data.get("valid_from"), "valid_from")
    valid_until = parse_iso_date(data.get("valid_until"), "valid_until")
    if valid_from > valid_until:
        raise DomainError("invalid_period", "valid_from must be on or before valid_until.", "valid_until")
    if valid_until < today:
        raise DomainError("invalid_period", "The period has already ended.", "valid_until")
    category = clean_category(data.get("product_category"))
    fee = parse_money(data.get("fee"), "fee")
    return Offer(
        use=use,
        modalities=_list_of(data, "modalities", vocab.check_modality),
        territories=_list_of(data, "territories", vocab.check_territory, allow_worldwide=True),
        channels=_list_of(data, "channels", vocab.check_channel),
        valid_from=valid_from,
        valid_until=valid_until,
        fee_amount=fee.amount,
        fee_currency=fee.currency,
        product_category=category,
        ai_disclosure=_flag(data, "ai_disclosure"),
        attribution=_flag(data, "attribution"),
    )


def current_offer(request: LicenseRequest) -> Offer:
    """The offer on the table: the request's present scope, period and fee."""
    return Offer(**{name: getattr(request, name) for name in OFFER_FIELDS})


def counter_offer(request: LicenseRequest, data: dict, *, settle=None) -> Offer:
    """The current offer with the changed fields of `data`, settled by `settle` (screening against the
    terms, which may add duties); it must still change something."""
    current = current_offer(request).as_terms()
    merged = {
        **current,
        **{k: v for k, v in (data or {}).items() if k in (*current, "fee") and v not in (None, "")},
    }
    offer = clean_offer(merged, use=request.use)
    if settle is not None:
        offer = settle(offer)
    if offer.as_terms() == current:
        raise DomainError(
            "counter_unchanged",
            "A counter-offer must change the fee, the period, the scope or the conditions.",
        )
    return offer
