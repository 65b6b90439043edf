"""API views of the cases app (thin: they call registry.cases services, workflow and selectors).

POST /reports/ and GET /reports/track/{code}/ are public (rate-limited); /cases/… is for union staff with MFA.
"""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from registry.api import examples
from registry.api.auth import ApiKeyAuthentication, Caller, api_organization
from registry.api.errors import ErrorSerializer
from registry.api.pagination import BoundedCountPagination
from registry.api.parsers import JSONParser, MultiPartParser
from registry.cases import edits, intake, selectors, throttle, workflow
from registry.cases.errors import CaseError
from registry.cases.models import Platform, Priority, Status
from registry.cases.selectors import QueueFilters
from registry.cases.serializers import (
    CaseDetailSerializer,
    CaseListSerializer,
    CasePatchSerializer,
    CaseQuerySerializer,
    ReportCreatedSerializer,
    ReportCreateSerializer,
    TrackingSerializer,
    TransitionSerializer,
)
from registry.consent.vocab import Use
from registry.core.audit import record_access
from registry.core.errors import DomainError
from registry.licensing.models import LicenseRequest


class IsStaffWithMFA(BasePermission):
    message = "Only union staff (with two-factor authentication) can use the case API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.has_perm("cases.work_cases") and is_mfa_enabled(user))


class ReportThrottle(BaseThrottle):
    """The per-IP report budget shared with the web form (scope "reports", THROTTLE_REPORTS)."""

    scope = "reports"

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        self.ip = throttle.client_ip(request)
        return throttle.allow_report(self.ip)

    def wait(self):
        return throttle.retry_after(getattr(self, "ip", ""))


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input (see `fields`)"),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in"),
    403: OpenApiResponse(ErrorSerializer, description="Not union staff with two-factor authentication"),
    404: OpenApiResponse(ErrorSerializer, description="No such case (or not visible to you)"),
    409: OpenApiResponse(ErrorSerializer, description="Stale version: the case changed"),
    429: OpenApiResponse(ErrorSerializer, description="Rate limited"),
}


class ReportCreateView(GenericAPIView):
    """File a misuse report (anyone; rate-limited per IP address). A brand may call it with an API key that
    has the `reports` scope: the report is then signed with the organization's name."""

    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ReportThrottle]
    parser_classes = [JSONParser, MultiPartParser]  # the one endpoint with uploads (evidence files)
    serializer_class = ReportCreateSerializer

    @extend_schema(
        operation_id="reports_create",
        summary="File a misuse report; answers with a private tracking code",
        description="Send multipart/form-data: evidence files are parts named `evidence`, `urls` may repeat. "
        "The same fields as a JSON object (without evidence) are accepted too; the schema lists multipart "
        "only, so that a client generated from it has one way to send a report, files included.",
        request={"multipart/form-data": ReportCreateSerializer},
        examples=examples.REPORT_CREATE,
        responses={
            201: ReportCreatedSerializer,
            400: ERRORS[400],
            401: OpenApiResponse(ErrorSerializer, description="Invalid or revoked API key"),
            403: OpenApiResponse(ErrorSerializer, description="API key without the 'reports' scope"),
            429: ERRORS[429],
        },
        tags=["reports"],
    )
    def post(self, request):
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        files = serializer.validated_data.get("evidence") or []
        data = serializer.to_input()
        if isinstance(request.auth, Caller):
            organization, key = api_organization(request, "reports")
            data.reporter_name = f"{organization.name} (API key {key.prefix})"
            data.reporter_email = data.reporter_email or organization.contact_email
        try:
            _, code = intake.file_report(data, files, actor=request.user, ip=throttle.client_ip(request))
        except ValidationError as exc:
            fields = exc.message_dict
            raise DomainError(
                "invalid",
                "The report has invalid fields: "
                + ", ".join(fields)
                + ". "
                + " ".join(sum(fields.values(), [])),
                fields=fields,
            )
        body = {"tracking_code": code, "tracking_url": intake.tracking_url(code), "status": "received"}
        return Response(ReportCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class ReportTrackView(GenericAPIView):
    """Status and public messages of a report, for whoever holds its tracking code."""

    permission_classes = [AllowAny]
    throttle_scope = "tracking"
    serializer_class = TrackingSerializer

    @extend_schema(
        operation_id="reports_track",
        summary="Follow a report with its tracking code",
        responses={
            200: TrackingSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Unknown code"),
            429: ERRORS[429],
        },
        tags=["reports"],
    )
    def get(self, request, tracking_code: str):
        report = selectors.report_for_code(tracking_code)
        if report is None:
            raise CaseError("not_found", "No report has this tracking code.", status=404)
        return Response(TrackingSerializer(selectors.tracking_status(report)).data)


class CaseListView(ListAPIView):
    """The staff queue: filterable, searchable, paginated (confidential: supervisors and assignee only).

    Open cases unless `status` says otherwise (`status=closed`, a status, or `status=` for all); sorted by the
    stored keys the queue uses; bounded pages; only the columns the list returns."""

    permission_classes = [IsStaffWithMFA]
    serializer_class = CaseListSerializer
    pagination_class = BoundedCountPagination
    filter_backends: list = []

    def get_queryset(self):
        query = CaseQuerySerializer(data=self.request.query_params)
        if not query.is_valid():
            raise DomainError(
                "invalid_query",
                "Unknown filter value: " + ", ".join(query.errors) + ".",
                fields={k: [str(e) for e in v] for k, v in query.errors.items()},
            )
        d = query.validated_data
        filters = QueueFilters(
            status=d.get("status", "open") or "",  # absent: open cases; `status=` (blank): all
            priority=d.get("priority") or "",
            assignee=d.get("assignee") or "",
            platform=d.get("platform") or "",
            use=d.get("use") or "",
            overdue=bool(d.get("overdue")),
            q=d.get("q") or "",
            sort=d.get("ordering") or "priority",
        )
        return selectors.queue(self.request.user, filters, fields=selectors.API_FIELDS, counts=False)

    @extend_schema(
        operation_id="cases_list",
        summary="List cases (staff)",
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=["open", "closed", *Status.values],
                description="A status, or 'open' / 'closed'. Default (absent): 'open'. For closed cases send "
                "`status=closed`, a closed status ('resolved', 'dismissed') or an empty `status=` (all).",
            ),
            OpenApiParameter("priority", str, enum=Priority.values),
            OpenApiParameter("assignee", str, description="A staff user id, 'me' or 'none'."),
            OpenApiParameter("platform", str, enum=Platform.values),
            OpenApiParameter("use", str, enum=Use.values),
            OpenApiParameter("overdue", bool),
            OpenApiParameter(
                "q",
                str,
                description="A case reference (C-00042), a registry ID, a URL (exact or prefix, normalised), "
                "or text (3+ characters) in the summary, description, talent or brand name.",
            ),
            OpenApiParameter("ordering", str, enum=["priority", "due", "newest", "oldest", "updated"]),
        ],
        responses={
            200: CaseListSerializer(many=True),
            400: ERRORS[400],
            401: ERRORS[401],
            403: ERRORS[403],
            404: OpenApiResponse(ErrorSerializer, description="Page out of range"),
        },
        tags=["cases"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CaseDetailView(GenericAPIView):
    permission_classes = [IsStaffWithMFA]
    serializer_class = CaseDetailSerializer

    def _detail(self, pk: int) -> Response:
        case = selectors.case_page(self.request.user, pk)
        if case is None:
            raise CaseError("not_found", "No such case.", status=404)
        record_access(
            request=self.request, actor=self.request.user, action="case.view", obj=case, detail="API"
        )
        return Response(CaseDetailSerializer(case).data)

    @extend_schema(
        operation_id="cases_retrieve",
        summary="One case with URLs, evidence (metadata), matches and timeline (staff)",
        responses={200: CaseDetailSerializer, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
        tags=["cases"],
    )
    def get(self, request, pk: int):
        return self._detail(pk)

    @extend_schema(
        operation_id="cases_partial_update",
        summary="Change priority, assignee, confidentiality, summary or facts (send the version you saw)",
        request=CasePatchSerializer,
        responses={200: CaseDetailSerializer, **{k: v for k, v in ERRORS.items() if k != 429}},
        tags=["cases"],
    )
    def patch(self, request, pk: int):
        serializer = CasePatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        changes = {k: d[k] for k in ("priority", "confidential", "summary") if k in d}
        if "assignee" in d:
            changes["assignee"] = d["assignee"]
        facts = {k: d[k] for k in CasePatchSerializer.FACTS if k in d}
        if facts:
            changes["facts"] = facts
        edits.update_case(pk, actor=request.user, version=d["version"], **changes)
        return self._detail(pk)


class CaseTransitionView(GenericAPIView):
    permission_classes = [IsStaffWithMFA]
    serializer_class = TransitionSerializer

    @extend_schema(
        operation_id="cases_transition",
        summary="Move a case through the workflow (send the version you saw)",
        request=TransitionSerializer,
        responses={200: CaseDetailSerializer, **{k: v for k, v in ERRORS.items() if k != 429}},
        tags=["cases"],
    )
    def post(self, request, pk: int):
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        license_request = None
        if d.get("license_request"):
            license_request = LicenseRequest.objects.filter(pk=d["license_request"]).first()
            if license_request is None:
                raise DomainError(
                    "invalid_license_request",
                    f"There is no license request {d['license_request']}.",
                    fields={"license_request": ["Unknown license request."]},
                )
        workflow.transition(
            pk,
            to=d["to"],
            actor=request.user,
            version=d["version"],
            reason=d.get("reason") or "",
            outcome=d.get("outcome") or "",
            outcome_note=d.get("outcome_note") or "",
            license_request=license_request,
        )
        case = selectors.case_page(request.user, pk)
        return Response(CaseDetailSerializer(case).data)


urlpatterns = [
    path("reports/", ReportCreateView.as_view(), name="reports-create"),
    path("reports/track/<str:tracking_code>/", ReportTrackView.as_view(), name="reports-track"),
    path("cases/", CaseListView.as_view(), name="cases-list"),
    path("cases/<int:pk>/", CaseDetailView.as_view(), name="cases-detail"),
    path("cases/<int:pk>/transition/", CaseTransitionView.as_view(), name="cases-transition"),
]
