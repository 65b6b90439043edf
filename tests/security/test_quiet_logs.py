"""Expected refusals and missing pages are one quiet log line each: no traceback, never printed twice, never
emailed; a 500 keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import SuspiciousOperation

from registry.core.logfilters import QuietClientErrors

pytestmark = pytest.mark.django_db


def _request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("django.request", "django.security"))]


def test_a_403_and_a_404_are_one_info_line_without_traceback(client, staff_user, caplog):
    client.force_login(staff_user)
    with caplog.at_level(logging.INFO):
        # staff have no license requests: the view raises PermissionDenied (a traceback in the log before)
        assert client.get("/licenses/requests/").status_code == 403
        assert client.get("/licenses/LIC-000000000000/").status_code == 404  # Http404 raised by the view
    records = _request_records(caplog)
    assert [(r.levelname, r.status_code) for r in records] == [("INFO", 403), ("INFO", 404)]
    assert all(r.exc_info is None and r.exc_text is None for r in records)
    assert records[0].getMessage() == "Forbidden (Permission denied): /licenses/requests/"


def _printers(name: str, level: int) -> list[logging.Handler]:
    """The stream handlers a record of `level` on logger `name` reaches (following propagation)."""
    found, logger = [], logging.getLogger(name)
    while logger:
        found += [
            h
            for h in logger.handlers
            if isinstance(h, logging.StreamHandler) and not type(h).__module__.startswith("_pytest")
        ]
        logger = logger.parent if logger.propagate else None
    return [h for h in found if level >= h.level]


@pytest.mark.parametrize("debug", [True, False])
def test_a_request_record_is_printed_by_one_handler(settings, debug):
    settings.DEBUG = debug
    record = logging.getLogger("django.request").makeRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /x", (), None
    )
    printing = [h for h in _printers("django.request", logging.ERROR) if h.filter(record)]
    assert len(printing) == 1, printing  # Django's own debug console handler used to print it a second time


def test_the_filter_quietens_4xx_and_leaves_5xx():
    try:
        raise SuspiciousOperation("bad host")
    except SuspiciousOperation as exc:
        info = (type(exc), exc, exc.__traceback__)
    quiet, console, mail = QuietClientErrors(), QuietClientErrors("WARNING"), QuietClientErrors("ERROR")

    def record(status, level=logging.WARNING):
        r = logging.LogRecord("django.security.X", level, __file__, 1, "msg", (), info)
        r.status_code = status
        return r

    r404 = record(404)
    assert quiet.filter(r404) and r404.levelno == logging.INFO and r404.exc_info is None
    assert not console.filter(record(404))  # below LOG_LEVEL=WARNING: not printed
    r400 = record(400, logging.ERROR)  # SuspiciousOperation is logged at ERROR by Django
    assert console.filter(r400) and r400.levelno == logging.WARNING and r400.exc_info is None
    assert not mail.filter(record(400, logging.ERROR))  # not emailed to ADMINS
    r500 = record(500, logging.ERROR)
    assert mail.filter(r500) and r500.exc_info is info
