"""With Redis really stopped, filing a report, signing terms and approving a license all succeed; their
notifications and enrichment wait in the outbox; a real worker sends them exactly once when Redis is back."""

import os
import signal
import socket
import subprocess
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import OperationalError
from rest_framework.test import APIClient

from registry.celery import app as celery_app
from registry.core import outbox
from registry.core.models import OutboxMessage
from tests.conftest import broker_at
from tests.consent.test_pages import ADVERTISING_FORM, draft_post, sign_via_pages
from tests.licensing.conftest import acme_key, acme_owner, request_body, talent  # noqa: F401

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


class OwnRedis:
    """A Redis server this test starts on a free port, stops and starts again (never the machine's own)."""

    def __init__(self, tmp_path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.dir = tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.args = ["-h", "127.0.0.1", "-p", str(self.port)]

    def up(self) -> bool:
        answer = subprocess.run(["redis-cli", *self.args, "ping"], capture_output=True, text=True)
        return answer.stdout.strip() == "PONG"

    def start(self) -> None:
        assert not self.up(), f"port {self.port} is already served by another Redis: not ours to use"
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
                "--pidfile",
                str(self.dir / "redis.pid"),
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            check=True,
            capture_output=True,
        )
        for _ in range(100):
            if self.up():
                return
            time.sleep(0.1)
        raise AssertionError("our Redis did not start")

    def stop(self) -> None:
        """Kill the process this test started (its pidfile), never whatever else answers on a port."""
        pid = int((self.dir / "redis.pid").read_text().strip())
        os.kill(pid, signal.SIGTERM)  # --save "": nothing is written on the way out
        for _ in range(50):
            if not self.up():
                return
            time.sleep(0.1)
        raise AssertionError("our Redis did not stop")


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.up():
        server.stop()


def wait_until_done(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if not OutboxMessage.objects.exclude(status=OutboxMessage.Status.DONE).exists():
                return
        except OperationalError:  # SQLite's shared in-memory test database: the worker holds the table
            pass
        time.sleep(0.2)
    left = list(OutboxMessage.objects.exclude(status="done").values_list("handler", "status", "last_error"))
    raise AssertionError(f"outbox not drained: {left}")


def test_requests_succeed_while_redis_is_down_and_work_runs_once_when_it_returns(
    client, settings, talent, talent_user, acme_key, own_redis
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REDIS_URL = own_redis.url
    with broker_at(own_redis.url):
        own_redis.stop()

        # 1. A member of the public files a report.
        started = time.monotonic()
        report = APIClient().post(
            "/api/v1/reports/",
            {
                "urls": ["https://www.tiktok.com/@fake/video/123?utm_source=x"],
                "platform": "tiktok",
                "talent": talent.registry_id,
                "description": "An AI-generated advert uses her face to sell crypto without consent.",
                "relationship": "fan",
                "reporter_email": "fan@example.org",
            },
            format="json",
        )
        assert report.status_code == 201, report.content
        assert time.monotonic() - started < 10  # publishing fails fast; the request does not hang

        # 2. The talent signs terms on the web (typing her legal name, as the review page asks).
        talent.legal_name = "Ana María Reyes"
        talent.save(update_fields=["legal_name"])
        client.force_login(talent_user)
        _, signed = sign_via_pages(client, talent, draft_post({"advertising": ADVERTISING_FORM}))
        assert signed.status_code == 302

        # 3. A brand requests a license and the talent approves it.
        brand = APIClient()
        brand.credentials(HTTP_AUTHORIZATION=f"Bearer {acme_key}")
        created = brand.post("/api/v1/license-requests/", request_body(talent), format="json")
        assert created.status_code == 201, created.content
        answer = APIClient()
        answer.force_login(talent_user)
        approved = answer.post(f"/api/v1/license-requests/{created.json()['id']}/approve/", {}, format="json")
        assert approved.status_code == 200, approved.content

        pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        handlers = set(pending.values_list("handler", flat=True))
        assert any("enrich" in h for h in handlers), handlers  # report enrichment
        assert "registry.consent.receipts.send_receipt" in handlers  # consent receipt
        assert "registry.core.mail.deliver" in handlers  # license notifications
        assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.DONE).exists()
        assert mail.outbox == []
        waiting = pending.count()

        # Redis returns; a real worker picks up what the beat task drains.
        own_redis.start()
        assert outbox.drain(older_than_seconds=0) == waiting  # what the beat task does every minute
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
            wait_until_done()
            sent = len(mail.outbox)
            assert sent >= 2  # the consent receipt and the license notification at least
            # Draining again (or a duplicate delivery) sends nothing twice.
            assert outbox.drain(older_than_seconds=0) == 0
            for message in OutboxMessage.objects.all():
                assert outbox.process(message.pk) is False
            time.sleep(1)
            assert len(mail.outbox) == sent

    case_urls = report.json()
    assert case_urls["tracking_code"]
    from registry.cases.models import ReportedURL

    assert ReportedURL.objects.filter(normalized_url__contains="tiktok.com/@fake/video/123").exists()
