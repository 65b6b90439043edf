"""Reliable background work: record in the database, publish after commit, retry, and give up loudly."""

import logging
from importlib import import_module

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from registry.core.models import OutboxMessage

log = logging.getLogger(__name__)

# The tasks keep the names they had when they lived in registry.core.tasks: messages already queued under
# those names (and the beat schedule) must still find them. They live here because publishing needs the
# task and the drain task needs publishing: a separate tasks module could only import in a circle.
RUN_TASK = "registry.core.tasks.run_outbox_message"
DRAIN_TASK = "registry.core.tasks.drain_outbox"
MAX_RETRIES = 8

# Sent (with `message`) when a message runs out of retries and becomes FAILED. The staff desk
# (registry.site.failed_work) emails the supervisors: at most once an hour while any message is failed.
work_failed = Signal()


def dispatch(handler: str, **payload) -> OutboxMessage:
    """Queue `handler(**payload)` (a dotted path to a service function) to run in a Celery worker.

    The row is written in the caller's transaction; publishing happens after commit and never raises.
    """
    message = OutboxMessage.objects.create(handler=handler, payload=payload)
    transaction.on_commit(lambda: publish(message.pk))
    return message


def publish(message_id) -> bool:
    """Send one pending message to the broker. False (and the row stays pending) if the broker is down."""
    try:
        run_outbox_message.apply_async(args=[str(message_id)], retry=False)
    except Exception as exc:
        if run_outbox_message.app.conf.task_always_eager:
            # Eager (development, tests): the handler itself failed in this process and the task recorded it;
            # the row stays pending for drain_outbox.
            log.warning("outbox message %s failed in eager mode: %s", message_id, exc)
            return False
        # The broker is down or unreachable: keep the row for drain_outbox.
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


def record_failure(message_id, exc: Exception, *, final: bool) -> None:
    """Count a failed run; on the last allowed one mark the message FAILED and tell the operators."""
    error = f"{type(exc).__name__}: {exc}"[:500]
    fields = {"attempts": F("attempts") + 1, "last_error": error}
    if final:
        fields["status"] = OutboxMessage.Status.FAILED
    changed = (
        OutboxMessage.objects.filter(pk=message_id)
        .exclude(status__in=[OutboxMessage.Status.DONE, OutboxMessage.Status.FAILED])
        .update(**fields)
    )
    if not (final and changed):
        return
    message = OutboxMessage.objects.get(pk=message_id)
    log.error(
        "outbox message %s (%s) failed after %s attempts: %s",
        message.pk,
        message.handler,
        message.attempts,
        error,
    )
    work_failed.send(sender=OutboxMessage, message=message)


def failed_count() -> int:
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()


def requeue(message_ids) -> int:
    """Send failed messages again (desk and admin retry): back to pending, published after commit."""
    ids = list(
        OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxMessage.Status.FAILED).values_list(
            "pk", flat=True
        )
    )
    OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxMessage.Status.PENDING, sent_at=None)
    for pk in ids:
        transaction.on_commit(lambda pk=pk: publish(pk))
    return len(ids)


def drain(older_than_seconds: int = 30, limit: int = 500) -> int:
    """Publish pending messages whose first publish failed (called by beat). Returns how many went out."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if publish(pk))


@shared_task(
    name=RUN_TASK,
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=MAX_RETRIES,
)
def run_outbox_message(self, message_id: str) -> bool:
    try:
        return process(message_id)
    except Exception as exc:
        record_failure(message_id, exc, final=self.request.retries >= self.max_retries)
        raise  # autoretry_for schedules the next attempt (or gives up after the last)


@shared_task(name=DRAIN_TASK, acks_late=True)
def drain_outbox() -> int:
    return drain()
