"""The access matrix for API operations, keyed by the OpenAPI schema's method and path."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.security.access.expect import Expect, done, no, ok, rule

API_PUBLIC = rule(ok(200))
# Brand endpoints: an API key (or a brand member's session); talent and staff have no organization (403).
BRAND_ONLY_READ = rule(no(403), anon=no(401), brand_x=ok(200), brand_y=ok(200))
BRAND_ONLY_EMPTY_BODY = rule(no(403), anon=no(401), brand_x=ok(400), brand_y=ok(400))
API_SIGNED_IN = rule(ok(200), anon=no(401))
# Staff case API: session + MFA; anyone else 403 (anonymous: 403 too, as there is no WWW-Authenticate).
API_STAFF = rule(no(403), anon=no(401, 403), staff=ok(200), supervisor=ok(200))
API_STAFF_EMPTY_BODY = rule(no(403), anon=no(401, 403), staff=ok(400), supervisor=ok(400))


def api_request_of_x(talent_side: Expect, brand_x: Expect) -> dict[str, Expect]:
    return rule(no(404), anon=no(401), talent_a=talent_side, rep_a=talent_side, brand_x=brand_x)


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # as in the schema
    expect: dict[str, Expect]
    params: dict | None = None  # default: see api_params()
    body: dict | None = None
    label: str = ""


API: list[Op] = [
    Op("GET", "/api/v1/talent/", API_PUBLIC),
    Op("GET", "/api/v1/talent/{registry_id}/", API_PUBLIC),
    Op("GET", "/api/v1/talent/{registry_id}/terms/", API_PUBLIC),
    Op("POST", "/api/v1/permissions/check/", BRAND_ONLY_EMPTY_BODY),
    Op("POST", "/api/v1/permissions/check/bulk/", BRAND_ONLY_EMPTY_BODY),
    Op("GET", "/api/v1/permissions/checks/", BRAND_ONLY_READ),
    Op("GET", "/api/v1/changes/", BRAND_ONLY_READ),
    Op("GET", "/api/v1/license-requests/", API_SIGNED_IN),
    Op("POST", "/api/v1/license-requests/", BRAND_ONLY_EMPTY_BODY),
    Op("GET", "/api/v1/license-requests/{id}/", api_request_of_x(ok(200), ok(200))),
    # the talent side answers; the requesting brand may not answer for the talent
    Op("POST", "/api/v1/license-requests/{id}/approve/", api_request_of_x(done(200), no(403))),
    Op("POST", "/api/v1/license-requests/{id}/decline/", api_request_of_x(done(200), no(403))),
    Op("POST", "/api/v1/license-requests/{id}/counter/", api_request_of_x(ok(400), no(400, 403, 409))),
    # the brand accepts a counter-offer (none pending here: 409) and withdraws; the talent side may not
    Op("POST", "/api/v1/license-requests/{id}/accept/", api_request_of_x(no(403), ok(409))),
    Op("POST", "/api/v1/license-requests/{id}/withdraw/", api_request_of_x(no(403), done(200))),
    Op("GET", "/api/v1/licenses/", API_SIGNED_IN),
    Op(
        "GET",
        "/api/v1/licenses/{license_id}/",
        rule(ok(200), anon=no(401), talent_b=no(404), brand_y=no(404)),
    ),
    Op(
        "GET",
        "/api/v1/licenses/{license_id}/certificate/",
        rule(ok(200), anon=no(401), talent_b=no(404), brand_y=no(404)),
    ),
    Op("GET", "/api/v1/licenses/{license_id}/verify/", API_PUBLIC),
    Op("POST", "/api/v1/reports/", rule(ok(400))),
    Op("GET", "/api/v1/reports/track/{tracking_code}/", API_PUBLIC),
    Op("GET", "/api/v1/cases/", API_STAFF),
    Op("GET", "/api/v1/cases/{id}/", API_STAFF),
    Op(
        "GET",
        "/api/v1/cases/{id}/",
        {**API_STAFF, "staff": no(404)},
        {"id": "conf_case_pk"},
        label="confidential",
    ),
    Op("PATCH", "/api/v1/cases/{id}/", API_STAFF_EMPTY_BODY),
    Op(
        "PATCH",
        "/api/v1/cases/{id}/",
        {**API_STAFF, "staff": no(404), "supervisor": done(200)},
        {"id": "conf_case_pk"},
        body={"version": "conf_case_version", "assignee": "staff_pk"},
        label="confidential: assign it to oneself",
    ),
    Op(
        "POST",
        "/api/v1/cases/{id}/transition/",
        {**API_STAFF, "staff": no(404), "supervisor": done(200)},
        {"id": "conf_case_pk"},
        body={"to": "triage", "version": "conf_case_version"},
        label="confidential",
    ),
    Op("POST", "/api/v1/cases/{id}/transition/", API_STAFF_EMPTY_BODY),
]


def api_params(op: Op) -> dict:
    if op.params is not None:
        return op.params
    by_name = {"registry_id": "a_id", "license_id": "license_id", "tracking_code": "tracking_code"}
    by_name["id"] = "case_pk" if op.path.startswith("/api/v1/cases/") else "request_pk"
    return {name: by_name[name] for name in re.findall(r"{(\w+)}", op.path)}
