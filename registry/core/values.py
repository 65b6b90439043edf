"""Parsing of the value kinds every input path shares (API, forms, the importer): ISO dates, fees and slugs.

One reading of each: `2026-01-01` is a date, `20260101` is not; a fee is a non-negative amount with at most
two decimals in a known currency. Errors are DomainErrors with stable codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from registry.core.errors import DomainError

ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
MAX_AMOUNT = Decimal("1000000000")
CURRENCIES = frozenset(
    "USD EUR GBP CAD AUD NZD JPY CHF SEK NOK DKK MXN BRL INR ZAR KRW CNY HKD SGD PLN CZK".split()
)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def as_dict(self) -> dict:
        return {"amount": f"{self.amount:.2f}", "currency": self.currency}


def parse_iso_date(value, field: str, *, required: bool = True) -> date | None:
    """A date written YYYY-MM-DD (or a date object). Empty is None unless required."""
    if value in (None, ""):
        if required:
            raise DomainError("required", f"Field {field!r} is required (YYYY-MM-DD).", field)
        return None
    if isinstance(value, date):
        return value
    try:
        if not isinstance(value, str) or not ISO_DATE_RE.fullmatch(value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError("invalid_date", f"Field {field!r} must be a date in YYYY-MM-DD form.", field)


def parse_money(value, field: str = "fee", *, code: str = "invalid_fee") -> Money:
    """A fee given as {"amount": "1500.00", "currency": "USD"}."""
    if not isinstance(value, dict):
        raise DomainError(code, f"Give {field!r} as {{'amount': '1500.00', 'currency': 'USD'}}.", field)
    raw = value.get("amount")
    try:
        if isinstance(raw, bool) or raw is None:
            raise InvalidOperation
        amount = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise DomainError(code, f"The {field} amount must be a number such as '1500.00'.", field)
    if (
        not amount.is_finite()
        or amount < 0
        or amount > MAX_AMOUNT
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise DomainError(code, f"The {field} amount must be zero or more, with at most two decimals.", field)
    currency = value.get("currency")
    currency = currency.strip().upper() if isinstance(currency, str) else ""
    if currency not in CURRENCIES:
        raise DomainError(
            code,
            f"Unknown currency {value.get('currency')!r}. Known: {', '.join(sorted(CURRENCIES))}.",
            field,
        )
    return Money(amount.quantize(Decimal("0.01")), currency)


def parse_slug(value, field: str, *, code: str = "invalid_product_category") -> str:
    """A lower-case slug such as a product category ('apparel'); empty stays empty."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value.strip()):
        raise DomainError(
            code,
            f"Field {field!r} must be a lower-case slug (letters, digits, '-', '_'), e.g. 'apparel'.",
            field,
        )
    return value.strip()
