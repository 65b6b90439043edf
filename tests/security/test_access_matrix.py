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
"""

from __future__ import annotations

import functools
import re
import secrets as pysecrets
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from registry.brands import services as brand_services
from registry.brands.models import ApiKey, Invitation, Membership, Organization
from registry.cases import notices, workflow
from registry.cases import services as case_services
from registry.cases.models import Case, Evidence, NoticeTemplate, ReportedURL
from registry.consent import drafts
from registry.consent.models import TermVersion
from registry.licensing import requests as licensing
from registry.licensing.models import License, LicenseRequest
from registry.talent.models import Representative, TalentProfile
from tests.brands.helpers import key_from_command
from tests.cases.helpers import add_reference_photo, file_report, photo, resized_copy, upload
from tests.conftest import make_user
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

ROLES = ("anon", "talent_a", "talent_b", "rep_a", "brand_x", "brand_y", "staff", "supervisor")
STAFF = ("staff", "supervisor")
TALENT_SIDE_A = ("talent_a", "rep_a")

# --- expectations -------------------------------------------------------------------------------------------

LOGIN = "login"  # a 302 to the login page


@dataclass(frozen=True)
class Expect:
    statuses: frozenset
    denied: bool = False  # a denied request must not change anything
    changes: bool = False  # an allowed action that must take effect (so the same body, refused, means it)

    def __repr__(self) -> str:
        kind = "no" if self.denied else "done" if self.changes else "ok"
        return kind + repr(sorted(self.statuses, key=str))


def ok(*statuses) -> Expect:
    return Expect(frozenset(statuses))


def no(*statuses) -> Expect:
    return Expect(frozenset(statuses), denied=True)


def done(*statuses) -> Expect:
    return Expect(frozenset(statuses), changes=True)


def rule(default: Expect, *, anon: Expect | None = None, **per_role: Expect) -> dict[str, Expect]:
    """One row of the matrix: `default` for every role, `anon` and named roles overridden."""
    unknown = set(per_role) - set(ROLES)
    assert not unknown, unknown
    row = dict.fromkeys(ROLES, default)
    if anon is not None:
        row["anon"] = anon
    row.update(per_role)
    return row


def only(allowed: Expect, roles, *, others: Expect, anon: Expect = no(LOGIN)) -> dict[str, Expect]:
    """`allowed` for `roles`, `others` for every other signed-in role, `anon` for anonymous."""
    return rule(others, anon=anon, **dict.fromkeys(roles, allowed))


PUBLIC = rule(ok(200))
SIGNED_IN = rule(ok(200), anon=no(LOGIN))


def staff_only(allowed: Expect = ok(200)) -> dict[str, Expect]:
    return only(allowed, STAFF, others=no(403))


def supervisor_only(allowed: Expect = ok(200)) -> dict[str, Expect]:
    return only(allowed, ("supervisor",), others=no(403))


def staff_case(allowed: Expect = ok(200), *, confidential=False) -> dict[str, Expect]:
    """Staff desk on one case: the confidential case (unassigned) is the supervisor's alone (404 to staff)."""
    row = staff_only(allowed)
    if confidential:
        row["staff"] = no(404)
    return row


def owner_of_a(owner: Expect, rep: Expect, *, others: Expect = no(404)) -> dict[str, Expect]:
    """A's private pages: A (`owner`), A's agent (`rep`); everyone else `others` (404: not even whether
    someone is represented leaks)."""
    return rule(others, anon=no(LOGIN), talent_a=owner, rep_a=rep)


def own_talent_page(allowed: Expect) -> dict[str, Expect]:
    """/talent/me/…: each talent their own profile; no profile → 404."""
    return rule(no(404), anon=no(LOGIN), talent_a=allowed, talent_b=allowed)


def terms_of_a(allowed: Expect = ok(200)) -> dict[str, Expect]:
    """A's terms pages (history, versions, drafts): A and the agent who manages terms; 403 for the rest."""
    return owner_of_a(allowed, allowed, others=no(403))


def signed_terms_of_a(allowed: Expect = ok(200)) -> dict[str, Expect]:
    """A's signed terms (history, versions, receipts, diff): A, the agent, and staff read-only (audited)."""
    return {**terms_of_a(allowed), "staff": allowed, "supervisor": allowed}


def brand_page(allowed: Expect = ok(200)) -> dict[str, Expect]:
    """Brand workspace pages: members of an organization (each sees its own); talent and staff get 403."""
    return only(allowed, ("brand_x", "brand_y"), others=no(403))


def owner_only_brand(*, x: Expect, y: Expect) -> dict[str, Expect]:
    """Owner-only brand actions: X's plain member is refused; Y's owner acts on Y (or 404 for X's objects)."""
    return rule(no(403), anon=no(LOGIN), brand_x=x, brand_y=y)


def requests_of_x_to_a(allowed: Expect, *, brand_x: Expect | None = None) -> dict[str, Expect]:
    """A license request of X to A: A, A's agent and X see it; B, Y and staff get 404."""
    return rule(no(404), anon=no(LOGIN), talent_a=allowed, rep_a=allowed, brand_x=brand_x or allowed)


def license_of_x_and_a(allowed: Expect = ok(200)) -> dict[str, Expect]:
    """A license of X from A: both sides and staff see it; B and Y get 404."""
    return rule(allowed, anon=no(LOGIN), talent_b=no(404), brand_y=no(404))


@dataclass(frozen=True)
class Page:
    name: str  # URL name, e.g. "talent:profile"
    expect: dict[str, Expect]
    kwargs: dict | None = None  # values name world entries (or are literals)
    method: str = "get"
    data: dict | None = None  # the form (values name world entries or are literals); empty by default
    label: str = ""  # tells variants of one URL name apart


POST_REDIRECT = ok(302)  # a form action: done, or refused with a message, then back to a page

PAGES: list[Page] = [
    # site
    Page("core:home", PUBLIC),
    Page("core:dashboard", SIGNED_IN),
    Page("healthz", rule(ok(200, 503))),
    Page("tdmrep-json", PUBLIC),
    Page("license-signing-key", PUBLIC),
    Page("schema", PUBLIC),
    Page("api-docs", PUBLIC),
    Page("staff-home", staff_only()),
    Page("accounts_staff:list", supervisor_only()),
    # talent: public registry
    Page("talent:search", PUBLIC),
    Page("talent:profile", PUBLIC, {"registry_id": "a_id"}),
    # talent: one's own pages (each talent their own; no profile → 404, not a brand's business → 403)
    Page(
        "talent:me",
        rule(no(403), anon=no(LOGIN), talent_a=ok(200), talent_b=ok(200), rep_a=ok(200)),
    ),
    Page(
        "talent:create",
        rule(no(403), anon=no(LOGIN), talent_a=ok(302), talent_b=ok(302)),
    ),
    Page("talent:edit", own_talent_page(ok(200))),
    Page("talent:add-representative", own_talent_page(ok(400)), method="post"),
    Page("talent:upload-media", own_talent_page(ok(400)), method="post"),
    Page("talent:data-export", own_talent_page(ok(200))),
    Page("talent:close", own_talent_page(ok(200))),
    # talent: acting for A (A is redirected to /talent/me/; an agent may view but not manage the profile)
    Page("talent:manage", owner_of_a(ok(302), ok(200)), {"registry_id": "a_id"}),
    Page("talent:manage-edit", owner_of_a(ok(200), no(403)), {"registry_id": "a_id"}),
    Page(
        "talent:manage-add-representative",
        owner_of_a(ok(400), no(403)),
        {"registry_id": "a_id"},
        method="post",
    ),
    Page("talent:manage-upload-media", owner_of_a(ok(400), no(403)), {"registry_id": "a_id"}, method="post"),
    Page("talent:manage-data-export", owner_of_a(ok(200), no(404)), {"registry_id": "a_id"}),
    Page("talent:manage-close", owner_of_a(ok(200), no(404)), {"registry_id": "a_id"}),
    Page(
        "talent:revoke-representative",
        owner_of_a(done(302), done(302)),
        {"pk": "rep_pk"},
        method="post",
    ),
    Page("talent:delete-media", owner_of_a(done(302), no(403)), {"pk": "media_pk"}, method="post"),
    Page(
        "talent:media",
        rule(no(404), anon=no(LOGIN), talent_a=ok(200), rep_a=ok(200), staff=ok(200), supervisor=ok(200)),
        {"pk": "media_pk", "variant": "display"},
    ),
    Page(
        "talent:media",
        rule(no(404), anon=no(LOGIN), talent_a=ok(200), rep_a=ok(200), staff=ok(200), supervisor=ok(200)),
        {"pk": "media_pk", "variant": "original"},
        label="original",
    ),
    # terms
    Page(
        "consent:index",
        rule(ok(200), anon=no(LOGIN), talent_a=ok(302), talent_b=ok(302), rep_a=ok(302)),
    ),
    Page("consent:policy", PUBLIC, {"registry_id": "a_id"}),
    Page("consent:history", signed_terms_of_a(), {"registry_id": "a_id"}),
    Page("consent:version", signed_terms_of_a(), {"registry_id": "a_id", "number": 1}),
    Page("consent:receipt", signed_terms_of_a(), {"registry_id": "a_id", "number": 1}),
    Page("consent:diff", signed_terms_of_a(), {"registry_id": "a_id"}),
    Page("consent:draft", terms_of_a(), {"registry_id": "a_id"}),
    Page("consent:review", terms_of_a(), {"registry_id": "a_id", "pk": "draft_pk"}),
    Page("consent:draft_edit", terms_of_a(), {"registry_id": "a_id", "pk": "draft_pk"}),
    Page(
        "consent:draft_discard",
        terms_of_a(done(302)),
        {"registry_id": "a_id", "pk": "draft_pk"},
        method="post",
    ),
    Page(
        "consent:review",
        rule(no(403), anon=no(LOGIN), talent_b=no(404)),
        {"registry_id": "b_id", "pk": "draft_pk"},
        label="A's draft under B's ID",
    ),
    Page("consent:revoke", terms_of_a(), {"registry_id": "a_id"}),
    Page("consent_staff:import", staff_only()),
    # brands
    Page("brands:workspace", brand_page()),
    Page("brands:invite", owner_only_brand(x=no(403), y=POST_REDIRECT), method="post"),
    Page(
        "brands:remove-member",
        owner_only_brand(x=no(403), y=no(404)),
        {"pk": "x_member_membership_pk"},
        method="post",
    ),
    Page("brands:invitation", SIGNED_IN, {"token": "invitation_token"}),
    # the invitation was sent to someone else: nobody here may accept it (the page says so, nothing changes)
    Page(
        "brands:invitation",
        rule(no(200), anon=no(LOGIN)),
        {"token": "invitation_token"},
        method="post",
        label="accept someone else's",
    ),
    Page("brands:create-key", owner_only_brand(x=no(403), y=POST_REDIRECT), method="post"),
    Page("brands:key-created", owner_only_brand(x=no(403), y=ok(302))),
    Page("brands:revoke-key", owner_only_brand(x=no(403), y=no(404)), {"pk": "x_key_pk"}, method="post"),
    Page("brands:check", brand_page()),
    Page("brands:checks", brand_page()),
    Page("brands:checks-csv", brand_page()),
    Page("brands_staff:list", staff_only()),
    Page("brands_staff:verify", staff_only(POST_REDIRECT), {"pk": "x_org_pk"}, method="post"),
    # licensing
    Page("licensing:licenses", SIGNED_IN),
    Page("licensing:requests", rule(ok(200), anon=no(LOGIN), staff=no(403), supervisor=no(403))),
    # not a brand: sent to set up an organization first
    Page("licensing:request-new", rule(no(302), anon=no(LOGIN), brand_x=ok(200), brand_y=ok(200))),
    Page("licensing:request", requests_of_x_to_a(ok(200)), {"pk": "request_pk"}),
    Page(
        "licensing:request-action",
        # X cannot approve its own request: back to the request with an error, nothing changed
        requests_of_x_to_a(done(302), brand_x=no(302)),
        {"pk": "request_pk", "action": "approve"},
        method="post",
    ),
    Page(
        "licensing:request-action",
        requests_of_x_to_a(no(403), brand_x=done(302)),
        {"pk": "request_pk", "action": "withdraw"},
        method="post",
        label="withdraw",
    ),
    Page("licensing:verify", PUBLIC),
    Page("licensing:verify-license", PUBLIC, {"license_id": "license_id"}),
    Page("licensing:license", license_of_x_and_a(), {"license_id": "license_id"}),
    Page("licensing:certificate-json", license_of_x_and_a(), {"license_id": "license_id"}),
    Page("licensing:certificate-pdf", license_of_x_and_a(), {"license_id": "license_id"}),
    Page("licensing_staff:list", staff_only()),
    Page("licensing_staff:terminate", staff_only(POST_REDIRECT), {"license_id": "license_id"}, method="post"),
    # cases: public side
    Page("cases:report", PUBLIC),
    Page("cases:report", rule(ok(400)), method="post", label="empty report"),
    Page("cases:filed", rule(ok(302))),  # no code in the session: back to the form
    Page("cases:track", PUBLIC, {"code": "tracking_code"}),
    Page("cases:mine", SIGNED_IN),
    # cases: staff desk
    Page("cases_staff:queue", staff_only()),
    Page("cases_staff:bulk-assign", staff_only(POST_REDIRECT), method="post"),
    Page("cases_staff:dashboard", staff_only()),
    Page("cases_staff:export", supervisor_only()),
    Page("cases_staff:templates", supervisor_only()),
    Page("cases_staff:template-new", supervisor_only()),
    Page("cases_staff:template-edit", supervisor_only(), {"pk": "template_pk"}),
    Page("cases_staff:detail", staff_case(), {"pk": "case_pk"}),
    Page("cases_staff:detail", staff_case(confidential=True), {"pk": "conf_case_pk"}, label="confidential"),
    Page("cases_staff:notice", staff_case(), {"pk": "case_pk"}),
    Page("cases_staff:notice", staff_case(confidential=True), {"pk": "conf_case_pk"}, label="confidential"),
    *[
        Page(f"cases_staff:{name}", staff_case(POST_REDIRECT), {"pk": "case_pk"}, method="post")
        for name in ("transition", "update", "watch", "note", "message", "link", "add-evidence")
    ],
    Page(
        "cases_staff:note",
        {**staff_case(confidential=True), "supervisor": done(302)},
        {"pk": "conf_case_pk"},
        method="post",
        data={"body": "A note on a case this person cannot see."},
        label="confidential",
    ),
    # valid forms that name the confidential case: refused for staff, nothing changes; done by a supervisor
    Page(
        "cases_staff:link",
        {**staff_case(POST_REDIRECT), "staff": no(302), "supervisor": done(302)},
        {"pk": "case_pk"},
        method="post",
        data={"other": "conf_case_ref", "kind": "related", "version": "case_version"},
        label="to the confidential case",
    ),
    Page(
        "cases_staff:bulk-assign",
        {**staff_case(POST_REDIRECT), "staff": no(302), "supervisor": done(302)},
        method="post",
        data={"cases": ["conf_case_pk"], "assignee": "staff_pk"},
        label="the confidential case to oneself",
    ),
    Page(
        "cases_staff:update",
        {**staff_case(confidential=True), "supervisor": done(302)},
        {"pk": "conf_case_pk"},
        method="post",
        data={"version": "conf_case_version", "assignee": "staff_pk"},
        label="confidential",
    ),
    Page("cases_staff:url-status", staff_case(POST_REDIRECT), {"pk": "url_pk"}, method="post"),
    Page("cases_staff:evidence-file", staff_case(), {"pk": "evidence_pk", "variant": "display"}),
    Page(
        "cases_staff:evidence-file",
        staff_case(),
        {"pk": "evidence_pk", "variant": "original"},
        label="original",
    ),
    Page(
        "cases_staff:evidence-file",
        staff_case(confidential=True),
        {"pk": "conf_evidence_pk", "variant": "original"},
        label="confidential",
    ),
    Page("cases_staff:reference-file", staff_case(), {"pk": "media_pk", "variant": "thumb"}),
    Page("cases_staff:notice-pdf", staff_case(), {"pk": "notice_pk"}),
    # talent: staff desk
    Page("talent_staff:list", staff_only()),
    Page("talent_staff:import", staff_only()),
    Page("talent_staff:detail", staff_only(), {"registry_id": "a_id"}),
    Page("talent_staff:verify", staff_only(ok(400)), {"registry_id": "a_id"}, method="post"),
    Page("talent_staff:withdraw", staff_only(ok(400)), {"registry_id": "a_id"}, method="post"),
    Page("talent_staff:reinstate", staff_only(POST_REDIRECT), {"registry_id": "a_id"}, method="post"),
    Page("talent_staff:add-representative", staff_only(ok(400)), {"registry_id": "a_id"}, method="post"),
    Page(
        "talent_staff:revoke-representative",
        staff_only(POST_REDIRECT),
        {"registry_id": "a_id", "pk": "rep_pk"},
        method="post",
    ),
]

# URL names that are not pages of ours (the API's catch-all JSON 404 answers every unknown /api/ path).
IGNORED_NAMES = {"api-not-found"}

# --- the API (keyed by the schema's method and path) --------------------------------------------------------

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


# --- secrets: what a role must never be shown ---------------------------------------------------------------

A_LEGAL_NAME = "Anabel Quistgaard-Morrow"
A_PRIVATE_EMAIL = "anabel.private.contact@example.net"
INTERNAL_NOTE = "INTERNAL-NOTE-4471-staff-eyes-only"
REPORTER_EMAIL = "whistle.reporter.9931@example.net"
DRAFT_NOTE = "DRAFT-NOTE-5520-not-yet-signed"
PENDING_REQUEST = "PENDING-REQUEST-8812 studio shoot for the spring collection"
LICENSE_FEE = "8765.43"

# world entry → the roles that may be shown it (in any response; everyone else never)
SECRETS: dict[str, set[str]] = {
    "a_legal_name": {*TALENT_SIDE_A, *STAFF},
    "a_private_email": {*TALENT_SIDE_A, *STAFF},
    "a_membership_number": {*TALENT_SIDE_A, *STAFF},
    "draft_note": {*TALENT_SIDE_A, *STAFF},
    "internal_note": set(STAFF),
    "reporter_email": set(STAFF),
    "pending_request": {*TALENT_SIDE_A, "brand_x"},
    "license_fee": {*TALENT_SIDE_A, "brand_x", *STAFF},
    "x_check_id": {*TALENT_SIDE_A, "brand_x", *STAFF},  # the talent sees who checked them
    "x_key_prefix": set(),  # X's owner only (not one of the roles; X's plain member does not see keys)
    # a confidential case: supervisors (and the talent it is about) only
    "conf_case_ref": {*TALENT_SIDE_A, "supervisor"},
}

# Controls: where the allowed roles are shown each secret (so the leak check cannot pass vacuously).
SHOWN: dict[tuple[str, str], tuple[str, ...]] = {
    ("talent_a", "GET talent:me"): ("a_legal_name", "a_private_email", "conf_case_ref"),
    ("rep_a", "GET talent:manage"): ("a_legal_name", "a_membership_number"),
    ("talent_a", "GET consent:draft_edit"): ("draft_note",),
    ("rep_a", "GET consent:draft_edit"): ("draft_note",),
    ("staff", "GET talent_staff:detail"): ("a_legal_name", "a_private_email"),
    ("staff", "GET cases_staff:detail"): ("internal_note", "reporter_email"),
    ("supervisor", "GET cases_staff:queue"): ("conf_case_ref",),
    ("brand_x", "GET licensing:request"): ("pending_request",),
    ("brand_x", "GET licensing:license"): ("license_fee",),
    ("brand_x", "GET brands:checks"): ("x_check_id",),
    ("brand_x", "GET /api/v1/permissions/checks/ (API key)"): ("x_check_id",),
    ("talent_a", "GET /api/v1/license-requests/{id}/ (session)"): ("pending_request",),
}

# --- the world ----------------------------------------------------------------------------------------------


def _license_body(description: str, **overrides) -> dict:
    today = timezone.localdate()
    body = {
        "use": "advertising",
        "modalities": ["image"],
        "territories": ["US"],
        "channels": ["online"],
        "valid_from": (today + timedelta(days=7)).isoformat(),
        "valid_until": (today + timedelta(days=120)).isoformat(),
        "fee": {"amount": "1500.00", "currency": "USD"},
        "product_category": "apparel",
        "description": description,
    }
    body.update(overrides)
    return body


def build_world(capture) -> tuple[dict, dict[str, User | None], dict[str, str]]:
    """The objects every role is tested against; returns (world ids, users by role, API keys by role)."""
    users: dict[str, User | None] = {
        "anon": None,
        "talent_a": make_user("matrix-a@example.org", Role.TALENT, name="Talent A"),
        "talent_b": make_user("matrix-b@example.org", Role.TALENT, name="Talent B"),
        "rep_a": make_user("matrix-agent@example.org", Role.REPRESENTATIVE, name="Agent of A"),
        "brand_x": make_user("matrix-x-member@example.org", Role.BRAND_MEMBER, name="X member"),
        "brand_y": make_user("matrix-y-owner@example.org", Role.BRAND_MEMBER, name="Y owner"),
        "staff": make_user("matrix-staff@example.org", Role.STAFF, mfa=True, name="Staff"),
        "supervisor": make_user("matrix-super@example.org", Role.SUPERVISOR, mfa=True, name="Super"),
    }
    x_owner = make_user("matrix-x-owner@example.org", Role.BRAND_MEMBER, name="X owner")

    # talent A (terms signed, a draft, a reference photo, an agent) and talent B
    a = TalentFactory(
        user=users["talent_a"], stage_name="Ana Matrix", legal_name=A_LEGAL_NAME, email=A_PRIVATE_EMAIL
    )
    TalentFactory(user=users["talent_b"], stage_name="Bea Matrix")
    sign_terms(a, {"advertising": ADVERTISING_ALLOW}, user=users["talent_a"])
    draft = drafts.create_draft(
        talent=a,
        effective_from=timezone.localdate() + timedelta(days=30),
        uses={"advertising": {**ADVERTISING_ALLOW, "territories": ["US"]}},
        actor=users["talent_a"],
        note=DRAFT_NOTE,
    )
    rep = Representative.objects.create(
        talent=a,
        user=users["rep_a"],
        kind=Representative.Kind.AGENT,
        can_manage_terms=True,
        can_answer_requests=True,
    )
    reference_photo = photo(11)
    media = add_reference_photo(a, reference_photo)

    # organization X (an owner, and the member under test) and organization Y (its owner under test)
    x = brand_services.create_organization(name="Xylo Apparel", owner=x_owner)
    x_membership = Membership.objects.create(
        organization=x, user=users["brand_x"], role=Membership.Role.MEMBER
    )
    brand_services.create_organization(name="Yonder Media", owner=users["brand_y"])
    keys = {
        "brand_x": key_from_command("Xylo Apparel", scopes="check,licenses,reports"),
        "brand_y": key_from_command("Yonder Media", scopes="check,licenses,reports"),
    }
    x_key = ApiKey.objects.get(organization=x)
    token = pysecrets.token_urlsafe(32)
    Invitation.objects.create(
        organization=x,
        email="matrix-invitee@example.org",
        token_hash=brand_services._token_hash(token),
        invited_by=x_owner,
    )
    x_check, _ = brand_services.run_check(
        {
            "talent": a.registry_id,
            "use": "advertising",
            "modality": "image",
            "territory": "US",
            "channel": "online",
        },
        organization=x,
        user=users["brand_x"],
        source="web",
    )
    x_check_id = x_check["check_id"]
    pending = licensing.request_license(
        organization=x, actor=x_owner, talent_registry_id=a.registry_id, data=_license_body(PENDING_REQUEST)
    )
    licensed = licensing.request_license(
        organization=x,
        actor=x_owner,
        talent_registry_id=a.registry_id,
        data=_license_body(
            "Summer knitwear campaign: studio photos for the online shop in the United States.",
            fee={"amount": LICENSE_FEE, "currency": "USD"},
        ),
    )
    license = licensing.approve(request_id=licensed.pk, actor=users["talent_a"])

    # a case about A: evidence matching A's reference photo, an internal note, a message and a notice
    report, code = file_report(
        capture,
        urls=["https://social.example.com/p/ad-123"],
        talent=a.registry_id,
        reporter_email=REPORTER_EMAIL,
        files=[upload(resized_copy(reference_photo), "copy.jpg")],
    )
    staff = users["staff"]
    case = Case.objects.get(pk=report.case_id)
    case_services.add_note(case.pk, actor=staff, body=INTERNAL_NOTE)
    case_services.message_reporter(case.pk, actor=staff, body="We are looking into it.")
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff, version=case.version)
    notice = notices.send_notice(
        case.pk,
        actor=staff,
        version=case.version,
        template_id=NoticeTemplate.objects.get(kind="takedown").pk,
        recipient_name="Platform Trust & Safety",
        recipient_email="takedown@platform.example",
    )
    # a confidential case (sensitive report), assigned to nobody: supervisors only
    conf_report, _ = file_report(
        capture,
        urls=["https://adult.example.com/v/42"],
        talent=a.registry_id,
        sensitive=True,
        files=[upload(photo(12), "other.jpg")],
    )
    conf_case = Case.objects.get(pk=conf_report.case_id)
    assert conf_case.confidential and conf_case.assignee_id is None
    assert Evidence.objects.filter(case=case).count() == 1
    assert case.evidence.get().matches.filter(reference_media=media).exists()

    world = {
        "a_legal_name": A_LEGAL_NAME,
        "a_private_email": A_PRIVATE_EMAIL,
        "a_membership_number": a.membership_number,
        "draft_note": DRAFT_NOTE,
        "internal_note": INTERNAL_NOTE,
        "reporter_email": REPORTER_EMAIL,
        "pending_request": PENDING_REQUEST,
        "license_fee": LICENSE_FEE,
        "x_check_id": x_check_id,
        "x_key_prefix": x_key.prefix,
        "conf_case_ref": conf_case.reference,
        "a_id": a.registry_id,
        "b_id": TalentProfile.objects.get(user=users["talent_b"]).registry_id,
        "staff_pk": staff.pk,
        "case_version": Case.objects.get(pk=case.pk).version,
        "conf_case_version": conf_case.version,
        "rep_pk": rep.pk,
        "media_pk": media.pk,
        "draft_pk": draft.pk,
        "x_org_pk": x.pk,
        "x_member_membership_pk": x_membership.pk,
        "x_key_pk": x_key.pk,
        "invitation_token": token,
        "request_pk": pending.pk,
        "license_id": license.license_id,
        "tracking_code": code,
        "case_pk": case.pk,
        "conf_case_pk": conf_case.pk,
        "evidence_pk": case.evidence.get().pk,
        "conf_evidence_pk": conf_case.evidence.get().pk,
        "url_pk": ReportedURL.objects.filter(case=case).get().pk,
        "notice_pk": notice.pk,
        "template_pk": NoticeTemplate.objects.order_by("pk").first().pk,
    }
    return world, users, keys


def fill(values: dict | None, world: dict) -> dict:
    """Strings naming a world entry are replaced by it (also inside lists); everything else is literal."""

    def one(v):
        if isinstance(v, list):
            return [one(x) for x in v]
        return world.get(v, v) if isinstance(v, str) else v

    return {k: one(v) for k, v in (values or {}).items()}


# --- state fingerprint: what a denied request must leave untouched ------------------------------------------

APP_LABELS = ("accounts", "core", "talent", "consent", "brands", "licensing", "cases")


def _tables() -> list[str]:
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


def _caller(role: str, user: User | None, key: str | None = None) -> Caller:
    client = APIClient(raise_request_exception=False)
    session = None
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    elif user is not None:
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Caller(role, client, session)


def _check(caller: Caller, key: str, url: str, send, expect: Expect, world: dict, ctx: dict) -> str:
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
    text = body.decode("utf-8", "replace")
    for secret, allowed in SECRETS.items():
        if caller.role not in allowed and world[secret] in text:
            problems.append(f"{what}: {response.status_code} shows {secret} ({world[secret]!r})")
    return text


@functools.cache
def _schema_security() -> dict[tuple[str, str], set[str]]:
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
                if route.startswith(("admin/", "accounts/")):
                    continue
                walk(p.url_patterns, route, namespace + ((p.namespace,) if p.namespace else ()))
            elif isinstance(p, URLPattern):
                assert p.name, f"unnamed URL pattern {route!r}: name it and add it to the access matrix"
                found[":".join((*namespace, p.name))] = route

    walk(get_resolver().url_patterns)
    return found


def _schema_path(route: str) -> str:
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return path.replace("{pk}", "{id}")


@pytest.mark.django_db
def test_every_route_and_operation_has_an_entry():
    routes = discovered_routes()
    pages = {p.name for p in PAGES}
    api_routes = {name for name in routes if name.startswith("v1:")}
    missing = sorted(set(routes) - pages - api_routes - IGNORED_NAMES)
    assert not missing, f"routes without an access-matrix entry: {missing}"
    assert not sorted(pages - set(routes)), f"entries for routes that no longer exist: {pages - set(routes)}"

    operations = set(_schema_security())
    ops = {(o.method, o.path) for o in API}
    assert not sorted(operations - ops), f"API operations without an entry: {sorted(operations - ops)}"
    assert not sorted(ops - operations), (
        f"entries for operations not in the schema: {sorted(ops - operations)}"
    )
    # every API route of the resolver is documented (and so covered by the table)
    schema_paths = {path for _, path in operations}
    undocumented = sorted(name for name in api_routes if _schema_path(routes[name]) not in schema_paths)
    assert not undocumented, f"API routes missing from the OpenAPI schema: {undocumented}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, db, django_capture_on_commit_callbacks):
    world, users, keys = build_world(django_capture_on_commit_callbacks)
    ctx = {"tables": _tables(), "login_url": reverse("account_login"), "problems": []}
    caller = _caller(role, users[role])
    key_caller = _caller(role, None, keys[role]) if role in keys else None
    security = _schema_security()
    shown: dict[str, str] = {}

    for page in PAGES:
        url = reverse(page.name, kwargs=fill(page.kwargs, world))
        key = f"{page.method.upper()} {page.name}" + (f" [{page.label}]" if page.label else "")

        def send(client, page=page, url=url):
            if page.method == "get":
                return client.get(url, fill(page.data, world))
            return client.post(url, fill(page.data, world), format="multipart")  # a form, as browsers send

        shown[key] = _check(caller, key, url, send, page.expect[role], world, ctx)

    for op in API:
        url = op.path.format(**fill(api_params(op), world))
        key = f"{op.method} {op.path}" + (f" [{op.label}]" if op.label else "")

        def send(client, op=op, url=url):
            if op.method == "GET":
                return client.get(url)
            return getattr(client, op.method.lower())(url, fill(op.body, world), format="json")

        shown[f"{key} (session)"] = _check(caller, f"{key} (session)", url, send, op.expect[role], world, ctx)
        if key_caller is not None and "apiKey" in security[(op.method, op.path)]:
            shown[f"{key} (API key)"] = _check(
                key_caller, f"{key} (API key)", url, send, op.expect[role], world, ctx
            )

    for (shown_role, key), names in SHOWN.items():
        if shown_role == role:
            missing = [name for name in names if world[name] not in shown[key]]
            assert not missing, f"control: {role} should be shown {missing} on {key}"
    problems = ctx["problems"]
    assert not problems, f"{len(problems)} access problem(s) for {role}:\n" + "\n".join(problems)
