"""New talent are imported set-based: a number of queries independent of the number of rows, the same
versions (numbers, SHA-256) as signing one by one, the change feed and the permission check see them at once,
and a bad row still changes nothing."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.checks.models import Change
from registry.consent.models import Term, TermVersion
from registry.importer.apply import run_import
from registry.importer.document import ImportFailed
from registry.licensing.models import License
from registry.talent.models import TalentProfile
from tests.brands.helpers import bearer, key_from_command
from tests.checks.both_ways import SINGLE, ask, body
from tests.factories import ADVERTISING_ALLOW

pytestmark = pytest.mark.django_db


def _row(i: int, *, versions: int = 1) -> dict:
    terms = [
        {
            "effective_from": f"2026-0{1 + n}-01",
            "document_ref": f"form {i}-{n}",
            "uses": {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}},
        }
        for n in range(versions)
    ]
    return {
        "stage_name": f"New Member {i}",
        "email": f"new{i}@example.org",
        "terms": terms,
        "licenses": [LICENSE],
    }


LICENSE = {
    "organization": "Acme Apparel",
    "use": "advertising",
    "modalities": ["image"],
    "territories": ["US"],
    "channels": ["online"],
    "valid_from": "2026-03-01",
    "valid_until": "2026-09-30",
    "description": "Spring catalogue",
}


def _queries(n: int, start: int) -> tuple[int, int]:
    """(statements other than INSERT, INSERT statements) of importing n new talent with two versions each."""
    rows = [_row(start + i, versions=2) for i in range(n)]
    with CaptureQueriesContext(connection) as captured:
        report = run_import(json.dumps({"talent": rows}))
    assert len(report.talent_created) == n and len(report.versions_added) == 2 * n
    assert len(report.licenses_added) == n
    inserts = sum(1 for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("INSERT"))
    return len(captured.captured_queries) - inserts, inserts


def test_query_count_does_not_grow_with_the_rows():
    few_other, few_inserts = _queries(10, 0)
    many_other, many_inserts = _queries(150, 1000)
    assert many_other <= few_other <= 20, (few_other, many_other)  # the first run also creates Acme
    # Bulk inserts: one per table per batch (PostgreSQL: 1,000 rows; SQLite splits them at its limit of
    # bound variables), never one per row.
    if connection.vendor == "postgresql":  # (the first run also queues the tdmrep rebuild: one INSERT more)
        assert many_inserts <= few_inserts
    # 12 rows per talent (profile, history, 2 versions, 4 terms, license, 3 feed rows): ≥ 40 rows per INSERT.
    assert many_inserts - few_inserts <= (150 - 10) * 12 // 40


def test_versions_are_numbered_and_hashed_as_signing_would_and_reimport_changes_nothing():
    rows = [_row(i, versions=2) for i in range(3)]
    run_import(json.dumps({"talent": rows}))
    talent = TalentProfile.objects.get(email="new0@example.org")
    assert talent.search_name == "new member 0" and talent.is_verified
    assert talent.history.count() == 1
    versions = list(TermVersion.objects.filter(talent=talent).order_by("number"))
    assert [(v.number, v.status, v.signed_as) for v in versions] == [
        (1, "signed", "paper"),
        (2, "signed", "paper"),
    ]
    assert Term.objects.filter(version__talent=talent).count() == 4
    counts = (TalentProfile.objects.count(), TermVersion.objects.count(), Change.objects.count())
    # Re-importing matches each form to the version recorded from it by digest: equal, so nothing changes.
    again = run_import(json.dumps({"talent": rows}))
    assert not again.talent_created and not again.versions_added and len(again.versions_unchanged) == 6
    assert not again.licenses_added and len(again.licenses_unchanged) == 3
    assert (TalentProfile.objects.count(), TermVersion.objects.count(), Change.objects.count()) == counts


def test_change_feed_and_check_see_imported_terms(api_client):
    key = key_from_command("Acme Apparel")
    registry_id = "TR-7KQ3-M9XD"
    api_client.post(SINGLE, body(registry_id), format="json", **bearer(key))  # unknown before the import
    row = {**_row(1), "registry_id": registry_id}
    run_import(json.dumps({"talent": [row]}))
    talent = TalentProfile.objects.get(registry_id=registry_id)
    assert sorted(Change.objects.filter(talent=talent).values_list("kind", flat=True)) == [
        "license_issued",
        "terms_signed",
    ]
    license = License.objects.get(talent=talent)
    assert Change.objects.get(kind="license_issued").license_id == license.license_id
    assert license.ai_disclosure is False and license.attribution is False  # her terms ask for neither
    answer = ask(api_client, key, talent)
    assert answer["decision"] == "permitted", answer  # her imported license (and terms) answer it
    by_terms = ask(
        api_client, key, talent, channel="print"
    )  # the license is online only; her terms allow print
    assert by_terms["decision"] == "permitted" and by_terms["basis"]["version"] == 1, by_terms


def test_a_bad_row_changes_nothing_and_is_named():
    rows = [_row(i) for i in range(5)]
    rows.append({"stage_name": "Bad Terms", "terms": [{**_row(9)["terms"][0], "uses": {"advertising": {}}}]})
    counts = (TalentProfile.objects.count(), TermVersion.objects.count(), Change.objects.count())
    with pytest.raises(ImportFailed) as failed:
        run_import(json.dumps({"talent": rows}))
    assert len(failed.value.errors) == 1 and "talent[5]" in failed.value.errors[0]
    assert (TalentProfile.objects.count(), TermVersion.objects.count(), Change.objects.count()) == counts
