"""Matching file rows to profiles in batches: two indexed queries per 1,000 rows, not one per row, with the
same answers (email case-insensitive, refusals kept)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.importer import apply
from registry.importer.apply import run_import
from registry.importer.document import ImportFailed
from registry.talent.models import TalentProfile
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


def _matching_queries(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and 'FROM "talent_talentprofile"' in q["sql"]
        and ("UPPER(" in q["sql"] or '"registry_id" IN' in q["sql"])
    ]


def test_rows_matched_by_email_in_batches(monkeypatch):
    monkeypatch.setattr(apply, "MATCH_BATCH", 10)
    existing = [TalentFactory(email=f"member{i}@example.org", stage_name=f"Member {i}") for i in range(25)]
    rows = [{"email": f"MEMBER{i}@Example.org", "stage_name": f"Member {i}"} for i in range(25)]
    rows += [{"email": f"new{i}@example.org", "stage_name": f"New {i}"} for i in range(5)]
    rows.append({"registry_id": existing[0].registry_id.lower(), "stage_name": "Member 0"})
    with CaptureQueriesContext(connection) as captured:
        report = run_import(json.dumps({"talent": rows}))
    assert len(report.talent_unchanged) == 26
    assert len(report.talent_created) == 5
    assert TalentProfile.objects.count() == 30
    # 31 rows in batches of 10: four batches, each at most one email query and one registry-ID query.
    assert len(_matching_queries(captured)) <= 8


def test_refusals_survive_batching():
    first = TalentFactory(email="taken@example.org")
    second = TalentFactory(email="other@example.org")
    rows = [{"registry_id": second.registry_id, "email": "TAKEN@example.org", "stage_name": "X"}]
    with pytest.raises(ImportFailed) as failed:
        run_import(json.dumps({"talent": rows}))
    assert any(first.registry_id in line for line in failed.value.errors)
