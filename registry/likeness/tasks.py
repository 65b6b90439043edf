"""Thin Celery tasks of likeness. Descriptors are normally computed through the outbox
(registry.likeness.descriptors.compute_later); this task recomputes one talent's on demand (idempotent)."""

from celery import shared_task

from registry.likeness import descriptors


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def compute_descriptors(talent_id: int, modality: str = "face") -> int:
    return descriptors.compute_for_talent(talent_id=talent_id, modality=modality)
