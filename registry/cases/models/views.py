"""Saved views of the staff queue: a staff member's named filter sets, listed as links above the queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedView(models.Model):
    """One person's named queue filters (the query string of /staff/cases/); only its owner sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=60)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_view_unique_name")]

    def __str__(self) -> str:
        return self.name
