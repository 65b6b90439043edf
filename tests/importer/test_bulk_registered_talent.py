"""Rows that match registered talent take the same set-based path as new talent: queries independent of the
number of rows, versions numbered after the ones she has (signed online or on paper, drafts included), the
change feed and licenses written, re-imports changing nothing and a changed form or license refused."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.checks.models import Change
from registry.consent.models import TermVersion
from registry.importer.apply import run_import
from registry.importer.document import ImportFailed
from registry.licensing.models import License
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms
from tests.importer.test_bulk_new_talent import LICENSE

pytestmark = pytest.mark.django_db


def _row(talent, n: int, *, description: str = "Autumn catalogue") -> dict:
    return {
        "registry_id": talent.registry_id,
        "terms": [
            {
                "effective_from": "2026-06-01",
                "document_ref": f"form {talent.pk}-{n}",
                "uses": {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}},
            }
        ],
        "licenses": [{**LICENSE, "description": description}],
    }


def _registered(n: int) -> list:
    talent = TalentFactory.create_batch(n)
    for t in talent:
        sign_terms(t, {"advertising": ADVERTISING_ALLOW})
    return talent


def _other_queries(rows: list[dict]) -> int:
    with CaptureQueriesContext(connection) as captured:
        report = run_import(json.dumps({"talent": rows}))
    assert len(report.versions_added) == len(rows) and len(report.licenses_added) == len(rows)
    return sum(1 for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("INSERT"))


def test_query_count_does_not_grow_with_registered_rows():
    few = _other_queries([_row(t, 1) for t in _registered(5)])
    many = _other_queries([_row(t, 1) for t in _registered(120)])
    assert many <= few <= 25, (few, many)


def test_numbers_follow_her_versions_drafts_included_with_the_feed_and_license():
    talent = _registered(1)[0]
    TermVersion.objects.create(talent=talent, effective_from=date(2026, 7, 1))  # a draft: no number yet
    row = _row(talent, 1)
    row["terms"].append({**row["terms"][0], "effective_from": "2026-08-01", "document_ref": "later form"})
    report = run_import(json.dumps({"talent": [row]}))
    assert [s.rsplit(": ", 1)[1] for s in report.versions_added] == ["version 2", "version 3"]
    numbers = list(
        TermVersion.objects.filter(talent=talent, status="signed")
        .order_by("number")
        .values_list("number", "signed_as")
    )
    assert numbers == [(1, "talent"), (2, "paper"), (3, "paper")]
    license = License.objects.get(talent=talent)
    assert license.description == "Autumn catalogue"
    kinds = sorted(Change.objects.filter(talent=talent).values_list("kind", flat=True))
    assert kinds.count("terms_signed") >= 2 and kinds.count("license_issued") == 1


def test_reimport_changes_nothing_and_a_changed_form_or_license_is_refused():
    talent = _registered(3)
    rows = [_row(t, 1) for t in talent]
    run_import(json.dumps({"talent": rows}))
    counts = (TermVersion.objects.count(), License.objects.count(), Change.objects.count())
    again = run_import(json.dumps({"talent": rows}))
    assert not again.versions_added and len(again.versions_unchanged) == 3
    assert not again.licenses_added and len(again.licenses_unchanged) == 3
    assert (TermVersion.objects.count(), License.objects.count(), Change.objects.count()) == counts
    changed = json.loads(json.dumps(rows))
    changed[1]["terms"][0]["uses"]["ai_training"] = {"decision": "allow"}
    changed[2]["licenses"][0]["territories"] = ["FR"]
    with pytest.raises(ImportFailed) as failed:
        run_import(json.dumps({"talent": changed}))
    errors = " ".join(failed.value.errors)
    assert "talent[1]" in errors and "Differs from version 2" in errors
    assert "Differs from license" in errors and "territories" in errors
    assert (TermVersion.objects.count(), License.objects.count(), Change.objects.count()) == counts
