"""Thin Celery tasks of the brands app: the nightly roll-up of the permission-check log (idempotent)."""

from celery import shared_task

from registry.brands import retention


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def roll_up_check_log() -> dict:
    return retention.roll_up()
