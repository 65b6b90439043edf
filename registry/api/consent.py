"""API views of the consent app (thin: they call registry.consent selectors and exports). Read-only: signed
terms change only through signing a new version on the site; there is no write endpoint."""

import re
from datetime import date

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api.errors import ErrorSerializer
from registry.consent import exports, selectors
from registry.consent.serializers import TermsResponseSerializer
from registry.core.errors import DomainError
from registry.talent.selectors import public_profile

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class JSONOnly(DefaultContentNegotiation):
    """`?format=` names an export here, not a DRF renderer: always answer JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class TalentTermsView(APIView):
    """The public terms of one talent, in the registry's JSON or mapped to TDMRep, IPTC or C2PA."""

    permission_classes = [AllowAny]
    throttle_scope = "terms"
    content_negotiation_class = JSONOnly
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="talent_terms",
        summary="Public terms of a talent (current, or as of a date), or their TDMRep/IPTC/C2PA mapping",
        parameters=[
            OpenApiParameter(
                "as_of", str, description="YYYY-MM-DD: the version in effect on that date (default today)."
            ),
            OpenApiParameter(
                "format",
                str,
                enum=list(exports.FORMATS),
                description="registry (default): the registry's JSON; tdmrep: W3C TDMRep tdm-reservation/"
                "tdm-policy; iptc: IPTC plus:DataMining (+ XMP); c2pa: the c2pa.training-mining assertion.",
            ),
        ],
        responses={
            200: OpenApiResponse(
                TermsResponseSerializer,
                description="Also sent as HTTP headers: tdm-reservation, tdm-policy (when reserved and "
                "something is offered) and Content-Usage (IETF AIPREF, e.g. train-ai=n).",
            ),
            400: OpenApiResponse(ErrorSerializer, description="invalid_date or unknown_format"),
            404: OpenApiResponse(ErrorSerializer, description="No (active) talent with this ID"),
            429: OpenApiResponse(ErrorSerializer, description="Rate limited"),
        },
        tags=["talent"],
    )
    def get(self, request, registry_id: str):
        fmt = request.query_params.get("format", "registry") or "registry"
        if fmt not in exports.FORMATS:
            raise DomainError(
                "unknown_format",
                f"Unknown format {fmt[:30]!r}: use one of {', '.join(exports.FORMATS)}.",
                fields={"format": [f"Must be one of {', '.join(exports.FORMATS)}."]},
            )
        raw = request.query_params.get("as_of")
        as_of = timezone.localdate()
        if raw:
            try:
                if not ISO_DATE.fullmatch(raw):
                    raise ValueError
                as_of = date.fromisoformat(raw)
            except ValueError:
                raise DomainError(
                    "invalid_date",
                    "as_of must be a date in YYYY-MM-DD form.",
                    fields={"as_of": ["Must be a date in YYYY-MM-DD form."]},
                )
        talent = public_profile(registry_id[:20])
        if talent is None:
            raise DomainError("not_found", f"No talent with registry ID {registry_id[:20]}.", status=404)
        version = selectors.version_in_effect(talent, as_of)
        response = Response(exports.export(fmt, talent, version, as_of))
        for key, value in exports.public_headers(talent, version, as_of).items():
            response[key] = value
        return response


urlpatterns = [
    path("talent/<str:registry_id>/terms/", TalentTermsView.as_view(), name="talent-terms"),
]
