"""Licenses: issuing one (signed certificate), staff termination, and the status and public verification."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from registry.core import labels
from registry.core.errors import DomainError
from registry.core.mail import send_email
from registry.licensing import certificates
from registry.licensing.models import License, LicenseRequest
from registry.licensing.notify import org_owner_emails, talent_recipients
from registry.licensing.offers import OFFER_FIELDS
from registry.licensing.screening import license_duties


def issue(request: LicenseRequest, *, approved_by) -> License:
    """The one immutable license of an approved request, with its duties and its signed certificate."""
    ai_disclosure, attribution = license_duties(request)
    license = License(
        talent=request.talent,
        organization=request.organization,
        request=request,
        description=request.description,
        approved_by=approved_by,
        approved_at=timezone.now(),
        **{name: getattr(request, name) for name in OFFER_FIELDS},
    )
    license.ai_disclosure, license.attribution = ai_disclosure, attribution
    license.certificate = certificates.certificate_json(
        certificates.sign_payload(certificates.certificate_payload(license))
    )
    try:
        with transaction.atomic():
            license.save(force_insert=True)
    except IntegrityError:
        raise DomainError("conflict", "A license was already issued for this request.", status=409)
    return license


@transaction.atomic
def terminate(*, license_id: str, actor, reason: str) -> License:
    """Staff end a license early, with a reason. The license's own terms stay as they were."""
    if actor is None or not actor.has_perm("accounts.access_staff_desk"):
        raise DomainError("not_authorised", "Only union staff terminate licenses.", status=403)
    reason = " ".join(str(reason or "").split())
    if len(reason) < 10:
        raise DomainError("reason_required", "Give the reason for the termination.", "reason")
    license = (
        License.objects.select_for_update(of=("self",))
        .select_related("talent", "organization", "talent__user")
        .filter(license_id=license_id)
        .first()
    )
    if license is None:
        raise DomainError("not_found", "No such license.", status=404)
    if license.terminated_at is not None:
        raise DomainError("invalid_state", "This license is already terminated.", status=409)
    license.terminated_at = timezone.now()
    license.terminated_by = actor
    license.termination_reason = reason[:2000]
    license.save(update_fields=["terminated_at", "terminated_by", "termination_reason"])
    body = (
        f"License {license.license_id} ({license.get_use_display()} of {license.talent.stage_name} by "
        f"{license.organization.name}) was terminated by union staff.\n"
        f"Reason: {license.termination_reason}\n\n"
        f"{settings.SITE_URL}/licenses/{license.license_id}/verify/"
    )
    to = talent_recipients(license.talent) + org_owner_emails(license.organization_id)
    for address in sorted(set(to)):  # one message each: the brand never learns the talent's address
        send_email(subject=f"License {license.license_id} terminated", body=body, to=[address])
    return license


LICENSE_VALIDITY = {
    "valid": "Valid",
    "not_yet_valid": "Not yet valid",
    "expired": "Expired",
    "terminated": "Terminated",
}
labels.register("validity", LICENSE_VALIDITY)


def license_status(license: License, *, today: date | None = None) -> str:
    """valid | expired | terminated | not_yet_valid, as of today."""
    today = today or timezone.localdate()
    if license.terminated_at is not None and license.terminated_at <= timezone.now():
        return "terminated"
    if today < license.valid_from:
        return "not_yet_valid"
    if today > license.valid_until:
        return "expired"
    return "valid"


def conditions(license: License) -> dict:
    """The duties a license carries (product.md §3), as checks, certificates and verification show them."""
    return {"attribution": license.attribution, "ai_disclosure": license.ai_disclosure}


def verification(license: License, *, today: date | None = None) -> dict:
    """The public answer about a license: validity, scope and conditions; no private data, no fee."""
    return {
        "license_id": license.license_id,
        "status": license_status(license, today=today),
        "talent": {"registry_id": license.talent.registry_id, "stage_name": license.talent.stage_name},
        "organization": license.organization.name,
        "use": license.use,
        "modalities": list(license.modalities),
        "territories": list(license.territories),
        "channels": list(license.channels),
        "product_category": license.product_category or None,
        "valid_from": license.valid_from.isoformat(),
        "valid_until": license.valid_until.isoformat(),
        "conditions": conditions(license),
        "terminated_at": license.terminated_at.isoformat() if license.terminated_at else None,
    }
