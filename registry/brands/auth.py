"""Brand API authentication: `Authorization: Bearer lr_<prefix>_<secret>` keys, scopes and throttles.

A key-authenticated request has `request.auth` = the ApiKey (with `.organization`) and an anonymous
`request.user` (a key is not a person: nothing may record it as one). A brand member signed in on the web may
call the same endpoints with their session; they act for their own organization.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import ScopedRateThrottle

from registry.api.errors import APIError
from registry.brands import selectors, services
from registry.brands.models import ApiKey, Organization


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
        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


# Bearer first: its WWW-Authenticate header makes unauthenticated calls a 401 (not a 403).
BRAND_AUTHENTICATION = [ApiKeyAuthentication, SessionAuthentication]


def api_organization(request, scope: str) -> tuple[Organization, ApiKey | None]:
    """The calling organization (and key) for a brand endpoint needing `scope`; raises 401/403 otherwise."""
    if isinstance(request.auth, ApiKey):
        if scope not in (request.auth.scopes or []):
            raise APIError(
                "insufficient_scope",
                f"This API key lacks the '{scope}' scope. An owner can create a key with it.",
                status_code=403,
            )
        return request.auth.organization, request.auth
    user = request.user
    if not getattr(user, "is_authenticated", False):
        raise exceptions.NotAuthenticated(
            "Authentication required: send 'Authorization: Bearer <api key>'.", code="not_authenticated"
        )
    organization = selectors.organization_for_user(user)
    if organization is None:
        raise APIError(
            "no_organization",
            "You are not a member of an organization. Create or join one at /brands/.",
            status_code=403,
        )
    return organization, None


class HasBrandScope(BasePermission):
    """The view's `required_scope` on a key, or a session user with an organization."""

    def has_permission(self, request, view):
        request.brand_organization, request.brand_api_key = api_organization(request, view.required_scope)
        return True


class OrganizationRateThrottle(ScopedRateThrottle):
    """The view's `throttle_scope` rate, counted per API key (per user for web sessions, per IP otherwise)."""

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            ident = f"key{request.auth.pk}"
        elif getattr(request.user, "is_authenticated", False):
            ident = f"user{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


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
