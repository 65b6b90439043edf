"""Reliable background work: record in the database, publish after commit, retry when the broker returns."""

import logging
from importlib import import_module

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registry.core.models import OutboxMessage

log = logging.getLogger(__name__)


def dispatch(handler: str, **payload) -> OutboxMessage:
    """Queue `handler(**payload)` (a dotted path to a service function) to run in a Celery worker.

    The row is written in the caller's transaction; publishing happens after commit and never raises.
    """
    message = OutboxMessage.objects.create(handler=handler, payload=payload)
    transaction.on_commit(lambda: publish(message.pk))
    return message


def publish(message_id) -> bool:
    """Send one pending message to the broker. False (and the row stays pending) if the broker is down."""
    from registry.core.tasks import run_outbox_message

    try:
        run_outbox_message.apply_async(args=[str(message_id)], retry=False)
    except Exception as exc:  # broker down or unreachable: keep the row for drain_outbox
        log.warning("outbox publish failed for %s: %s", message_id, exc)
        OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:500]
        )
        return False
    OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    return True


def resolve_handler(path: str):
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def process(message_id) -> bool:
    """Run a message's handler exactly once (row lock + processed flag). Returns True if it ran now."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == OutboxMessage.Status.DONE:
            return False
        resolve_handler(message.handler)(**message.payload)
        message.status = OutboxMessage.Status.DONE
        message.processed_at = timezone.now()
        message.save(update_fields=["status", "processed_at"])
        return True


def drain(older_than_seconds: int = 30, limit: int = 500) -> int:
    """Publish pending messages whose first publish failed (called by beat). Returns how many went out."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if publish(pk))
