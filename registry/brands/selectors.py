"""Reads of the brands app that carry rules: whose organization, which checks a brand or a talent may see."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet

from registry.brands.models import (
    ApiKey,
    Invitation,
    Membership,
    Organization,
    PermissionCheck,
    PermissionCheckDay,
)


def membership_for(user) -> Membership | None:
    """The user's membership in their organization (the earliest one if they belong to several)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_brand_membership", False)
    if cached is not False:
        return cached
    membership = (
        Membership.objects.select_related("organization")
        .filter(user=user)
        .order_by("created_at", "pk")
        .first()
    )
    user._brand_membership = membership
    return membership


def organization_for_user(user) -> Organization | None:
    membership = membership_for(user)
    return membership.organization if membership else None


def members_of(organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("-role", "user__email")


def open_invitations(organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


def api_keys_of(organization: Organization) -> QuerySet[ApiKey]:
    return organization.api_keys.select_related("created_by").order_by("revoked_at", "-created_at")


def checks_by(
    organization: Organization,
    *,
    talent: str = "",
    use: str = "",
    decision: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[PermissionCheck]:
    """One organization's own check history, newest first, filtered."""
    qs = PermissionCheck.objects.filter(organization=organization).select_related("api_key", "user")
    if talent:
        qs = qs.filter(talent_registry_id__iexact=talent.strip())
    if use:
        qs = qs.filter(use=use)
    if decision:
        qs = qs.filter(decision=decision)
    if since:
        qs = qs.filter(checked_at__date__gte=since)
    if until:
        qs = qs.filter(checked_at__date__lte=until)
    return qs.order_by("-checked_at", "-pk")


def talent_checked_by(organization: Organization) -> QuerySet:
    """Ids of the talent the organization has checked (in the detailed log or, past its retention, in the
    daily counts): a `values("talent_id")` queryset, for use as a subquery (`talent_id__in=`). The change
    feed's scope calls only this."""
    recent = PermissionCheck.objects.filter(organization=organization, talent__isnull=False)
    earlier = PermissionCheckDay.objects.filter(organization=organization, talent__isnull=False)
    return recent.order_by().values("talent_id").union(earlier.order_by().values("talent_id"))


def checks_about(talent, *, limit: int = 20) -> list[PermissionCheck]:
    """Who checked this talent's permissions, newest first (organization names are public; keys are not)."""
    if talent is None:
        return []
    return list(
        PermissionCheck.objects.filter(talent=talent)
        .select_related("organization")
        .only(
            "check_id",
            "organization__name",
            "organization__is_verified",
            "use",
            "modality",
            "territory",
            "channel",
            "decision",
            "as_of",
            "checked_at",
        )
        .order_by("-checked_at", "-pk")[:limit]
    )


def organizations_for_staff(*, q: str = "", verified: str = "") -> QuerySet[Organization]:
    qs = Organization.objects.annotate(member_count=Count("memberships", distinct=True)).select_related(
        "verified_by"
    )
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if verified == "yes":
        qs = qs.filter(is_verified=True)
    elif verified == "no":
        qs = qs.filter(is_verified=False)
    return qs.order_by("is_verified", "name")
