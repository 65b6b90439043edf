"""/healthz, the OpenAPI schema and docs, and the single JSON error format."""

import pytest

from tests.conftest import DEAD_BROKER, broker_at

pytestmark = pytest.mark.django_db


def test_healthz_ok_when_services_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}


def test_healthz_503_when_broker_and_cache_are_down(client, settings):
    settings.REDIS_URL = DEAD_BROKER
    with broker_at(DEAD_BROKER):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")
    assert body["checks"]["cache"].startswith("error")


def test_schema_is_openapi(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Likeness Registry API"


def test_docs_page_is_self_hosted(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html  # no CDN: everything from our static files
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/nothing", "/api/v2/talent/"])
def test_unknown_api_path_is_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "No API endpoint at this path.", "fields": {}}


def test_unknown_page_is_friendly_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_error_handler_formats_validation_errors():
    from rest_framework import serializers
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    class Shape(serializers.Serializer):
        size = serializers.IntegerField()

    class Echo(APIView):
        def post(self, request):
            Shape(data=request.data).is_valid(raise_exception=True)

    request = APIRequestFactory().post("/x", {"size": "big"}, format="json")
    response = Echo.as_view()(request)
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert "size" in response.data["fields"]
    assert "size" in response.data["detail"]

    request = APIRequestFactory().post("/x", b"{not json", content_type="application/json")
    response = Echo.as_view()(request)
    assert response.status_code == 400
    assert response.data["code"] == "parse_error"
    assert response.data["fields"] == {}


def test_home_page_explains_the_registry(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Register your likeness" in html and "Report" in html


def test_unknown_api_post_is_json_404_not_csrf_403(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/api/v1/nothing/", {"a": 1}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_csrf_failure_on_api_is_json(db):
    from django.test import Client

    from tests.conftest import make_user

    user = make_user("csrf@example.org")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    response = csrf_client.post("/accounts/logout/", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_html_pages_render_with_production_static_storage_before_collectstatic(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "empty-static-root"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "registry.core.storage.StaticStorage"},
    }
    for path in ["/", "/no-such-page/"]:
        response = client.get(path)
        assert response.status_code in (200, 404)
        assert b"/static/css/app.css" in response.content
