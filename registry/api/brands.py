"""API of permission checks, single and bulk, and the caller's check history.

Thin: callers, scopes and throttles come from registry.api.auth; checks are run and logged by
registry.checks.services (which call the evaluator); the history is read from registry.brands.selectors.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api import examples
from registry.api.auth import CallerViewMixin, HasOrganization, IsCaller, scope_required
from registry.api.errors import ErrorSerializer
from registry.brands import selectors
from registry.brands.models import ApiKey, PermissionCheck
from registry.checks import services
from registry.checks.serializers import (
    BulkCheckRequestSerializer,
    BulkCheckResponseSerializer,
    CheckRequestSerializer,
    CheckResponseSerializer,
    PermissionCheckLogSerializer,
)
from registry.consent.vocab import Outcome, Use
from registry.core.errors import DomainError
from registry.talent.registry_ids import canonical_registry_id

AUTH_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Missing, unknown or revoked API key"),
    403: OpenApiResponse(ErrorSerializer, description="The key lacks the scope (insufficient_scope)"),
    429: OpenApiResponse(ErrorSerializer, description="Rate limited (see Retry-After)"),
}


class IsBrandCaller(IsCaller):
    message = "Authentication required: send 'Authorization: Bearer <api key>'."


class BrandAPIView(CallerViewMixin, APIView):
    permission_classes = [IsBrandCaller, scope_required(ApiKey.Scope.CHECK), HasOrganization]


def _body_object(request) -> dict:
    if not isinstance(request.data, dict):
        raise DomainError(
            "invalid", "The body must be a JSON object.", fields={"non_field_errors": ["Expected an object."]}
        )
    return request.data


class PermissionCheckView(BrandAPIView):
    throttle_scope = "check"

    @extend_schema(
        operation_id="permissions_check",
        summary="Check one permission",
        request=CheckRequestSerializer,
        examples=examples.CHECK,
        responses={
            200: CheckResponseSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Unknown vocabulary (unknown_use, unknown_territory, …), a field the contract "
                "does not name (unknown_field), or bad input",
            ),
            **AUTH_ERRORS,
        },
        tags=["permissions"],
    )
    def post(self, request):
        body, _ = services.run_check(
            _body_object(request),
            organization=request.auth.organization,
            api_key=request.auth.api_key,
            actor=request.user,
            source=PermissionCheck.Source.API,
        )
        return Response(body)


class BulkPermissionCheckView(BrandAPIView):
    throttle_scope = "check_bulk"

    @extend_schema(
        operation_id="permissions_check_bulk",
        summary="Check up to 1,000 permissions; results in the same order",
        request=BulkCheckRequestSerializer,
        examples=examples.BULK_CHECK,
        responses={
            200: BulkCheckResponseSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Not a list, more than 1,000 checks (too_many_checks), or a field other than "
                "'checks' (unknown_field)",
            ),
            **AUTH_ERRORS,
        },
        tags=["permissions"],
    )
    def post(self, request):
        checks = services.bulk_items(request.data)
        results = services.run_bulk_checks(
            checks, organization=request.auth.organization, api_key=request.auth.api_key, actor=request.user
        )
        return Response({"results": results})


class PermissionCheckHistoryView(CallerViewMixin, ListAPIView):
    permission_classes = BrandAPIView.permission_classes
    throttle_scope = "check_history"
    serializer_class = PermissionCheckLogSerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="permissions_checks_list",
        summary="The calling organization's check history, newest first",
        parameters=[
            OpenApiParameter("talent", str, description="Registry ID"),
            OpenApiParameter("use", str, enum=Use.values),
            OpenApiParameter("decision", str, enum=Outcome.values),
        ],
        responses={
            200: PermissionCheckLogSerializer(many=True),
            404: OpenApiResponse(ErrorSerializer, description="No such page"),
            **AUTH_ERRORS,
        },
        tags=["permissions"],
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.checks_by(
            self.request.auth.organization,
            talent=canonical_registry_id(str(params.get("talent", ""))) or str(params.get("talent", ""))[:40],
            use=str(params.get("use", ""))[:30],
            decision=str(params.get("decision", ""))[:30],
        )


urlpatterns = [
    path("permissions/check/", PermissionCheckView.as_view(), name="permissions-check"),
    path("permissions/check/bulk/", BulkPermissionCheckView.as_view(), name="permissions-check-bulk"),
    path("permissions/checks/", PermissionCheckHistoryView.as_view(), name="permissions-checks"),
]
