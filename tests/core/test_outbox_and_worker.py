"""Background work: the outbox survives a broker outage; a real Celery worker runs tasks through Redis."""

import time

import pytest
from django.core import mail

from registry.celery import app as celery_app
from registry.core import outbox
from registry.core.mail import send_email
from registry.core.models import OutboxMessage
from tests.conftest import DEAD_BROKER, REDIS_TEST_URL, broker_at


@pytest.mark.django_db
def test_eager_dispatch_sends_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(subject="Hi", body="Hello", to=["a@example.org"])
        assert len(mail.outbox) == 0  # nothing leaves before commit
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.DONE


@pytest.mark.django_db
def test_broker_down_keeps_message_pending_then_drain_sends_exactly_once(django_capture_on_commit_callbacks):
    with broker_at(DEAD_BROKER), django_capture_on_commit_callbacks(execute=True):
        send_email(subject="Receipt", body="Body", to=["b@example.org"])
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1 and message.last_error
    assert len(mail.outbox) == 0

    # The broker is back: drain publishes it (eager here), and a second drain or a duplicate run does nothing.
    assert outbox.drain(older_than_seconds=0) == 1
    assert len(mail.outbox) == 1
    assert outbox.drain(older_than_seconds=0) == 0
    assert outbox.process(message.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_outbox_task_through_redis(settings):
    from celery.contrib.testing.worker import start_worker
    from django.db import OperationalError

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with broker_at(REDIS_TEST_URL):
        message = OutboxMessage.objects.create(
            handler="registry.core.mail.deliver",
            payload={"subject": "S", "body": "B", "to": ["c@example.org"]},
        )
        # Published before the worker starts: SQLite's shared in-memory test database locks whole tables,
        # so the test thread must not write while the worker runs (PostgreSQL has no such limit).
        assert outbox.publish(message.pk) is True
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    message.refresh_from_db()
                except OperationalError:  # the worker holds the table for a moment
                    time.sleep(0.1)
                    continue
                if message.status == OutboxMessage.Status.DONE:
                    break
                time.sleep(0.1)
    assert message.status == OutboxMessage.Status.DONE
    assert [m.to for m in mail.outbox] == [["c@example.org"]]


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_ok_against_real_redis(client, settings):
    settings.REDIS_URL = REDIS_TEST_URL
    with broker_at(REDIS_TEST_URL):
        response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"] == "ok"
