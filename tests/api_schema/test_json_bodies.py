"""Request bodies are JSON (product.md §5): a form-encoded or multipart body to a JSON endpoint is a 415 in
the one error format and changes nothing; the report endpoint alone also takes multipart (its uploads)."""

import pytest
from django.test.client import encode_multipart

from registry.cases.models import MisuseReport
from tests.security.bad_input.api_world import Api, assert_api_error, check_body

pytestmark = pytest.mark.django_db

BOUNDARY = "BoUnDaRy"


@pytest.fixture
def api(api_client, talent_user, brand_user, staff_user, django_capture_on_commit_callbacks):
    return Api(api_client, talent_user, brand_user, staff_user, django_capture_on_commit_callbacks)


def form_bodies(rid: str) -> dict[str, str | bytes]:
    fields = check_body(rid) | {"description": "An AI ad with her face.", "relationship": "fan"}
    return {
        "application/x-www-form-urlencoded": "&".join(f"{k}={v}" for k, v in fields.items()),
        f"multipart/form-data; boundary={BOUNDARY}": encode_multipart(BOUNDARY, fields),
    }


def test_form_bodies_are_415_on_json_endpoints_and_change_nothing(api):
    before = api.state()
    for method, url, who in api.endpoints():
        for content_type, body in form_bodies(api.rid).items():
            if url == "/api/v1/reports/" and content_type.startswith("multipart/"):
                continue
            response = api.call(method, url, who, body, raw=True, content_type=content_type)
            body = assert_api_error(response, 415, "unsupported_media_type")
            assert body["fields"] == {} and content_type.split(";")[0] in body["detail"], (url, body)
    assert api.state() == before


def test_reports_take_multipart_and_json(api):
    fields = {"description": "An AI ad with her face.", "relationship": "fan", "urls": "https://e.com/ad"}
    multipart = api.client.post("/api/v1/reports/", fields, format="multipart")
    assert multipart.status_code == 201, multipart.content
    json_body = api.client.post("/api/v1/reports/", {**fields, "urls": ["https://e.com/ad2"]}, format="json")
    assert json_body.status_code == 201, json_body.content
    assert MisuseReport.objects.count() == 3  # the world's own report and these two
