"""Errors of the case workflow: the platform's DomainError (registry.core.errors) under the desk's names."""

from registry.core.errors import Conflict as _Conflict
from registry.core.errors import DomainError, NotAllowed

CaseError = DomainError

__all__ = ["CaseError", "Conflict", "NotAllowed"]


class Conflict(_Conflict):
    """The case changed since the user loaded it (optimistic concurrency)."""

    def __init__(self, detail: str = "", field: str | None = "version"):
        super().__init__(
            "conflict",
            detail
            or "Someone else changed this case after you opened it. Reload the case, check their change "
            "and try again.",
            field,
        )
