"""Site-wide request guards."""

from registry.core.views import invalid_characters

NUL = "\x00"


class RejectNulMiddleware:
    """Refuse a NUL character (%00) in the path, the query string or a header with a 400.

    No address, parameter or header of ours has a use for it, and PostgreSQL cannot compare text containing
    it: every lookup with one raised DataError (a 500) — profile, license and policy pages, API key checks,
    staff filters. JSON and form bodies of the API are checked by registry.api.parsers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path_info
            or any(NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists())
            or any(NUL in str(v) for k, v in request.META.items() if k.startswith("HTTP_"))
        ):
            return invalid_characters(request)
        return self.get_response(request)
