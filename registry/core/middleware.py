"""Site-wide request guards: NUL characters, body size limits and caching of private answers."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404

from registry.core.views import invalid_characters, payload_too_large

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


class PathIdRangeMiddleware:
    """A number in the path beyond a 64-bit integer (`/staff/cases/99999999999999999999/`) is a 404: no row
    has such an id, and the databases refuse to compare one (OverflowError on SQLite, DataError on
    PostgreSQL: a 500)."""

    LIMIT = 2**63 - 1

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        values = [*view_args, *view_kwargs.values()]
        if any(isinstance(v, int) and not -self.LIMIT <= v <= self.LIMIT for v in values):
            raise Http404("No such record.")
        return None


# --- request body size ----------------------------------------------------------------------------------


class BodyTooLarge(RequestDataTooBig):
    """A body longer than its endpoint's limit (Django answers it through handler400: a 413)."""

    def __init__(self, limit: int):
        super().__init__(f"The request body exceeds the limit of {limit} bytes.")
        self.limit = limit


class _CappedStream:
    """A request stream that refuses to deliver more than `limit` bytes (a body sent without Content-Length,
    e.g. chunked, under a server that passes it on)."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit, self.seen = stream, limit, 0

    def _count(self, data: bytes) -> bytes:
        self.seen += len(data)
        if self.seen > self.limit:
            raise BodyTooLarge(self.limit)
        return data

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.limit + 1 - self.seen  # never buffer more than one byte past the limit
        return self._count(self.stream.read(size))

    def readline(self, size=-1):
        return self._count(self.stream.readline(self.limit + 1 - self.seen if size < 0 else size))

    def __iter__(self):
        return iter(self.readline, b"")

    def close(self):
        close = getattr(self.stream, "close", None)
        if close:
            close()


def body_limit(request, view_name: str) -> int | None:
    """The largest body (bytes) the endpoint accepts: its own limit (settings.REQUEST_BODY_LIMITS, by URL
    name), else the API default for /api/; None leaves Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE for
    form fields, the upload code's per-file limits)."""
    limits = settings.REQUEST_BODY_LIMITS
    if view_name in limits:
        return limits[view_name]
    if request.path_info.startswith("/api/"):
        return settings.REQUEST_BODY_LIMIT_API_DEFAULT
    return None


class RequestSizeLimitMiddleware:
    """Answer 413 before any parsing when a body is larger than its endpoint allows.

    The declared Content-Length is checked before the view runs (nothing is read); a body without one has
    its stream capped, so reading past the limit stops with the same 413. Must come before CsrfViewMiddleware
    (which reads form bodies in its process_view).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = body_limit(request, request.resolver_match.view_name)
        if limit is None:
            return None
        declared = request.META.get("CONTENT_LENGTH")
        try:
            length = int(declared) if declared not in (None, "") else None
        except ValueError:
            length = None
        if length is not None and length > limit:
            return payload_too_large(request, limit)
        if length is None and hasattr(request, "_stream"):
            request._stream = _CappedStream(request._stream, limit)
        return None


# --- caching of private answers -------------------------------------------------------------------------

# URL arguments that are secrets: whoever holds the address sees the page (tracking codes, invitations,
# email confirmation and password reset keys).
TOKEN_KWARGS = frozenset({"code", "tracking_code", "token", "key", "uidb36"})
NO_STORE = "no-store, private"


def is_private(request, response) -> bool:
    user = getattr(request, "user", None)  # DRF sets the API-key caller here too
    if user is not None and user.is_authenticated:
        return True
    if "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True  # a key, or a session (an API view without session auth forgets the signed-in user)
    match = request.resolver_match
    if match is not None and TOKEN_KWARGS & set(match.kwargs):
        return True
    session = getattr(request, "session", None)
    if session is not None and session.accessed and not session.is_empty():
        return True  # e.g. the tracking code shown once after filing a report
    return bool(response.cookies)  # an answer that sets a cookie is this client's alone


class PrivateCacheMiddleware:
    """`Cache-Control: no-store, private` on every answer that carries personal or case data.

    By default: every answer to a session (signed in or holding state) or an API key, every page whose
    address holds a token (tracking codes, invitations, account keys), every answer setting a cookie — so
    no browser, proxy or CDN keeps a copy. A view that sets its own Cache-Control keeps it: the public
    documents (tdmrep.json, the signing key) are the same for everyone and stay cacheable; anonymous public
    pages (profiles, policies, verification) are left to the default heuristics of HTTP.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and is_private(request, response):
            response["Cache-Control"] = NO_STORE
        return response
