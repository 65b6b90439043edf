"""Malformed API input: bodies, types, sizes, paths and query strings get a 4xx in the one error format
(never a 500) and change nothing.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from registry.brands.models import Organization, PermissionCheck
from registry.cases.models import MisuseReport
from tests.factories import TalentFactory
from tests.security.bad_input.api_world import (
    WRONG,
    Api,
    assert_api_error,
    check_body,
    license_body,
    typed_fields,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client, talent_user, brand_user, staff_user, django_capture_on_commit_callbacks, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "reports": "10000/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    return Api(api_client, talent_user, brand_user, staff_user, django_capture_on_commit_callbacks)


BAD_BODIES = {
    "malformed JSON": ('{"talent": "TR-', "parse_error"),
    "truncated": ('{"checks": [{"talent": ', "parse_error"),
    "NaN": ('{"talent": NaN}', "parse_error"),
    "invalid UTF-8": (b'{"talent": "\xff\xfe"}', "parse_error"),
    "nested 7,000 deep": ("[" * 7000 + "]" * 7000, "parse_error"),  # under the 16 KB check limit
    "NUL in a string": (
        '{"talent": "TR-\\u0000", "message": "a\\u0000b", "description": "x\\u0000"}',
        "parse_error",
    ),
    "a list": ("[1, 2]", "invalid"),
    "a string": ('"approve"', "invalid"),
    "a number": ("42", "invalid"),
    "null": ("null", "invalid"),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_bad_bodies_get_a_400_in_the_error_format_and_change_nothing(api, name):
    body, code = BAD_BODIES[name]
    before = api.state()
    for method, url, who in api.endpoints():
        response = api.call(method, url, who, body, raw=True)
        assert_api_error(response, 400, code)
    assert api.state() == before


def test_wrong_content_type_is_415_in_the_error_format(api):
    before = api.state()
    for method, url, who in api.endpoints():
        for content_type, body in (("text/plain", "talent=x"), ("application/xml", "<check talent='x'/>")):
            response = api.call(method, url, who, body, raw=True, content_type=content_type)
            assert_api_error(response, 415, "unsupported_media_type")
    assert api.state() == before


def test_wrong_json_types_are_refused_field_by_field(api):
    """An object, a list or a boolean where the field wants something else: a 400 naming the problem, and
    nothing changes — never a 500, never a value quietly turned into its Python repr."""
    before = api.state()
    for method, url, who, valid, fields in typed_fields(api):
        for field, kind in fields.items():
            for wrong in WRONG[kind]:
                response = api.call(method, url, who, {**valid, field: wrong})
                # A version that is a number but not the case's (10**30) is a stale-version conflict.
                expected = (400, 409) if field == "version" else (400,)
                assert response.status_code in expected, (url, field, wrong, response.content[:200])
                assert_api_error(response, expected)
                assert api.state() == before, (url, field, wrong)


def test_wrong_types_inside_bulk_checks_are_per_item_errors(api):
    checks = [
        check_body(api.rid),
        5,
        [1],
        None,
        check_body(api.rid, use={"a": 1}),
        check_body(api.rid, talent=["TR"]),
    ]
    response = api.call("post", "/api/v1/permissions/check/bulk/", "brand", {"checks": checks})
    assert response.status_code == 200
    results = response.json()["results"]
    assert "decision" in results[0]
    for result in results[1:]:
        assert result["error"]["code"] == "invalid" and set(result["error"]) == {"code", "detail", "fields"}
    assert PermissionCheck.objects.count() == 1
    for wrong in ("x", {"a": 1}, 5, None):
        assert_api_error(api.call("post", "/api/v1/permissions/check/bulk/", "brand", {"checks": wrong}))


def test_unknown_fields_never_set_server_state(api):
    """A check with a field the contract does not name is a 400 unknown_field (product.md §3: a misspelt field
    must never widen an answer); other endpoints ignore unknown fields (clients may be newer than the server).
    Either way, fields naming server-controlled state (status, organization, decision, tracking code,
    outcome…) are unknown to the input shapes, so they cannot be mass-assigned."""
    other = Organization.objects.create(name="Other Org")
    extra = {"foo": 1, "status": "approved", "decision": "permitted", "organization": other.pk, "id": 999}

    response = api.call("post", "/api/v1/permissions/check/", "brand", check_body(api.rid) | extra)
    assert response.status_code == 400 and response.json()["code"] == "unknown_field"
    assert not PermissionCheck.objects.exists()
    response = api.call("post", "/api/v1/permissions/check/", "brand", check_body(api.rid))
    assert response.status_code == 200 and response.json()["decision"] == "license_required"
    assert PermissionCheck.objects.get().organization == api.organization

    body = license_body(api.rid) | extra | {"license_id": "L-FAKE", "requested_by": api.staff_user.pk}
    response = api.call("post", "/api/v1/license-requests/", "brand", body)
    assert response.status_code == 201, response.json()
    created = type(api.request).objects.get(pk=response.json()["id"])
    assert created.pk != 999 and created.status == "pending" and created.organization == api.organization

    response = api.call(
        "post",
        f"/api/v1/license-requests/{api.request.pk}/counter/",
        "talent",
        {"fee": {"amount": "5000.00", "currency": "USD"}, **extra},
    )
    assert response.status_code == 200 and response.json()["status"] == "countered"

    report = {"description": "An AI ad with her face.", "relationship": "fan", "urls": ["https://e.com/y"]}
    response = api.call(
        "post",
        "/api/v1/reports/",
        "anon",
        report | extra | {"tracking_code": "chosen-by-me", "case": api.case.pk, "priority": "urgent"},
    )
    assert response.status_code == 201 and response.json()["tracking_code"] != "chosen-by-me"

    case = api.case
    response = api.call(
        "patch",
        f"/api/v1/cases/{case.pk}/",
        "staff",
        {"version": case.version, "priority": "high", "outcome": "removed", "closed_at": "2020-01-01"}
        | extra,
    )
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.priority == "high" and case.status == "new" and case.outcome == "" and case.closed_at is None
    response = api.call(
        "post",
        f"/api/v1/cases/{case.pk}/transition/",
        "staff",
        {"to": "triage", "version": case.version} | extra,
    )
    assert response.status_code == 200 and response.json()["status"] == "triage"


def test_1001_checks_are_too_many(api):
    response = api.call(
        "post", "/api/v1/permissions/check/bulk/", "brand", {"checks": [check_body(api.rid)] * 1001}
    )
    assert_api_error(response, 400, "too_many_checks")
    assert "checks" in response.json()["fields"] and PermissionCheck.objects.count() == 0


def test_multi_megabyte_bodies_are_413_in_the_error_format(api):
    """Above DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB of JSON or form fields) every endpoint answers 413."""
    before = api.state()
    pad = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    big = json.dumps({"checks": [check_body(api.rid)], "description": pad, "message": pad})
    for method, url, who in api.endpoints():
        assert_api_error(api.call(method, url, who, big, raw=True), 413, "payload_too_large")
    response = api.client.post(
        "/api/v1/reports/",
        {"description": pad, "relationship": "fan", "urls": "https://e.com/z"},
        format="multipart",
    )
    assert_api_error(response, 413, "payload_too_large")
    many = {f"field{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = api.client.post("/api/v1/reports/", many, format="multipart")
    assert_api_error(response, 400, "too_many_fields")
    assert api.state() == before


def test_multi_megabyte_web_form_is_refused_with_a_page(client):
    pad = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = client.post("/cases/report/", {"description": pad, "relationship": "fan"})
    assert response.status_code == 413 and b"too large" in response.content
    assert MisuseReport.objects.count() == 0


@pytest.mark.parametrize(
    "url, status, code",
    [
        ("/api/v1/talent/?page=abc", 404, "not_found"),
        ("/api/v1/talent/?page=-1", 404, "not_found"),
        ("/api/v1/talent/?page=" + "9" * 40, 404, "not_found"),
        ("/api/v1/talent/?q=%00", 400, "invalid_characters"),
        ("/api/v1/talent/TR-%00/", 400, "invalid_characters"),
        ("/api/v1/talent/{rid}/terms/?as_of=2026-13-45", 400, None),
        ("/api/v1/talent/{rid}/terms/?as_of=" + "9" * 50, 400, None),
        ("/api/v1/talent/{rid}/terms/?format=pdf", 400, "unknown_format"),
        ("/api/v1/talent/TR-NOPE-NOPE/terms/", 404, "not_found"),
        ("/api/v1/licenses/L-%00/verify/", 400, "invalid_characters"),
        ("/api/v1/licenses/" + "L" * 5000 + "/verify/", 404, "not_found"),
        ("/api/v1/reports/track/%00/", 400, "invalid_characters"),
        ("/api/v1/reports/track/" + "a" * 5000 + "/", 404, "not_found"),
        ("/api/v1/no/such/endpoint/", 404, "not_found"),
    ],
)
def test_bad_paths_and_query_strings_are_4xx_in_the_error_format(api_client, talent_user, url, status, code):
    talent = TalentFactory(user=talent_user)
    assert_api_error(api_client.get(url.format(rid=talent.registry_id)), status, code)


def test_bad_query_strings_on_brand_and_staff_lists(api):
    for url, who, status in [
        ("/api/v1/permissions/checks/?page=zzz", "brand", 404),
        ("/api/v1/permissions/checks/?talent=%00", "brand", 400),
        ("/api/v1/license-requests/?page=0", "brand", 404),
        ("/api/v1/cases/?status=bogus", "staff", 400),
        ("/api/v1/cases/?assignee=robert';--", "staff", 400),
        ("/api/v1/cases/?overdue=perhaps", "staff", 400),
        ("/api/v1/cases/?ordering=-password", "staff", 400),
        ("/api/v1/cases/?q=" + "x" * 5000, "staff", 400),
    ]:
        assert_api_error(api.call("get", url, who, None), status)


def test_nul_in_an_api_key_header_is_400_not_a_database_error(api_client):
    response = api_client.get("/api/v1/permissions/checks/", HTTP_AUTHORIZATION="Bearer lr_\x00_abc")
    assert_api_error(response, 400, "invalid_characters")
