"""What each app's privacy.py hook receives from registry.privacy: the export and the closure in progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def who(user) -> str | None:
    """How the export names a person other than the talent (None when nobody)."""
    return str(user) if user is not None else None


@dataclass
class Export:
    """A data export being assembled. Apps name the records whose recorded access belongs in it."""

    talent: Any
    audited: dict[str, list[str]] = field(default_factory=dict)  # object type → object ids (as strings)

    def include_access_to(self, object_type: str, ids: Iterable) -> None:
        self.audited.setdefault(object_type, []).extend(str(i) for i in ids)


@dataclass
class Closure:
    """An account closure in progress, in one transaction. Each app adds what it erased to `erased`."""

    talent: Any
    actor: Any
    capacity: str  # "talent" or "guardian"
    now: datetime
    # Every address of the closed account: mail kept for them is purged at the end (registry.core.privacy).
    addresses: set[str] = field(default_factory=set)
    erased: dict[str, Any] = field(default_factory=dict)
