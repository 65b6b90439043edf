"""Licensing's part of a data export (requests with their offer threads, licenses with certificates) and of
a closure (open requests are declined through the licensing service; licenses are kept)."""

from __future__ import annotations

import json

from django.db.models import Prefetch

from registry.core.personal_data import Closure, Export, who
from registry.licensing.models import License, LicenseOffer, LicenseRequest
from registry.licensing.requests import decline
from registry.talent.models import TalentProfile

EXPORT_ORDER = 30
# First: declining needs the actor's authority for the talent, which talent's erase revokes; and the brand's
# email still names the talent as they were.
ERASE_ORDER = 10
CLOSURE_MESSAGE = "The talent closed their registry account; this request is declined."
OPEN_STATUSES = (LicenseRequest.Status.PENDING, LicenseRequest.Status.COUNTERED)


def export(talent: TalentProfile, context: Export) -> dict:
    return {"license_requests": _requests(talent), "licenses": _licenses(talent)}


def _requests(talent: TalentProfile) -> list[dict]:
    requests = (
        LicenseRequest.objects.filter(talent=talent)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "offers", queryset=LicenseOffer.objects.select_related("author").order_by("created_at", "pk")
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": r.pk,
            "organization": r.organization.name,
            "status": r.status,
            "use": r.use,
            "modalities": r.modalities,
            "territories": r.territories,
            "channels": r.channels,
            "product_category": r.product_category,
            "valid_from": r.valid_from,
            "valid_until": r.valid_until,
            "fee": {"amount": r.fee_amount, "currency": r.fee_currency},
            "description": r.description,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
            "offers": [
                {
                    "kind": o.kind,
                    "at": o.created_at,
                    "by": "you" if o.author_id and o.author_id == talent.user_id else who(o.author),
                    "terms": o.terms,
                    "message": o.message,
                }
                for o in r.offers.all()
            ],
        }
        for r in requests
    ]


def _licenses(talent: TalentProfile) -> list[dict]:
    licenses = (
        License.objects.filter(talent=talent)
        .select_related("organization", "approved_by", "terminated_by")
        .order_by("created_at", "pk")
    )
    return [
        {
            "license_id": lic.license_id,
            "organization": lic.organization.name,
            "request_id": lic.request_id,
            "use": lic.use,
            "modalities": lic.modalities,
            "territories": lic.territories,
            "channels": lic.channels,
            "product_category": lic.product_category,
            "valid_from": lic.valid_from,
            "valid_until": lic.valid_until,
            "fee": {"amount": lic.fee_amount, "currency": lic.fee_currency}
            if lic.fee_amount is not None
            else None,
            "description": lic.description,
            "approved_at": lic.approved_at,
            "approved_by": "you" if lic.approved_by_id == talent.user_id else who(lic.approved_by),
            "document_ref": lic.document_ref,
            "terminated_at": lic.terminated_at,
            "termination_reason": lic.termination_reason,
            "certificate": json.loads(lic.certificate) if lic.certificate else None,
        }
        for lic in licenses
    ]


def preview(talent: TalentProfile) -> dict:
    return {
        "open_requests": LicenseRequest.objects.filter(talent=talent, status__in=OPEN_STATUSES).count(),
        "licenses": License.objects.filter(talent=talent).count(),
    }


def erase(talent: TalentProfile, *, actor, closure: Closure) -> dict:
    open_ids = list(
        LicenseRequest.objects.filter(talent=talent, status__in=OPEN_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in open_ids:
        # The service records the answer on the thread and tells the brand (after commit).
        decline(request_id=pk, actor=actor, message=CLOSURE_MESSAGE)
    return {"requests_declined": open_ids}
