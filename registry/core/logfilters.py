"""Logging filters: expected client errors are one quiet line, not a traceback (and never an email)."""

import logging

# Refusals and missing pages are part of normal traffic (scanners, expired links, the access rules at work):
# logged at INFO (shown with LOG_LEVEL=INFO), one line each.
EXPECTED = frozenset({401, 403, 404, 405})


class QuietClientErrors(logging.Filter):
    """A 4xx record (django.request, django.security.*) loses its traceback — PermissionDenied, Http404 and
    SuspiciousOperation are raised on purpose — and is lowered: 401/403/404/405 to INFO, any other 4xx to
    WARNING. 5xx records are left as they are. On a handler, `level` drops what is now below it (a logger
    checks levels before its handlers' filters run)."""

    def __init__(self, level: str | int = logging.NOTSET):
        super().__init__()
        self.level = logging._checkLevel(level)

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            level = logging.INFO if status in EXPECTED else min(record.levelno, logging.WARNING)
            record.levelno, record.levelname = level, logging.getLevelName(level)
        return record.levelno >= self.level
