"""Applying a registry file: matching existing talent and organizations, conflicts with what is already
recorded, new paper versions, concurrent imports of the same file."""

import copy
import json
import re
import threading

import pytest
from django.db import connection

from registry.brands.models import Organization
from registry.consent.models import RegistryImport, Term, TermVersion
from registry.importer.apply import run_import
from registry.importer.document import ImportFailed
from registry.licensing.models import License
from registry.talent.models import REGISTRY_ID_RE, TalentProfile
from tests.factories import TalentFactory
from tests.importer.example import EXAMPLE, counts


@pytest.mark.django_db
def test_matching_by_email_generated_ids_and_updates():
    existing = TalentFactory(email="kofi@example.org", stage_name="Kofi M.")
    report = run_import(
        json.dumps(
            {
                "talent": [
                    {"email": "KOFI@example.org", "stage_name": "Kofi Mensah"},
                    {"stage_name": "New Person", "email": "new@example.org", "disciplines": ["actor"]},
                ]
            }
        )
    )
    existing.refresh_from_db()
    assert existing.stage_name == "Kofi Mensah"
    assert report.talent_updated == [
        f"{existing.registry_id} Kofi Mensah: stage_name, email"
    ] or report.talent_updated == [f"{existing.registry_id} Kofi Mensah: stage_name"]
    new = TalentProfile.objects.get(email="new@example.org")
    assert re.match(REGISTRY_ID_RE, new.registry_id)
    assert len(report.talent_created) == 1


@pytest.mark.django_db
def test_conflicts_with_existing_records_are_errors_and_change_nothing(tmp_path):
    run_import(json.dumps(EXAMPLE))
    before = counts()
    changed_terms = copy.deepcopy(EXAMPLE)
    changed_terms["talent"][0]["terms"][0]["uses"]["ai_training"] = {"decision": "license"}
    changed_terms["talent"][0]["licenses"][0]["territories"] = ["US", "CA"]
    changed_terms["talent"][0]["stage_name"] = "Ana R."
    with pytest.raises(ImportFailed) as exc:
        run_import(json.dumps(changed_terms))
    assert exc.value.errors[0].startswith("talent[0].terms[0]: Differs from version 1")
    assert exc.value.errors[1].startswith("talent[0].licenses[0]: Differs from license")
    assert counts() == before
    assert TalentProfile.objects.get().stage_name == "Ana Reyes"
    other_email = copy.deepcopy(EXAMPLE)
    other_email["talent"][0]["registry_id"] = "TR-ZZZZ-ZZZZ"
    with pytest.raises(ImportFailed) as exc:
        run_import(json.dumps(other_email))
    assert "ana@example.org belongs to TR-7KQ3-M9XD" in exc.value.errors[0]


@pytest.mark.django_db
def test_a_new_paper_version_is_added_to_an_existing_history():
    run_import(json.dumps(EXAMPLE))
    later = copy.deepcopy(EXAMPLE)
    later["talent"][0]["terms"].append(
        {
            "effective_from": "2026-06-01",
            "document_ref": "paper form 2026-077",
            "is_revocation": True,
            "uses": {"advertising": {"decision": "license"}},
        }
    )
    report = run_import(json.dumps(later))
    assert len(report.versions_added) == 1 and len(report.versions_unchanged) == 1
    v2 = TermVersion.objects.get(number=2)
    assert v2.is_revocation and v2.document_ref == "paper form 2026-077" and v2.signed_as == "paper"


# --- concurrency --------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_the_same_file_do_not_duplicate_anyone():
    document = copy.deepcopy(EXAMPLE)
    document["talent"].append(
        {
            "stage_name": "No ID Yet",
            "email": "noid@example.org",
            "terms": [
                {
                    "effective_from": "2026-02-01",
                    "document_ref": "form 9",
                    "uses": {"editorial": {"decision": "allow"}},
                }
            ],
        }
    )
    raw = json.dumps(document)
    barrier = threading.Barrier(3)
    failures = []

    def worker():
        try:
            barrier.wait()
            run_import(raw)
        except Exception as exc:  # noqa: BLE001
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    assert TalentProfile.objects.count() == 2
    assert TermVersion.objects.count() == 2 and Term.objects.count() == 3
    assert License.objects.count() == 1 and Organization.objects.count() == 1
    assert RegistryImport.objects.count() == 3


@pytest.mark.django_db
def test_organizations_are_matched_by_name_case_insensitively():
    Organization.objects.create(name="ACME Apparel")
    report = run_import(json.dumps(EXAMPLE))
    assert report.organizations_created == []
    assert Organization.objects.count() == 1
    assert License.objects.get().organization.name == "ACME Apparel"
