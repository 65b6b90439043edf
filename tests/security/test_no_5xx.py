"""No 5xx from any address: every URL pattern of the resolver with hostile values in its path arguments, and
every page of the access matrix with hostile values in every query parameter a view reads, requested
anonymously and as signed-in staff, must answer below 500.

Path arguments are written into the pattern's text as they are (not through reverse(), which would refuse
them), so a slash, `//host`, `../`, NUL, a 10 KB string, unicode or an out-of-range number each reach the
resolver and, when they match, the view. Query parameter names are read from the code (`GET.get("…")`,
`query_params.get("…")`) and from the fields of every form bound to request.GET, so a new parameter is
covered without editing this file (and a new GET-bound form must be added to GET_FORMS).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils.regex_helper import normalize

from registry.cases.forms import QueueFilterForm
from registry.checks.forms import CheckFilterForm, CheckForm
from registry.licensing.forms import LicenseRequestForm, VerifyLookupForm
from registry.talent.forms import PublicSearchForm, StaffSearchForm
from tests.security.access.pages import PAGES
from tests.security.access.runner import make_caller
from tests.security.access.world import build_world, fill

ROOT = Path(__file__).resolve().parents[2]

HOSTILE_PATH = [
    "a/b",
    "//evil.example",
    "../../etc/passwd",
    "%00",
    "x" * 10240,
    "Zoë-日本語-🙂",
    "-1",
    "0",
    "99999999999999999999",
    "TR-0000-0000",
    "%2F%2Fevil.example",
    " ",
]
HOSTILE_QUERY = [
    "//evil.example/a/b",
    "../../etc/passwd",
    "%00",
    "x" * 10240,
    "Zoë-日本語-🙂",
    "-1",
    "99999999999999999999",
    "",
    "1e309",
    "2026-02-30",
]
# Forms bound to request.GET (their fields are query parameters).
GET_FORMS = [
    QueueFilterForm,
    CheckFilterForm,
    CheckForm,
    LicenseRequestForm,
    VerifyLookupForm,
    PublicSearchForm,
    StaffSearchForm,
]
GET_READ = re.compile(r"""(?:GET|query_params)(?:\.get|\.getlist|\.pop)?(?:\(|\[)\s*["']([\w-]+)["']""")
GET_FORM = re.compile(r"(\w+Form)\((?:data=)?request\.GET")
EXTRA_PARAMS = {"precheck", "modality", "channel", "use", "territory", "next"}  # _prefill, _precheck, allauth


def _sources():
    for folder in ("registry", "accounts"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path.read_text()


def query_parameters() -> list[str]:
    names = set(EXTRA_PARAMS)
    for text in _sources():
        names.update(GET_READ.findall(text))
    for form in GET_FORMS:
        names.update(form.base_fields)
    return sorted(names)


def test_every_form_bound_to_the_query_string_is_listed():
    bound = {name for text in _sources() for name in GET_FORM.findall(text)}
    assert bound <= {form.__name__ for form in GET_FORMS}, bound - {form.__name__ for form in GET_FORMS}


def path_templates() -> list[tuple[str, list[str]]]:
    """(template with %(name)s, argument names) for every URL pattern of the resolver, admin and allauth's
    included."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            regex = p.pattern.regex.pattern.removeprefix("^")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + regex)
            else:
                full = (prefix + regex).removesuffix(r"\Z").removesuffix("$")
                for template, params in normalize(full):
                    if params:
                        found.append(("/" + template, params))

    walk(get_resolver().url_patterns, "")
    return found


def _probe(client, path: str, problems: list[str], **extra) -> None:
    response = client.get(path, **extra)
    if response.status_code >= 500:
        error = f" {response.exc_info[1]!r:.200}" if getattr(response, "exc_info", None) else ""
        problems.append(f"{response.status_code} {path[:160]}{error}")


@pytest.fixture
def callers(db, django_capture_on_commit_callbacks):
    world, users, _ = build_world(django_capture_on_commit_callbacks)
    return world, [make_caller("anon", None), make_caller("staff", users["staff"])]


def test_hostile_path_arguments_never_give_a_5xx(callers):
    _, clients = callers
    templates = path_templates()
    assert len(templates) > 60
    problems: list[str] = []
    for caller in clients:
        for template, params in templates:
            for value in HOSTILE_PATH:
                raw = value if value.startswith("%") else quote(value, safe="/:")
                caller.reset()
                _probe(caller.client, template % dict.fromkeys(params, raw), problems)
    assert not problems, f"{len(problems)} 5xx:\n" + "\n".join(problems)


def test_hostile_query_values_never_give_a_5xx(callers):
    world, clients = callers
    names = query_parameters()
    assert {"page", "q", "license_id", "status"} <= set(names)
    urls = sorted({reverse(p.name, kwargs=fill(p.kwargs, world)) for p in PAGES if p.method == "get"})
    urls += ["/api/v1/talent/", "/api/v1/permissions/checks/", "/api/v1/cases/", "/api/v1/licenses/"]
    urls += ["/api/v1/license-requests/", "/accounts/login/", "/accounts/signup/"]
    problems: list[str] = []
    for caller in clients:
        for url in urls:
            for i, value in enumerate(HOSTILE_QUERY):
                caller.reset()
                query = urlencode(dict.fromkeys(names, value.replace("%00", "\x00")))
                htmx = {"HTTP_HX_REQUEST": "true"} if i % 2 else {}  # htmx partials read parameters too
                _probe(caller.client, f"{url}?{query}", problems, **htmx)
    assert not problems, f"{len(problems)} 5xx:\n" + "\n".join(problems)


@pytest.mark.parametrize("value", ["a/b", "//evil.example", "../x"])
def test_license_lookup_with_a_slash_is_a_form_error_not_a_500(client, value, db):
    response = client.get("/licenses/verify/", {"license_id": value})  # NoReverseMatch (a 500) before
    assert response.status_code == 200 and b"letters, digits and dashes" in response.content
    assert client.get("/licenses/verify/", {"license_id": "x" * 10240}).status_code == 200  # too long
    response = client.get("/licenses/verify/", {"license_id": " lic-3f9a0c12b7d4 "})
    assert response.status_code == 302 and response["Location"] == "/licenses/LIC-3F9A0C12B7D4/verify/"
