"""Faces found in evidence images and the registered talent they resemble (staff desk only, never shared)."""

from __future__ import annotations

from django.db import models

from registry.cases.models.reports import Evidence, FaceScan

__all__ = ["FaceMatch", "FaceScan"]


class FaceMatch(models.Model):
    """A face in an evidence image within the matching threshold of a consenting talent's descriptor.

    Kept as case history: the distance, threshold and talent stay when the talent later withdraws biometric
    consent (her descriptors are deleted, so `descriptor_id` is a plain number, not a foreign key, and the
    reference face can no longer be shown).
    """

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="face_matches")
    face = models.PositiveSmallIntegerField(help_text="Which face of the image (0: the largest).")
    # The face's box {"left", "top", "right", "bottom"} in the evidence's display copy.
    box = models.JSONField(default=dict)
    talent = models.ForeignKey(
        "talent.TalentProfile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    descriptor_id = models.BigIntegerField(null=True, blank=True)
    reference_media_id = models.BigIntegerField(null=True, blank=True)
    distance = models.FloatField()
    threshold = models.FloatField(help_text="The matching threshold in force when it was found.")
    strong = models.BooleanField(default=False, help_text="Within the strong-match threshold.")
    model_name = models.CharField(max_length=80)
    model_version = models.CharField(max_length=40)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["distance", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "face", "talent"], name="one_face_match_per_talent"),
        ]
        indexes = [models.Index(fields=["talent", "strong"], name="face_match_talent")]

    def __str__(self) -> str:
        return (
            f"face {self.face} of evidence {self.evidence_id} ~ talent {self.talent_id} ({self.distance:.2f})"
        )
