"""How a cell of the access matrix is written: roles, expectations (ok/no/done) and row shorthands."""

from __future__ import annotations

from dataclasses import dataclass

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
