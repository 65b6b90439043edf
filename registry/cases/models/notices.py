"""Notices: templates, each notice as sent with the platform's answer, and the platform contact directory."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from registry.cases.models.cases import Case, Platform
from registry.cases.models.reports import ReportedURL
from registry.core.uploads import private_storage


class NoticeKind(models.TextChoices):
    TAKEDOWN = "takedown", "Platform takedown request"
    CEASE_AND_DESIST = "cease_and_desist", "Cease-and-desist letter"


class NoticeTemplate(models.Model):
    """Text of a notice in Django template language, filled from the case. Editable by supervisors."""

    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    name = models.CharField(max_length=150, unique=True)
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="Django template syntax; see the placeholders listed on the edit page.")
    is_active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ResponseOutcome(models.TextChoices):
    REMOVED = "removed", "Removed"
    REFUSED = "refused", "Refused"
    PARTIAL = "partial", "Partly removed"
    NO_ANSWER = "no_answer", "No answer"
    OTHER = "other", "Other reply"


class PlatformContact(models.Model):
    """Where a platform takes abuse or legal notices and how long it usually takes to answer."""

    platform = models.CharField(max_length=12, choices=Platform.choices, unique=True)
    name = models.CharField(max_length=200, help_text="Recipient name put on the notice.")
    email = models.EmailField(help_text="Abuse or legal address for likeness / impersonation notices.")
    response_window_days = models.PositiveSmallIntegerField(default=14)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["platform"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} <{self.email}>"


def notice_upload_path(instance, filename: str) -> str:
    return f"notices/{instance.case_id}/{instance.sha256[:20]}.pdf"


class Notice(models.Model):
    """A notice as sent: the rendered text, the PDF with its SHA-256, the recipient and response deadline."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    template = models.ForeignKey(
        NoticeTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_name = models.CharField(max_length=200)
    recipient_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    pdf = models.FileField(storage=private_storage, upload_to=notice_upload_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    urls = models.ManyToManyField(ReportedURL, blank=True, related_name="notices")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()
    response_due_at = models.DateTimeField()
    # Replies go to case+<reply_token>@<CASES_REPLY_DOMAIN>; random, so the address cannot be guessed.
    reply_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    response_received_at = models.DateTimeField(null=True, blank=True)
    response_text = models.TextField(blank=True, help_text="The reply as received, or staff's summary of it.")
    response_outcome = models.CharField(max_length=12, choices=ResponseOutcome.choices, blank=True)
    response_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_email} ({self.sent_at:%Y-%m-%d})"
