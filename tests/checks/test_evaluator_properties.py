"""Property-based tests of the evaluator (hypothesis): invariants that hold for any terms and any request,
and, for any terms, licenses, talent (minor or not, verified or not) and caller, the protections of §3."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.brands.models import Organization
from registry.checks.evaluator import RULE7_REASONS, CheckRequest, evaluate, evaluate_many
from registry.consent import drafts, vocab
from registry.consent.models import Term
from registry.licensing.models import License
from tests.checks.both_ways import sign
from tests.factories import TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

TERRITORIES = ["US", "CA", "GB", "DE", "JP", "BR"]
CATEGORIES = sorted(vocab.DEFAULT_EXCLUDED_CATEGORIES) + ["apparel", "cosmetics"]
START = date(2026, 1, 1)

uses = st.sampled_from(sorted(vocab.USES))
requests_for = st.fixed_dictionaries(
    {
        "use": uses,
        "modality": st.sampled_from(sorted(vocab.MODALITIES)),
        "territory": st.sampled_from(TERRITORIES),
        "channel": st.sampled_from(sorted(vocab.CHANNELS)),
        "date": st.integers(min_value=-100, max_value=900).map(lambda d: START + timedelta(days=d)),
        "product_category": st.sampled_from(["", *CATEGORIES]),
    }
)


@st.composite
def terms(draw, decision=None):
    window_start = draw(st.integers(min_value=-50, max_value=400))
    has_window = draw(st.booleans())
    return {
        "decision": decision or draw(st.sampled_from(["allow", "license", "deny"])),
        "modalities": draw(st.lists(st.sampled_from(sorted(vocab.MODALITIES)), unique=True)),
        "territories": draw(st.lists(st.sampled_from([*TERRITORIES, "worldwide"]), unique=True)),
        "channels": draw(st.lists(st.sampled_from(sorted(vocab.CHANNELS)), unique=True)),
        "valid_from": (START + timedelta(days=window_start)).isoformat() if has_window else None,
        "valid_until": (START + timedelta(days=window_start + 300)).isoformat() if has_window else None,
        "attribution": draw(st.booleans()),
        "ai_disclosure": draw(st.booleans()),
        "excluded_categories": draw(
            st.lists(st.sampled_from(sorted(vocab.DEFAULT_EXCLUDED_CATEGORIES)), unique=True)
        ),
        "consent_description": "Digital double for the 2026 autumn campaign of one named brand.",
        "consent_duration": "12 months",
        "consent_pay": "USD 5,000",
    }


def request(talent, data) -> CheckRequest:
    return CheckRequest(talent=talent.registry_id, **data)


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(use=uses, term=terms(decision="deny"), req=requests_for)
def test_a_deny_term_never_yields_permitted_from_standing_terms(use, term, req):
    talent = TalentFactory()
    sign_terms(talent, {use: term}, effective_from=START - timedelta(days=200))
    result = evaluate(request(talent, {**req, "use": use}))
    assert result.decision == "denied"
    assert result.basis["kind"] == "terms"


@SETTINGS
@given(req=requests_for)
def test_without_terms_ai_training_is_never_permitted_and_nothing_else_is_either(req):
    talent = TalentFactory()
    result = evaluate(request(talent, req))
    assert result.decision == ("denied" if req["use"] == "ai_training" else "license_required")


@SETTINGS
@given(version_terms=st.dictionaries(uses, terms(), min_size=1, max_size=6), req=requests_for)
def test_permitted_from_terms_always_lies_inside_an_allow_terms_conditions(version_terms, req):
    talent = TalentFactory()
    sign_terms(talent, version_terms, effective_from=START - timedelta(days=200))
    result = evaluate(request(talent, req))
    term = version_terms.get(req["use"])
    if result.decision == "permitted":
        assert term is not None and term["decision"] == "allow"
        assert req["modality"] in term["modalities"]
        assert req["territory"] in term["territories"] or "worldwide" in term["territories"]
        assert req["channel"] in term["channels"]
        assert req["product_category"] not in term["excluded_categories"]
    if term is None and req["use"] == "ai_training":
        assert result.decision == "denied"


@SETTINGS
@given(version_terms=st.dictionaries(uses, terms(), max_size=6), reqs=st.lists(requests_for, max_size=12))
def test_evaluate_many_equals_evaluate_per_item_in_order(version_terms, reqs):
    talent = TalentFactory()
    if version_terms:
        sign_terms(talent, version_terms, effective_from=START)
    batch = [request(talent, r) for r in reqs] + [CheckRequest("TR-0000-0000", **r) for r in reqs[:1]]
    assert [r.as_dict() for r in evaluate_many(batch)] == [evaluate(r).as_dict() for r in batch]


@SETTINGS
@given(first=terms(), second=terms(), req=requests_for)
def test_a_later_version_never_changes_answers_dated_before_it(first, second, req):
    talent = TalentFactory()
    sign_terms(talent, {req["use"]: first}, effective_from=START)
    before = evaluate(request(talent, {**req, "date": START + timedelta(days=99)})).as_dict()
    sign_terms(talent, {req["use"]: second}, effective_from=START + timedelta(days=100))
    after = evaluate(request(talent, {**req, "date": START + timedelta(days=99)})).as_dict()
    assert before == after


# --- the protections of rules 1b and 6: minors, unverified profiles, named organizations -------------------

ORG_NAMES = ("Acme Apparel", "Nimbus Media")
licenses_for = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "organization": st.sampled_from(ORG_NAMES),
            "use": uses,
            "modalities": st.lists(st.sampled_from(sorted(vocab.MODALITIES)), min_size=1, unique=True),
            "territories": st.lists(st.sampled_from([*TERRITORIES, "worldwide"]), min_size=1, unique=True),
            "channels": st.lists(st.sampled_from(sorted(vocab.CHANNELS)), min_size=1, unique=True),
            "product_category": st.sampled_from(["", *CATEGORIES]),
            "attribution": st.booleans(),
            "ai_disclosure": st.booleans(),
        }
    ),
)
talent_for = st.fixed_dictionaries(
    {
        "date_of_birth": st.one_of(
            st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2015, 12, 31))
        ),
        "is_verified": st.booleans(),
    }
)


@SETTINGS
@given(
    person=talent_for,
    version_terms=st.dictionaries(uses, terms(), max_size=4),
    named=st.dictionaries(uses, st.lists(st.sampled_from(ORG_NAMES), unique=True), max_size=4),
    license=licenses_for,
    caller=st.sampled_from([*ORG_NAMES, None]),
    req=requests_for,
)
def test_never_permitted_for_a_protected_minor_an_unverified_allow_or_an_unnamed_caller(
    person, version_terms, named, license, caller, req
):
    orgs = {name: Organization.objects.get_or_create(name=name)[0] for name in ORG_NAMES}
    talent = TalentFactory(**person)
    if version_terms:
        draft = drafts.create_draft(
            talent=talent, effective_from=START - timedelta(days=200), uses=version_terms
        )
        for use, names in named.items():
            Term.objects.filter(version=draft, use=use).update(organizations=[orgs[n].pk for n in names])
        sign(talent, draft)
    if license:
        license = dict(license)
        License.objects.create(
            talent=talent,
            organization=orgs[license.pop("organization")],
            valid_from=START - timedelta(days=100),
            valid_until=START + timedelta(days=800),
            description="Spring campaign images of the talent for the brand's online shop",
            **license,
        )
    caller_id = orgs[caller].pk if caller else None
    result = evaluate(request(talent, req), organization_id=caller_id)
    minor = talent.is_minor(req["date"])
    assert result.verified is person["is_verified"]
    if minor and req["product_category"] in vocab.MINOR_PROTECTED_CATEGORIES:
        assert result.decision == "denied" and result.basis["reason"] == "minor_protected"
    if minor and not req["product_category"] and result.decision != "not_registered":
        assert set(vocab.MINOR_PROTECTED_CATEGORIES) <= set(result.conditions["excluded_categories"])
    if result.decision == "permitted" and result.basis["kind"] == "terms":
        assert person["is_verified"]
        names = named.get(req["use"], []) if req["use"] in version_terms else []
        assert not names or caller in names
    if result.decision == "permitted" and result.basis["kind"] == "license":
        assert caller == license_owner(talent, result.basis["license_id"])
    if result.decision == "license_required" and result.basis.get("reason") in RULE7_REASONS:
        term = version_terms[req["use"]]
        assert (result.basis["reason"] == "license_term") == (term["decision"] == "license")


def license_owner(talent, license_id: str) -> str:
    return License.objects.select_related("organization").get(license_id=license_id).organization.name
