"""Every rule of product.md §3 as now written, each through the single endpoint and the bulk endpoint (same
answers): rule 1 (with Crockford IDs), 1b (minors, the day before and on the 18th birthday), 2 (license
conditions), 3–5, 6 (named organizations, verified profiles) and every basis.reason of rule 7."""

from datetime import date

import pytest

from registry.brands.models import PermissionCheck
from registry.licensing.models import License
from registry.talent import facts as talent_facts
from registry.talent.models import TalentProfile
from tests.brands.helpers import key_from_command, org
from tests.checks.both_ways import ask, sign_terms_naming
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

PROTECTED = ["adult", "alcohol", "cosmetic_surgery", "gambling", "weapons"]  # tobacco: already the term's


@pytest.fixture
def key():
    return key_from_command("Acme Apparel")


@pytest.fixture
def acme(key):
    return org("Acme Apparel")


@pytest.fixture
def talent():
    talent = TalentFactory(stage_name="Ana Reyes", registry_id="TR-7KQ0-M1XD")
    sign_terms(
        talent,
        {
            "advertising": ADVERTISING_ALLOW,
            "editorial": {"decision": "license", "min_fee": {"amount": "900", "currency": "EUR"}},
            "digital_alteration": {"decision": "deny"},
        },
    )
    return talent


def minor(**kw):
    """Ana's 18th birthday is 2026-06-02: on the check date (2026-06-01) she is still a minor."""
    talent = TalentFactory(date_of_birth=date(2008, 6, 2), **kw)
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "excluded_categories": ["tobacco"]}})
    return talent


# --- rule 1 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["TR-7KQ0-M1XD", "tr-7kq0-m1xd", "TR7KQ0M1XD", "tr7kqom1xd", "TR-7KQO-MIXD", "tr-7kq0-mlxd"]
)
def test_rule1_ids_are_read_as_crockford_reads_them(api_client, key, talent, typed):
    answer = ask(api_client, key, typed)
    assert answer["talent"] == "TR-7KQ0-M1XD" and answer["decision"] == "permitted"
    assert answer["verified"] is True
    assert PermissionCheck.objects.filter(talent=talent, talent_registry_id="TR-7KQ0-M1XD").count() == 2


@pytest.mark.parametrize("typed", ["TR-0000-0000", "Ana Reyes", "TR-7KQ0-M1X", "TR-7KQU-M1XD"])
def test_rule1_unknown_or_impossible_ids_are_not_registered(api_client, key, talent, typed):
    answer = ask(api_client, key, typed)
    assert answer["decision"] == "not_registered" and answer["basis"] is None
    assert answer["verified"] is False and answer["conditions"] == {}
    assert answer["talent"] == typed


def test_rule1_withdrawn_is_not_registered_and_not_verified(api_client, key, talent):
    TalentProfile.objects.filter(pk=talent.pk).update(status=TalentProfile.Status.WITHDRAWN)
    talent_facts.changed(talent.pk)  # an update() bypasses save(): its caller says the facts changed
    answer = ask(api_client, key, "tr-7kq0-m1xd")
    assert (answer["decision"], answer["verified"], answer["talent"]) == (
        "not_registered",
        False,
        "TR-7KQ0-M1XD",
    )


# --- rule 1b: minors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["alcohol", "wine", "Beer", "gambling", "adult", "weapons", "vaping"])
def test_rule1b_a_minor_is_never_used_for_protected_categories(api_client, key, acme, category):
    talent = minor()
    License.objects.create(  # even a license naming the category does not permit it
        talent=talent,
        organization=acme,
        use="advertising",
        modalities=["image"],
        territories=["US"],
        channels=["online"],
        product_category="",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        description="Summer campaign for the drinks brand, online banners in the US",
    )
    answer = ask(api_client, key, talent, product_category=category)
    assert answer["decision"] == "denied"
    assert answer["basis"] == {"kind": "default", "reason": "minor_protected"}
    assert answer["conditions"] == {} and answer["verified"] is True


def test_rule1b_a_minor_may_still_be_used_for_other_categories(api_client, key):
    talent = minor()
    answer = ask(api_client, key, talent, product_category="apparel")
    assert answer["decision"] == "permitted" and "excluded_categories" not in answer["conditions"]


def test_rule1b_without_a_category_the_protected_ones_join_the_excluded(api_client, key):
    talent = minor()
    answer = ask(api_client, key, talent)
    assert answer["decision"] == "permitted"
    assert answer["conditions"]["excluded_categories"] == ["tobacco", *PROTECTED]
    bare = TalentFactory(date_of_birth=date(2010, 1, 1))
    answer = ask(api_client, key, bare)
    assert answer["decision"] == "license_required" and answer["basis"]["reason"] == "no_signed_terms"
    assert answer["conditions"] == {"excluded_categories": sorted(["tobacco", *PROTECTED])}


def test_rule1b_ends_on_the_18th_birthday(api_client, key):
    talent = minor()
    on_birthday = ask(api_client, key, talent, product_category="alcohol", date="2026-06-02")
    assert on_birthday["decision"] == "permitted"
    later = ask(api_client, key, talent, date="2026-06-02")
    assert later["conditions"]["excluded_categories"] == ["tobacco"]
    day_before = ask(api_client, key, talent, product_category="alcohol", date="2026-06-01")
    assert day_before["decision"] == "denied"


def test_rule1b_needs_a_known_date_of_birth(api_client, key):
    talent = TalentFactory(date_of_birth=None)
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "excluded_categories": []}})
    assert ask(api_client, key, talent, product_category="alcohol")["decision"] == "permitted"


# --- rule 2: licenses and their conditions ------------------------------------------------------------------


def test_rule2_a_license_permits_with_its_conditions(api_client, key, acme, talent):
    lic = License.objects.create(
        talent=talent,
        organization=acme,
        use="replica_use",
        modalities=["image"],
        territories=["US"],
        channels=["social"],
        product_category="apparel",
        valid_from=date(2026, 3, 1),
        valid_until=date(2026, 9, 30),
        description="AI-generated try-on images for the spring catalogue",
        attribution=True,
        ai_disclosure=True,
    )
    licensed = {"use": "replica_use", "channel": "social", "product_category": "apparel"}
    answer = ask(api_client, key, talent, **licensed)
    assert answer["decision"] == "permitted"
    assert answer["basis"] == {"kind": "license", "license_id": lic.license_id}
    assert answer["conditions"] == {"attribution": True, "ai_disclosure": True}
    assert answer["valid_until"] == "2026-09-30"
    other = key_from_command("Nimbus Media")
    assert ask(api_client, other, talent, **licensed)["basis"]["reason"] == "no_term_for_use"


# --- rules 3 to 5 -------------------------------------------------------------------------------------------


def test_rule3_no_terms_and_no_term_for_the_use(api_client, key, talent):
    bare = TalentFactory()
    answer = ask(api_client, key, bare)
    assert answer["decision"] == "license_required"
    assert answer["basis"] == {"kind": "default", "reason": "no_signed_terms"}
    assert ask(api_client, key, bare, use="ai_training")["decision"] == "denied"
    answer = ask(api_client, key, talent, use="replica_use")
    assert answer["decision"] == "license_required" and answer["basis"]["reason"] == "no_term_for_use"
    assert ask(api_client, key, talent, use="ai_training")["decision"] == "denied"


def test_rule4_deny(api_client, key, talent):
    answer = ask(api_client, key, talent, use="digital_alteration")
    assert answer["decision"] == "denied" and answer["basis"]["kind"] == "terms"


@pytest.mark.parametrize(
    "typed", ["tobacco", "cigarettes", "Vaping", "e-cigarettes", "politics", " Election "]
)
def test_rule5_excluded_category_as_people_type_it(api_client, key, talent, typed):
    answer = ask(api_client, key, talent, product_category=typed)
    assert answer["decision"] == "denied" and answer["basis"]["reason"] == "excluded_category"


# --- rules 6 and 7 ------------------------------------------------------------------------------------------


def test_rule6_permitted_with_the_terms_conditions(api_client, key, talent):
    answer = ask(api_client, key, talent, product_category="apparel")
    assert answer["decision"] == "permitted" and "reason" not in answer["basis"]
    assert answer["conditions"] == {
        "attribution": True,
        "ai_disclosure": False,
        "min_fee": {"amount": "500.00", "currency": "USD"},
    }
    assert answer["valid_until"] == "2027-12-31"


def test_rule7_license_term(api_client, key, talent):
    answer = ask(api_client, key, talent, use="editorial")
    assert answer["decision"] == "license_required" and answer["basis"]["reason"] == "license_term"
    assert answer["conditions"]["min_fee"] == {"amount": "900.00", "currency": "EUR"}


@pytest.mark.parametrize(
    "overrides",
    [{"territory": "DE"}, {"modality": "voice"}, {"channel": "broadcast"}, {"date": "2028-01-01"}],
    ids=["territory", "modality", "channel", "date"],
)
def test_rule7_outside_conditions(api_client, key, talent, overrides):
    answer = ask(api_client, key, talent, **overrides)
    assert answer["decision"] == "license_required" and answer["basis"]["reason"] == "outside_conditions"


def test_rule6_named_organizations_only(api_client, key, acme):
    nimbus_key = key_from_command("Nimbus Media")
    talent = TalentFactory()
    sign_terms_naming(talent, {"advertising": ADVERTISING_ALLOW}, {"advertising": [acme]})
    assert ask(api_client, key, talent)["decision"] == "permitted"
    answer = ask(api_client, nimbus_key, talent)
    assert answer["decision"] == "license_required"
    assert answer["basis"]["reason"] == "organization_not_named"


def test_rule6_an_unverified_profile_never_permits_from_its_terms(api_client, key):
    talent = TalentFactory(is_verified=False)
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW, "editorial": {"decision": "deny"}})
    answer = ask(api_client, key, talent)
    assert answer["decision"] == "license_required" and answer["verified"] is False
    assert answer["basis"]["reason"] == "unverified_profile"
    assert ask(api_client, key, talent, use="editorial")["decision"] == "denied"  # denials still hold
    TalentProfile.objects.filter(pk=talent.pk).update(is_verified=True)
    talent_facts.changed(talent.pk)  # an update() bypasses save(): its caller says the facts changed
    answer = ask(api_client, key, talent)
    assert answer["decision"] == "permitted" and answer["verified"] is True


def test_rule7_names_one_reason_the_broadest_first(api_client, key, acme):
    """license_term, then unverified_profile, then organization_not_named, then outside_conditions."""
    nimbus_key = key_from_command("Nimbus Media")
    unverified = TalentFactory(is_verified=False)
    sign_terms_naming(
        unverified,
        {"advertising": ADVERTISING_ALLOW, "editorial": {"decision": "license"}},
        {"advertising": [acme], "editorial": [acme]},
    )
    reason = lambda k, t, **kw: ask(api_client, k, t, **kw)["basis"]["reason"]  # noqa: E731
    assert reason(nimbus_key, unverified, use="editorial", territory="DE") == "license_term"
    assert reason(nimbus_key, unverified, territory="DE") == "unverified_profile"
    verified = TalentFactory()
    sign_terms_naming(verified, {"advertising": ADVERTISING_ALLOW}, {"advertising": [acme]})
    assert reason(nimbus_key, verified, territory="DE") == "organization_not_named"
    assert reason(key, verified, territory="DE") == "outside_conditions"
