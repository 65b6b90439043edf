"""What a role must never be shown (the secrets planted in the world) and where allowed roles see them."""

from __future__ import annotations

from tests.security.access.expect import STAFF, TALENT_SIDE_A

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
    ("brand_x", "GET checks:checks"): ("x_check_id",),
    ("brand_x", "GET /api/v1/permissions/checks/ (API key)"): ("x_check_id",),
    ("talent_a", "GET /api/v1/license-requests/{id}/ (session)"): ("pending_request",),
}
