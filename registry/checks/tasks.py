"""Thin Celery tasks of checks: record license expiries for the change feed (idempotent)."""

from celery import shared_task

from registry.checks import changes


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def record_license_expiries() -> int:
    recorded = changes.record_license_expiries()
    changes.sequence()
    return recorded
