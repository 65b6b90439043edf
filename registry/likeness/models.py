"""Biometric consent and the descriptors it allows (Illinois BIPA: face geometry is biometric data).

A descriptor exists only while the talent's biometric consent for its modality is in force: signing it is
what starts the computation, withdrawing it (or closing the account) deletes every descriptor. Descriptors are
stored here, apart from the photos they come from, and never leave this app except as match candidates on the
staff desk. Voice is out of scope for now; `modality` and `region` keep room for speaker embeddings.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from registry.core import labels
from registry.talent.models import ReferenceMedia, TalentProfile


class Modality(models.TextChoices):
    FACE = "face", "Face"


class SignerCapacity(models.TextChoices):
    SELF = "self", "The talent"
    GUARDIAN = "guardian", "Parent or legal guardian"
    ESTATE = "estate", "Estate"


class BiometricConsent(models.Model):
    """One signed biometric consent; withdrawn, it stays as the record of what was agreed and when."""

    talent = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="biometric_consents")
    modality = models.CharField(max_length=10, choices=Modality.choices, default=Modality.FACE)
    text_version = models.CharField(max_length=20)
    text_sha256 = models.CharField(max_length=64)
    signature_name = models.CharField(max_length=200)
    signer_capacity = models.CharField(max_length=10, choices=SignerCapacity.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["talent", "modality"],
                condition=Q(withdrawn_at__isnull=True),
                name="likeness_one_consent_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_modality_display()} consent of {self.talent_id} ({self.text_version})"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class Descriptor(models.Model):
    """A biometric template of one face in one reference photo: `vector` is float32 little-endian."""

    talent = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="+")
    consent = models.ForeignKey(BiometricConsent, on_delete=models.CASCADE, related_name="descriptors")
    reference_media = models.ForeignKey(ReferenceMedia, on_delete=models.CASCADE, related_name="+")
    modality = models.CharField(max_length=10, choices=Modality.choices, default=Modality.FACE)
    # Where in the source: a face's box {"left", "top", "right", "bottom"} in the original's pixels.
    region = models.JSONField(default=dict)
    vector = models.BinaryField()
    model_name = models.CharField(max_length=80)
    model_version = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["talent"], name="likeness_descriptor_talent")]

    def __str__(self) -> str:
        return f"Descriptor {self.pk} of {self.talent_id}"


labels.register("biometric_modality", Modality)
labels.register("signer_capacity", SignerCapacity)
