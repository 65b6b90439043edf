"""Likeness-use terms: versions (immutable once signed), one term per use, product categories."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from registry.consent.vocab import Decision, Use
from registry.core.errors import ImmutableRecord


class FrozenRecordError(ImmutableRecord):
    """A signed record was about to be changed in place: write a new version instead."""


class ProductCategory(models.Model):
    """Categories a talent may exclude (staff may add more than product.md's defaults)."""

    slug = models.SlugField(max_length=50, primary_key=True)
    label = models.CharField(max_length=100)
    # What people type for this category: "wine" → alcohol, "cigarettes" and "vaping" → tobacco.
    synonyms = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "product categories"

    def __str__(self) -> str:
        return self.label


class TermVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    class SignedAs(models.TextChoices):
        TALENT = "talent", "The talent in person"
        GUARDIAN = "guardian", "Parent or guardian of a minor"
        REPRESENTATIVE = "representative", "Authorised representative"
        ESTATE = "estate", "Estate"
        PAPER = "paper", "Signed on paper (imported)"

    talent = models.ForeignKey("talent.TalentProfile", on_delete=models.CASCADE, related_name="term_versions")
    number = models.PositiveIntegerField(null=True, blank=True, help_text="Assigned when signed: 1, 2, 3…")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField()
    is_revocation = models.BooleanField(
        default=False, help_text="A version that withdraws earlier permissions."
    )
    note = models.CharField(max_length=300, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Signature record
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_as = models.CharField(max_length=14, choices=SignedAs.choices, blank=True)
    signer_name = models.CharField(max_length=200, blank=True)
    signer_ip = models.GenericIPAddressField(null=True, blank=True)
    signer_user_agent = models.CharField(max_length=400, blank=True)
    text_shown = models.TextField(blank=True)
    canonical_json = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    document_ref = models.CharField(max_length=200, blank=True, help_text="Paper form reference (imports).")

    class Meta:
        ordering = ["talent_id", "-effective_from", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["talent", "number"], name="term_version_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(number__isnull=False) & Q(signed_at__isnull=False) & ~Q(sha256="")),
                name="signed_version_is_complete",
            ),
            # One imported paper form per talent and date: concurrent imports of one file cannot duplicate it.
            models.UniqueConstraint(
                fields=["talent", "effective_from", "document_ref"],
                condition=Q(signed_as="paper"),
                name="one_paper_version_per_document",
            ),
        ]
        indexes = [
            # "the latest signed version whose effective_from is on or before the date"
            models.Index(
                fields=["talent", "status", "effective_from", "number"], name="term_version_in_effect"
            ),
        ]

    def __str__(self) -> str:
        label = f"v{self.number}" if self.number else "draft"
        return f"{self.talent_id} terms {label} from {self.effective_from}"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    def save(self, *args, **kwargs):
        if self.pk is not None and not getattr(self, "_signing", False):
            was = TermVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if was == self.Status.SIGNED:
                raise FrozenRecordError("Signed terms are immutable: create a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_signed:
            raise FrozenRecordError("Signed terms cannot be deleted.")
        return super().delete(*args, **kwargs)


class Term(models.Model):
    """What the talent allows for one use within one version."""

    version = models.ForeignKey(TermVersion, on_delete=models.CASCADE, related_name="terms")
    use = models.CharField(max_length=24, choices=Use.choices)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    modalities = models.JSONField(default=list, blank=True)
    territories = models.JSONField(default=list, blank=True)
    channels = models.JSONField(default=list, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    min_fee_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    min_fee_currency = models.CharField(max_length=3, blank=True)
    attribution = models.BooleanField(default=False)
    ai_disclosure = models.BooleanField(default=False)
    excluded_categories = models.JSONField(default=list, blank=True)
    # Organizations (brands.Organization ids) the term is limited to; empty: any caller (product.md §2).
    organizations = models.JSONField(default=list, blank=True)
    # Separate written consent for replica creation/use and AI training (product.md §2, §6)
    consent_description = models.TextField(blank=True)
    consent_duration = models.CharField(max_length=200, blank=True)
    consent_pay = models.CharField(max_length=200, blank=True)
    represented_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="Lawyer or union that represented the talent (California AB 2602).",
    )
    separate_consent = models.BooleanField(
        default=False,
        help_text="The talent (or guardian) ticked a separate, explicit consent for this use when signing.",
    )

    class Meta:
        ordering = ["version_id", "use"]
        constraints = [
            models.UniqueConstraint(fields=["version", "use"], name="one_term_per_use_per_version"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="term_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.use}: {self.decision}"

    def save(self, *args, **kwargs):
        status = TermVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        if status == TermVersion.Status.SIGNED:
            raise FrozenRecordError("Terms of a signed version are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version.is_signed:
            raise FrozenRecordError("Terms of a signed version cannot be deleted.")
        return super().delete(*args, **kwargs)


class RegistryImport(models.Model):
    """One run of `import_registry` (command or staff page): who, which file, what changed."""

    class Source(models.TextChoices):
        COMMAND = "command", "Management command"
        STAFF_PAGE = "staff_page", "Staff page"

    source = models.CharField(max_length=10, choices=Source.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.file_name or self.file_sha256[:12]} at {self.created_at:%Y-%m-%d %H:%M}"


class PublishedDocument(models.Model):
    """A public document whose size grows with the registry (e.g. /.well-known/tdmrep.json), built in the
    background (registry/consent/published.py) and served as stored, with its ETag."""

    name = models.CharField(max_length=100, unique=True)
    body = models.TextField()
    content_type = models.CharField(max_length=100, default="application/json")
    etag = models.CharField(max_length=80)
    built_at = models.DateTimeField()
    built_for = models.DateField(help_text="The day whose terms in effect the document states.")

    def __str__(self) -> str:
        return f"{self.name} ({self.built_at:%Y-%m-%d %H:%M})"
