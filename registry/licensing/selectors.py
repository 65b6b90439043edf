"""Reads of licensing with rules: which requests and licenses a brand, the talent side or staff may see."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from registry.licensing.models import License, LicenseOffer, LicenseRequest
from registry.talent import selectors as talent_selectors


def _talent_ids(user) -> QuerySet:
    return talent_selectors.talent_acted_for(user, scope="view").values("pk")


def talent_licensed_by(organization) -> QuerySet:
    """Ids of the talent the organization holds a license from or has asked for one (a subquery)."""
    licensed = License.objects.filter(organization=organization).order_by().values("talent_id")
    asked = LicenseRequest.objects.filter(organization=organization).order_by().values("talent_id")
    return licensed.union(asked)


def visible_requests(*, user=None, organization=None) -> QuerySet[LicenseRequest]:
    """Requests of the brand's organization and/or of the talent the user acts for (nothing else)."""
    condition = Q(pk__in=[])
    if organization is not None:
        condition |= Q(organization=organization)
    if user is not None and getattr(user, "is_authenticated", False):
        condition |= Q(talent__in=_talent_ids(user))
    return (
        LicenseRequest.objects.filter(condition)
        .select_related("talent", "organization", "license")
        .prefetch_related(Prefetch("offers", queryset=LicenseOffer.objects.select_related("author")))
    )


def requests_for_organization(organization, *, status: str = "") -> QuerySet[LicenseRequest]:
    qs = LicenseRequest.objects.filter(organization=organization).select_related("talent", "license")
    if status in LicenseRequest.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-pk")


def requests_for_talent_side(user, *, status: str = "") -> QuerySet[LicenseRequest]:
    """The inbox of a talent, guardian, estate or representative: requests about the talent they act for."""
    qs = LicenseRequest.objects.filter(talent__in=_talent_ids(user)).select_related(
        "talent", "organization", "license"
    )
    if status in LicenseRequest.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-pk")


def request_for(pk, *, user=None, organization=None) -> LicenseRequest | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return visible_requests(user=user, organization=organization).filter(pk=pk).first()


def visible_licenses(*, user=None, organization=None) -> QuerySet[License]:
    """Licenses of the brand's organization and/or of the talent the user acts for; staff see all."""
    if user is not None and user.has_perm("accounts.access_staff_desk"):
        return License.objects.select_related("talent", "organization")
    condition = Q(pk__in=[])
    if organization is not None:
        condition |= Q(organization=organization)
    if user is not None and getattr(user, "is_authenticated", False):
        condition |= Q(talent__in=_talent_ids(user))
    return License.objects.filter(condition).select_related("talent", "organization")


def license_for(license_id: str, *, user=None, organization=None) -> License | None:
    return visible_licenses(user=user, organization=organization).filter(license_id=license_id).first()


def public_license(license_id: str) -> License | None:
    """For public verification: anyone may ask about a license by its ID."""
    return (
        License.objects.select_related("talent", "organization")
        .filter(license_id=str(license_id or "").strip().upper())
        .first()
    )


def licenses_for_staff(*, q: str = "", state: str = "") -> QuerySet[License]:
    qs = License.objects.select_related("talent", "organization", "terminated_by")
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(license_id__iexact=q)
            | Q(organization__name__icontains=q)
            | Q(talent__registry_id__iexact=q)
            | Q(talent__stage_name__icontains=q)
        )
    if state == "terminated":
        qs = qs.filter(terminated_at__isnull=False)
    elif state == "active":
        qs = qs.filter(terminated_at__isnull=True)
    return qs.order_by("-created_at", "-pk")
