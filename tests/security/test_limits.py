"""Request size limits per endpoint (settings.REQUEST_BODY_LIMITS): 413 in the error format, unparsed."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from registry.brands.models import PermissionCheck
from registry.core.middleware import BodyTooLarge, RequestSizeLimitMiddleware
from registry.core.views import bad_request
from tests.security.bad_input.api_world import Api, assert_api_error, check_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client, talent_user, brand_user, staff_user, django_capture_on_commit_callbacks):
    return Api(api_client, talent_user, brand_user, staff_user, django_capture_on_commit_callbacks)


def test_a_3_mb_single_check_is_413_before_it_is_parsed(api):
    body = json.dumps(check_body(api.rid, purpose="x" * (3 * 1024 * 1024)))
    response = api.call("post", "/api/v1/permissions/check/", "brand", body, raw=True)
    error = assert_api_error(response, 413, "payload_too_large")
    assert error["detail"].endswith("limit 16384 bytes.") and error["fields"] == {}
    assert PermissionCheck.objects.count() == 0
    # a normal check still goes through
    response = api.call("post", "/api/v1/permissions/check/", "brand", check_body(api.rid))
    assert response.status_code == 200, response.json()


def test_a_bulk_of_1000_fits_under_1_mb_and_more_is_413(api):
    checks = [check_body(api.rid) for _ in range(1000)]
    body = json.dumps({"checks": checks})
    assert len(body) < settings.REQUEST_BODY_LIMITS["v1:permissions-check-bulk"]
    response = api.call("post", "/api/v1/permissions/check/bulk/", "brand", body, raw=True)
    assert response.status_code == 200, response.json()
    big = json.dumps({"checks": checks, "pad": "x" * (1024 * 1024)})
    response = api.call("post", "/api/v1/permissions/check/bulk/", "brand", big, raw=True)
    assert assert_api_error(response, 413, "payload_too_large")["detail"].endswith("limit 1048576 bytes.")


def test_other_json_endpoints_have_the_api_default(api):
    limit = settings.REQUEST_BODY_LIMIT_API_DEFAULT
    body = json.dumps({"message": "x" * limit})
    for method, url, who in api.endpoints():
        if url.endswith(("/check/", "/bulk/", "/reports/")):
            continue
        response = api.call(method, url, who, body, raw=True)
        assert_api_error(response, 413, "payload_too_large")
        assert f"limit {limit} bytes" in response.json()["detail"]


def test_reports_keep_room_for_their_evidence_files(api):
    # five evidence files of 10 MB are allowed: a 12 MB declared body is not refused by the size guard
    factory = RequestFactory()
    request = factory.post("/api/v1/reports/", data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(12 * 1024 * 1024)
    request.resolver_match = resolve("/api/v1/reports/")
    middleware = RequestSizeLimitMiddleware(lambda r: HttpResponse())
    assert middleware.process_view(request, None, (), {}) is None


def test_a_body_without_content_length_is_capped_while_it_is_read():
    """A streamed (chunked) body has no Content-Length to check: reading past the limit stops with a 413."""
    factory = RequestFactory()
    request = factory.post("/api/v1/permissions/check/", data=b"", content_type="application/json")
    request.META.pop("CONTENT_LENGTH", None)
    request._stream = io.BytesIO(b"{" + b" " * (3 * 1024 * 1024) + b"}")
    request.resolver_match = resolve("/api/v1/permissions/check/")
    middleware = RequestSizeLimitMiddleware(lambda r: HttpResponse())
    assert middleware.process_view(request, None, (), {}) is None
    with pytest.raises(BodyTooLarge) as raised:
        request.read()
    assert raised.value.limit == 16 * 1024


def test_the_cap_turns_into_a_413_in_the_error_format(rf):
    request = rf.post("/api/v1/permissions/check/")
    response = bad_request(request, BodyTooLarge(16384))
    assert response.status_code == 413
    assert json.loads(response.content) == {
        "code": "payload_too_large",
        "detail": "The request is too large for this address: limit 16384 bytes.",
        "fields": {},
    }
