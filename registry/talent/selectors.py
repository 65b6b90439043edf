"""Reads of the talent app that carry rules: who acts for whom, what the public may see, staff lists.

The predicates here (`talent_for_user`, `acting_as`, `can_act_for`, `can_view_private`) are the one place
that decides whether a user may act for a talent; consent, licensing and cases import them.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from registry.talent.models import Discipline, ReferenceMedia, Representative, TalentProfile
from registry.talent.search import normalize_name

# Scopes a representative may hold. "view" is implied by any active authority.
SCOPES = ("view", "manage_terms", "answer_requests")
SCOPE_FLAGS = {"manage_terms": "can_manage_terms", "answer_requests": "can_answer_requests"}
# Guardians (for a minor) and estates (for a deceased performer) act with the talent's full authority.
FULL_AUTHORITY_KINDS = (Representative.Kind.GUARDIAN, Representative.Kind.ESTATE)
ACTING_BY_KIND = {
    Representative.Kind.AGENT: "representative",
    Representative.Kind.GUARDIAN: "guardian",
    Representative.Kind.ESTATE: "estate",
}


def _is_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", True))


def talent_for_user(user) -> TalentProfile | None:
    """The user's own talent profile (withdrawn ones included: the talent still sees their page)."""
    if not _is_user(user):
        return None
    return TalentProfile.objects.filter(user=user).first()


def active_representation(user, talent: TalentProfile) -> Representative | None:
    """The user's unrevoked authority for this talent, if any."""
    if not _is_user(user) or talent is None or talent.pk is None:
        return None
    return Representative.objects.filter(talent=talent, user=user, revoked_at__isnull=True).first()


def acting_as(user, talent: TalentProfile) -> str | None:
    """In which capacity the user may act for the talent: "talent", "guardian", "representative", "estate".

    None when the user has no authority for this talent (staff access is a separate question:
    see `can_view_private`).
    """
    if not _is_user(user) or talent is None:
        return None
    if talent.user_id is not None and talent.user_id == user.pk:
        return "talent"
    rep = active_representation(user, talent)
    if rep is None:
        return None
    return ACTING_BY_KIND.get(rep.kind)


def can_act_for(user, talent: TalentProfile, *, scope: str) -> bool:
    """Whether the user may act for the talent within `scope` ("view", "manage_terms", "answer_requests").

    The talent always may; a guardian or estate acts with the talent's full authority; an agent only within
    the scopes the talent granted. Personal-only consents (replica, AI training) are decided by consent,
    which also looks at `acting_as`.
    """
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}; expected one of {', '.join(SCOPES)}.")
    if not _is_user(user) or talent is None:
        return False
    if talent.user_id is not None and talent.user_id == user.pk:
        return True
    rep = active_representation(user, talent)
    if rep is None:
        return False
    if rep.kind in FULL_AUTHORITY_KINDS or scope == "view":
        return True
    return bool(getattr(rep, SCOPE_FLAGS[scope]))


def can_manage_profile(user, talent: TalentProfile) -> bool:
    """Edit the profile, add/remove reference media and representatives: the talent, a guardian or estate."""
    return acting_as(user, talent) in ("talent", "guardian", "estate")


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
        TalentProfile.objects.filter(representatives__user=user, representatives__revoked_at__isnull=True)
        .distinct()
        .order_by("stage_name")
    )


def representations_of_user(user) -> QuerySet[Representative]:
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
    rep = Q(representatives__user=user, representatives__revoked_at__isnull=True)
    if scope != "view":
        rep &= Q(**{f"representatives__{SCOPE_FLAGS[scope]}": True}) | Q(
            representatives__kind__in=FULL_AUTHORITY_KINDS
        )
    return TalentProfile.objects.filter(Q(user=user) | rep).distinct().order_by("stage_name")


def active_representatives(talent: TalentProfile) -> QuerySet[Representative]:
    return (
        Representative.objects.filter(talent=talent, revoked_at__isnull=True)
        .select_related("user", "granted_by")
        .order_by("kind", "granted_at")
    )


def needs_guardian(talent: TalentProfile) -> bool:
    """A minor without an active guardian cannot sign: the dashboard shows a banner until one is set."""
    if not talent.is_minor():
        return False
    return not Representative.objects.filter(
        talent=talent, kind=Representative.Kind.GUARDIAN, revoked_at__isnull=True
    ).exists()


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
    """Search by stage name, accent- and case-insensitive; trigram similarity on PostgreSQL."""
    qs = public_talent()
    if discipline:
        qs = _filter_discipline(qs, discipline)
    needle = normalize_name(q)
    if not needle:
        return qs.order_by("stage_name", "pk")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        # Both conditions can use the GIN trigram index (migration 0004); best matches first.
        return (
            qs.filter(Q(search_name__contains=needle) | Q(search_name__trigram_word_similar=needle))
            .annotate(similarity=TrigramWordSimilarity(needle, "search_name"))
            .order_by("-similarity", "stage_name", "pk")
        )
    return qs.filter(search_name__contains=needle).order_by("stage_name", "pk")


def public_profile(registry_id: str) -> TalentProfile | None:
    return public_talent().filter(registry_id=(registry_id or "").strip().upper()).first()


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
            | Q(registry_id__iexact=q)
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
