"""Signing and withdrawing biometric consent (Illinois BIPA; product.md §6), and its receipt.

Signing records the text version and its SHA-256, the typed signature and the signer's capacity, then (after
commit) computes the descriptors of the talent's reference photos and emails a receipt. Withdrawing deletes
every descriptor of the modality in the same transaction: matching stops at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from registry.consent.signing import MISSING_LEGAL_NAME, typed_name_matches
from registry.core.errors import Conflict, DomainError, NotAllowed
from registry.core.mail import send_email
from registry.likeness import descriptors, selectors
from registry.likeness.models import BiometricConsent, Descriptor, Modality
from registry.likeness.text import CONSENT_TEXT_SHA256, CONSENT_TEXT_VERSION
from registry.talent.models import TalentProfile


@transaction.atomic
def sign_consent(
    talent: TalentProfile,
    *,
    actor,
    signature_name: str,
    text_version: str = CONSENT_TEXT_VERSION,
    modality: str = Modality.FACE,
) -> BiometricConsent:
    """Record a biometric consent signed online by `actor` (the talent, a guardian, an estate)."""
    refusal = selectors.signing_refusal(actor, talent)
    if refusal:
        raise NotAllowed("biometric_signer", refusal)
    capacity = selectors.signer_capacity(actor, talent)
    if text_version != CONSENT_TEXT_VERSION:
        raise DomainError(
            "consent_text_changed",
            "The consent text changed since this page was opened: read it again before signing.",
        )
    name = " ".join((signature_name or "").split())
    if not name:
        raise DomainError("signature_required", "Type your full legal name to sign.", "signature_name")
    if capacity == "self":
        if not talent.legal_name.strip():
            raise DomainError("legal_name_missing", MISSING_LEGAL_NAME, "signature_name")
        if not typed_name_matches(name, talent.legal_name):
            raise DomainError(
                "signature_mismatch",
                "This is not the legal name on your profile. Type your full legal name exactly as on your "
                "profile (capital letters and spaces do not matter).",
                "signature_name",
            )
    # One consent in force per talent and modality: the talent row is the lock two signatures meet on.
    TalentProfile.objects.select_for_update().filter(pk=talent.pk).first()
    if BiometricConsent.objects.filter(talent=talent, modality=modality, withdrawn_at__isnull=True).exists():
        raise Conflict("consent_in_force", "A biometric consent is already in force for this talent.")
    consent = BiometricConsent.objects.create(
        talent=talent,
        modality=modality,
        text_version=CONSENT_TEXT_VERSION,
        text_sha256=CONSENT_TEXT_SHA256,
        signature_name=name[:200],
        signer_capacity=capacity,
        signed_by=actor,
        signed_at=timezone.now(),
    )
    descriptors.compute_later(talent.pk, modality)
    send_receipt(consent)
    return consent


@transaction.atomic
def withdraw_consent(talent: TalentProfile, *, actor, modality: str = Modality.FACE) -> int:
    """Withdraw the consent in force and delete every descriptor of the modality, at once. Returns how many
    descriptors were deleted."""
    if not selectors.can_withdraw(actor, talent):
        raise NotAllowed(
            "biometric_withdrawer",
            "Only the talent (a parent or guardian for a minor, the estate for a deceased performer) can "
            "withdraw this consent.",
        )
    return end_consent(talent, actor=actor, modality=modality)


def end_consent(talent: TalentProfile, *, actor, modality: str | None = Modality.FACE) -> int:
    """Withdraw (without a permission check: account closure calls it too) and delete the descriptors.

    The consent row is locked first, so a descriptor computation running meanwhile (which inserts under the
    same lock, after checking the consent is still in force) cannot leave a descriptor behind."""
    consents = BiometricConsent.objects.select_for_update().filter(talent=talent, withdrawn_at__isnull=True)
    held = Descriptor.objects.filter(talent=talent)
    if modality is not None:
        consents = consents.filter(modality=modality)
        held = held.filter(modality=modality)
    ids = list(consents.values_list("pk", flat=True))
    if not ids and modality is not None:
        raise DomainError("no_consent", "There is no biometric consent in force to withdraw.")
    deleted, _ = held.delete()
    BiometricConsent.objects.filter(pk__in=ids).update(
        withdrawn_at=timezone.now(), withdrawn_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    return deleted


def receipt_url(consent: BiometricConsent) -> str:
    return settings.SITE_URL + reverse("likeness:receipt", args=[consent.talent.registry_id, consent.pk])


def _recipients(consent: BiometricConsent) -> list[str]:
    """The signer, and the talent's own account when someone else signed for her."""
    emails = []
    if consent.signed_by is not None and consent.signed_by.email:
        emails.append(consent.signed_by.email)
    user = consent.talent.user
    if user is not None and user.email and user.email not in emails:
        emails.append(user.email)
    return emails


def send_receipt(consent: BiometricConsent) -> None:
    """Email the receipt (through the outbox, after commit): one message per recipient."""
    body = render_to_string("likeness/receipt_email.txt", {"consent": consent, "url": receipt_url(consent)})
    for address in _recipients(consent):
        send_email(
            subject=f"Your biometric consent receipt: {consent.talent.stage_name}",
            body=body,
            to=[address],
        )
