"""Reads of the talent app that carry rules: who acts for whom, what the public may see, staff lists.

The predicates here (`talent_for_user`, `acting_as`, `can_act_for`, `can_view_private`) are the one place
that decides whether a user may act for a talent; consent, licensing and cases import them.
"""

from __future__ import annotations

import itertools
from datetime import date

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet, TextField, Value
from django.utils import timezone

from registry.talent.models import Discipline, NameWord, ReferenceMedia, Representative, TalentProfile
from registry.talent.registry_ids import canonical_registry_id
from registry.talent.search import (
    CANDIDATES,
    FUZZY_BELOW,
    MAX_CORRECTIONS,
    NEAREST_WORDS,
    normalize_name,
    one_edit,
    rank_candidates,
    transpositions,
)

# Scopes a representative may hold. "view" is implied by any authority in force.
SCOPES = ("view", "manage_terms", "answer_requests")
SCOPE_FLAGS = {"manage_terms": "can_manage_terms", "answer_requests": "can_answer_requests"}
# Guardians (for a minor) and estates (for a deceased performer) act with the talent's full authority, but
# only once staff have verified that authority (product.md §2), and only while it lasts: a guardian's ends on
# the minor's 18th birthday, an estate's exists only for a deceased performer.
FULL_AUTHORITY_KINDS = (Representative.Kind.GUARDIAN, Representative.Kind.ESTATE)
ACTING_BY_KIND = {
    Representative.Kind.AGENT: "representative",
    Representative.Kind.GUARDIAN: "guardian",
    Representative.Kind.ESTATE: "estate",
}
# What a deceased talent's own login may still do: read, never sign or answer (the estate does).
DECEASED_OWN_SCOPES = ("view",)


def _is_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", True))


def _today() -> date:
    return timezone.localdate()


def talent_for_user(user) -> TalentProfile | None:
    """The user's own talent profile (withdrawn ones included: the talent still sees their page)."""
    if not _is_user(user):
        return None
    return TalentProfile.objects.filter(user=user).first()


def authority_in_force(rep: Representative, on: date | None = None) -> bool:
    """Whether an unrevoked authority counts today: an agent's always; a guardian's once staff verified it and
    while the talent is a minor; an estate's once staff verified it and the talent is recorded deceased."""
    if rep.revoked_at is not None:
        return False
    if rep.kind == Representative.Kind.AGENT:
        return True
    if rep.authority_verified_at is None:
        return False
    if rep.kind == Representative.Kind.GUARDIAN:
        return rep.talent.is_minor(on or _today())
    if rep.kind == Representative.Kind.ESTATE:
        return rep.talent.is_deceased
    return False


def authority_status(rep: Representative, on: date | None = None) -> str:
    """In words, for pages: "in_force", "revoked", "awaiting_document", "awaiting_verification" or "ended"."""
    if rep.revoked_at is not None:
        return "revoked"
    if authority_in_force(rep, on):
        return "in_force"
    if rep.authority_verified_at is None:
        return "awaiting_verification" if rep.authority_document else "awaiting_document"
    return "ended"  # verified, but the minor came of age (or an estate for a performer not recorded deceased)


def with_authority_status(reps) -> list[Representative]:
    """Representatives with `.status` (`authority_status`) for the pages that list them."""
    reps = list(reps)
    for rep in reps:
        rep.status = authority_status(rep)
    return reps


def _in_force_q(prefix: str = "", on: date | None = None) -> Q:
    """`authority_in_force` as a query on Representative (`prefix` "representatives__" from TalentProfile)."""
    on = on or _today()
    try:
        born_after = on.replace(year=on.year - 18)
    except ValueError:  # 29 February: a minor is born after 28 February eighteen years before
        born_after = date(on.year - 18, 2, 28)
    talent = "talent__" if not prefix else ""
    verified = {f"{prefix}authority_verified_at__isnull": False}
    return Q(**{f"{prefix}revoked_at__isnull": True}) & (
        Q(**{f"{prefix}kind": Representative.Kind.AGENT})
        | Q(
            **{f"{prefix}kind": Representative.Kind.GUARDIAN},
            **verified,
            **{f"{talent}date_of_birth__gt": born_after},
        )
        | Q(**{f"{prefix}kind": Representative.Kind.ESTATE}, **verified, **{f"{talent}is_deceased": True})
    )


def active_representation(user, talent: TalentProfile) -> Representative | None:
    """The user's unrevoked authority for this talent, if any (in force or not: see `authority_in_force`)."""
    if not _is_user(user) or talent is None or talent.pk is None:
        return None
    rep = Representative.objects.filter(talent=talent, user=user, revoked_at__isnull=True).first()
    if rep is not None:
        rep.talent = talent  # the caller's instance: no second query for authority_in_force
    return rep


def representation_in_force(user, talent: TalentProfile) -> Representative | None:
    rep = active_representation(user, talent)
    return rep if rep is not None and authority_in_force(rep) else None


def acting_as(user, talent: TalentProfile) -> str | None:
    """In which capacity the user may act for the talent: "talent", "guardian", "representative", "estate".

    None when the user has no authority in force for this talent: a guardian or estate whose authority staff
    have not verified yet, a guardian of a talent who has turned 18 (staff access is a separate question:
    see `can_view_private`).
    """
    if not _is_user(user) or talent is None:
        return None
    if talent.user_id is not None and talent.user_id == user.pk:
        return "talent"
    rep = representation_in_force(user, talent)
    return ACTING_BY_KIND.get(rep.kind) if rep is not None else None


def can_act_for(user, talent: TalentProfile, *, scope: str) -> bool:
    """Whether the user may act for the talent within `scope` ("view", "manage_terms", "answer_requests").

    The talent always may, except once deceased (the estate signs and answers then: product.md §2); a
    verified guardian (while the talent is a minor) or a verified estate acts with the talent's full
    authority; an agent only within the scopes the talent granted. Personal-only consents (replica, AI
    training) are decided by consent, which also looks at `acting_as`.
    """
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}; expected one of {', '.join(SCOPES)}.")
    if not _is_user(user) or talent is None:
        return False
    if talent.user_id is not None and talent.user_id == user.pk:
        return not talent.is_deceased or scope in DECEASED_OWN_SCOPES
    rep = representation_in_force(user, talent)
    if rep is None:
        return False
    if rep.kind in FULL_AUTHORITY_KINDS or scope == "view":
        return True
    return bool(getattr(rep, SCOPE_FLAGS[scope]))


def can_manage_profile(user, talent: TalentProfile) -> bool:
    """Edit the profile, add/remove reference media and representatives: the talent (while living), a verified
    guardian or estate."""
    acting = acting_as(user, talent)
    if acting == "talent":
        return not talent.is_deceased
    return acting in ("guardian", "estate")


def can_view_private(user, talent: TalentProfile) -> bool:
    """Private fields and reference media: the talent, their active representatives, and staff."""
    if not _is_user(user) or talent is None:
        return False
    return user.has_perm("accounts.access_staff_desk") or acting_as(user, talent) is not None


def represented_talent(user) -> QuerySet[TalentProfile]:
    """Talent the user currently represents (any kind), for "Talent I represent"."""
    if not _is_user(user):
        return TalentProfile.objects.none()
    return (
        TalentProfile.objects.filter(Q(representatives__user=user) & _in_force_q("representatives__"))
        .distinct()
        .order_by("stage_name")
    )


def representations_of_user(user) -> QuerySet[Representative]:
    """The user's unrevoked representations, in force or awaiting staff (pages show `authority_status`)."""
    if not _is_user(user):
        return Representative.objects.none()
    return (
        Representative.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("talent")
        .order_by("talent__stage_name")
    )


def talent_acted_for(user, *, scope: str = "view") -> QuerySet[TalentProfile]:
    """Every profile the user may act for within `scope`: their own plus those they represent."""
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}.")
    if not _is_user(user):
        return TalentProfile.objects.none()
    rep = Q(representatives__user=user) & _in_force_q("representatives__")
    own = Q(user=user)
    if scope != "view":
        rep &= Q(**{f"representatives__{SCOPE_FLAGS[scope]}": True}) | Q(
            representatives__kind__in=FULL_AUTHORITY_KINDS
        )
        own &= Q(is_deceased=False)
    return TalentProfile.objects.filter(own | rep).distinct().order_by("stage_name")


def current_representatives(talent: TalentProfile) -> QuerySet[Representative]:
    """Unrevoked representations, in force or awaiting staff, for the pages that list and manage them."""
    return (
        Representative.objects.filter(talent=talent, revoked_at__isnull=True)
        .select_related("user", "granted_by", "authority_verified_by", "talent")
        .order_by("kind", "granted_at")
    )


def active_representatives(talent: TalentProfile) -> QuerySet[Representative]:
    """Representatives whose authority is in force today (who hears about and answers requests)."""
    return (
        Representative.objects.filter(_in_force_q(), talent=talent)
        .select_related("user", "granted_by")
        .order_by("kind", "granted_at")
    )


def needs_guardian(talent: TalentProfile) -> bool:
    """A minor without a verified guardian cannot sign: the dashboard shows a banner until there is one."""
    if not talent.is_minor(_today()):
        return False
    return not active_representatives(talent).filter(kind=Representative.Kind.GUARDIAN).exists()


def guardianship_ended(talent: TalentProfile) -> bool:
    """She has turned 18 and a guardian's verified authority ended with it: her dashboard asks her to confirm
    or re-sign her terms until she has (confirming closes the old guardianship record)."""
    if talent.date_of_birth is None or talent.is_minor(_today()):
        return False
    return Representative.objects.filter(
        talent=talent,
        kind=Representative.Kind.GUARDIAN,
        revoked_at__isnull=True,
        authority_verified_at__isnull=False,
    ).exists()


def managing_estate(talent: TalentProfile) -> Representative | None:
    """The verified estate that manages a deceased performer's likeness, if any (shown publicly)."""
    if not talent.is_deceased:
        return None
    return (
        Representative.objects.filter(
            talent=talent,
            kind=Representative.Kind.ESTATE,
            revoked_at__isnull=True,
            authority_verified_at__isnull=False,
        )
        .select_related("user")
        .order_by("authority_verified_at")
        .first()
    )


def managed_by(talent: TalentProfile) -> str | None:
    """Who manages a deceased performer's likeness, in public words: the estate's agency, else its name."""
    estate = managing_estate(talent)
    if estate is None:
        return None
    return estate.agency or estate.user.display_name or "The performer's estate"


def reference_media_of(talent: TalentProfile) -> QuerySet[ReferenceMedia]:
    return ReferenceMedia.objects.filter(talent=talent).order_by("-uploaded_at")


# --- public registry ---------------------------------------------------------------------------------


def public_talent() -> QuerySet[TalentProfile]:
    """Profiles the public may see (withdrawn ones are hidden). Public fields only are read by callers."""
    return TalentProfile.objects.filter(status=TalentProfile.Status.ACTIVE)


def _filter_discipline(qs: QuerySet[TalentProfile], discipline: str) -> QuerySet[TalentProfile]:
    if discipline not in Discipline.values:
        return qs.none()
    if connection.vendor == "postgresql":
        return qs.filter(disciplines__contains=[discipline])
    # SQLite stores the JSON list as text: match the quoted slug (slugs never contain quotes).
    return qs.filter(disciplines__icontains=f'"{discipline}"')


def search_public_talent(q: str = "", discipline: str = "") -> QuerySet[TalentProfile]:
    """Search by stage name, accent- and case-insensitive; trigram similarity on PostgreSQL.

    A query that reads as a registry ID (any Crockford form: `tr-7kq3-m9xd`) finds that talent."""
    qs = public_talent()
    if discipline:
        qs = _filter_discipline(qs, discipline)
    registry_id = canonical_registry_id(q)
    if registry_id is not None:
        return qs.filter(registry_id=registry_id).order_by("stage_name", "pk")
    needle = normalize_name(q)
    if not needle:
        return qs.order_by("stage_name", "pk")
    if connection.vendor == "postgresql":
        return _fuzzy_search(qs, needle)
    # SQLite: the name as typed, with two neighbouring letters swapped ("Talyor" finds "Taylor"), or with a
    # mistyped word corrected or the words in another order (as on PostgreSQL: corrected_needles).
    contains = Q(search_name__contains=needle)
    for variant in [*transpositions(needle), *corrected_needles(needle)]:
        contains |= Q(search_name__contains=variant)
    return qs.filter(contains).order_by("stage_name", "pk")


def fuzzy_candidate_queries(
    qs: QuerySet[TalentProfile], needle: str
) -> tuple[QuerySet, QuerySet | None, QuerySet]:
    """The fuzzy search's candidate queries (PostgreSQL), each LIMITed to CANDIDATES rows of (id,
    search_name, word similarity): names with every typed word as a word (the GIN index on the name's words,
    talent_search_words: a common first name costs a few ms, where a trigram containment of it scans tens
    of thousands of index entries), names containing `needle` (None for needles under three letters, which
    have no trigram to look up) and names nearest to it by word similarity (KNN)."""
    from django.contrib.postgres.fields import ArrayField
    from django.contrib.postgres.search import TrigramWordDistance, TrigramWordSimilarity

    rows = qs.annotate(similarity=TrigramWordSimilarity(needle, "search_name"))
    fields = ("pk", "search_name", "similarity")
    words = Func(
        F("search_name"), Value(" "), function="string_to_array", output_field=ArrayField(TextField())
    )
    with_words = (
        rows.annotate(name_words=words)
        .filter(name_words__contains=needle.split())
        .order_by()
        .values_list(*fields)[:CANDIDATES]
    )
    containing = rows.filter(search_name__contains=needle).order_by().values_list(*fields)[:CANDIDATES]
    nearest = (
        rows.annotate(distance=TrigramWordDistance(needle, "search_name"))
        .order_by("distance")
        .values_list(*fields)[:CANDIDATES]
    )
    return with_words, (containing if len(needle) >= 3 else None), nearest


def corrected_needles(needle: str) -> list[str]:
    """Variants of a query nobody's name contains: each mistyped word replaced by registered words one edit
    from it ("talyor" → "taylor", "zimermann" → "zimmermann"), and the words in another order ("zimmermann
    lauren" → "lauren zimmermann"). A typed word of four letters or more that is not a registered word is
    corrected to up to NEAREST_WORDS of its one-edit variants that are (`NameWord`, one primary-key lookup
    for every word of the query). At most MAX_CORRECTIONS variants."""
    words = needle.split()
    edits = {typed: one_edit(typed) for typed in words if len(typed) >= 4}
    wanted = sorted(set(edits).union(*edits.values()))
    known = set(NameWord.objects.filter(word__in=wanted).values_list("word", flat=True)) if wanted else set()
    options = [
        sorted(edits[typed] & known)[:NEAREST_WORDS] or [typed]
        if typed in edits and typed not in known
        else [typed]
        for typed in words
    ]
    variants: list[str] = []
    for combination in itertools.product(*options):
        orders = itertools.permutations(combination) if len(combination) <= 3 else [combination]
        for order in orders:
            variant = " ".join(order)
            if variant != needle and variant not in variants:
                variants.append(variant)
            if len(variants) >= MAX_CORRECTIONS:
                return variants
    return variants


def _fuzzy_search(qs: QuerySet[TalentProfile], needle: str) -> QuerySet[TalentProfile]:
    """PostgreSQL: a bounded candidate set, ranked in Python (exact and prefix words, then one-typo words such
    as transposed letters, then trigram word similarity), never a count or sort of every fuzzy match.

    Candidates: up to CANDIDATES names bearing every typed word (talent_search_words), then, while fewer,
    names containing the query as typed (a LIMITed bitmap scan of the GIN trigram index,
    talent_search_name_trgm); when fewer than FUZZY_BELOW do, the names containing the query with a
    mistyped word corrected (`corrected_needles`: "talyor" → "taylor", "zimermann" → "zimmermann"); when
    none of those either, the CANDIDATES names nearest to it by word similarity (`needle <<-> search_name`,
    a KNN scan of the GiST trigram index, talent_search_name_gist, slow on a million names). A handful of
    queries, however common the name. Returns the matches, best first, as a queryset over their ids (so a
    count of it counts at most 3 × CANDIDATES ids, never the fuzzy match)."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    with_words, containing, nearest = fuzzy_candidate_queries(qs, needle)
    found: list[tuple[int, str, float]] = list(with_words)
    if len(found) < CANDIDATES and containing is not None:  # prefixes and parts of words ("mitch")
        seen = {pk for pk, _, _ in found}
        found += [row for row in containing if row[0] not in seen]
    if len(found) < FUZZY_BELOW:
        variants = corrected_needles(needle)
        if variants:
            contains = Q()
            for variant in variants:
                contains |= Q(search_name__contains=variant)
            found += list(
                qs.annotate(similarity=TrigramWordSimilarity(needle, "search_name"))
                .filter(contains)
                .order_by()
                .values_list("pk", "search_name", "similarity")[:CANDIDATES]
            )
    if len(found) < FUZZY_BELOW:
        seen = {pk for pk, _, _ in found}
        found += [row for row in nearest if row[0] not in seen]
    ranked = rank_candidates(needle, found)
    if not ranked:
        return qs.none()
    position = Func(Value(ranked), F("pk"), function="array_position", output_field=IntegerField())
    return qs.filter(pk__in=ranked).order_by(position)


def public_profile(registry_id: str) -> TalentProfile | None:
    """The public profile with this registry ID, read as Crockford decoding reads it; None if none."""
    canonical = canonical_registry_id(registry_id)
    if canonical is None:
        return None
    return public_talent().filter(registry_id=canonical).first()


# --- staff --------------------------------------------------------------------------------------------


def staff_talent_list(
    *, q: str = "", verified: str = "", membership_status: str = "", status: str = ""
) -> QuerySet[TalentProfile]:
    """The staff member list: search by stage name, registry ID, membership number or email."""
    qs = TalentProfile.objects.select_related("user", "verified_by")
    q = (q or "").strip()
    if q:
        needle = normalize_name(q)
        qs = qs.filter(
            Q(search_name__contains=needle)
            | Q(registry_id=canonical_registry_id(q) or q.upper())
            | Q(membership_number__iexact=q)
            | Q(email__iexact=q)
            | Q(legal_name__icontains=q)
        )
    if verified in ("yes", "no"):
        qs = qs.filter(is_verified=(verified == "yes"))
    if membership_status in TalentProfile.Membership.values:
        qs = qs.filter(membership_status=membership_status)
    if status in TalentProfile.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("stage_name", "pk")
