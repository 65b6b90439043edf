"""CSV export of an organization's check history, safe against spreadsheet formula injection."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from registry.core.csvexport import stream_rows

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


def check_rows(checks: Iterable) -> Iterator[list[str]]:
    yield COLUMNS
    for c in checks:
        yield [
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
        ]


def stream_checks_csv(checks: Iterable) -> Iterator[str]:
    return stream_rows(check_rows(checks))
