"""Organizations (brands, agencies, platforms), their members, API keys and the permission-check log."""

import secrets

from django.conf import settings
from django.db import models


class Organization(models.Model):
    class Kind(models.TextChoices):
        BRAND = "brand", "Brand"
        AGENCY = "agency", "Agency"
        PLATFORM = "platform", "Platform"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BRAND)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    is_verified = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=6, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


class Invitation(models.Model):
    """An owner's invitation (by email) to join the organization. Only a hash of the token is kept."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=6, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None


class ApiKey(models.Model):
    """A per-organization API key. Only a SHA-256 of the secret is stored; the key is shown once."""

    class Scope(models.TextChoices):
        CHECK = "check", "Permission checks"
        LICENSES = "licenses", "License requests"
        REPORTS = "reports", "Misuse reports"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, help_text="Public part of the key, for lookup.")
    hashed_secret = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def new_prefix() -> str:
        return "lr_" + secrets.token_hex(6)


class PermissionCheck(models.Model):
    """The log of every permission check: who asked, about whom, what, and the answer."""

    class Source(models.TextChoices):
        API = "api", "API"
        BULK = "bulk", "API (bulk)"
        WEB = "web", "Web form"

    check_id = models.CharField(max_length=40, unique=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="permission_checks"
    )
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    talent = models.ForeignKey(
        "talent.TalentProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="permission_checks",
    )
    talent_registry_id = models.CharField(max_length=40)
    use = models.CharField(max_length=24)
    modality = models.CharField(max_length=10)
    territory = models.CharField(max_length=10)
    channel = models.CharField(max_length=16)
    product_category = models.CharField(max_length=50, blank=True)
    as_of = models.DateField()
    decision = models.CharField(max_length=20)
    basis = models.JSONField(default=dict, blank=True)
    conditions = models.JSONField(default=dict, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=4, choices=Source.choices, default=Source.API)
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_at"]
        indexes = [
            models.Index(fields=["organization", "-checked_at"], name="check_org_recent"),
            models.Index(fields=["talent", "-checked_at"], name="check_talent_recent"),
            # The change feed's scope: which talent an organization has checked (brands.selectors).
            models.Index(fields=["organization", "talent"], name="check_org_talent"),
        ]

    def __str__(self) -> str:
        return f"{self.check_id} {self.talent_registry_id} {self.use}: {self.decision}"


class PermissionCheckDay(models.Model):
    """Checks older than the detail period, counted per organization, talent, day, use and answer.

    The nightly roll-up (registry.brands.retention) adds the day's checks here and deletes them from the
    check log, which so keeps only the detail period (docs/privacy.md).
    """

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="permission_check_days"
    )
    talent = models.ForeignKey(
        "talent.TalentProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="permission_check_days",
    )
    talent_registry_id = models.CharField(max_length=40)
    day = models.DateField()
    use = models.CharField(max_length=24)
    decision = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        indexes = [
            models.Index(fields=["organization", "-day"], name="checkday_org_recent"),
            models.Index(fields=["talent", "-day"], name="checkday_talent_recent"),
            models.Index(fields=["day"], name="checkday_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.talent_registry_id} {self.use}: {self.decision} ×{self.count}"
