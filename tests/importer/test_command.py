"""import_registry (the command): product.md's example, idempotency, every bad row named with its position and
nothing changed, dates written YYYY-MM-DD only."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from registry.checks.evaluator import evaluate, parse_check
from registry.consent.models import RegistryImport, TermVersion
from registry.importer.apply import run_import
from registry.importer.document import ImportFailed
from registry.licensing.models import License
from registry.talent.models import TalentProfile
from tests.importer.example import EXAMPLE, counts, run_command, write


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
    row["registry_id"] = "TR-UUUU-0000"
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
        "talent[0].registry_id: 'TR-UUUU-0000' is not a registry ID",
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
def test_dates_must_be_written_yyyy_mm_dd(tmp_path):
    # The API's reading of a date: `20260101` (ISO basic format) is refused, row by row, as in the API.
    document = copy.deepcopy(EXAMPLE)
    row = document["talent"][0]
    row["date_of_birth"] = "19960402"
    row["terms"][0]["effective_from"] = "20260101"
    row["licenses"][0]["valid_from"] = "20260301"
    row["licenses"][0]["valid_until"] = 20260930
    err = io.StringIO()
    with pytest.raises(CommandError, match="4 error"):
        call_command("import_registry", write(tmp_path, document), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "talent[0].date_of_birth: '19960402' is not a date in YYYY-MM-DD form.",
        "talent[0].terms[0].effective_from: '20260101' is not a date in YYYY-MM-DD form.",
        "talent[0].licenses[0].valid_from: '20260301' is not a date in YYYY-MM-DD form.",
        "talent[0].licenses[0].valid_until: Must be a date in YYYY-MM-DD form.",
    ]
    assert counts() == (0, 0, 0, 0, 0, 0)
    with pytest.raises(ImportFailed) as failed:
        run_import(json.dumps(document))
    assert failed.value.code == "import_failed" and len(failed.value.errors) == 4
