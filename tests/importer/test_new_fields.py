"""The registry file's fields beyond product.md §2's example: talent `verified` and `date_of_death`, a term's
`organizations` and separate-consent record, a license's `attribution` and `ai_disclosure`; unknown fields
are still refused, and re-importing the same file changes nothing."""

import copy
import json
from datetime import date

import pytest

from registry.brands.models import Organization
from registry.consent.models import TermVersion
from registry.importer.apply import run_import
from registry.importer.document import ImportFailed
from registry.licensing.models import License
from registry.talent.imports import IMPORT_VERIFICATION
from registry.talent.models import TalentProfile
from tests.importer.example import EXAMPLE, counts

pytestmark = pytest.mark.django_db

REPLICA = {
    "decision": "allow",
    "modalities": ["image"],
    "territories": ["US"],
    "channels": ["online", "social"],
    "organizations": ["glowskin", "Acme Apparel"],
    "consent_description": "A digital double for GlowSkin's winter 2027 campaign, online and social only.",
    "consent_duration": "Until 2027-12-31",
    "consent_pay": "USD 6,000 flat fee",
    "represented_by": "SAG-AFTRA Local 1",
}


def example(**talent_fields):
    document = copy.deepcopy(EXAMPLE)
    document["talent"][0].update(talent_fields)
    return document


def import_twice(document):
    first = run_import(json.dumps(document))
    before = counts()
    second = run_import(json.dumps(document))
    assert counts() == before
    assert not (second.talent_created or second.talent_updated or second.versions_added)
    assert not (second.licenses_added or second.organizations_created)
    return first


def test_the_example_imports_verified_with_a_verification_record():
    import_twice(EXAMPLE)
    ana = TalentProfile.objects.get(registry_id="TR-7KQ3-M9XD")
    assert ana.is_verified and ana.verification_method == IMPORT_VERIFICATION and ana.verified_at
    assert not ana.is_deceased and ana.date_of_death is None
    # Its replica-use license carries the AI-disclosure duty (product.md §3); no credit was asked.
    license = License.objects.get()
    assert (license.ai_disclosure, license.attribution) == (True, False)


def test_verified_false_imports_an_unverified_profile_and_a_later_file_may_verify_it():
    run_import(json.dumps(example(verified=False)))
    ana = TalentProfile.objects.get(registry_id="TR-7KQ3-M9XD")
    assert not ana.is_verified
    # A file that does not mention `verified` leaves the profile as it is.
    run_import(json.dumps(EXAMPLE))
    assert not TalentProfile.objects.get(pk=ana.pk).is_verified
    report = run_import(json.dumps(example(verified=True)))
    assert report.talent_updated == ["TR-7KQ3-M9XD Ana Reyes: verified"]
    assert TalentProfile.objects.get(pk=ana.pk).is_verified


def test_date_of_death_marks_the_performer_deceased():
    import_twice(example(date_of_death="2026-02-01"))
    ana = TalentProfile.objects.get(registry_id="TR-7KQ3-M9XD")
    assert ana.is_deceased and ana.date_of_death == date(2026, 2, 1)


def test_bad_verified_and_date_of_death_are_named():
    with pytest.raises(ImportFailed) as exc:
        run_import(json.dumps(example(verified="yes", date_of_death="1990-01-01")))
    assert "talent[0].verified: Must be true or false." in exc.value.errors
    assert "talent[0].date_of_death: Before the date of birth." in exc.value.errors
    assert TalentProfile.objects.count() == 0


def test_term_organizations_are_matched_by_name_and_created_if_missing():
    Organization.objects.create(name="GlowSkin")
    document = copy.deepcopy(EXAMPLE)
    document["talent"][0]["terms"][0]["uses"]["replica_use"] = REPLICA
    report = import_twice(document)
    assert report.organizations_created == ["Acme Apparel"]  # GlowSkin matched case-insensitively
    term = TermVersion.objects.get().terms.get(use="replica_use")
    names = set(Organization.objects.filter(pk__in=term.organizations).values_list("name", flat=True))
    assert names == {"GlowSkin", "Acme Apparel"}
    assert (term.consent_description, term.consent_duration) == (
        REPLICA["consent_description"],
        "Until 2027-12-31",
    )
    assert (term.consent_pay, term.represented_by) == ("USD 6,000 flat fee", "SAG-AFTRA Local 1")
    assert '"name":"GlowSkin"' in TermVersion.objects.get().canonical_json


def test_a_vague_paper_consent_is_refused_with_its_row_named():
    document = copy.deepcopy(EXAMPLE)
    document["talent"][0]["terms"][0]["uses"]["replica_use"] = {
        **REPLICA,
        "consent_description": "Any and all uses in perpetuity",
    }
    with pytest.raises(ImportFailed) as exc:
        run_import(json.dumps(document))
    assert any(
        e.startswith("talent[0].terms[0].replica_use.consent_description: Describe the intended use")
        for e in exc.value.errors
    ), exc.value.errors
    assert TalentProfile.objects.count() == 0


def test_organizations_must_be_names_on_an_allowed_use():
    document = copy.deepcopy(EXAMPLE)
    uses = document["talent"][0]["terms"][0]["uses"]
    uses["ai_training"] = {"decision": "deny", "organizations": ["GlowSkin"]}
    uses["advertising"]["organizations"] = [12]
    with pytest.raises(ImportFailed) as exc:
        run_import(json.dumps(document))
    assert (
        "talent[0].terms[0].uses.ai_training.organizations: "
        "Only an allowed use is limited to named organizations." in exc.value.errors
    )
    assert "talent[0].terms[0].uses.advertising.organizations: Must be a list of organization names." in (
        exc.value.errors
    )


def test_license_attribution_and_ai_disclosure():
    document = copy.deepcopy(EXAMPLE)
    lic = document["talent"][0]["licenses"][0]
    lic.update({"attribution": True, "ai_disclosure": False})  # replica use: disclosure is forced
    editorial = {**lic, "use": "editorial", "description": "Editorial portrait series for the spring issue"}
    editorial.update({"attribution": False, "ai_disclosure": False})
    document["talent"][0]["licenses"].append(editorial)
    import_twice(document)
    by_use = {x.use: x for x in License.objects.all()}
    assert (by_use["replica_use"].attribution, by_use["replica_use"].ai_disclosure) == (True, True)
    assert (by_use["editorial"].attribution, by_use["editorial"].ai_disclosure) == (False, False)
    lic["attribution"] = "yes"
    with pytest.raises(ImportFailed) as exc:
        run_import(json.dumps(document))
    assert "talent[0].licenses[0].attribution: Must be true or false." in exc.value.errors


def test_license_disclosure_follows_the_term_in_effect():
    document = copy.deepcopy(EXAMPLE)
    document["talent"][0]["terms"][0]["uses"]["advertising"]["ai_disclosure"] = True
    lic = document["talent"][0]["licenses"][0]
    lic.update({"use": "advertising", "description": "Spring catalogue photos for the online shop"})
    run_import(json.dumps(document))
    assert License.objects.get().ai_disclosure


@pytest.mark.parametrize(
    "where, key",
    [
        ("talent", "verifed"),
        ("term", "organisations"),
        ("use", "consent_descripton"),
        ("license", "ai_label"),
    ],
)
def test_unknown_fields_are_still_refused(where, key):
    document = copy.deepcopy(EXAMPLE)
    row = document["talent"][0]
    target = {
        "talent": row,
        "term": row["terms"][0],
        "use": row["terms"][0]["uses"]["advertising"],
        "license": row["licenses"][0],
    }[where]
    target[key] = True
    with pytest.raises(ImportFailed) as exc:
        run_import(json.dumps(document))
    assert any(f".{key}" in e and "Unknown field" in e for e in exc.value.errors), exc.value.errors
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_registry_ids_are_read_as_crockford_reads_them():
    document = example(registry_id="tr-7kq3-m9xd")
    run_import(json.dumps(document))
    assert TalentProfile.objects.get().registry_id == "TR-7KQ3-M9XD"
    assert not run_import(json.dumps(EXAMPLE)).talent_created
