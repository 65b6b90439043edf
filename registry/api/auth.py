"""Who calls the API: `Authorization: Bearer lr_<prefix>_<secret>` keys and web sessions, their permission
classes and the per-key throttle.

Authentication sets `request.auth` to a Caller: the organization acting, the key used and its scopes. A
key-authenticated request has an anonymous `request.user` (a key is not a person: nothing may record it as
one). A person signed in on the web may call the same endpoints with their session; they act for their own
organization (if any) with every scope. Permission classes only answer yes or no; their `message` and `code`
make the error body.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.drainage import set_override
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import ScopedRateThrottle

from registry.brands import selectors, services
from registry.brands.models import ApiKey, Organization
from registry.core.errors import NotAllowed

ALL_SCOPES = frozenset(ApiKey.Scope.values)


@dataclass(frozen=True)
class Caller:
    organization: Organization | None
    api_key: ApiKey | None = None
    scopes: frozenset[str] = ALL_SCOPES

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


def scope_message(scope: str) -> str:
    return f"This API key lacks the '{scope}' scope. An owner can create a key with it."


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Malformed Authorization header: use 'Bearer <api key>'.", code="invalid_api_key"
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid API key.", code="invalid_api_key")
        api_key = services.authenticate_api_key(raw)
        if api_key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.", code="invalid_api_key")
        return AnonymousUser(), Caller(api_key.organization, api_key, frozenset(api_key.scopes or ()))

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class MemberSessionAuthentication(SessionAuthentication):
    """A web session, acting for the person's own organization (None outside any)."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user, _ = found
        return user, Caller(selectors.organization_for_user(user))


# Bearer first: its WWW-Authenticate header makes unauthenticated calls a 401 (not a 403).
CALLER_AUTHENTICATION = [ApiKeyAuthentication, MemberSessionAuthentication]


def api_organization(request, scope: str) -> tuple[Organization, ApiKey | None]:
    """The calling key's organization and key, for a view that only optionally takes a key (a misuse report
    signed by a brand). Raises insufficient_scope (403) when the key lacks `scope`."""
    caller: Caller = request.auth
    if not caller.has_scope(scope):
        raise NotAllowed("insufficient_scope", scope_message(scope))
    return caller.organization, caller.api_key


class IsCaller(BasePermission):
    """Authenticated by an API key or a web session."""

    code = "not_authenticated"

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, Caller)


def scope_required(scope: str, message: str | None = None) -> type[BasePermission]:
    """A permission class: the key has `scope` (a web session has every scope)."""

    class HasScope(BasePermission):
        code = "insufficient_scope"

        def has_permission(self, request, view) -> bool:
            return request.auth.has_scope(scope)

    HasScope.message = message or scope_message(scope)
    return HasScope


class HasOrganization(BasePermission):
    """The caller acts for an organization."""

    message = "You are not a member of an organization. Create or join one at /brands/."
    code = "no_organization"

    def has_permission(self, request, view) -> bool:
        return request.auth.organization is not None


class OrganizationRateThrottle(ScopedRateThrottle):
    """The view's `throttle_scope` rate, counted per API key (per user for web sessions, per IP otherwise)."""

    def get_cache_key(self, request, view):
        caller = request.auth
        if isinstance(caller, Caller) and caller.api_key is not None:
            ident = f"key{caller.api_key.pk}"
        elif getattr(request.user, "is_authenticated", False):
            ident = f"user{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


# Caller authentication and the per-key throttle. A refused permission answers 401 without credentials (with
# the permission's message, if any), else 403 with its message and code. (A comment, not a docstring: the
# schema would show a docstring as every view's description.)
class CallerViewMixin:
    authentication_classes = CALLER_AUTHENTICATION
    throttle_classes = [OrganizationRateThrottle]

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(message, code="not_authenticated")
        raise exceptions.PermissionDenied(message, code)


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the Bearer API key in the OpenAPI schema."""

    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "lr_<prefix>_<secret>",
            "description": "An organization's API key (made by an owner at /brands/ or create_api_key).",
        }


class MemberSessionScheme(SessionScheme):
    """The web session, documented as DRF's own session authentication."""

    target_class = MemberSessionAuthentication


# The same session cookie as DRF's SessionAuthentication (the case API's): one `cookieAuth` component.
set_override(MemberSessionAuthentication, "suppress_collision_warning", True)
