"""Registry IDs read as Crockford decoding reads them (product.md §2): `tr-7kq3-m9xd`, `TR7KQ3M9XD` and
`TR-7KQ3-M9XD` are one ID; O reads as 0, I and L as 1; answers always carry the canonical `TR-XXXX-XXXX`."""

from __future__ import annotations

import re

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # base-32 without I L O U
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")
_BODY = re.compile(f"^[{CROCKFORD}]{{8}}$")


def canonical_registry_id(text) -> str | None:
    """The canonical form of a typed or sent registry ID, or None when it cannot be one."""
    if not isinstance(text, str):
        return None
    compact = _SEPARATORS.sub("", text.strip().upper())
    if len(compact) != 10 or not compact.startswith("TR"):
        return None  # the prefix stays: without it, an eight-letter name would read as an ID
    body = compact[2:].translate(_READS_AS)
    if not _BODY.fullmatch(body):
        return None
    return f"TR-{body[:4]}-{body[4:]}"


def looks_like_registry_id(text) -> bool:
    return canonical_registry_id(text) is not None
