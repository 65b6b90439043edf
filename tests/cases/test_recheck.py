"""URL recheck: a task through the outbox fetches once (short timeout, no redirects), refuses private hosts
and records the HTTP answer as the URL's status with the date last checked."""

import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest

from registry.cases import recheck
from registry.cases.models import Case, ReportedURL, TimelineEvent
from registry.core.models import OutboxMessage
from tests.cases.helpers import file_report

pytestmark = pytest.mark.django_db
Status = ReportedURL.Status


class Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        Handler.hits.append(self.path)
        code = {"/gone": 404, "/gone2": 410, "/up": 200, "/moved": 302}.get(self.path, 500)
        self.send_response(code)
        if code == 302:
            self.send_header("Location", "/up")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Handler.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def urls(server, talent, django_capture_on_commit_callbacks):
    paths = ["/gone", "/gone2", "/up", "/moved"]
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=[server + p for p in paths],
        talent=talent.registry_id,
        seen_on=date(2026, 11, 1),
    )
    case = Case.objects.get(pk=report.case_id)
    return {p: case.urls.get(url=server + p) for p in paths}


def test_loopback_refused_by_default(urls, settings):
    settings.CASES_RECHECK_ALLOW_LOOPBACK = False
    assert recheck.recheck_url(url_id=urls["/gone"].pk) == Status.REPORTED
    assert Handler.hits == []  # never connected
    event = TimelineEvent.objects.filter(kind="url").latest("pk")
    assert "non-public address" in event.message


@pytest.mark.parametrize(
    "address", ["10.0.0.5", "192.168.1.1", "169.254.169.254", "127.0.0.1", "::1", "fc00::1"]
)
def test_private_resolution_refused(address, settings):
    settings.CASES_RECHECK_ALLOW_LOOPBACK = False
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    fake = [(family, socket.SOCK_STREAM, 6, "", (address, 80))]
    with mock.patch("registry.cases.recheck.socket.getaddrinfo", return_value=fake) as resolver:
        result = recheck.fetch_status("http://innocent-looking.example/p")
    resolver.assert_called_once()
    assert result.http_status is None and "non-public" in result.error


def test_public_host_with_one_private_address_refused(settings):
    fake = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80)),
    ]
    with mock.patch("registry.cases.recheck.socket.getaddrinfo", return_value=fake):
        assert recheck.fetch_status("http://rebind.example/").http_status is None


def test_staff_recheck_records_status_and_date(
    client, staff_user, urls, settings, django_capture_on_commit_callbacks
):
    settings.CASES_RECHECK_ALLOW_LOOPBACK = True
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        for url in urls.values():
            response = client.post(f"/staff/cases/urls/{url.pk}/recheck/")
            assert response.status_code == 302
    assert OutboxMessage.objects.filter(handler="registry.cases.recheck.recheck_url").count() == 4
    for url in urls.values():
        url.refresh_from_db()
        assert url.last_checked_at is not None
    assert urls["/gone"].status == Status.REMOVED and urls["/gone2"].status == Status.REMOVED
    assert urls["/up"].status == Status.STILL_UP
    assert urls["/moved"].status == Status.REPORTED  # a redirect is recorded, not followed
    assert sorted(Handler.hits) == sorted(["/gone", "/gone2", "/up", "/moved"])
    assert TimelineEvent.objects.filter(kind="url", data__http_status=302).exists()
    # Content that comes back after removal is "restored".
    Handler.hits.clear()
    ReportedURL.objects.filter(pk=urls["/up"].pk).update(status=Status.REMOVED)
    assert recheck.recheck_url(url_id=urls["/up"].pk) == Status.RESTORED


def test_recheck_needs_staff(client, urls):
    response = client.post(f"/staff/cases/urls/{urls['/up'].pk}/recheck/")
    assert (
        response.status_code in (302, 403)
        and not OutboxMessage.objects.filter(handler="registry.cases.recheck.recheck_url").exists()
    )
