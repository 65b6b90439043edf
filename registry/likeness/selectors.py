"""Reads of the likeness app that carry rules: the consent in force, who may sign or withdraw it, who may run
a self-check. Descriptor vectors are read only by the services that compare them (never by pages)."""

from __future__ import annotations

from django.utils import timezone

from registry.likeness.models import BiometricConsent, Descriptor, Modality, SignerCapacity
from registry.talent import selectors as talent_selectors
from registry.talent.models import TalentProfile

# Who signs for whom: the capacity a user acts in (talent_selectors.acting_as) → the signer capacity.
CAPACITY_BY_ACTING = {
    "talent": SignerCapacity.SELF,
    "guardian": SignerCapacity.GUARDIAN,
    "estate": SignerCapacity.ESTATE,
}


def consent_in_force(talent: TalentProfile, modality: str = Modality.FACE) -> BiometricConsent | None:
    if talent is None or talent.pk is None:
        return None
    return (
        BiometricConsent.objects.filter(talent=talent, modality=modality, withdrawn_at__isnull=True)
        .select_related("signed_by")
        .first()
    )


def has_consent(talent: TalentProfile, modality: str = Modality.FACE) -> bool:
    return BiometricConsent.objects.filter(
        talent=talent, modality=modality, withdrawn_at__isnull=True
    ).exists()


def consents_of(talent: TalentProfile) -> list[BiometricConsent]:
    """Every consent signed for the talent, newest first (withdrawn ones stay as the record)."""
    return list(BiometricConsent.objects.filter(talent=talent).select_related("signed_by", "withdrawn_by"))


def descriptor_count(talent: TalentProfile, modality: str = Modality.FACE) -> int:
    return Descriptor.objects.filter(talent=talent, modality=modality).count()


def signing_refusal(user, talent: TalentProfile) -> str:
    """Why this user cannot sign the talent's biometric consent ("" when they may).

    The talent signs in person; a verified guardian signs for a minor (the minor herself cannot); a verified
    estate signs for a deceased performer. An agent never signs it: it is personal, like a replica consent.
    """
    acting = talent_selectors.acting_as(user, talent)
    if acting is None:
        return "You do not act for this talent."
    if acting == "talent":
        if talent.is_deceased:
            return "This performer is recorded as deceased: the estate signs for them."
        if talent.is_minor(timezone.localdate()):
            return "You are under 18: a parent or guardian signs this consent for you."
        return ""
    if acting in ("guardian", "estate"):
        return ""
    return (
        f"Only {talent.stage_name} can give biometric consent, in person (a parent or guardian for a minor, "
        "the estate for a deceased performer): a representative cannot sign it."
    )


def signer_capacity(user, talent: TalentProfile) -> str | None:
    """The capacity the user signs in, or None when they may not sign (see `signing_refusal`)."""
    if signing_refusal(user, talent):
        return None
    return CAPACITY_BY_ACTING[talent_selectors.acting_as(user, talent)]


def can_view_consent(user, talent: TalentProfile) -> bool:
    """The consent page and receipts: the talent and everyone acting for her (agents read only)."""
    return talent is not None and talent_selectors.can_act_for(user, talent, scope="view")


def can_sign(user, talent: TalentProfile) -> bool:
    return talent is not None and not signing_refusal(user, talent)


def can_withdraw(user, talent: TalentProfile) -> bool:
    """Withdrawing is easier than signing: whoever may sign, and a minor herself (never an agent)."""
    if talent is None:
        return False
    acting = talent_selectors.acting_as(user, talent)
    if acting == "talent":
        return not talent.is_deceased
    return acting in ("guardian", "estate")


def can_self_check(user, talent: TalentProfile) -> bool:
    """Check a suspicious image against her own face: the talent (while living), her guardian or estate."""
    return talent is not None and talent_selectors.can_manage_profile(user, talent)
