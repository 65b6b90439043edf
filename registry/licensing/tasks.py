"""Thin Celery tasks of licensing: the daily expiry reminders (idempotent: each reminder is sent once)."""

from celery import shared_task

from registry.licensing import reminders


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_expiry_reminders() -> int:
    return reminders.send_expiry_reminders()
