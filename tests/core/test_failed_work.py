"""Dead letters: failed outbox messages show on the supervisors' desk with their error and can be retried;
/healthz says "degraded" (still 200) while any is failed; supervisors get one email an hour, not one per
message."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from registry.celery import app as celery_app
from registry.core import outbox
from registry.core.models import OperatorAlert, OutboxMessage
from registry.site import failed_work
from registry.site.tasks import alert_failed_work
from tests.core.test_outbox_failures import BROKEN, RUNS, _reset  # noqa: F401

pytestmark = pytest.mark.django_db

HANDLER = "tests.core.test_outbox_failures.flaky_handler"


def fail(label: str) -> OutboxMessage:
    """Run a message until it is FAILED, as a worker would (eager, retries back to back)."""
    message = OutboxMessage.objects.create(handler=HANDLER, payload={"label": label})
    celery_app.conf.task_eager_propagates = False
    try:
        outbox.run_outbox_message.apply(args=[str(message.pk)])
    finally:
        celery_app.conf.task_eager_propagates = True
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    return message


def test_healthz_is_degraded_but_200_while_work_is_failed(client):
    body = client.get("/healthz").json()
    assert (body["status"], body["outbox"], body["failed"]) == ("ok", "ok", 0)
    fail("receipt")
    response = client.get("/healthz")
    assert response.status_code == 200  # the web host itself is healthy: keep it in rotation
    body = response.json()
    assert (body["status"], body["outbox"], body["failed"]) == ("degraded", "degraded", 1)
    assert set(body["checks"]) == {"database", "cache", "broker"}


def test_supervisors_see_failed_work_with_its_error_and_staff_do_not(client, staff_user, supervisor_user):
    message = fail("receipt")
    url = reverse("site:failed-work")
    client.force_login(staff_user)
    assert client.get(url).status_code == 403
    assert b"Failed background work" not in client.get(reverse("site:staff-home")).content
    client.force_login(supervisor_user)
    home = client.get(reverse("site:staff-home")).content.decode()
    assert "1 task(s) failed" in home and url in home
    page = client.get(url).content.decode()
    assert HANDLER in page and str(message.pk) in page
    assert "RuntimeError: receipt: the mail server said no" in page
    assert "'label'" not in page and '"label"' not in page  # never the payload (personal data)


def test_retry_from_the_desk_runs_the_message_once(
    client, supervisor_user, django_capture_on_commit_callbacks
):
    message, other = fail("receipt"), fail("notice")
    client.force_login(supervisor_user)
    BROKEN["on"] = False  # the cause is fixed
    RUNS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("site:failed-work-retry"), {"message": [str(message.pk), "not-a-uuid"]}
        )
    assert response.status_code == 302 and response.url == reverse("site:failed-work")
    message.refresh_from_db()
    other.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE and RUNS == ["receipt"]
    assert other.status == OutboxMessage.Status.FAILED  # not selected
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("site:failed-work-retry"), {"all": "1"})
    other.refresh_from_db()
    assert other.status == OutboxMessage.Status.DONE and RUNS == ["receipt", "notice"]
    assert "No failed work" in client.get(reverse("site:failed-work")).content.decode()


def test_one_email_an_hour_to_supervisors_while_work_is_failed(supervisor_user, settings):
    settings.ADMINS = [("Ops", "ops@union.example")]
    assert alert_failed_work.apply().get() is False  # nothing failed: nobody is emailed
    fail("receipt")
    fail("notice")
    fail("enrichment")
    [alert] = mail.outbox  # three failures, one email
    assert alert.to == [supervisor_user.email, "ops@union.example"]
    assert "1 message(s)" in alert.subject  # it went out at the first failure
    assert alert_failed_work.apply().get() is False  # the beat, within the hour: nothing more
    assert len(mail.outbox) == 1
    OperatorAlert.objects.filter(key=failed_work.ALERT_KEY).update(
        sent_at=timezone.now() - timedelta(hours=1, minutes=1)
    )
    assert alert_failed_work.apply().get() is True  # an hour later, still failed: one reminder
    assert len(mail.outbox) == 2 and "3 message(s)" in mail.outbox[1].subject
    assert alert_failed_work.apply().get() is False
    OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).update(status=OutboxMessage.Status.DONE)
    OperatorAlert.objects.update(sent_at=timezone.now() - timedelta(hours=2))
    assert alert_failed_work.apply().get() is False  # all retried: quiet again
    assert len(mail.outbox) == 2
