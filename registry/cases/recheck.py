"""Recheck a reported URL: fetch it once (short timeout, no redirects, public hosts only), record the answer.

Staff ask from the case page; the fetch runs in a Celery worker through the outbox. The host is resolved here
and the connection goes to the address that was checked (no second lookup an attacker could rebind), so the
desk cannot be used to reach private, loopback or link-local services. 404/410 → removed; 200 → still up (or
restored when it had been removed); anything else only updates the date last checked.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from registry.cases.errors import CaseError
from registry.cases.models import ReportedURL, TimelineEvent
from registry.cases.rules import ensure_staff
from registry.cases.workflow import lock
from registry.core.outbox import dispatch

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5
USER_AGENT = "LikenessRegistry-URLCheck/1.0"
Status = ReportedURL.Status


class UnsafeAddress(Exception):
    """The URL points at an address the desk must not reach."""


@dataclass
class CheckResult:
    http_status: int | None
    error: str = ""


def _allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.is_loopback and getattr(settings, "CASES_RECHECK_ALLOW_LOOPBACK", False):
        return True  # tests against a local http.server only
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def resolve_public(host: str, port: int) -> str:
    """One address of `host` if every address it resolves to is public; else UnsafeAddress."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeAddress(f"cannot resolve {host}: {exc}")
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not _allowed(ip):
            raise UnsafeAddress(f"{host} resolves to a non-public address ({ip})")
    return addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address already checked, with certificate and SNI for the original host name."""

    def __init__(self, address: str, host: str, port: int, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch_status(url: str) -> CheckResult:
    """HEAD-less GET of the URL (some platforms answer HEAD differently); redirects are not followed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return CheckResult(None, "not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        address = resolve_public(parts.hostname, port)
    except UnsafeAddress as exc:
        return CheckResult(None, str(exc))
    if parts.scheme == "https":
        conn = _PinnedHTTPSConnection(address, parts.hostname, port, timeout=TIMEOUT_SECONDS)
    else:
        conn = http.client.HTTPConnection(address, port, timeout=TIMEOUT_SECONDS)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("GET", path, headers={"Host": parts.netloc, "User-Agent": USER_AGENT})
        return CheckResult(conn.getresponse().status)
    except (OSError, http.client.HTTPException) as exc:
        return CheckResult(None, f"{type(exc).__name__}: {exc}"[:200])
    finally:
        conn.close()


def status_after(previous: str, http_status: int | None) -> str:
    if http_status in (404, 410):
        return Status.REMOVED
    if http_status == 200:
        return Status.RESTORED if previous in (Status.REMOVED, Status.RESTORED) else Status.STILL_UP
    return previous


def request_recheck(url_id: int, *, actor) -> None:
    """Queue a recheck of one URL of a case the actor may see."""
    ensure_staff(actor)
    with transaction.atomic():
        url = ReportedURL.objects.filter(pk=url_id).first()
        if url is None:
            raise CaseError("not_found", "No such URL.", None, status=404)
        lock(url.case_id, actor=actor, version=None)
        dispatch("registry.cases.recheck.recheck_url", url_id=url_id, actor_id=actor.pk)


def recheck_url(*, url_id: int, actor_id: int | None = None, now: datetime | None = None) -> str:
    """Outbox handler: fetch the URL and record its status, the date checked and the HTTP answer."""
    url = ReportedURL.objects.filter(pk=url_id).first()
    if url is None:
        return ""
    result = fetch_status(url.url)
    now = now or timezone.now()
    with transaction.atomic():
        url = ReportedURL.objects.select_for_update().get(pk=url_id)
        previous = url.status
        url.status = status_after(previous, result.http_status)
        url.last_checked_at = now
        url.save(update_fields=["status", "last_checked_at"])
        answer = f"HTTP {result.http_status}" if result.http_status else f"no answer ({result.error})"
        TimelineEvent.objects.create(
            case_id=url.case_id,
            actor_id=actor_id,
            kind=TimelineEvent.Kind.URL,
            message=f"Rechecked {url.normalized_url}: {answer}; "
            f"{Status(previous).label.lower()} → {Status(url.status).label.lower()}.",
            data={"url": url.pk, "from": previous, "to": url.status, "http_status": result.http_status},
            at=now,
        )
    if result.error:
        logger.info("URL recheck of %s: %s", url.pk, result.error)
    return url.status
