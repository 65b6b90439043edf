"""import_registry (command and staff page): DESIGN.md's example, idempotency, every bad row named with its
position and nothing changed, matching rules, concurrent imports."""

import copy
import io
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from registry.brands.models import Organization
from registry.checks.evaluator import evaluate, parse_check
from registry.consent.importer import ImportFailed, run_import
from registry.consent.models import RegistryImport, Term, TermVersion
from registry.licensing.models import License
from registry.talent.models import REGISTRY_ID_RE, TalentProfile
from tests.factories import TalentFactory

EXAMPLE = {
    "talent": [
        {
            "registry_id": "TR-7KQ3-M9XD",
            "stage_name": "Ana Reyes",
            "legal_name": "Ana María Reyes",
            "email": "ana@example.org",
            "date_of_birth": "1996-04-02",
            "membership_number": "U-104233",
            "disciplines": ["model"],
            "terms": [
                {
                    "effective_from": "2026-01-01",
                    "document_ref": "paper form 2026-001",
                    "uses": {
                        "advertising": {
                            "decision": "allow",
                            "modalities": ["image", "video"],
                            "territories": ["US", "CA"],
                            "channels": ["online", "print"],
                            "valid_from": "2026-01-01",
                            "valid_until": "2027-12-31",
                            "min_fee": {"amount": "500.00", "currency": "USD"},
                            "attribution": True,
                            "ai_disclosure": False,
                            "excluded_categories": ["political", "tobacco"],
                        },
                        "ai_training": {"decision": "deny"},
                    },
                }
            ],
            "licenses": [
                {
                    "organization": "Acme Apparel",
                    "use": "replica_use",
                    "modalities": ["image"],
                    "territories": ["US"],
                    "channels": ["social"],
                    "product_category": "apparel",
                    "valid_from": "2026-03-01",
                    "valid_until": "2026-09-30",
                    "fee": {"amount": "2500.00", "currency": "USD"},
                    "description": "AI-generated try-on images for the spring catalogue",
                }
            ],
        }
    ]
}


def write(tmp_path, document, name="registry.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def counts():
    return (
        TalentProfile.objects.count(),
        TalentProfile.history.count(),
        TermVersion.objects.count(),
        Term.objects.count(),
        License.objects.count(),
        Organization.objects.count(),
    )


def run_command(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_registry", path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_design_example_imports_and_reimporting_changes_nothing(tmp_path):
    path = write(tmp_path, EXAMPLE)
    out, _ = run_command(path)
    assert "Talent created: 1" in out and "Term versions added: 1" in out and "Licenses added: 1" in out
    talent = TalentProfile.objects.get(registry_id="TR-7KQ3-M9XD")
    assert (talent.stage_name, talent.legal_name, talent.email, str(talent.date_of_birth)) == (
        "Ana Reyes",
        "Ana María Reyes",
        "ana@example.org",
        "1996-04-02",
    )
    assert (talent.membership_number, talent.disciplines) == ("U-104233", ["model"])
    version = TermVersion.objects.get(talent=talent)
    assert (version.number, version.status, version.signed_as, version.document_ref) == (
        1,
        "signed",
        "paper",
        "paper form 2026-001",
    )
    assert len(version.sha256) == 64 and version.signer_name == "Ana María Reyes"
    assert "Advertising" in version.text_shown
    license = License.objects.get()
    assert (license.organization.name, license.use, license.product_category, str(license.fee_amount)) == (
        "Acme Apparel",
        "replica_use",
        "apparel",
        "2500.00",
    )
    assert license.description == "AI-generated try-on images for the spring catalogue"
    # The imported terms decide checks.
    check = parse_check(
        {
            "talent": "TR-7KQ3-M9XD",
            "use": "advertising",
            "modality": "image",
            "territory": "US",
            "channel": "online",
            "date": "2026-06-01",
        }
    )
    assert evaluate(check).decision == "permitted"
    licensed = parse_check(
        {
            "talent": "TR-7KQ3-M9XD",
            "use": "replica_use",
            "modality": "image",
            "territory": "US",
            "channel": "social",
            "date": "2026-06-01",
            "product_category": "apparel",
        }
    )
    assert (
        evaluate(licensed, organization_id=license.organization_id).basis["license_id"] == license.license_id
    )

    before = counts()
    out, _ = run_command(path)
    assert counts() == before
    assert "Nothing to change" in out and "Term versions already imported: 1" in out
    assert RegistryImport.objects.count() == 2


@pytest.mark.django_db
def test_one_bad_row_changes_nothing_and_names_its_position(tmp_path):
    document = copy.deepcopy(EXAMPLE)
    second = copy.deepcopy(EXAMPLE["talent"][0])
    second.update(registry_id="TR-AAAA-BBBB", email="kofi@example.org", stage_name="Kofi", licenses=[])
    third = copy.deepcopy(second)
    third.update(registry_id="TR-CCCC-DDDD", email="lee@example.org", stage_name="Lee")
    third["terms"][0]["uses"]["advertising"]["territories"] = ["US", "XX"]
    document["talent"] += [second, third]
    with pytest.raises(CommandError) as exc:
        run_command(write(tmp_path, document))
    assert "nothing was imported" in str(exc.value)
    assert counts() == (0, 0, 0, 0, 0, 0)
    assert not RegistryImport.objects.exists()
    with pytest.raises(ImportFailed) as failed:
        run_import(json.dumps(document))
    assert failed.value.errors == [
        "talent[2].terms[0].uses.advertising.territories: Unknown territory 'XX': "
        "use an ISO 3166-1 alpha-2 code in upper case (e.g. US, DE) or 'worldwide'."
    ]


@pytest.mark.django_db
def test_every_bad_row_is_reported(tmp_path):
    document = copy.deepcopy(EXAMPLE)
    row = document["talent"][0]
    row["registry_id"] = "TR-IIII-0000"
    row["date_of_birth"] = "1996-02-30"
    row["disciplines"] = ["model", "wizard"]
    row["nickname"] = "x"
    row["terms"][0]["uses"]["advertising"]["channels"] = ["online", "radio"]
    row["terms"][0]["uses"]["hologram"] = {"decision": "allow"}
    row["terms"].append({"effective_from": "2026-02-01", "uses": {"editorial": {"decision": "sometimes"}}})
    row["licenses"][0].update(use="teleport", valid_until="2026-01-01", fee={"amount": "lots"})
    document["talent"].append("not an object")
    errors = []
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", write(tmp_path, document), stdout=io.StringIO(), stderr=err)
    errors = err.getvalue().splitlines()
    expected_prefixes = [
        "talent[0].nickname: Unknown field.",
        "talent[0].registry_id: 'TR-IIII-0000' is not a registry ID",
        "talent[0].date_of_birth: '1996-02-30' is not a date",
        "talent[0].disciplines: Unknown discipline(s) 'wizard'",
        "talent[0].terms[0].uses.advertising.channels: Unknown channel 'radio'",
        "talent[0].terms[0].uses.hologram: Unknown use 'hologram'",
        "talent[0].terms[1].document_ref: Required",
        "talent[0].terms[1].uses.editorial.decision: Decision must be one of",
        "talent[0].licenses[0].use: Unknown use 'teleport'",
        "talent[0].licenses[0].valid_until: The license ends before it starts.",
        "talent[0].licenses[0].fee: Must look like",
        "talent[1]: Must be an object.",
    ]
    for prefix in expected_prefixes:
        assert any(line.startswith(prefix) for line in errors), (prefix, errors)
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_invalid_json_and_missing_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"talent": [', encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), stdout=io.StringIO(), stderr=err)
    assert "Not valid JSON" in err.getvalue()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_registry", str(tmp_path / "missing.json"))


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
    import re

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


# --- the staff page -------------------------------------------------------------------------------------


def upload(name, document):
    # Files usually end with a newline: the preview → confirm round trip must keep the exact bytes.
    return SimpleUploadedFile(name, json.dumps(document).encode() + b"\n", content_type="application/json")


@pytest.mark.django_db
def test_staff_page_previews_then_imports(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/staff/terms/import/").status_code == 200
    preview = client.post("/staff/terms/import/", {"file": upload("roster.json", EXAMPLE)})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Talent created: 1" in page and "TR-7KQ3-M9XD Ana Reyes" in page and "Licenses added: 1" in page
    assert counts() == (0, 0, 0, 0, 0, 0)  # a preview changes nothing
    content = preview.context["confirm_form"].initial["content"]
    sha = preview.context["confirm_form"].initial["sha256"]
    done = client.post(
        "/staff/terms/import/",
        {"confirm": "1", "content": content, "sha256": sha, "file_name": "roster.json"},
    )
    assert done.status_code == 200 and "Imported" in done.content.decode()
    assert TalentProfile.objects.filter(registry_id="TR-7KQ3-M9XD").exists()
    record = RegistryImport.objects.get()
    assert (record.imported_by, record.source, record.file_name) == (staff_user, "staff_page", "roster.json")
    again = client.post("/staff/terms/import/", {"file": upload("roster.json", EXAMPLE)})
    assert "already imported: there is nothing to change" in again.content.decode()
    import base64

    assert base64.b64decode(content).endswith(b"}\n")  # the exact bytes, newline included
    other = base64.b64encode(base64.b64decode(content) + b" ").decode()
    tampered = client.post("/staff/terms/import/", {"confirm": "1", "content": other, "sha256": sha})
    assert tampered.status_code == 302
    garbage = client.post("/staff/terms/import/", {"confirm": "1", "content": "%%%", "sha256": sha})
    assert garbage.status_code == 302


@pytest.mark.django_db
def test_staff_page_shows_every_error_and_changes_nothing(client, staff_user):
    client.force_login(staff_user)
    bad = copy.deepcopy(EXAMPLE)
    bad["talent"][0]["terms"][0]["uses"]["advertising"]["territories"] = ["XX"]
    response = client.post("/staff/terms/import/", {"file": upload("bad.json", bad)})
    assert response.status_code == 400
    assert (
        "talent[0].terms[0].uses.advertising.territories: Unknown territory &#x27;XX&#x27;"
        in response.content.decode()
    )
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["talent_user", "brand_user", "representative_user"])
def test_staff_import_is_staff_only(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/staff/terms/import/").status_code == 403
    assert client.post("/staff/terms/import/", {"file": upload("x.json", EXAMPLE)}).status_code == 403
    assert not TalentProfile.objects.exists()


@pytest.mark.django_db
def test_staff_import_needs_login(client):
    assert client.get("/staff/terms/import/").status_code == 302


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
