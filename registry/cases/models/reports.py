"""What reporters send: the report as filed, its URLs, the evidence files and their likely matches."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from registry.cases.models.cases import AppendOnlyError, Case, Platform, Relationship
from registry.consent.vocab import Use
from registry.core.uploads import private_storage


def hash_tracking_code(code: str) -> str:
    """Only this digest of a report's tracking code is stored (the code is shown to the reporter once)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


class MisuseReport(models.Model):
    """What a reporter filed, as filed. Enrichment routes it to a new case or to an open case about the same
    content. The tracking code is shown once; only its SHA-256 is kept."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    tracking_hash = models.CharField(max_length=64, unique=True)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="misuse_reports",
    )
    reporter_name = models.CharField(max_length=150, blank=True)
    reporter_email = models.EmailField(blank=True)
    relationship = models.CharField(max_length=16, choices=Relationship.choices)

    talent = models.ForeignKey(
        "talent.TalentProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="misuse_reports",
    )
    talent_text = models.CharField(max_length=200, blank=True, help_text="Registry ID or name as typed.")
    organization = models.ForeignKey(
        "brands.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="misuse_reports"
    )
    organization_text = models.CharField(max_length=200, blank=True)
    platform = models.CharField(max_length=12, choices=Platform.choices, blank=True)
    use = models.CharField(max_length=24, choices=Use.choices, blank=True)
    product_category = models.CharField(max_length=50, blank=True, help_text="What was advertised, if known.")
    territory = models.CharField(max_length=2, blank=True, help_text="Where it was seen (ISO 3166-1).")
    seen_on = models.DateField(null=True, blank=True)
    description = models.TextField()
    urls = models.JSONField(default=list, blank=True, help_text="Content URLs exactly as reported.")
    sensitive = models.BooleanField(default=False, help_text="Reporter says: sexual content or a minor.")

    submitted_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    enriched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="report_case"),
            models.Index(fields=["reporter", "-created_at"], name="report_reporter"),
        ]

    def __str__(self) -> str:
        return f"Report #{self.pk} ({self.created_at:%Y-%m-%d})"


class ReportedURL(models.Model):
    """One content URL under a case, tracked on its own (as notice archives such as Lumen do)."""

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        NOTICE_SENT = "notice_sent", "Notice sent"
        REMOVED = "removed", "Removed"
        STILL_UP = "still_up", "Still up"
        RESTORED = "restored", "Restored"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="urls")
    report = models.ForeignKey(
        MisuseReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_urls"
    )
    url = models.URLField(max_length=2000)
    normalized_url = models.CharField(max_length=2000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REPORTED)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "normalized_url"], name="one_url_per_case"),
        ]
        # varchar_pattern_ops (PostgreSQL): serves equality and the case search's prefix match (LIKE 'x%').
        indexes = [
            models.Index(
                fields=["normalized_url"], opclasses=["varchar_pattern_ops"], name="reported_url_norm_prefix"
            )
        ]

    def __str__(self) -> str:
        return self.normalized_url


class FaceScan(models.TextChoices):
    """What looking for faces in an evidence image found ("" while it has not been looked at)."""

    FACES = "faces", "Faces found"
    NO_FACE = "no_face", "No face found"
    TOO_LARGE = "too_large", "Too large to scan"
    UNREADABLE = "unreadable", "Not a readable image"


class Evidence(models.Model):
    """A file added to a case. The original is kept byte for byte (chain of custody); images get a display
    copy and thumbnail re-encoded from pixels only, so no EXIF/GPS survives in what staff look at."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        PDF = "pdf", "PDF document"

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    report = models.ForeignKey(
        MisuseReport, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    original = models.FileField(storage=private_storage, upload_to="evidence/originals/", max_length=300)
    display = models.FileField(
        storage=private_storage, upload_to="evidence/display/", blank=True, max_length=300
    )
    thumbnail = models.FileField(
        storage=private_storage, upload_to="evidence/thumbs/", blank=True, max_length=300
    )
    original_name = models.CharField(max_length=200, blank=True)
    mime = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    phash = models.CharField(max_length=32, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by_label = models.CharField(
        max_length=200, blank=True, help_text="Who added it when there is no account (the public reporter)."
    )
    uploaded_at = models.DateTimeField()
    matched_at = models.DateTimeField(null=True, blank=True)
    # Faces looked for (registry.cases.face_matching): what was found ("" not yet), how many, when.
    face_scan = models.CharField(max_length=10, choices=FaceScan.choices, blank=True)
    face_count = models.PositiveSmallIntegerField(null=True, blank=True)
    faces_checked_at = models.DateTimeField(null=True, blank=True)

    # Everything that identifies the original; only `case` (routing, merge), `matched_at` and the
    # face scan fields may change.
    CUSTODY_FIELDS = ("original", "sha256", "size", "mime", "uploaded_by_id", "uploaded_at", "original_name")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            old = Evidence.objects.filter(pk=self.pk).values(*self.CUSTODY_FIELDS).first()
            if old and any(str(old[f]) != str(getattr(self, f)) for f in self.CUSTODY_FIELDS):
                raise AppendOnlyError("Evidence originals and their custody record are never modified.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Evidence is never deleted (chain of custody).")


class EvidenceMatch(models.Model):
    """A likely match by perceptual hash: an evidence image against a reference photo or other evidence."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="matches")
    reference_media = models.ForeignKey(
        "talent.ReferenceMedia",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_matches",
    )
    other_evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="matched_by"
    )
    distance = models.PositiveSmallIntegerField(help_text="Hamming distance of the 64-bit perceptual hashes.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["distance", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference_media__isnull=True, other_evidence__isnull=False)
                | Q(reference_media__isnull=False, other_evidence__isnull=True),
                name="match_has_one_target",
            ),
            models.UniqueConstraint(fields=["evidence", "reference_media"], name="one_match_per_reference"),
            models.UniqueConstraint(fields=["evidence", "other_evidence"], name="one_match_per_evidence"),
        ]

    def __str__(self) -> str:
        target = (
            f"reference {self.reference_media_id}"
            if self.reference_media_id
            else f"evidence {self.other_evidence_id}"
        )
        return f"evidence {self.evidence_id} ~ {target} (distance {self.distance})"
