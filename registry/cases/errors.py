"""Errors of the case workflow, with a stable code (the API maps them to its error format)."""


class CaseError(Exception):
    """A refused case action: a stable `code`, a `detail` for people, the input `field` at fault."""

    status_code = 400

    def __init__(self, code: str, detail: str, field: str | None = None):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field


class NotAllowed(CaseError):
    status_code = 403


class Conflict(CaseError):
    """The case changed since the user loaded it (optimistic concurrency)."""

    status_code = 409

    def __init__(self, detail: str = "", field: str | None = "version"):
        super().__init__(
            "conflict",
            detail
            or "Someone else changed this case after you opened it. Reload the case, check their change "
            "and try again.",
            field,
        )
