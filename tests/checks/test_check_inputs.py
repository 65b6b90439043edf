"""What a check may carry: only the contract's fields (unknown_field, single, bulk item and bulk body),
product categories as people type them (defaults and staff synonyms, edited in the admin), the `verified`
field and its schema, and a fixed number of queries for any bulk size with categories and minors in it."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.brands.models import PermissionCheck
from registry.checks import facts as check_facts
from registry.consent.categories import canonical_category, category_table
from registry.consent.models import ProductCategory
from tests.brands.helpers import bearer, key_from_command
from tests.checks.both_ways import BULK, SINGLE, ask, body, refused
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    return key_from_command("Acme Apparel")


@pytest.fixture
def talent():
    talent = TalentFactory()
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    return talent


# --- unknown_field ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["product_categroy", "brand", "organization", "Talent"])
def test_a_field_the_contract_does_not_name_is_unknown_field(api_client, key, talent, field):
    error = refused(api_client, key, talent, **{field: "tobacco"})
    assert error["code"] == "unknown_field" and field in error["fields"] and field in error["detail"]
    assert PermissionCheck.objects.count() == 0


def test_unknown_field_is_named_before_missing_ones(api_client, key, talent):
    data = body(talent)
    data["talnet"] = data.pop("talent")
    response = api_client.post(SINGLE, data, format="json", **bearer(key))
    assert response.status_code == 400 and response.json()["code"] == "unknown_field"
    assert "talnet" in response.json()["fields"]


def test_bulk_items_with_unknown_fields_answer_per_item(api_client, key, talent):
    checks = [body(talent), body(talent, product_categroy="tobacco"), body(talent, territory="DE")]
    response = api_client.post(BULK, {"checks": checks}, format="json", **bearer(key))
    assert response.status_code == 200
    first, bad, last = response.json()["results"]
    assert first["decision"] == "permitted" and last["decision"] == "license_required"
    assert bad["index"] == 1 and bad["error"]["code"] == "unknown_field"
    assert bad["error"]["fields"] == {"product_categroy": ["Unknown field 'product_categroy'."]}


@pytest.mark.parametrize("extra", [{"check": []}, {"dry_run": True}, {"Checks": []}])
def test_the_bulk_body_takes_only_checks(api_client, key, talent, extra):
    response = api_client.post(BULK, {"checks": [body(talent)], **extra}, format="json", **bearer(key))
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "unknown_field" and set(error["fields"]) == set(extra)
    assert PermissionCheck.objects.count() == 0


# --- product categories as people type them -----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,slug",
    [
        ("cigarettes", "tobacco"),
        ("Vaping", "tobacco"),
        ("E Cigarettes", "tobacco"),
        ("wine", "alcohol"),
        (" WINE ", "alcohol"),
        ("Cosmetic surgery", "cosmetic_surgery"),
        ("plastic surgery", "cosmetic_surgery"),
        ("alcohol", "alcohol"),
        ("Apparel", "apparel"),
        ("", ""),
    ],
)
def test_canonical_category(typed, slug):
    assert canonical_category(typed) == slug


def test_staff_synonyms_join_the_defaults_in_one_query(django_assert_num_queries):
    ProductCategory.objects.create(slug="crypto", label="Crypto assets", synonyms=["bitcoin", "NFTs"])
    ProductCategory.objects.update_or_create(
        slug="alcohol", defaults={"label": "Alcohol", "synonyms": ["mead"]}
    )
    with django_assert_num_queries(1):
        table = category_table()
    assert [
        canonical_category(t, table=table) for t in ("Bitcoin", "nfts", "mead", "beer", "crypto assets")
    ] == [
        "crypto",
        "crypto",
        "alcohol",
        "alcohol",
        "crypto",
    ]
    with django_assert_num_queries(0):
        assert canonical_category("") == ""


def test_checks_deny_a_staff_synonym_of_an_excluded_category(api_client, key):
    ProductCategory.objects.create(slug="crypto", label="Crypto assets", synonyms=["bitcoin"])
    talent = TalentFactory()
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "excluded_categories": ["crypto", "alcohol"]}})
    for typed in ("Bitcoin", "crypto", "wine", "Champagne"):
        answer = ask(api_client, key, talent, product_category=typed)
        assert answer["decision"] == "denied" and answer["basis"]["reason"] == "excluded_category", typed
    assert ask(api_client, key, talent, product_category="sneakers")["decision"] == "permitted"
    logged = set(PermissionCheck.objects.values_list("product_category", flat=True))
    assert logged == {"crypto", "alcohol", "sneakers"}


def test_an_unknown_category_is_answered_as_before(api_client, key, talent):
    assert ask(api_client, key, talent, product_category="garden-tools")["decision"] == "permitted"
    error = refused(api_client, key, talent, product_category="Not A Slug!")
    assert error["code"] == "invalid_product_category"


def test_staff_synonyms_add_words_but_never_move_one():
    ProductCategory.objects.create(slug="apparel", label="Apparel", synonyms=["tobacco", "wine", "hoodies"])
    table = category_table()
    assert [table[w] for w in ("tobacco", "wine", "hoodies")] == ["tobacco", "alcohol", "apparel"]


def test_staff_edit_synonyms_in_the_admin(client, staff_user):
    category = ProductCategory.objects.create(slug="crypto", label="Crypto assets")
    client.force_login(staff_user)
    url = f"/admin/consent/productcategory/{category.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"label": "Crypto assets", "synonyms": "Bitcoin, NFTs\n nfts \nweb3 tokens"})
    assert response.status_code == 302, response.content.decode()[:2000]
    category.refresh_from_db()
    assert category.synonyms == ["bitcoin", "nfts", "web3 tokens"]
    assert "bitcoin, nfts, web3 tokens" in client.get("/admin/consent/productcategory/").content.decode()
    assert canonical_category("Web3 Tokens") == "crypto"
    refused_page = client.post(url, {"label": "Crypto assets", "synonyms": "bitcoin\nWine"})
    assert (
        refused_page.status_code == 200
        and "Already the name of another category" in refused_page.content.decode()
    )
    category.refresh_from_db()
    assert category.synonyms == ["bitcoin", "nfts", "web3 tokens"]


# --- verified -----------------------------------------------------------------------------------------------


def test_every_answer_says_whether_staff_verified_the_profile(api_client, key, talent):
    unverified = TalentFactory(is_verified=False)
    assert ask(api_client, key, talent)["verified"] is True
    assert ask(api_client, key, unverified)["verified"] is False
    assert ask(api_client, key, "TR-0000-0000")["verified"] is False


def test_the_schema_documents_verified_and_every_reason(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    response = components["CheckResult"]
    assert "verified" in response["required"] and response["properties"]["verified"]["type"] == "boolean"
    reasons = components[components["CheckBasis"]["properties"]["reason"]["allOf"][0]["$ref"].split("/")[-1]]
    assert set(reasons["enum"]) == {
        "no_signed_terms",
        "no_term_for_use",
        "minor_protected",
        "excluded_category",
        "license_term",
        "unverified_profile",
        "organization_not_named",
        "outside_conditions",
    }
    assert set(response["properties"]) == {
        "check_id",
        "talent",
        "verified",
        "decision",
        "basis",
        "conditions",
        "valid_until",
        "evaluated_as_of",
    }


# --- a fixed number of queries ------------------------------------------------------------------------------


def test_bulk_query_count_is_fixed_with_categories_minors_and_named_organizations(api_client, key, talent):
    ProductCategory.objects.create(slug="crypto", label="Crypto", synonyms=["bitcoin"])
    people = [talent, TalentFactory(date_of_birth=date(2010, 1, 1)), TalentFactory(is_verified=False)]
    for person in people[1:]:
        sign_terms(
            person,
            {"advertising": ADVERTISING_ALLOW},
            signed_as="guardian" if person.is_minor() else "talent",
        )
    categories = ["wine", "bitcoin", "", "apparel", "Cigarettes"]

    def run(n):
        checks = [
            body(people[i % 3], product_category=categories[i % 5] or None, territory="DE" if i % 4 else "US")
            for i in range(n)
        ]
        # cold: all facts come from the database (the warm path: test_check_cache.py)
        cache.clear()
        check_facts.clear_local()
        with CaptureQueriesContext(connection) as ctx:
            response = api_client.post(BULK, {"checks": checks}, format="json", **bearer(key))
        assert response.status_code == 200 and len(response.json()["results"]) == n
        return len(ctx.captured_queries)

    run(1)
    assert run(10) == run(400) <= 8
