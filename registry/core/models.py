"""Platform records shared by every app: the task outbox and the audit log."""

import uuid

from django.conf import settings
from django.db import models


class OutboxMessage(models.Model):
    """Work recorded in the database and dispatched to Celery after commit.

    If the broker is down the row stays pending and the beat task `drain_outbox` sends it later; the worker
    marks it processed inside a row lock, so a message that is published twice still runs once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent to broker"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    handler = models.CharField(max_length=200)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created")]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.handler} [{self.status}]"


class AuditEvent(models.Model):
    """Append-only record of sensitive access (staff views of private data, media, evidence)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    detail = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)


class OperatorAlert(models.Model):
    """When an operator alert of one kind was last sent (e.g. "failed work": at most one email an hour)."""

    key = models.CharField(max_length=60, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} at {self.sent_at:%Y-%m-%d %H:%M}"
