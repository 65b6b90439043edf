"""The change feed's API: who may read it, the error format for bad cursors and limits, bounded pages with a
fixed number of queries, and the schema (an enum of kinds) that clients are generated from."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.checks.changes import sequence
from registry.checks.models import Change
from tests.brands.helpers import bearer, key_from_command
from tests.checks.changes_helpers import URL, brand_key, check, page
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db
ERROR_SHAPE = {"code", "detail", "fields"}


@pytest.fixture
def acme():
    return brand_key("Acme Apparel")


def changes_of(talent, n: int) -> None:
    Change.objects.bulk_create(
        Change(kind="terms_signed", talent=talent, terms_version=i, occurred_at=talent.created_at)
        for i in range(1, n + 1)
    )


def test_unauthenticated_and_wrong_scope_answer_in_the_error_format(api_client):
    response = api_client.get(URL)
    assert response.status_code == 401 and set(response.json()) == ERROR_SHAPE
    assert response.json()["code"] == "not_authenticated"
    response = api_client.get(URL, HTTP_AUTHORIZATION="Bearer lr_nope_nope")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"
    reports_only = key_from_command("Acme Apparel", scopes="reports")
    response = api_client.get(URL, **bearer(reports_only))
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "YzEuLTE",
        base64.urlsafe_b64encode(b"c2.5").decode(),
        "%%%",
        "YzEuMTI0NTY3ODkwMTIzNDU2Nzg5MDE",
    ],
)
def test_bad_cursor_is_a_400(api_client, acme, cursor):
    response = api_client.get(URL, {"after": cursor}, **bearer(acme))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_cursor" and set(body["fields"]) == {"after"}


@pytest.mark.parametrize("limit", ["0", "501", "ten", "-1", "1.5"])
def test_limit_out_of_bounds_is_a_400(api_client, acme, limit):
    response = api_client.get(URL, {"limit": limit}, **bearer(acme))
    assert response.status_code == 400 and response.json()["code"] == "invalid_limit"


def test_pages_are_bounded_default_100_max_500(api_client, acme):
    ana = TalentFactory()
    check(api_client, acme, ana)
    changes_of(ana, 620)
    first = page(api_client, acme)
    assert len(first["results"]) == 100 and first["has_more"] is True
    biggest = page(api_client, acme, after=first["next"], limit=500)
    assert len(biggest["results"]) == 500 and biggest["has_more"] is True
    last = page(api_client, acme, after=biggest["next"], limit=500)
    assert len(last["results"]) == 20 and last["has_more"] is False
    numbers = [c["terms_version"] for p in (first, biggest, last) for c in p["results"]]
    assert numbers == list(range(1, 621))


def test_query_count_of_a_page_does_not_grow_with_its_size(api_client, acme, django_assert_max_num_queries):
    talent = [TalentFactory() for _ in range(3)]
    for person in talent:
        check(api_client, acme, person)
        changes_of(person, 40)
    sequence()
    with CaptureQueriesContext(connection) as small:
        assert len(page(api_client, acme, limit=2)["results"]) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(page(api_client, acme, limit=120)["results"]) == 120
    # Unsequenced rows add the sequencer's queries, not one per row.
    changes_of(TalentFactory(), 50)
    with django_assert_max_num_queries(len(small.captured_queries) + 8):
        page(api_client, acme, limit=500)


def test_schema_names_an_enum_of_kinds(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/changes/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"after", "limit"}
    assert set(operation["responses"]) >= {"200", "400", "401", "403"}
    components = schema["components"]["schemas"]
    item = components["Change"]["properties"]
    ref = item["kind"].get("$ref") or item["kind"]["allOf"][0]["$ref"]
    kind = components[ref.rsplit("/", 1)[-1]]
    assert set(kind["enum"]) == {c.value for c in Change.Kind}
    assert set(components["ChangePage"]["properties"]) == {"results", "next", "has_more"}
