"""Thin Celery tasks of the cases app (beat: SLA breaches, digests of held case emails)."""

from celery import shared_task

from registry.cases import deadlines, notify


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5
)
def flag_overdue_cases() -> int:
    """Flag missed deadlines and notify once per breach (idempotent: SLABreach is unique per deadline)."""
    return deadlines.flag_overdue()


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5
)
def send_case_digests() -> int:
    """Send the held case emails whose hour is over, one digest per case and address (idempotent: rows are
    marked sent in the same transaction)."""
    return notify.send_digests()
