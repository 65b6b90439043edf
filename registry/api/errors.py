"""One JSON error format for the whole API: {"code": ..., "detail": ..., "fields": {...}}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from registry.core.errors import DomainError


def domain_error_response(exc: DomainError) -> Response:
    """The one mapping of a DomainError to the API's error body."""
    return Response({"code": exc.code, "detail": exc.detail, "fields": exc.fields}, status=exc.status)


def _validation_error_response(exc: DjangoValidationError) -> Response:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    detail = " ".join(m for messages in fields.values() for m in messages)
    return Response({"code": "invalid", "detail": detail, "fields": fields}, status=400)


def _flatten(detail) -> str:
    if isinstance(detail, list):
        return " ".join(_flatten(d) for d in detail)
    if isinstance(detail, dict):
        return " ".join(f"{k}: {_flatten(v)}" for k, v in detail.items())
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, DjangoValidationError):
        return _validation_error_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = {
            "code": "invalid",
            "detail": "The request has invalid fields: " + ", ".join(map(str, fields)) + ".",
            "fields": fields,
        }
    else:
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
        body = {"code": code, "detail": _flatten(exc.detail), "fields": {}}
    response.data = body
    return response


class ErrorSerializer(serializers.Serializer):
    """The one error body of the API (documented once, as the `ApiError` component: generators rename a
    component called `Error`, e.g. openapi-generator's TypeScript clients to `ModelError`)."""

    code = serializers.CharField(help_text="Stable machine-readable code, e.g. unknown_use, not_found.")
    detail = serializers.CharField(help_text="Human-readable explanation.")
    fields = serializers.DictField(
        child=serializers.JSONField(), help_text="Per-field messages for invalid input (may be empty)."
    )

    class Meta:
        ref_name = "ApiError"
