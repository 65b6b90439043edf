"""Service levels: the deadline policy per priority and each missed deadline."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from registry.cases.models.cases import Case, Priority


class SLAPolicy(models.Model):
    """Deadlines per priority: time to triage a new case, and the response window after a notice."""

    priority = models.CharField(max_length=10, choices=Priority.choices, unique=True)
    triage_hours = models.PositiveIntegerField()
    response_days = models.PositiveIntegerField(default=14)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        ordering = ["triage_hours"]

    def __str__(self) -> str:
        return f"{self.get_priority_display()}: triage {self.triage_hours} h, response {self.response_days} d"


class SLABreach(models.Model):
    """A missed deadline. Unique per case, kind and due time, so each breach is notified exactly once."""

    class Kind(models.TextChoices):
        TRIAGE = "triage", "Triage"
        RESPONSE = "response", "Response to notice"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sla_breaches")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    notified = models.JSONField(default=list, blank=True, help_text="Who was told.")

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "due_at"], name="one_breach_per_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} breach on case {self.case_id} (due {self.due_at:%Y-%m-%d %H:%M})"
