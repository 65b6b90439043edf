"""Schemathesis fuzzes every operation of /api/schema/, authenticated with a demo API key: no 5xx, and every
response conforms to the schema (status codes, content types, bodies)."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("fuzz")]


def test_schemathesis_finds_no_server_errors_and_no_schema_violations(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("create_api_key", "--organization", "Fuzz Brand", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    # Throttles (cache-counted) would answer 429 to a fuzzer's burst; abuse limits have their own tests.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            f"{live_server.url}/api/schema/?format=json",
            "--header",
            f"Authorization: Bearer {key}",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            "15",
            "--phases",
            "examples,coverage,fuzzing",
            "--generation-database",
            "none",
            "--seed",
            "20261126",
            "--workers",
            "1",
            "--request-timeout",
            "20",
            "--no-color",
            "--output-truncate",
            "true",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
