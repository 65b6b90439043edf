"""Access matrix: every page and every API operation, requested by each of eight roles.

Routes are discovered from the URL resolver and operations from the OpenAPI schema, so a new route without an
entry in the tables below fails `test_every_route_and_operation_has_an_entry`. For each role one small world
is built (two talent, a representative, two organizations, a license request and a license, a case with
evidence, a note and a notice, a confidential case, a tracking code) and every entry is requested; the status
must be one the table allows for that role. Each request runs in a savepoint that is rolled back, so an
allowed action (approve, withdraw, revoke…) does not change what the next request sees.

Table cells: `ok(statuses)` allowed; `no(statuses)` denied; `done(statuses)` allowed and must take effect;
`LOGIN` is a 302 to the login page (a plain 302 never is). Rows are built with shorthands (PUBLIC, SIGNED_IN,
staff_only, supervisor_only, owner_of_a, terms_of_a, brand_page, requests_of_x_to_a, …). Pages are requested
with GET, form actions with POST and an empty form unless a row gives one; API operations with their method
and an empty JSON body; brands call key-based operations both with their API key and with their session.

On top of the status, checks catch what a status alone would hide:
- a *denied* request must leave the database exactly as it was (row counts and key state fields), so
  "302 back to the page with an error message" cannot hide an action that went through; the rows that name
  the confidential case in a valid form are `done` for the supervisor, which proves the form is valid and so
  that the staff member's refusal is a refusal;
- no response shown to a role may contain a secret that role must not see (a talent's legal name, private
  email and membership number, a terms draft, an internal note, a reporter's email, another brand's request,
  fee, checks or keys, a confidential case); SHOWN lists where the allowed roles do see each one (controls).

The tables live in tests/security/access/: pages.py (web), api.py (API), leaks.py (secrets), with the
shorthands in expect.py, the world in world.py and the machinery in runner.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.access.api import API, api_params
from tests.security.access.expect import ROLES
from tests.security.access.leaks import SHOWN
from tests.security.access.pages import IGNORED_NAMES, PAGES
from tests.security.access.runner import (
    check,
    discovered_routes,
    make_caller,
    schema_path,
    schema_security,
    tables,
)
from tests.security.access.world import build_world, fill


@pytest.mark.django_db
def test_every_route_and_operation_has_an_entry():
    routes = discovered_routes()
    pages = {p.name for p in PAGES}
    api_routes = {name for name in routes if name.startswith("v1:")}
    missing = sorted(set(routes) - pages - api_routes - IGNORED_NAMES)
    assert not missing, f"routes without an access-matrix entry: {missing}"
    assert not sorted(pages - set(routes)), f"entries for routes that no longer exist: {pages - set(routes)}"

    operations = set(schema_security())
    ops = {(o.method, o.path) for o in API}
    assert not sorted(operations - ops), f"API operations without an entry: {sorted(operations - ops)}"
    assert not sorted(ops - operations), (
        f"entries for operations not in the schema: {sorted(ops - operations)}"
    )
    # every API route of the resolver is documented (and so covered by the table)
    schema_paths = {path for _, path in operations}
    undocumented = sorted(name for name in api_routes if schema_path(routes[name]) not in schema_paths)
    assert not undocumented, f"API routes missing from the OpenAPI schema: {undocumented}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, db, django_capture_on_commit_callbacks):
    world, users, keys = build_world(django_capture_on_commit_callbacks)
    ctx = {"tables": tables(), "login_url": reverse("account_login"), "problems": []}
    caller = make_caller(role, users[role])
    key_caller = make_caller(role, None, keys[role]) if role in keys else None
    security = schema_security()
    shown: dict[str, str] = {}

    for page in PAGES:
        url = reverse(page.name, kwargs=fill(page.kwargs, world))
        key = f"{page.method.upper()} {page.name}" + (f" [{page.label}]" if page.label else "")

        def send(client, page=page, url=url):
            if page.method == "get":
                return client.get(url, fill(page.data, world))
            return client.post(url, fill(page.data, world), format="multipart")  # a form, as browsers send

        shown[key] = check(caller, key, url, send, page.expect[role], world, ctx)

    for op in API:
        url = op.path.format(**fill(api_params(op), world))
        key = f"{op.method} {op.path}" + (f" [{op.label}]" if op.label else "")

        def send(client, op=op, url=url):
            if op.method == "GET":
                return client.get(url)
            return getattr(client, op.method.lower())(url, fill(op.body, world), format="json")

        shown[f"{key} (session)"] = check(caller, f"{key} (session)", url, send, op.expect[role], world, ctx)
        if key_caller is not None and "apiKey" in security[(op.method, op.path)]:
            shown[f"{key} (API key)"] = check(
                key_caller, f"{key} (API key)", url, send, op.expect[role], world, ctx
            )

    for (shown_role, key), names in SHOWN.items():
        if shown_role == role:
            missing = [name for name in names if world[name] not in shown[key]]
            assert not missing, f"control: {role} should be shown {missing} on {key}"
    problems = ctx["problems"]
    assert not problems, f"{len(problems)} access problem(s) for {role}:\n" + "\n".join(problems)
