"""Schemathesis fuzzes every operation of /api/schema/ against gunicorn (DEBUG off, TLS proxy header), with an
API key and, for the staff case API, a staff session: no 5xx, and every response conforms to the schema."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.serve import served_app

pytestmark = pytest.mark.xdist_group("fuzz")

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def schemathesis(served, *extra: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            f"{served.url}/api/schema/?format=json",
            "--header",
            "X-Forwarded-Proto: https",
            "--checks",
            CHECKS,
            "--max-examples",
            "15",
            "--phases",
            "examples,coverage,fuzzing",
            "--generation-database",
            "none",
            "--seed",
            "20261126",
            "--workers",
            "1",  # hypothesis' lambda introspection is not thread-safe on Python 3.11
            "--request-timeout",
            "30",
            "--no-color",
            *extra,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_schemathesis_finds_no_server_errors_and_no_schema_violations(tmp_path):
    with served_app(tmp_path, name="fuzz") as served:
        brand = schemathesis(
            served,
            "--header",
            f"Authorization: Bearer {served.api_key}",
            "--exclude-path-regex",
            "^/api/v1/cases",
            cwd=tmp_path,
        )
        staff = schemathesis(
            served,
            "--header",
            f"Cookie: sessionid={served.staff_session}",
            "--include-path-regex",
            "^/api/v1/cases",
            cwd=tmp_path,
        )
        server_log = served.log.read_text()
    assert brand.returncode == 0, brand.stdout[-12000:] + brand.stderr[-2000:]
    assert staff.returncode == 0, staff.stdout[-12000:] + staff.stderr[-2000:]
    assert "Traceback" not in server_log, server_log[-5000:]
