"""Running the matrix: the state fingerprint a denied request must leave alone, callers, one checked request,
and route discovery.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import User
from registry.brands.models import ApiKey, Invitation, Membership, Organization
from registry.cases.models import Case, NoticeTemplate, ReportedURL
from registry.consent.models import TermVersion
from registry.licensing.models import License, LicenseRequest
from registry.talent.models import Representative, TalentProfile
from tests.security.access.expect import LOGIN, Expect
from tests.security.access.leaks import SECRETS

APP_LABELS = ("accounts", "core", "talent", "consent", "brands", "licensing", "cases")


def tables() -> list[str]:
    tables = set()
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    tables.add(User.groups.through._meta.db_table)
    return sorted(tables)


STATE = [
    (TalentProfile, ("status", "is_verified", "updated_at", "user_id")),
    (Representative, ("revoked_at",)),
    (TermVersion, ("status",)),
    (Organization, ("is_verified",)),
    (Membership, ("role",)),
    (Invitation, ("accepted_at", "cancelled_at")),
    (ApiKey, ("revoked_at",)),
    (LicenseRequest, ("status", "updated_at")),
    (License, ("terminated_at",)),
    (Case, ("status", "version", "updated_at", "assignee_id", "confidential", "priority")),
    (ReportedURL, ("status",)),
    (NoticeTemplate, ("updated_at",)),
    (User, ("is_active", "email")),
]


def fingerprint(tables: list[str]) -> tuple:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables))
        counts = dict(zip(tables, cursor.fetchone(), strict=True))
    states = tuple(
        (model.__name__, tuple(model.objects.order_by("pk").values_list("pk", *fields)))
        for model, fields in STATE
    )
    return counts, states


def _diff(before: tuple, after: tuple) -> str:
    changed = [f"{t}: {n} → {after[0][t]}" for t, n in before[0].items() if after[0][t] != n]
    changed += [name for (name, rows), (_, new) in zip(before[1], after[1], strict=True) if rows != new]
    return ", ".join(changed)


# --- running one role ---------------------------------------------------------------------------------------


def _body(response) -> bytes:
    # The test client closes the response itself (consuming a streamed one closes it): closing it again here
    # would fire request_finished and close the database connection in the middle of the savepoint.
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def _matches(response, status, login_url: str) -> bool:
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    if status == LOGIN:
        return response.status_code == 302 and location.startswith(login_url)
    if status == 302:  # a redirect, but not to the login page (a signed-in user is never sent there)
        return response.status_code == 302 and not location.startswith(login_url)
    return response.status_code == status


# Addresses whose token is the key to the page: private even to an anonymous caller.
TOKEN_PATHS = ("/cases/track/", "/api/v1/reports/track/", "/brands/invitations/")
# Public documents, the same for everyone: their views set public caching themselves.
PUBLIC_DOCUMENTS = ("/.well-known/tdmrep.json", "/.well-known/license-signing-key.json")


def must_not_be_stored(caller: Caller, url: str) -> bool:
    """A 200 that carries personal or case data: anything a signed-in user or an API key is shown, and
    every token page."""
    if url.startswith(PUBLIC_DOCUMENTS):
        return False
    return caller.role != "anon" or caller.client._credentials != {} or url.startswith(TOKEN_PATHS)


@dataclass
class Caller:
    role: str
    client: APIClient
    session: str | None

    def reset(self) -> None:
        """Every request starts from the signed-in session alone (a view may log out or set cookies)."""
        self.client.cookies = SimpleCookie()
        if self.session:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.session


def make_caller(role: str, user: User | None, key: str | None = None) -> Caller:
    client = APIClient(raise_request_exception=False)
    session = None
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    elif user is not None:
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Caller(role, client, session)


def check(caller: Caller, key: str, url: str, send, expect: Expect, world: dict, ctx: dict) -> str:
    """Send one request in a savepoint (rolled back); record the problems found; return the body as text."""
    caller.reset()
    with transaction.atomic():
        watch = expect.denied or expect.changes
        before = fingerprint(ctx["tables"]) if watch else None
        response = send(caller.client)
        body = _body(response)
        after = fingerprint(ctx["tables"]) if watch else None
        transaction.set_rollback(True)
    what = f"{key} {url}"
    problems = ctx["problems"]
    if not any(_matches(response, s, ctx["login_url"]) for s in expect.statuses):
        where = f" → {response['Location']}" if response.status_code in (301, 302) else ""
        error = f" ({response.exc_info[1]!r})" if getattr(response, "exc_info", None) else ""
        problems.append(f"{what}: {response.status_code}{where}{error}, expected {expect!r}")
    if expect.changes and before == after:
        problems.append(f"{what}: {response.status_code} but nothing changed (the action should take effect)")
    if expect.denied and before != after:
        problems.append(f"{what}: denied ({response.status_code}) but changed {_diff(before, after)}")
    if response.status_code == 200 and must_not_be_stored(caller, url):
        cache_control = response.get("Cache-Control", "")
        if "no-store" not in cache_control or "private" not in cache_control:
            problems.append(f"{what}: 200 with Cache-Control {cache_control!r}, expected no-store, private")
    text = body.decode("utf-8", "replace")
    for secret, allowed in SECRETS.items():
        if caller.role not in allowed and world[secret] in text:
            problems.append(f"{what}: {response.status_code} shows {secret} ({world[secret]!r})")
    return text


@functools.cache
def schema_security() -> dict[tuple[str, str], set[str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            schemes = {name for requirement in operation.get("security") or [] for name in requirement}
            found[(method.upper(), path)] = schemes
    return found


# --- discovery ----------------------------------------------------------------------------------------------


def discovered_routes() -> dict[str, str]:
    """URL name → route, for every pattern of ours (not the admin's or allauth's)."""
    found: dict[str, str] = {}

    def walk(patterns, prefix="", namespace=()):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith("admin/") or getattr(p.urlconf_name, "__name__", "") == "allauth.urls":
                    continue
                walk(p.url_patterns, route, namespace + ((p.namespace,) if p.namespace else ()))
            elif isinstance(p, URLPattern):
                assert p.name, f"unnamed URL pattern {route!r}: name it and add it to the access matrix"
                found[":".join((*namespace, p.name))] = route

    walk(get_resolver().url_patterns)
    return found


def schema_path(route: str) -> str:
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return path.replace("{pk}", "{id}")
