"""API of the change feed, `GET /api/v1/changes/?after={cursor}` (product.md §5): what can alter the calling
organization's answers, oldest first, in bounded pages with an opaque cursor.

Thin: the feed is recorded by registry.checks.changes and read by registry.checks.feed (see their docstrings
for the design: an append-only log numbered after commit, so each change is delivered exactly once, in order).
"""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from registry.api.brands import AUTH_ERRORS, BrandAPIView
from registry.api.errors import ErrorSerializer
from registry.checks import feed
from registry.checks.serializers import ChangePageSerializer

EXAMPLE = {
    "results": [
        {
            "id": "YzEuNDI",
            "kind": "terms_revoked",
            "talent": "TR-7KQ3-M9XD",
            "occurred_at": "2026-11-25T09:14:03Z",
            "terms_version": 4,
            "license_id": None,
        },
        {
            "id": "YzEuNDM",
            "kind": "license_terminated",
            "talent": "TR-7KQ3-M9XD",
            "occurred_at": "2026-11-25T10:02:41Z",
            "terms_version": None,
            "license_id": "LIC-3F9A1C22B7D0",
        },
    ],
    "next": "YzEuNDM",
    "has_more": False,
}


class ChangeFeedView(BrandAPIView):
    throttle_scope = "changes"

    @extend_schema(
        operation_id="changes_list",
        summary="Changes that can alter your answers, oldest first",
        description=(
            "Terms versions signed or revoked for talent your organization has checked or licensed (or asked "
            "a license of), and your own licenses issued, expired or terminated. Start without `after`, then "
            "send the `next` of each page as `after`; each change comes exactly once, in order. When "
            "`has_more` is true ask again at once, otherwise wait (e.g. a minute) before polling again. On "
            "terms changes, drop what you cached for that talent; on license changes, for that license."
        ),
        parameters=[
            OpenApiParameter(
                "after",
                OpenApiTypes.STR,
                description="The `next` of the previous page (opaque). Omit it to start from the beginning.",
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=f"Page size, 1 to {feed.MAX_LIMIT} (default {feed.DEFAULT_LIMIT}).",
            ),
        ],
        responses={
            200: ChangePageSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="A cursor this feed did not make (invalid_cursor), or a bad limit "
                "(invalid_limit)",
            ),
            **AUTH_ERRORS,
        },
        examples=[OpenApiExample("A page", value=EXAMPLE, response_only=True)],
        tags=["changes"],
    )
    def get(self, request):
        params = request.query_params
        limit = feed.parse_limit(params.get("limit"))
        page = feed.changes_for(request.auth.organization, after=params.get("after"), limit=limit)
        return Response(ChangePageSerializer(page).data)


urlpatterns = [path("changes/", ChangeFeedView.as_view(), name="changes")]
