"""The brand's "what do I do next" panel: requests to answer, licenses ending soon, recent checks, key usage.

An inclusion tag of the site layer (the top one, which may read licensing and brands alike), so that the
brand workspace and the site dashboard show the same panel without the brands app importing licensing.
"""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone

from registry.brands import selectors as brand_selectors
from registry.licensing.models import License, LicenseRequest

register = template.Library()

EXPIRY_WINDOW_DAYS = 30
LIMIT = 5


def next_steps(organization, *, show_keys: bool = False) -> dict:
    """The panel's items; API keys only for the organization's owners (plain members never see keys)."""
    today = timezone.localdate()
    requests = LicenseRequest.objects.filter(organization=organization).select_related("talent")
    to_answer = list(requests.filter(status=LicenseRequest.Status.COUNTERED).order_by("-updated_at")[:LIMIT])
    waiting = list(requests.filter(status=LicenseRequest.Status.PENDING).order_by("-updated_at")[:LIMIT])
    expiring = list(
        License.objects.filter(
            organization=organization,
            terminated_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=EXPIRY_WINDOW_DAYS),
        )
        .select_related("talent")
        .order_by("valid_until")[:LIMIT]
    )
    for item in expiring:
        item.days_left = (item.valid_until - today).days
    keys = []
    if show_keys:
        keys = [k for k in brand_selectors.api_keys_of(organization) if k.revoked_at is None][:LIMIT]
    return {
        "organization": organization,
        "to_answer": to_answer,
        "waiting": waiting,
        "expiring": expiring,
        "expiry_window": EXPIRY_WINDOW_DAYS,
        "recent_checks": list(brand_selectors.checks_by(organization)[:LIMIT]),
        "api_keys": keys,
        "show_keys": show_keys,
    }


@register.inclusion_tag("brands/_next_steps.html", takes_context=True)
def brand_next_steps(context, organization):
    membership = brand_selectors.membership_for(context["request"].user)
    owner = bool(membership and membership.organization_id == organization.pk and membership.is_owner)
    return next_steps(organization, show_keys=owner)
