"""The access matrix for web pages and form actions: one row per URL name (variants carry a label).

A new route without a row here fails test_every_route_and_operation_has_an_entry. Sections follow the
URL namespaces; rename a row's URL name together with the route.
"""

from __future__ import annotations

from tests.security.access.expect import (
    LOGIN,
    POST_REDIRECT,
    PUBLIC,
    SIGNED_IN,
    Page,
    brand_page,
    done,
    license_of_x_and_a,
    no,
    ok,
    own_talent_page,
    owner_of_a,
    owner_only_brand,
    requests_of_x_to_a,
    rule,
    signed_terms_of_a,
    staff_case,
    staff_only,
    supervisor_only,
    terms_of_a,
)

PAGES: list[Page] = [
    # site
    Page("site:home", PUBLIC),
    Page("site:dashboard", SIGNED_IN),
    Page("account_settings:notifications", SIGNED_IN),
    Page("healthz", rule(ok(200, 503))),
    Page("tdmrep-json", PUBLIC),
    Page("license-signing-key", PUBLIC),
    Page("schema", PUBLIC),
    Page("api-docs", PUBLIC),
    Page("site:staff-home", staff_only()),
    Page("accounts_staff:list", supervisor_only()),
    Page("site:failed-work", supervisor_only()),
    Page("site:failed-work-retry", supervisor_only(POST_REDIRECT), method="post"),
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
    Page("privacy:data-export", own_talent_page(ok(200))),
    Page("privacy:close", own_talent_page(ok(200))),
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
    Page("privacy:manage-data-export", owner_of_a(ok(200), no(404)), {"registry_id": "a_id"}),
    Page("privacy:manage-close", owner_of_a(ok(200), no(404)), {"registry_id": "a_id"}),
    Page(
        "talent:revoke-representative",
        owner_of_a(done(302), done(302)),
        {"pk": "rep_pk"},
        method="post",
    ),
    Page("talent:delete-media", owner_of_a(done(302), no(403)), {"pk": "media_pk"}, method="post"),
    # A guardian's or estate's document of authority (the world's rep is an agent: there is none to read).
    Page("talent:authority-document", rule(no(404), anon=no(LOGIN)), {"pk": "rep_pk"}),
    Page(
        "talent:authority-document",
        rule(no(404), anon=no(LOGIN), talent_a=ok(302), rep_a=ok(302), staff=ok(302), supervisor=ok(302)),
        {"pk": "rep_pk"},
        method="post",
        label="upload",
    ),
    Page(
        "talent:confirm-coming-of-age",
        rule(no(404), anon=no(LOGIN), talent_a=ok(302), talent_b=ok(302)),
        method="post",
    ),
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
    # biometric consent and the self-check (likeness): A and whoever acts for her read; only A (a guardian,
    # an estate) signs, withdraws and checks images; the agent reads only; staff see a line on the member page
    Page(
        "likeness:index",
        rule(no(403), anon=no(LOGIN), talent_a=ok(302), talent_b=ok(302), rep_a=ok(302)),
    ),
    Page("likeness:consent", terms_of_a(), {"registry_id": "a_id"}),
    Page(
        "likeness:consent",
        owner_of_a(ok(400), no(403), others=no(403)),
        {"registry_id": "a_id"},
        method="post",
    ),
    Page("likeness:withdraw", owner_of_a(ok(200), no(403), others=no(403)), {"registry_id": "a_id"}),
    Page(
        "likeness:withdraw",
        owner_of_a(ok(400), no(403), others=no(403)),
        {"registry_id": "a_id"},
        method="post",
    ),
    Page("likeness:receipt", terms_of_a(), {"registry_id": "a_id", "pk": "biometric_consent_pk"}),
    Page("likeness:self-check", owner_of_a(ok(200), no(403), others=no(403)), {"registry_id": "a_id"}),
    Page(
        "likeness:self-check",
        owner_of_a(ok(400), no(403), others=no(403)),
        {"registry_id": "a_id"},
        method="post",
    ),
    Page("importer:import", staff_only()),
    # brands
    Page("brands:workspace", brand_page()),
    # an empty form comes back with its error summary
    Page("brands:invite", owner_only_brand(x=no(403), y=ok(400)), method="post"),
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
    Page("brands:create-key", owner_only_brand(x=no(403), y=ok(400)), method="post"),
    Page("brands:key-created", owner_only_brand(x=no(403), y=ok(302))),
    Page("brands:revoke-key", owner_only_brand(x=no(403), y=no(404)), {"pk": "x_key_pk"}, method="post"),
    Page("checks:check", brand_page()),
    Page("checks:people", brand_page()),
    Page("checks:checks", brand_page()),
    Page("checks:checks-csv", brand_page()),
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
    Page("cases:track-reply", rule(ok(400)), {"code": "tracking_code"}, method="post", label="empty reply"),
    Page("cases:mine", SIGNED_IN),
    Page("cases:about-me", owner_of_a(ok(200), ok(200)), {"pk": "case_pk"}),  # a case about A, read-only
    # cases: staff desk
    Page("cases_staff:queue", staff_only()),
    Page("cases_staff:bulk-assign", staff_only(POST_REDIRECT), method="post"),
    Page("cases_staff:dashboard", staff_only()),
    Page("cases_staff:view-save", staff_only(POST_REDIRECT), method="post"),  # no name: refused, back
    Page(
        "cases_staff:view-save",
        staff_only(done(302)),
        method="post",
        data={"name": "Urgent", "query": "status=open&priority=urgent"},
        label="named",
    ),
    # a saved view is its owner's alone (staff's): anyone else, the supervisor too, gets 404
    Page(
        "cases_staff:view-delete",
        {**staff_only(done(302)), "supervisor": no(404)},
        {"pk": "saved_view_pk"},
        method="post",
    ),
    Page("cases_staff:export", supervisor_only()),
    Page("cases_staff:templates", supervisor_only()),
    Page("cases_staff:template-new", supervisor_only()),
    Page("cases_staff:template-edit", supervisor_only(), {"pk": "template_pk"}),
    Page("cases_staff:detail", staff_case(), {"pk": "case_pk"}),
    Page("cases_staff:detail", staff_case(confidential=True), {"pk": "conf_case_pk"}, label="confidential"),
    Page("cases_staff:notice", staff_case(), {"pk": "case_pk"}),
    Page("cases_staff:notice", staff_case(confidential=True), {"pk": "conf_case_pk"}, label="confidential"),
    Page("cases_staff:watch", staff_case(POST_REDIRECT), {"pk": "case_pk"}, method="post"),
    # an empty form: the case page again, the form with its error summary
    *[
        Page(f"cases_staff:{name}", staff_case(ok(400)), {"pk": "case_pk"}, method="post")
        for name in ("transition", "update", "note", "message", "link", "add-evidence")
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
    Page("cases_staff:url-recheck", staff_case(POST_REDIRECT), {"pk": "url_pk"}, method="post"),
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
    Page("cases_staff:face-crop", staff_case(), {"pk": "face_match_pk", "side": "evidence"}),
    Page(
        "cases_staff:face-crop", staff_case(), {"pk": "face_match_pk", "side": "reference"}, label="reference"
    ),
    Page(
        "cases_staff:face-crop",
        staff_case(confidential=True),
        {"pk": "conf_face_match_pk", "side": "evidence"},
        label="confidential",
    ),
    Page("cases_staff:face-talent", staff_case(POST_REDIRECT), {"pk": "case_pk"}, method="post"),
    Page(
        "cases_staff:face-talent",
        {**staff_case(confidential=True), "supervisor": ok(302)},
        {"pk": "conf_case_pk"},
        method="post",
        data={"match": "conf_face_match_pk", "version": "conf_case_version"},
        label="confidential",
    ),
    Page("cases_staff:notice-pdf", staff_case(), {"pk": "notice_pk"}),
    Page("cases_staff:notice-response", staff_case(), {"pk": "notice_pk"}),
    # talent: staff desk
    Page("talent_staff:list", staff_only()),
    Page("talent_staff:import", staff_only()),
    Page("talent_staff:detail", staff_only(), {"registry_id": "a_id"}),
    Page("talent_staff:verify", staff_only(ok(400)), {"registry_id": "a_id"}, method="post"),
    Page("talent_staff:withdraw", staff_only(ok(400)), {"registry_id": "a_id"}, method="post"),
    Page("talent_staff:record-death", staff_only(ok(400)), {"registry_id": "a_id"}, method="post"),
    Page(
        "talent_staff:verify-authority",
        staff_only(POST_REDIRECT),
        {"registry_id": "a_id", "pk": "rep_pk"},
        method="post",
    ),
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
