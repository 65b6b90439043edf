"""The outbox gives up loudly: a handler that keeps failing ends FAILED, the supervisors and OPS_EMAILS are
emailed (at most once an hour: tests/core/test_failed_work.py), and the admin's "retry" action sends it again
(once)."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from registry.celery import app as celery_app
from registry.core import outbox
from registry.core.models import OutboxMessage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

RUNS: list[str] = []
BROKEN = {"on": True}


def flaky_handler(*, label: str) -> None:
    """Outbox handler for these tests: fails while BROKEN["on"], counts every run."""
    RUNS.append(label)
    if BROKEN["on"]:
        raise RuntimeError(f"{label}: the mail server said no")


@pytest.fixture(autouse=True)
def _reset():
    RUNS.clear()
    BROKEN["on"] = True
    yield
    BROKEN["on"] = False


@pytest.fixture
def failed_message(settings):
    """A message run as a worker runs it: each failure schedules a retry, until Celery's max_retries.

    (Eager `apply` without propagating runs the retries back to back, as a worker would over ~30 minutes.)
    """
    settings.ADMINS = [("Ops", "ops@union.example")]
    message = OutboxMessage.objects.create(
        handler="tests.core.test_outbox_failures.flaky_handler", payload={"label": "receipt"}
    )
    celery_app.conf.task_eager_propagates = False
    try:
        result = outbox.run_outbox_message.apply(args=[str(message.pk)])
    finally:
        celery_app.conf.task_eager_propagates = True
    assert result.failed()
    message.refresh_from_db()
    return message


def test_eager_failure_is_recorded_and_left_pending_for_the_drain(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.dispatch("tests.core.test_outbox_failures.flaky_handler", label="eager")
    message.refresh_from_db()
    assert (message.status, message.attempts, RUNS) == (OutboxMessage.Status.PENDING, 1, ["eager"])
    assert "the mail server said no" in message.last_error
    BROKEN["on"] = False
    assert outbox.drain(older_than_seconds=0) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE and RUNS == ["eager", "eager"]


def test_a_handler_that_keeps_failing_ends_failed_and_the_admins_are_told(failed_message, caplog):
    assert len(RUNS) == outbox.MAX_RETRIES + 1  # the first run and every retry (eager: back to back)
    assert failed_message.status == OutboxMessage.Status.FAILED
    assert failed_message.attempts == outbox.MAX_RETRIES + 1
    assert failed_message.last_error == "RuntimeError: receipt: the mail server said no"
    [alert] = mail.outbox  # sent directly, not through the outbox
    assert alert.to == ["ops@union.example"]
    assert (
        "failed" in alert.subject and "flaky_handler" in alert.body and str(failed_message.pk) in alert.body
    )
    assert "/staff/failed-work/" in alert.body
    assert not OutboxMessage.objects.exclude(pk=failed_message.pk).exists()
    logged = [r for r in caplog.get_records("setup") if r.name == "registry.core.outbox"]
    assert any(r.levelname == "ERROR" and str(failed_message.pk) in r.getMessage() for r in logged)
    # the beat's drain leaves it alone
    assert outbox.drain(older_than_seconds=0) == 0


def test_admin_retry_sends_a_failed_message_again_and_it_runs_once(
    failed_message, client, django_capture_on_commit_callbacks
):
    admin = make_user("root@union.example", Role.SUPERVISOR, mfa=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:core_outboxmessage_changelist")
    listing = client.get(changelist, {"status__exact": "failed"})
    assert listing.status_code == 200 and b"flaky_handler" in listing.content

    BROKEN["on"] = False  # the cause is fixed
    RUNS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "retry_messages", "_selected_action": [str(failed_message.pk)]}
        )
    assert response.status_code == 302
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxMessage.Status.DONE and failed_message.processed_at
    assert RUNS == ["receipt"]
    # a duplicate delivery or a second retry changes nothing
    assert outbox.process(failed_message.pk) is False
    assert outbox.requeue([failed_message.pk]) == 0
    assert RUNS == ["receipt"]


def test_requeue_puts_failed_messages_back_to_pending(failed_message):
    assert outbox.requeue([failed_message.pk]) == 1
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxMessage.Status.PENDING
