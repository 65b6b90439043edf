"""Case emails held back so nobody gets more than one per case per hour: the digest sends them later."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PendingNotification(models.Model):
    """One email about a case to one person: sent (sent_at set) or waiting for the next digest."""

    class Audience(models.TextChoices):
        WATCHER = "watcher", "Watcher"
        STAFF = "staff", "Assignee or supervisor"
        REPORTER = "reporter", "Reporter"
        TALENT = "talent", "Talent or representative"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="pending_notifications")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    dropped = models.BooleanField(default=False)  # the recipient could no longer see the case at send time

    class Meta:
        indexes = [
            models.Index(fields=["case", "email", "sent_at"], name="cases_pend_case_email_sent"),
            models.Index(fields=["sent_at", "dropped"], name="cases_pend_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.email}"
