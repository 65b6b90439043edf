"""License requests (with their thread of offers) and the immutable licenses they become."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from registry.consent.models import FrozenRecordError
from registry.consent.vocab import Use


def new_license_id() -> str:
    return "LIC-" + secrets.token_hex(6).upper()


class LicenseRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the talent"
        COUNTERED = "countered", "Countered: waiting for the brand"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    talent = models.ForeignKey(
        "talent.TalentProfile", on_delete=models.CASCADE, related_name="license_requests"
    )
    organization = models.ForeignKey(
        "brands.Organization", on_delete=models.CASCADE, related_name="license_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The current offer (the latest in the thread); every offer is kept in LicenseOffer.
    use = models.CharField(max_length=24, choices=Use.choices)
    modalities = models.JSONField(default=list)
    territories = models.JSONField(default=list)
    channels = models.JSONField(default=list)
    product_category = models.CharField(max_length=50, blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    fee_amount = models.DecimalField(max_digits=12, decimal_places=2)
    fee_currency = models.CharField(max_length=3, default="USD")
    # Duties of the license (product.md §3): label AI-generated or altered content; credit the talent.
    ai_disclosure = models.BooleanField(default=False)
    attribution = models.BooleanField(default=False)
    description = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="lr_org_recent"),
            models.Index(fields=["talent", "status"], name="lr_talent_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lte=F("valid_until")), name="request_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Request #{self.pk} {self.organization} → {self.talent_id} ({self.use}, {self.status})"


class LicenseOffer(models.Model):
    """One message in a request's thread: the brand's request, a counter-offer, an answer."""

    class Kind(models.TextChoices):
        REQUEST = "request", "Request"
        COUNTER = "counter", "Counter-offer"
        ACCEPT = "accept", "Accepted"
        APPROVE = "approve", "Approved"
        DECLINE = "decline", "Declined"
        WITHDRAW = "withdraw", "Withdrawn"

    request = models.ForeignKey(LicenseRequest, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    terms = models.JSONField(default=dict, help_text="Scope, period and fee proposed at this step.")
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on request #{self.request_id}"


class License(models.Model):
    """An approved license: immutable; staff may only terminate it (a separate, recorded act)."""

    license_id = models.CharField(max_length=20, unique=True, default=new_license_id, editable=False)
    talent = models.ForeignKey("talent.TalentProfile", on_delete=models.PROTECT, related_name="licenses")
    organization = models.ForeignKey("brands.Organization", on_delete=models.PROTECT, related_name="licenses")
    request = models.OneToOneField(
        LicenseRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="license"
    )
    use = models.CharField(max_length=24, choices=Use.choices)
    modalities = models.JSONField(default=list)
    territories = models.JSONField(default=list)
    channels = models.JSONField(default=list)
    product_category = models.CharField(max_length=50, blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    fee_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    fee_currency = models.CharField(max_length=3, blank=True)
    # Duties of the license (product.md §3): label AI-generated or altered content; credit the talent.
    ai_disclosure = models.BooleanField(default=False)
    attribution = models.BooleanField(default=False)
    description = models.TextField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    document_ref = models.CharField(
        max_length=200, blank=True, help_text="For imported (pre-existing) licenses."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Termination (the only change after issue), recorded separately from the license's own terms.
    terminated_at = models.DateTimeField(null=True, blank=True)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    termination_reason = models.TextField(blank=True)

    # The signed certificate (canonical JSON document), written once when first issued.
    certificate = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Rule 2 of the evaluator: licenses of one organization for some talent and use, by date.
            models.Index(fields=["organization", "talent", "use", "valid_from"], name="license_covering"),
            models.Index(fields=["talent", "valid_until"], name="license_talent_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lte=F("valid_until")), name="license_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.license_id} ({self.organization} / {self.talent_id} / {self.use})"

    IMMUTABLE_FIELDS = (
        "talent_id",
        "organization_id",
        "use",
        "modalities",
        "territories",
        "channels",
        "product_category",
        "valid_from",
        "valid_until",
        "fee_amount",
        "fee_currency",
        "ai_disclosure",
        "attribution",
        "description",
        "license_id",
    )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            old = License.objects.filter(pk=self.pk).values(*self.IMMUTABLE_FIELDS).first()
            if old and any(old[f] != getattr(self, f) for f in self.IMMUTABLE_FIELDS):
                raise FrozenRecordError("Licenses are immutable; terminate and issue a new one instead.")
        super().save(*args, **kwargs)


class SigningKey(models.Model):
    """The Ed25519 key that signs license certificates when settings.CERTIFICATE_SIGNING_KEY is unset.

    Generated once per database so certificates stay verifiable across restarts; its public half is published
    at /.well-known/license-signing-key.json.
    """

    key_id = models.CharField(max_length=32, unique=True)
    private_key = models.CharField(max_length=64, help_text="base64 of the raw 32-byte Ed25519 private key")
    public_key = models.CharField(max_length=64, help_text="base64 of the raw 32-byte Ed25519 public key")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Ed25519 signing key {self.key_id}"


class ExpiryReminder(models.Model):
    """A reminder before a license's or a term's validity ends, recorded so each goes out exactly once."""

    class Kind(models.TextChoices):
        LICENSE = "license", "License"
        TERM = "term", "Term"

    kind = models.CharField(max_length=7, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    days_before = models.PositiveSmallIntegerField()
    valid_until = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "days_before", "valid_until"], name="one_reminder_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}: {self.days_before}-day reminder"
