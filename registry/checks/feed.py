"""Reading the change feed: one organization's page of changes after a cursor (product.md §5).

Scope: license changes of the organization's own licenses; terms changes (signed, revoked) of talent it has
checked (`brands.selectors.talent_checked_by`) or licensed or asked a license of
(`licensing.selectors.talent_licensed_by`), evaluated at each read. A talent who comes into scope later
brings only their changes after the cursor: the brand's first check answers from the terms of that moment.

The cursor is opaque to clients (base64url of a version tag and the last `seq` delivered). See
registry.checks.changes for why `seq`, and not an autoincrement id or a timestamp, is the order.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from django.db.models import Q

from registry.brands import selectors as brand_selectors
from registry.checks import changes
from registry.checks.models import Change
from registry.core.errors import DomainError
from registry.licensing import selectors as licensing_selectors

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
_CURSOR = re.compile(r"c1\.(\d{1,18})")


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"c1.{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The last `seq` a cursor stands for; a 400 `invalid_cursor` for anything not made by encode_cursor."""
    text = str(cursor or "").strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raw = ""
    found = _CURSOR.fullmatch(raw)
    if not text or found is None:
        raise DomainError(
            "invalid_cursor",
            "Not a cursor of this feed: send the `next` value of a previous page (or no `after` to start).",
            "after",
        )
    return int(found.group(1))


def parse_limit(value) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise DomainError("invalid_limit", f"limit is a whole number from 1 to {MAX_LIMIT}.", "limit")
    return int(text)


@dataclass(frozen=True)
class Page:
    results: list[Change]
    next: str
    has_more: bool


def in_scope(organization) -> Q:
    talent_wide = Q(organization__isnull=True) & (
        Q(talent_id__in=brand_selectors.talent_checked_by(organization))
        | Q(talent_id__in=licensing_selectors.talent_licensed_by(organization))
    )
    return Q(organization=organization) | talent_wide


def changes_for(organization, *, after: str | None = None, limit: int = DEFAULT_LIMIT) -> Page:
    """The organization's changes after the cursor, oldest first, at most `limit`, with the next cursor
    (the same cursor when there is nothing new: poll again with it later)."""
    start = decode_cursor(after) if after not in (None, "") else 0
    changes.sequence()
    rows = list(
        Change.objects.filter(seq__gt=start)
        .filter(in_scope(organization))
        .select_related("talent")
        .only("seq", "kind", "talent__registry_id", "occurred_at", "terms_version", "license_id")
        .order_by("seq")[: limit + 1]
    )
    page = rows[:limit]
    return Page(page, encode_cursor(page[-1].seq if page else start), has_more=len(rows) > limit)
