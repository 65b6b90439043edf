"""Thin Celery tasks of consent: the hourly rebuild of the published documents (coalesced through the
outbox, so a rebuild already waiting after a signature is not doubled)."""

from celery import shared_task

from registry.consent import published


@shared_task(acks_late=True)
def rebuild_published_documents() -> None:
    published.terms_changed()
