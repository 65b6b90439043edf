"""The site app's one table: the benchmark sizes `seed_bench` has written (a re-run does nothing)."""

from django.db import models


class BenchSeed(models.Model):
    size = models.PositiveIntegerField(unique=True, help_text="--talent N of the run")
    counts = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["size"]

    def __str__(self) -> str:
        return f"Benchmark data for {self.size:,} talent"
