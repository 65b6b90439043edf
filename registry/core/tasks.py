"""Thin Celery tasks of the platform: run an outbox message, drain the outbox."""

from celery import shared_task

from registry.core import outbox


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def run_outbox_message(message_id: str) -> bool:
    return outbox.process(message_id)


@shared_task(acks_late=True)
def drain_outbox() -> int:
    return outbox.drain()
