"""Bounded page-number pagination for every list endpoint."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from registry.core.pagination import BoundedPaginator


class PagePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class BoundedCountPagination(PagePagination):
    """Pages of a large list (the case list): `count` is exact up to ten pages past the one asked for (at
    least 1,000 rows); beyond that it is that bound and `count_exact` is false. `next` is set while more rows
    exist."""

    def django_paginator_class(self, queryset, page_size):
        hint = self.request.query_params.get(self.page_query_param) if self.request is not None else None
        return BoundedPaginator(queryset, page_size, page_hint=hint)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_exact": not self.page.paginator.count_is_lower_bound,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = (
            "Matching rows, exact when count_exact is true; otherwise a lower bound."
        )
        schema["properties"]["count_exact"] = {"type": "boolean", "example": True}
        schema["required"] = [*schema.get("required", []), "count_exact"]
        return schema
