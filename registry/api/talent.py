"""API views of the talent app (thin: they call registry.talent selectors). Public fields only."""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from registry.api.errors import ErrorSerializer
from registry.consent.exports import public_headers
from registry.consent.fields import term_decision_field, use_field
from registry.consent.selectors import version_in_effect
from registry.core.errors import DomainError
from registry.talent import selectors
from registry.talent import serializers as talent_serializers
from registry.talent.models import Discipline
from registry.talent.serializers import PublicTalentSerializer, TalentSearchQuerySerializer


class TermSummarySerializer(serializers.Serializer):
    use = use_field()
    decision = term_decision_field()


class TermsSummarySerializer(talent_serializers.TermsSummarySerializer):
    terms = TermSummarySerializer(many=True)


class PublicTalentDetailSerializer(talent_serializers.PublicTalentDetailSerializer):
    """The talent app's public profile; its terms summary documented with the consent vocabularies (uses and
    decisions are enums), which the talent app, below consent, does not import."""

    @extend_schema_field(TermsSummarySerializer(allow_null=True))
    def get_terms(self, obj):
        return super().get_terms(obj)


PUBLIC_ONLY = ("id", "registry_id", "stage_name", "disciplines", "representation", "is_verified")


class TalentListView(ListAPIView):
    """Search the public registry by stage name (accent- and case-insensitive) and discipline."""

    serializer_class = PublicTalentSerializer
    permission_classes = [AllowAny]
    throttle_scope = "registry"
    filter_backends: list = []

    def get_queryset(self):
        query = TalentSearchQuerySerializer(data=self.request.query_params)
        if not query.is_valid():
            raise DomainError(
                "invalid_query",
                "Unknown search parameter value: " + ", ".join(query.errors) + ".",
                fields={k: [str(e) for e in v] for k, v in query.errors.items()},
            )
        return selectors.search_public_talent(
            query.validated_data.get("q", ""), query.validated_data.get("discipline", "")
        ).only(*PUBLIC_ONLY)

    @extend_schema(
        operation_id="talent_search",
        summary="Search the public registry",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Part of a stage name (accents and case are ignored), or a registry ID in any "
                "Crockford form (tr-7kq3-m9xd) to find that talent. A name search is fuzzy (typos and "
                "transposed letters are forgiven) and answers the best 200 matches at most, best first: "
                "`count` counts those, not every name that resembles the query.",
            ),
            OpenApiParameter("discipline", str, enum=Discipline.values, description="Only this discipline."),
        ],
        responses={
            200: PublicTalentSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="Bad parameter (e.g. unknown discipline)"),
            404: OpenApiResponse(ErrorSerializer, description="Page out of range"),
            429: OpenApiResponse(ErrorSerializer, description="Rate limited"),
        },
        tags=["talent"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TalentDetailView(GenericAPIView):
    """One public profile with a summary of the terms in effect today. The ID may be sent in any Crockford
    form (`tr-7kq3-m9xd`, `TR7KQ3M9XD`); the answer carries the canonical one."""

    serializer_class = PublicTalentDetailSerializer
    permission_classes = [AllowAny]
    throttle_scope = "registry"

    @extend_schema(
        operation_id="talent_detail",
        summary="One public profile and its current terms summary",
        responses={
            200: PublicTalentDetailSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No (active) talent with this registry ID"),
            429: OpenApiResponse(ErrorSerializer, description="Rate limited"),
        },
        tags=["talent"],
    )
    def get(self, request, registry_id: str):
        talent = selectors.public_profile(registry_id)
        if talent is None:
            raise DomainError("not_found", f"No talent with registry ID {registry_id[:20]}.", status=404)
        context = {
            "request": request,
            "version": version_in_effect(talent),
            "managed_by": selectors.managed_by(talent),
        }
        serializer = self.get_serializer(talent, context=context)
        response = Response(serializer.data)
        # A public page of the talent: the same TDMRep and AIPREF headers as their profile.
        for key, value in public_headers(talent, context["version"], timezone.localdate()).items():
            response[key] = value
        return response

    def get_serializer(self, *args, **kwargs):
        return self.serializer_class(*args, **kwargs)


urlpatterns = [
    path("talent/", TalentListView.as_view(), name="talent-list"),
    path("talent/<str:registry_id>/", TalentDetailView.as_view(), name="talent-detail"),
]
