"""API of the licensing app: license requests and their answers, licenses, certificates, public verification.

Thin: every rule is in registry.licensing (requests, licenses, selectors). Brands call with an API key
holding the `licenses` scope (or their web session); the talent side (talent, guardian, estate,
representative) with their web session.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api import examples
from registry.api.auth import CallerViewMixin, IsCaller, OrganizationRateThrottle, scope_required
from registry.api.errors import ErrorSerializer
from registry.brands.models import ApiKey
from registry.core.errors import DomainError
from registry.licensing import certificates, licenses, requests, selectors
from registry.licensing.models import LicenseRequest
from registry.licensing.serializers import (
    AnswerSerializer,
    CertificateSerializer,
    CounterSerializer,
    LicenseRequestCreateSerializer,
    LicenseRequestSerializer,
    LicenseSerializer,
    VerificationSerializer,
)
from registry.talent import selectors as talent_selectors

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input (code names the problem)"),
    401: OpenApiResponse(ErrorSerializer, description="Not authenticated"),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed (e.g. personal_consent_required)"),
    404: OpenApiResponse(ErrorSerializer, description="No such request visible to you"),
    409: OpenApiResponse(ErrorSerializer, description="Not possible in the request's current state"),
    429: OpenApiResponse(ErrorSerializer, description="Rate limited"),
}

# A request the talent's terms in effect already refuse (product.md §3) is a 400 with the reason's code.
CREATE_ERRORS = {
    **ERRORS,
    400: OpenApiResponse(
        ErrorSerializer,
        description="Invalid input, or refused by the talent's terms in effect over the whole period: "
        "use_denied, excluded_category, minor_protected, below_min_fee (fee below the term's minimum or in "
        "another currency)",
    ),
}

LICENSES_SCOPE_MESSAGE = "This API key lacks the 'licenses' scope."

PAGE_ERRORS = {
    401: ERRORS[401],
    403: ERRORS[403],
    404: OpenApiResponse(ErrorSerializer, description="No such page"),
    429: ERRORS[429],
}


# A key with the `licenses` scope, or a signed-in user (brand member or talent side).
class LicensingAPIView(CallerViewMixin, APIView):
    permission_classes = [IsCaller, scope_required(ApiKey.Scope.LICENSES, LICENSES_SCOPE_MESSAGE)]
    throttle_scope = "licenses"

    @property
    def caller_user(self):
        """The person calling (None for an API key: a key is not a person)."""
        user = self.request.user
        return user if user.is_authenticated else None

    @property
    def caller_organization(self):
        return self.request.auth.organization

    def get_request(self, pk) -> LicenseRequest:
        found = selectors.request_for(pk, user=self.caller_user, organization=self.caller_organization)
        if found is None:
            raise DomainError("not_found", "No such license request.", status=404)
        return found

    def respond(self, pk, status=200):
        return Response(LicenseRequestSerializer(self.get_request(pk)).data, status=status)

    def is_brand_side(self, license_request) -> bool:
        org = self.caller_organization
        return org is not None and org.pk == license_request.organization_id


class LicenseRequestListView(ListAPIView, LicensingAPIView):
    serializer_class = LicenseRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        qs = selectors.visible_requests(user=self.caller_user, organization=self.caller_organization)
        status = self.request.query_params.get("status", "")
        if status in LicenseRequest.Status.values:
            qs = qs.filter(status=status)
        return qs.order_by("-updated_at", "-pk")

    @extend_schema(
        operation_id="license_requests_list",
        summary="Your license requests (brand: your organization's; talent side: the talent's)",
        parameters=[OpenApiParameter("status", str, enum=LicenseRequest.Status.values)],
        responses={200: LicenseRequestSerializer(many=True), **PAGE_ERRORS},
        tags=["licenses"],
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        operation_id="license_requests_create",
        summary="Request a license (brand)",
        request=LicenseRequestCreateSerializer,
        responses={201: LicenseRequestSerializer, **CREATE_ERRORS},
        examples=examples.LICENSE_REQUEST_CREATE,
        tags=["licenses"],
    )
    def post(self, request, *args, **kwargs):
        if self.caller_organization is None:
            raise DomainError(
                "no_organization", "Only a member of an organization can request a license.", status=403
            )
        if not isinstance(request.data, dict):
            raise DomainError("invalid", "The body must be a JSON object.")
        created = requests.request_license(
            organization=self.caller_organization,
            actor=self.caller_user,
            talent_registry_id=request.data.get("talent"),
            data=request.data,
        )
        return self.respond(created.pk, status=201)


class LicenseRequestDetailView(LicensingAPIView):
    @extend_schema(
        operation_id="license_requests_retrieve",
        summary="One license request with its thread of offers",
        responses={200: LicenseRequestSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=["licenses"],
    )
    def get(self, request, pk):
        return self.respond(pk)


def _message(request) -> str:
    """The optional `message` of an answer. A body that is not an object, or a message that is not a string,
    is a 400 (never ignored: an answer sent with a malformed body must not take effect)."""
    data = request.data
    if not isinstance(data, dict):  # a JSON list, string, number or null (a QueryDict is a dict)
        raise DomainError(
            "invalid",
            'The body must be a JSON object, e.g. {"message": "…"}.',
            fields={"non_field_errors": ["Expected an object."]},
        )
    message = data.get("message")
    if message in (None, ""):
        return ""
    if not isinstance(message, str):
        raise DomainError(
            "invalid", "Field 'message' must be a string.", fields={"message": ["Expected a string."]}
        )
    return message[:2000]


class TalentAnswerView(LicensingAPIView):
    """The talent side answers the current offer; `answer` is the licensing service that records it."""

    answer = None

    def post(self, request, pk):
        found = self.get_request(pk)
        type(self).answer(request_id=found.pk, actor=self.caller_user, message=_message(request))
        return self.respond(found.pk)


def _answer_schema(operation_id: str, summary: str):
    return extend_schema_view(
        post=extend_schema(
            operation_id=operation_id,
            summary=summary,
            request=AnswerSerializer,
            responses={200: LicenseRequestSerializer, **ERRORS},
            tags=["licenses"],
        )
    )


@_answer_schema("license_requests_approve", "Approve the current offer (talent side): issues the license")
class ApproveView(TalentAnswerView):
    answer = staticmethod(requests.approve)


@_answer_schema("license_requests_decline", "Decline (talent side)")
class DeclineView(TalentAnswerView):
    answer = staticmethod(requests.decline)


class CounterView(LicensingAPIView):
    @extend_schema(
        operation_id="license_requests_counter",
        summary="Counter with a changed fee, period or scope (talent side; the brand may counter back)",
        request=CounterSerializer,
        responses={200: LicenseRequestSerializer, **CREATE_ERRORS},
        tags=["licenses"],
    )
    def post(self, request, pk):
        found = self.get_request(pk)
        if not isinstance(request.data, dict):
            raise DomainError("invalid", "The body must be a JSON object.")
        user = self.caller_user
        talent_side = user is not None and talent_selectors.can_act_for(user, found.talent, scope="view")
        brand_side = self.is_brand_side(found) and (
            not talent_side or found.status == LicenseRequest.Status.COUNTERED
        )
        requests.counter(
            request_id=found.pk,
            actor=user,
            data=request.data,
            organization=self.caller_organization if brand_side else None,
            message=_message(request),
        )
        return self.respond(found.pk)


class AcceptView(LicensingAPIView):
    @extend_schema(
        operation_id="license_requests_accept",
        summary="Accept the talent's counter-offer (brand): issues the license",
        request=None,
        responses={200: LicenseRequestSerializer, **ERRORS},
        tags=["licenses"],
    )
    def post(self, request, pk):
        found = self.get_request(pk)
        if not self.is_brand_side(found):
            raise DomainError("not_authorised", "Only the requesting organization accepts.", status=403)
        requests.accept(request_id=found.pk, actor=self.caller_user, organization=self.caller_organization)
        return self.respond(found.pk)


class WithdrawView(LicensingAPIView):
    @extend_schema(
        operation_id="license_requests_withdraw",
        summary="Withdraw the request (brand)",
        request=AnswerSerializer,
        responses={200: LicenseRequestSerializer, **ERRORS},
        tags=["licenses"],
    )
    def post(self, request, pk):
        found = self.get_request(pk)
        if not self.is_brand_side(found):
            raise DomainError("not_authorised", "Only the requesting organization withdraws.", status=403)
        requests.withdraw(
            request_id=found.pk,
            actor=self.caller_user,
            organization=self.caller_organization,
            message=_message(request),
        )
        return self.respond(found.pk)


class LicenseListView(ListAPIView, LicensingAPIView):
    serializer_class = LicenseSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.visible_licenses(
            user=self.caller_user, organization=self.caller_organization
        ).order_by("-created_at", "-pk")

    @extend_schema(
        operation_id="licenses_list",
        summary="Your licenses (brand: your organization's; talent side: the talent's)",
        responses={200: LicenseSerializer(many=True), **PAGE_ERRORS},
        tags=["licenses"],
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


class LicenseDetailView(LicensingAPIView):
    def get_license(self, license_id):
        found = selectors.license_for(
            license_id, user=self.caller_user, organization=self.caller_organization
        )
        if found is None:
            raise DomainError("not_found", "No such license.", status=404)
        return found

    @extend_schema(
        operation_id="licenses_retrieve",
        summary="One of your licenses",
        responses={200: LicenseSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=["licenses"],
    )
    def get(self, request, license_id):
        return Response(LicenseSerializer(self.get_license(license_id)).data)


class LicenseCertificateView(LicenseDetailView):
    @extend_schema(
        operation_id="licenses_certificate",
        summary="The signed certificate (JSON) of one of your licenses",
        responses={200: CertificateSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=["licenses"],
    )
    def get(self, request, license_id):
        return Response(certificates.certificate_for(self.get_license(license_id)))


class LicenseVerifyView(APIView):
    """Public: anyone may ask whether a license is valid and what it covers (no private data, no fee)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [OrganizationRateThrottle]
    throttle_scope = "license_verify"

    @extend_schema(
        operation_id="licenses_verify",
        summary="Validity and scope of a license (public)",
        responses={
            200: VerificationSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Unknown license ID"),
            429: ERRORS[429],
        },
        tags=["licenses"],
        auth=[],
        examples=examples.VERIFY,
    )
    def get(self, request, license_id):
        found = selectors.public_license(license_id)
        if found is None:
            raise DomainError("not_found", "No license with this ID.", status=404)
        return Response(licenses.verification(found))


urlpatterns = [
    path("license-requests/", LicenseRequestListView.as_view(), name="license-requests"),
    path("license-requests/<int:pk>/", LicenseRequestDetailView.as_view(), name="license-request"),
    path("license-requests/<int:pk>/approve/", ApproveView.as_view(), name="license-request-approve"),
    path("license-requests/<int:pk>/decline/", DeclineView.as_view(), name="license-request-decline"),
    path("license-requests/<int:pk>/counter/", CounterView.as_view(), name="license-request-counter"),
    path("license-requests/<int:pk>/accept/", AcceptView.as_view(), name="license-request-accept"),
    path("license-requests/<int:pk>/withdraw/", WithdrawView.as_view(), name="license-request-withdraw"),
    path("licenses/", LicenseListView.as_view(), name="licenses"),
    path("licenses/<str:license_id>/", LicenseDetailView.as_view(), name="license"),
    path(
        "licenses/<str:license_id>/certificate/", LicenseCertificateView.as_view(), name="license-certificate"
    ),
    path("licenses/<str:license_id>/verify/", LicenseVerifyView.as_view(), name="license-verify"),
]
