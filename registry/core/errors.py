"""The one domain error: a refused action with a stable code, a message for people, the field at fault and
the HTTP status the API answers with. Every app raises it (or a subclass); the API maps it once
(registry.api.errors) and forms show it once (registry.core.forms.show_error)."""


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        code: str,
        detail: str,
        field: str | None = None,
        *,
        status: int | None = None,
        fields: dict[str, list[str]] | None = None,
    ):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field
        if status is not None:
            self.status = status
        self._fields = fields

    @property
    def fields(self) -> dict[str, list[str]]:
        """Per-field messages: given explicitly (several fields), else the one field at fault."""
        if self._fields is not None:
            return self._fields
        return {self.field: [self.detail]} if self.field else {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.detail!r}, field={self.field!r})"


class NotAllowed(DomainError):
    status = 403


class Conflict(DomainError):
    """The record changed since the user loaded it (optimistic concurrency)."""

    status = 409


class ImmutableRecord(DomainError):
    """A signed, append-only or custody record was about to be changed or deleted (a programming error)."""

    status = 409

    def __init__(self, detail: str):
        super().__init__("immutable_record", detail)
