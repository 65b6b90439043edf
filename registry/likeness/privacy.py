"""Likeness's part of a data export (the biometric consent records, never a descriptor) and of an account
closure (every descriptor deleted, the consent withdrawn; see docs/biometric-consent.md)."""

from __future__ import annotations

from registry.core.personal_data import Closure, Export, who
from registry.likeness.consent import end_consent
from registry.likeness.models import BiometricConsent, Descriptor
from registry.talent.models import TalentProfile

EXPORT_ORDER = 25
# Before talent (40) deletes the reference photos: the closure withdraws the consent explicitly.
ERASE_ORDER = 15


def export(talent: TalentProfile, context: Export) -> dict:
    consents = BiometricConsent.objects.filter(talent=talent).select_related("signed_by", "withdrawn_by")
    return {
        "biometric_consent": {
            "consents": [
                {
                    "modality": c.modality,
                    "text_version": c.text_version,
                    "text_sha256": c.text_sha256,
                    "signature_name": c.signature_name,
                    "signer_capacity": c.signer_capacity,
                    "signed_by": _who(c.signed_by, talent),
                    "signed_at": c.signed_at,
                    "withdrawn_at": c.withdrawn_at,
                    "withdrawn_by": _who(c.withdrawn_by, talent) if c.withdrawn_at else None,
                }
                for c in consents.order_by("signed_at", "pk")
            ],
            # How many face descriptors are held, not the descriptors: they never leave the registry.
            "descriptors_held": Descriptor.objects.filter(talent=talent).count(),
        }
    }


def _who(user, talent: TalentProfile) -> str | None:
    if user is not None and user.pk == talent.user_id:
        return "you"
    return who(user)


def preview(talent: TalentProfile) -> dict:
    return {"biometric_descriptors": Descriptor.objects.filter(talent=talent).count()}


def erase(talent: TalentProfile, *, actor, closure: Closure) -> dict:
    deleted = end_consent(talent, actor=actor, modality=None)
    return {"biometric_descriptors_deleted": deleted}
