"""CSV export of an organization's check history, safe against spreadsheet formula injection."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "check_id",
    "checked_at",
    "talent",
    "use",
    "modality",
    "territory",
    "channel",
    "product_category",
    "date",
    "decision",
    "basis",
    "conditions",
    "valid_until",
    "source",
    "api_key",
    "user",
]


def csv_safe(value) -> str:
    """Text a spreadsheet will not run: cells starting with = + - @ tab or CR get a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


def check_rows(checks: Iterable) -> Iterator[list[str]]:
    yield COLUMNS
    for c in checks:
        yield [
            csv_safe(v)
            for v in (
                c.check_id,
                c.checked_at.isoformat(),
                c.talent_registry_id,
                c.use,
                c.modality,
                c.territory,
                c.channel,
                c.product_category,
                c.as_of.isoformat(),
                c.decision,
                json.dumps(c.basis, sort_keys=True) if c.basis else "",
                json.dumps(c.conditions, sort_keys=True) if c.conditions else "",
                c.valid_until.isoformat() if c.valid_until else "",
                c.source,
                c.api_key.prefix if c.api_key_id else "",
                c.user.email if c.user_id else "",
            )
        ]


def stream_checks_csv(checks: Iterable) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in check_rows(checks):
        yield writer.writerow(row)
