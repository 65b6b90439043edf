"""Requests screened against the terms in effect over the whole requested period (product.md §3): each refused
code through the API, nothing stored; brand counter-offers screened the same way; the talent's own counter
may go below her minimum."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from registry.core.errors import DomainError
from registry.licensing import screening
from registry.licensing.models import LicenseRequest
from registry.licensing.offers import clean_offer
from tests.brands.helpers import bearer
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms
from tests.licensing.conftest import request_body

pytestmark = pytest.mark.django_db

LIST = "/api/v1/license-requests/"


def create(client, key, profile, **overrides):
    return client.post(LIST, request_body(profile, **overrides), format="json", **bearer(key))


@pytest.fixture
def ana_terms(talent):
    return sign_terms(talent, {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}})


@pytest.mark.parametrize(
    "overrides,code,field,words",
    [
        ({"use": "ai_training"}, "use_denied", "use", "does not allow AI training"),
        ({"product_category": "tobacco"}, "excluded_category", "product_category", "Tobacco is excluded"),
        # A category as people type it is read as its canonical slug.
        ({"product_category": " Tobacco"}, "excluded_category", "product_category", "Tobacco is excluded"),
        (
            {"fee": {"amount": "499.99", "currency": "USD"}},
            "below_min_fee",
            "fee",
            "minimum fee for advertising is USD 500.00",
        ),
        # Another currency than the minimum's is refused: the registry keeps no exchange rates.
        ({"fee": {"amount": "9000.00", "currency": "EUR"}}, "below_min_fee", "fee", "Offer the fee in USD"),
    ],
)
def test_requests_her_terms_refuse_are_400_with_the_reason(
    api_client, acme_key, talent, ana_terms, overrides, code, field, words
):
    response = create(api_client, acme_key, talent, **overrides)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code and field in body["fields"] and words in body["detail"]
    assert LicenseRequest.objects.count() == 0


def test_the_minimum_fee_itself_and_other_uses_are_accepted(api_client, acme_key, talent, ana_terms):
    assert (
        create(api_client, acme_key, talent, fee={"amount": "500.00", "currency": "USD"}).status_code == 201
    )
    # No term for editorial: nothing she refused, so the request goes to her.
    assert create(api_client, acme_key, talent, use="editorial").status_code == 201


def test_minor_protected_category_is_refused_whatever_the_terms(api_client, acme_key):
    today = timezone.localdate()
    minor = TalentFactory(stage_name="Mia", date_of_birth=today.replace(year=today.year - 15))
    response = create(api_client, acme_key, minor, product_category="alcohol")
    assert response.status_code == 400 and response.json()["code"] == "minor_protected"
    assert create(api_client, acme_key, minor, product_category="apparel").status_code == 201


def test_minor_is_judged_on_valid_from(api_client, acme_key):
    today = timezone.localdate()
    turns_18 = today + timedelta(days=30)
    profile = TalentFactory(date_of_birth=turns_18.replace(year=turns_18.year - 18))
    before = {"valid_from": (turns_18 - timedelta(days=1)).isoformat()}
    response = create(api_client, acme_key, profile, product_category="gambling", **before)
    assert response.json()["code"] == "minor_protected"
    after = {"valid_from": turns_18.isoformat()}
    assert create(api_client, acme_key, profile, product_category="gambling", **after).status_code == 201


def test_a_deny_signed_for_a_later_day_of_the_period_refuses(api_client, acme_key, talent, ana_terms):
    """Every day of the requested period must be allowed, not only its first."""
    later = timezone.localdate() + timedelta(days=60)
    sign_terms(talent, {"advertising": {"decision": "deny"}}, effective_from=later)
    response = create(api_client, acme_key, talent)  # runs from today+7 to today+120
    assert response.status_code == 400 and response.json()["code"] == "use_denied"
    before = {"valid_until": (later - timedelta(days=1)).isoformat()}
    assert create(api_client, acme_key, talent, **before).status_code == 201


def test_brand_counter_offers_are_screened_and_the_talent_may_go_below_her_minimum(
    api_client, acme_key, talent, talent_user, ana_terms
):
    pk = create(api_client, acme_key, talent).json()["id"]
    talent_client = type(api_client)()
    talent_client.force_login(talent_user)
    # She may ask less than her own minimum (her choice, not a refusal she made).
    response = talent_client.post(
        f"{LIST}{pk}/counter/", {"fee": {"amount": "300.00", "currency": "USD"}}, format="json"
    )
    assert response.status_code == 200, response.content
    # The brand counters back: screened like a new request.
    for body, code in (
        ({"fee": {"amount": "200.00", "currency": "USD"}}, "below_min_fee"),
        ({"product_category": "tobacco"}, "excluded_category"),
    ):
        response = api_client.post(f"{LIST}{pk}/counter/", body, format="json", **bearer(acme_key))
        assert response.status_code == 400 and response.json()["code"] == code
    assert LicenseRequest.objects.get().status == "countered"


def test_the_talent_side_counter_is_screened_for_what_nobody_may_agree_to(talent):
    """A minor's protected category is refused even on the talent side's own counter (screened with
    only_absolute); her own minimum fee and exclusions are hers to waive."""
    today = timezone.localdate()
    minor = TalentFactory(date_of_birth=today.replace(year=today.year - 16))
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    period = {"valid_from": today.isoformat(), "valid_until": (today + timedelta(days=30)).isoformat()}
    body = {**request_body(minor, **period), "product_category": "adult"}
    with pytest.raises(DomainError) as refused:
        screening.screen(minor, clean_offer(body), only_absolute=True)
    assert refused.value.code == "minor_protected"
    cheap = clean_offer({**request_body(talent, **period), "fee": {"amount": "1.00", "currency": "USD"}})
    assert screening.screen(talent, cheap, only_absolute=True).attribution is True
    with pytest.raises(DomainError) as refused:
        screening.screen(talent, cheap)
    assert refused.value.code == "below_min_fee"


def test_terms_from_before_the_period_still_apply(api_client, acme_key, talent):
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "excluded_categories": ["gambling"]}})
    assert date(2026, 1, 1) < timezone.localdate()
    response = create(api_client, acme_key, talent, product_category="gambling")
    assert response.json()["code"] == "excluded_category"
