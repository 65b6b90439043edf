"""Consent's part of a data export (every term version with its signature) and of a closure (drafts go).

Signed versions are kept untouched on closure: they are the evidence of consent (docs/privacy.md).
"""

from __future__ import annotations

from django.db.models import Prefetch

from registry.consent.models import Term, TermVersion
from registry.consent.terms import TERM_FIELDS as SIGNED_TERM_FIELDS
from registry.core.personal_data import Closure, Export, who
from registry.talent.models import TalentProfile

EXPORT_ORDER = 20
ERASE_ORDER = 20
TERM_FIELDS = ("use", *SIGNED_TERM_FIELDS)


def export(talent: TalentProfile, context: Export) -> dict:
    versions = (
        TermVersion.objects.filter(talent=talent)
        .select_related("signed_by", "created_by")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("use")))
        .order_by("created_at", "pk")
    )
    return {"term_versions": [_version(v) for v in versions]}


def _version(v: TermVersion) -> dict:
    signature = None
    if v.is_signed:
        signature = {
            "signed_at": v.signed_at,
            "signed_by": who(v.signed_by),
            "signed_as": v.signed_as,
            "signer_name": v.signer_name,
            "signer_ip": v.signer_ip,
            "signer_user_agent": v.signer_user_agent,
            "sha256": v.sha256,
            "canonical_json": v.canonical_json,
            "text_shown": v.text_shown,
            "document_ref": v.document_ref,
        }
    return {
        "number": v.number,
        "status": v.status,
        "effective_from": v.effective_from,
        "is_revocation": v.is_revocation,
        "note": v.note,
        "created_at": v.created_at,
        "created_by": who(v.created_by),
        "terms": [{name: getattr(t, name) for name in TERM_FIELDS} for t in v.terms.all()],
        "signature": signature,
    }


def preview(talent: TalentProfile) -> dict:
    return {
        "signed_versions": TermVersion.objects.filter(talent=talent, status=TermVersion.Status.SIGNED).count()
    }


def erase(talent: TalentProfile, *, actor, closure: Closure) -> dict:
    # Unsigned drafts are not consent; signed versions are kept exactly as signed (see docs/privacy.md).
    deleted, _ = TermVersion.objects.filter(talent=talent, status=TermVersion.Status.DRAFT).delete()
    return {"drafts_deleted": deleted}
