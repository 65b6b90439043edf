"""The change feed's log: every fact that can alter a brand's permission answers, in the order recorded.

Rows are appended (never updated, except that the sequencer numbers each once) by registry.checks.changes.
"""

from django.db import models
from django.db.models import Q


class Change(models.Model):
    """One fact: a terms version signed or revoked (talent-wide), a license issued, expired or terminated
    (for its organization). `seq` is the feed's order; it is given after commit (see changes.sequence)."""

    class Kind(models.TextChoices):
        TERMS_SIGNED = "terms_signed", "Terms version signed"
        TERMS_REVOKED = "terms_revoked", "Terms version revoking uses signed"
        LICENSE_ISSUED = "license_issued", "License issued"
        LICENSE_EXPIRED = "license_expired", "License expired"
        LICENSE_TERMINATED = "license_terminated", "License terminated"

    seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    talent = models.ForeignKey("talent.TalentProfile", on_delete=models.CASCADE, related_name="+")
    # License changes only: the licensee (terms changes concern every organization in scope).
    organization = models.ForeignKey(
        "brands.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    terms_version = models.PositiveIntegerField(null=True, blank=True)
    license_id = models.CharField(max_length=20, blank=True)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "license_id"], condition=~Q(license_id=""), name="one_change_per_license_fact"
            ),
            models.UniqueConstraint(
                fields=["talent", "terms_version"],
                condition=Q(terms_version__isnull=False),
                name="one_change_per_terms_version",
            ),
        ]
        indexes = [
            # The feed: an organization's license changes, and terms changes of talent in its scope, by seq.
            models.Index(fields=["organization", "seq"], name="change_org_seq"),
            models.Index(fields=["talent", "seq"], name="change_talent_seq"),
            # The sequencer: rows not numbered yet.
            models.Index(fields=["id"], condition=Q(seq__isnull=True), name="change_unsequenced"),
        ]

    def __str__(self) -> str:
        return (
            f"#{self.seq or '-'} {self.kind} {self.talent_id} {self.license_id or self.terms_version or ''}"
        )


class ChangeSequence(models.Model):
    """One row: the last number given. Locked while numbering, so numbers follow commit order."""

    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"change sequence at {self.last}"
