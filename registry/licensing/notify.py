"""Who hears about licensing events, and the emails about a request's thread."""

from __future__ import annotations

from django.conf import settings

from registry.brands.models import Membership
from registry.core.mail import send_email
from registry.licensing.models import LicenseRequest
from registry.talent import selectors as talent_selectors


def talent_recipients(talent) -> list[str]:
    """The talent (or their contact email) and everyone who answers license requests for them."""
    if talent.status != talent.Status.ACTIVE:
        return []  # withdrawn or closed: nobody to notify on the talent side
    emails = []
    if talent.user_id and talent.user.is_active and talent.user.email:
        emails.append(talent.user.email)
    elif talent.email:
        emails.append(talent.email)
    for rep in talent_selectors.active_representatives(talent):
        if (rep.can_answer_requests or rep.kind in talent_selectors.FULL_AUTHORITY_KINDS) and rep.user.email:
            emails.append(rep.user.email)
    return sorted(set(emails))


def org_owner_emails(organization_id: int) -> list[str]:
    return list(
        Membership.objects.filter(organization_id=organization_id, role=Membership.Role.OWNER).values_list(
            "user__email", flat=True
        )
    )


def brand_recipients(request: LicenseRequest) -> list[str]:
    """The organization's owners and the member who made the request."""
    emails = set(org_owner_emails(request.organization_id))
    if request.requested_by_id:
        emails.add(request.requested_by.email)
    return sorted(e for e in emails if e)


def notify(to: list[str], subject: str, body: str, request: LicenseRequest) -> None:
    if not to:
        return
    link = f"{settings.SITE_URL}/licenses/requests/{request.pk}/"
    for address in sorted(set(to)):  # one message per recipient, never others' addresses
        send_email(
            subject=f"{subject} (request #{request.pk})",
            body=f"{body}\n\nOpen the request: {link}",
            to=[address],
        )


def summary(request: LicenseRequest) -> str:
    return (
        f"{request.organization.name} — {request.get_use_display()} of {request.talent.stage_name} "
        f"({request.talent.registry_id}), {', '.join(request.modalities)} "
        f"in {', '.join(request.territories)} on {', '.join(request.channels)}, "
        f"{request.valid_from} to {request.valid_until}, "
        f"fee {request.fee_amount} {request.fee_currency}."
    )
