"""Versioned API URLs: /api/v1/…, the OpenAPI schema and its interactive docs."""

from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from registry.api import brands, cases, changes, consent, licensing, talent


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    return JsonResponse(
        {"code": "not_found", "detail": "No API endpoint at this path.", "fields": {}}, status=404
    )


docs_view = SpectacularSwaggerSplitView.as_view(url_name="schema")

v1 = [
    *talent.urlpatterns,
    *consent.urlpatterns,
    *brands.urlpatterns,
    *licensing.urlpatterns,
    *cases.urlpatterns,
    *changes.urlpatterns,
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles from its bundle; scripts stay 'self'-only.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(docs_view),
        name="api-docs",
    ),
    re_path(r"^.*$", api_not_found, name="api-not-found"),
]
