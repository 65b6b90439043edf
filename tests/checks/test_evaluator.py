"""The permission evaluator: every rule of product.md §3 in order, as-of dates, and each vocabulary error."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from registry.brands.models import Organization
from registry.checks import facts as check_facts
from registry.checks.evaluator import CheckRequest, evaluate, evaluate_many, parse_check
from registry.consent import drafts, revocation, signing
from registry.consent.vocab import VocabularyError
from registry.licensing.models import License
from registry.talent import facts as talent_facts
from registry.talent.models import TalentProfile
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)


def check(talent, **overrides) -> CheckRequest:
    data = {
        "talent": talent.registry_id if hasattr(talent, "registry_id") else talent,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
        "date": D.isoformat(),
    }
    data.update(overrides)
    return parse_check({k: v for k, v in data.items() if v is not None})


@pytest.fixture
def talent():
    return TalentFactory(stage_name="Ana Reyes")


@pytest.fixture
def acme():
    return Organization.objects.create(name="Acme Apparel")


def license_for(talent, org, **overrides):
    values = {
        "talent": talent,
        "organization": org,
        "use": "replica_use",
        "modalities": ["image"],
        "territories": ["US"],
        "channels": ["social"],
        "product_category": "apparel",
        "valid_from": date(2026, 3, 1),
        "valid_until": date(2026, 9, 30),
        "description": "AI-generated try-on images for the spring catalogue",
    }
    values.update(overrides)
    return License.objects.create(**values)


# --- rule 1 -----------------------------------------------------------------------------------------------


def test_rule1_unknown_registry_id_is_not_registered():
    result = evaluate(check("TR-0000-0000"))
    assert result.decision == "not_registered"
    assert result.basis is None


def test_rule1_withdrawn_talent_is_not_registered_even_with_terms(talent):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    assert evaluate(check(talent)).decision == "permitted"
    TalentProfile.objects.filter(pk=talent.pk).update(status=TalentProfile.Status.WITHDRAWN)
    talent_facts.changed(talent.pk)  # an update() bypasses save(): its caller says the facts changed
    assert evaluate(check(talent)).decision == "not_registered"


# --- rule 2: licenses --------------------------------------------------------------------------------------

LICENSED = {"use": "replica_use", "modality": "image", "territory": "US", "channel": "social"}


def test_rule2_license_covers_request(talent, acme):
    sign_terms(talent, {"replica_use": {"decision": "deny"}})  # a license still wins (rule 2 before rule 4)
    lic = license_for(talent, acme)
    result = evaluate(check(talent, **LICENSED, product_category="apparel"), organization_id=acme.pk)
    assert result.decision == "permitted"
    assert result.basis == {"kind": "license", "license_id": lic.license_id}
    assert result.valid_until == date(2026, 9, 30)


def test_rule2_license_of_another_organization_does_not_count(talent, acme):
    license_for(talent, acme)
    other = Organization.objects.create(name="Nimbus Media")
    result = evaluate(check(talent, **LICENSED, product_category="apparel"), organization_id=other.pk)
    assert result.decision == "license_required"
    assert evaluate(check(talent, **LICENSED, product_category="apparel")).decision == "license_required"


@pytest.mark.parametrize(
    "overrides",
    [
        {"modality": "video"},
        {"territory": "CA"},
        {"channel": "print"},
        {"date": "2026-02-28"},
        {"date": "2026-10-01"},
        {"product_category": "cosmetics"},
        {"product_category": None},
        {"use": "replica_creation"},
    ],
    ids=["modality", "territory", "channel", "before", "after", "category", "no-category", "use"],
)
def test_rule2_license_outside_scope_does_not_cover(talent, acme, overrides):
    license_for(talent, acme)
    request = {**LICENSED, "product_category": "apparel", **overrides}
    result = evaluate(check(talent, **request), organization_id=acme.pk)
    assert result.decision != "permitted"
    assert (result.basis or {}).get("kind") != "license"


def test_rule2_license_without_category_covers_any_category(talent, acme):
    license_for(talent, acme, product_category="", territories=["worldwide"])
    for category in ("apparel", "cosmetics", None):
        request = {**LICENSED, "territory": "JP", "product_category": category}
        assert evaluate(check(talent, **request), organization_id=acme.pk).decision == "permitted"


def test_rule2_terminated_license_stops_covering_from_its_termination(talent, acme):
    lic = license_for(talent, acme)
    License.objects.filter(pk=lic.pk).update(
        terminated_at=timezone.make_aware(timezone.datetime(2026, 5, 1, 12, 0))
    )
    talent_facts.changed(talent.pk)  # an update() bypasses save(): its caller says the facts changed
    before = evaluate(
        check(talent, **LICENSED, product_category="apparel", date="2026-04-15"), organization_id=acme.pk
    )
    after = evaluate(
        check(talent, **LICENSED, product_category="apparel", date="2026-06-01"), organization_id=acme.pk
    )
    assert before.decision == "permitted"
    assert after.decision == "license_required"


# --- rule 3: the version in effect ---------------------------------------------------------------------


def test_rule3_no_terms_license_required_but_ai_training_denied(talent):
    for use in ("advertising", "editorial", "digital_alteration", "replica_creation", "replica_use"):
        result = evaluate(check(talent, use=use))
        assert result.decision == "license_required", use
        assert result.basis == {"kind": "default", "reason": "no_signed_terms"}
    assert evaluate(check(talent, use="ai_training")).decision == "denied"


def test_rule3_no_term_for_the_use_in_the_version(talent):
    v = sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    result = evaluate(check(talent, use="editorial"))
    assert result.decision == "license_required"
    assert result.basis == {
        "kind": "terms",
        "version": v.number,
        "sha256": v.sha256,
        "reason": "no_term_for_use",
    }
    assert evaluate(check(talent, use="ai_training")).decision == "denied"


def test_rule3_as_of_dates_before_first_version_between_versions_and_after_revocation(talent):
    v1 = sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, effective_from=date(2026, 1, 1))
    v2 = sign_terms(
        talent,
        {"advertising": {**ADVERTISING_ALLOW, "territories": ["worldwide"]}},
        effective_from=date(2026, 4, 1),
    )
    revoked = revocation.revoke(
        talent=talent,
        uses=["advertising"],
        effective_from=date(2026, 8, 1),
        ctx=signing.SignatureContext(actor=None, signed_as="talent", signer_name="Ana Reyes"),
    )
    assert evaluate(check(talent, date="2025-12-31")).basis["kind"] == "default"
    assert evaluate(check(talent, date="2025-12-31")).decision == "license_required"
    jan = evaluate(check(talent, date="2026-01-01", territory="DE"))
    assert (jan.decision, jan.basis["version"]) == ("license_required", v1.number)  # DE not in v1's US/CA
    may = evaluate(check(talent, date="2026-05-01", territory="DE"))
    assert (may.decision, may.basis["version"]) == ("permitted", v2.number)
    aug = evaluate(check(talent, date="2026-08-01", territory="DE"))
    assert (aug.decision, aug.basis["version"]) == ("license_required", revoked.number)
    # History is kept: the day before the revocation is still decided by version 2.
    assert evaluate(check(talent, date="2026-07-31", territory="DE")).decision == "permitted"


def test_rule3_same_effective_date_the_later_signature_wins(talent):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, effective_from=D)
    v2 = sign_terms(talent, {"advertising": {"decision": "deny"}}, effective_from=D)
    result = evaluate(check(talent))
    assert (result.decision, result.basis["version"]) == ("denied", v2.number)


def test_drafts_never_decide(talent):
    drafts.create_draft(
        talent=talent, effective_from=date(2026, 1, 1), uses={"advertising": ADVERTISING_ALLOW}
    )
    assert evaluate(check(talent)).decision == "license_required"


# --- rules 4 to 7 -------------------------------------------------------------------------------------------


def test_rule4_deny(talent):
    sign_terms(talent, {"advertising": {"decision": "deny"}, "ai_training": {"decision": "deny"}})
    assert evaluate(check(talent)).decision == "denied"
    assert evaluate(check(talent, use="ai_training")).decision == "denied"


def test_rule5_excluded_category_denies_even_an_allow_and_a_license_term(talent):
    sign_terms(
        talent,
        {
            "advertising": ADVERTISING_ALLOW,
            "editorial": {"decision": "license", "excluded_categories": ["political"]},
        },
    )
    result = evaluate(check(talent, product_category="tobacco"))
    assert result.decision == "denied"
    assert result.basis["reason"] == "excluded_category"
    assert "excluded_categories" not in result.conditions
    assert evaluate(check(talent, use="editorial", product_category="political")).decision == "denied"
    assert evaluate(check(talent, use="editorial", product_category="apparel")).decision == "license_required"


def test_rule6_allow_inside_conditions_is_permitted_with_its_conditions(talent):
    v = sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    result = evaluate(check(talent, product_category="apparel"))
    assert result.decision == "permitted"
    assert result.basis == {"kind": "terms", "version": v.number, "sha256": v.sha256}
    assert result.conditions == {
        "attribution": True,
        "ai_disclosure": False,
        "min_fee": {"amount": "500.00", "currency": "USD"},
    }
    assert result.valid_until == date(2027, 12, 31)
    assert result.as_dict()["valid_until"] == "2027-12-31"


def test_rule6_worldwide_covers_every_territory(talent):
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "territories": ["worldwide"]}})
    for territory in ("US", "JP", "BR", "ZA"):
        assert evaluate(check(talent, territory=territory)).decision == "permitted"


@pytest.mark.parametrize(
    "overrides",
    [{"modality": "voice"}, {"territory": "MX"}, {"channel": "broadcast"}, {"date": "2028-01-01"}],
    ids=["modality", "territory", "channel", "after-validity"],
)
def test_rule7_allow_outside_each_condition_needs_a_license(talent, overrides):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    result = evaluate(check(talent, **overrides))
    assert result.decision == "license_required"
    assert result.basis["kind"] == "terms"


def test_rule7_allow_before_its_validity_window(talent):
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "valid_from": "2026-07-01"}})
    assert evaluate(check(talent, date="2026-06-30")).decision == "license_required"
    assert evaluate(check(talent, date="2026-07-01")).decision == "permitted"


def test_rule7_license_term(talent):
    sign_terms(
        talent, {"advertising": {"decision": "license", "min_fee": {"amount": "900", "currency": "EUR"}}}
    )
    result = evaluate(check(talent))
    assert result.decision == "license_required"
    assert result.conditions["min_fee"] == {"amount": "900.00", "currency": "EUR"}


def test_no_product_category_skips_rule5_and_returns_the_exclusions(talent):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    result = evaluate(check(talent))
    assert result.decision == "permitted"
    assert result.conditions["excluded_categories"] == ["political", "tobacco"]


# --- vocabulary errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"use": "hologram"}, "unknown_use", "use"),
        ({"modality": "smell"}, "unknown_modality", "modality"),
        ({"channel": "radio"}, "unknown_channel", "channel"),
        ({"territory": "XX"}, "unknown_territory", "territory"),
        ({"territory": "us"}, "unknown_territory", "territory"),
        ({"territory": "USA"}, "unknown_territory", "territory"),
        ({"territory": "worldwide"}, "unknown_territory", "territory"),
        ({"date": "2026-13-01"}, "invalid_date", "date"),
        ({"date": "01/06/2026"}, "invalid_date", "date"),
        ({"date": "20260601"}, "invalid_date", "date"),
        ({"product_category": "Apparel Wear"}, "invalid_product_category", "product_category"),
        ({"use": None}, "required", "use"),
        ({"modality": 3}, "invalid", "modality"),
    ],
)
def test_vocabulary_errors_have_stable_codes(overrides, code, field):
    with pytest.raises(VocabularyError) as exc:
        check("TR-0000-0000", **overrides)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert exc.value.detail


def test_parse_check_defaults_the_date_to_today():
    request = parse_check(
        {
            "talent": "TR-0000-0000",
            "use": "editorial",
            "modality": "video",
            "territory": "GB",
            "channel": "film_tv",
        }
    )
    assert request.date == timezone.localdate()
    assert request.product_category == ""


# --- batches ----------------------------------------------------------------------------------------------


def test_evaluate_many_keeps_order_and_matches_single_evaluation(talent, acme):
    other = TalentFactory()
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}})
    license_for(talent, acme)
    requests = [
        check(talent),
        check(other),
        check("TR-0000-0000"),
        check(talent, use="ai_training"),
        check(talent, **LICENSED, product_category="apparel"),
        check(talent, territory="MX", date="2025-01-01"),
    ]
    batch = [r.as_dict() for r in evaluate_many(requests, organization_id=acme.pk)]
    single = [evaluate(r, organization_id=acme.pk).as_dict() for r in requests]
    assert batch == single
    assert [r["decision"] for r in batch] == [
        "permitted",
        "license_required",
        "not_registered",
        "denied",
        "permitted",
        "license_required",
    ]


def test_evaluate_many_query_count_does_not_grow_with_the_batch(acme, django_assert_num_queries):
    talents = [TalentFactory() for _ in range(30)]
    for i, t in enumerate(talents):
        sign_terms(t, {"advertising": ADVERTISING_ALLOW}, effective_from=date(2026, 1, 1) + timedelta(days=i))
        license_for(t, acme)
    small = [check(talents[0])]
    large = [check(t, date=f"2026-0{1 + i % 9}-15") for i, t in enumerate(talents)] * 10  # 300 checks
    # Cold (nothing cached): registry IDs, profiles, signed versions, their terms, licenses.
    cache.clear()
    check_facts.clear_local()
    with django_assert_num_queries(5) as small_ctx:
        evaluate_many(small, organization_id=acme.pk)
    cache.clear()
    check_facts.clear_local()
    with django_assert_num_queries(5):
        results = evaluate_many(large, organization_id=acme.pk)
    assert len(results) == 300
    assert len(small_ctx.captured_queries) == 5
    # Warm: the facts of every talent come from the cache.
    with django_assert_num_queries(0):
        assert evaluate_many(large, organization_id=acme.pk) == results


def test_evaluate_many_of_nothing_is_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert evaluate_many([]) == []
