"""Access to the brand workspace pages: a brand member, with their organization, and owner-only pages."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect

from accounts.decorators import permission_required
from registry.brands import selectors

brand_member_required = permission_required(
    "brands.use_workspace", message="The brand workspace is for members of brands, agencies and platforms."
)


def organization_required(view):
    """A brand member with an organization; without one they are sent to create it."""

    @wraps(view)
    @brand_member_required
    def wrapper(request, *args, **kwargs):
        membership = selectors.membership_for(request.user)
        if membership is None:
            messages.info(request, "Create your organization first.")
            return redirect("brands:workspace")
        request.membership = membership
        request.organization = membership.organization
        return view(request, *args, **kwargs)

    return wrapper


def owner_required(view):
    """An owner of the caller's organization (use under organization_required, which sets it)."""
    return permission_required(
        "brands.manage_organization",
        obj=lambda request, *args, **kwargs: request.organization,
        message="Only an owner of the organization may do this.",
    )(view)
