"""Platform pages: the health check and the friendly error pages (JSON for the API)."""

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from registry.core.health import outbox_status, service_status


@never_cache
def healthz(request):
    """503 when a service this host needs is down (take it out of rotation); 200 otherwise, also while
    background work has failed for good: that is "degraded" with the count, for monitoring and supervisors,
    but no reason for a load balancer to drop a healthy web host."""
    healthy, checks = service_status()
    outbox, failed = outbox_status()
    status = "ok" if healthy and outbox == "ok" else "degraded"
    return JsonResponse(
        {"status": status, "checks": checks, "outbox": outbox, "failed": failed},
        status=200 if healthy else 503,
    )


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _error(request, status: int, code: str, detail: str, template: str):
    if _wants_json(request):
        return JsonResponse({"code": code, "detail": detail, "fields": {}}, status=status)
    if status == 500:  # no context processors: the database may be what failed
        return HttpResponseServerError(loader.get_template(template).render({"detail": detail}))
    return render(request, template, {"detail": detail}, status=status)


def payload_too_large(request, limit: int):
    """413 in the error format, naming the limit in bytes (registry.core.middleware; Django's own limits)."""
    detail = f"The request is too large for this address: limit {limit} bytes."
    return _error(request, 413, "payload_too_large", detail, "400.html")


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        # RequestSizeLimitMiddleware's own (a body without Content-Length), else Django's for form fields
        return payload_too_large(request, getattr(exception, "limit", settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        detail = "The request has too many fields or files."
        return _error(request, 400, "too_many_fields", detail, "400.html")
    return _error(request, 400, "bad_request", "The request could not be understood.", "400.html")


def invalid_characters(request):
    return _error(
        request,
        400,
        "invalid_characters",
        "The address, a parameter or a header contains a NUL character (%00), which is never valid.",
        "400.html",
    )


def permission_denied(request, exception=None):
    return _error(request, 403, "permission_denied", "You do not have access to this page.", "403.html")


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        "csrf_failed",
        "The form expired or was sent from elsewhere. Reload the page and retry.",
        "403.html",
    )


def page_not_found(request, exception=None):
    return _error(request, 404, "not_found", "Nothing lives at this address.", "404.html")


def server_error(request):
    return _error(request, 500, "server_error", "Something went wrong on our side.", "500.html")
