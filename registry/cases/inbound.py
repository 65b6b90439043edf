"""Replies to notices by email: read a Maildir or one RFC 822 file, match the To token to its notice.

Notices go out with Reply-To `case+<token>@<CASES_REPLY_DOMAIN>` (registry.cases.notice_delivery). The mail
server delivers that domain to a Maildir; `manage.py receive_case_mail PATH` (cron, or after each delivery)
records each reply on the notice and the case timeline. A message without a known token opens nothing and is
logged. Run with `--delete` to remove processed messages from the Maildir.
"""

from __future__ import annotations

import email
import email.policy
import logging
import mailbox
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from registry.cases.models import Notice
from registry.cases.responses import record_emailed_response

logger = logging.getLogger(__name__)
TOKEN_RE = re.compile(r"^case\+([A-Za-z0-9_-]{32,64})$")
MAX_TEXT = 20_000


@dataclass
class Received:
    recorded: list[int] = field(default_factory=list)  # notice ids
    refused: int = 0


def reply_tokens(message) -> list[str]:
    """Tokens found in the recipient headers that are addressed to our reply domain."""
    domain = settings.CASES_REPLY_DOMAIN.lower()
    headers = [str(message.get(h, "")) for h in ("To", "Cc", "Delivered-To", "X-Original-To")]
    tokens = []
    for _, address in getaddresses(headers):
        local, _, host = address.strip().rpartition("@")
        match = TOKEN_RE.match(local)
        if match and host.lower() == domain:
            tokens.append(match.group(1))
    return tokens


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html")) if message.is_multipart() else message
    if part is None:
        return ""
    try:
        return str(part.get_content())[:MAX_TEXT]
    except (LookupError, KeyError):
        return ""


def _received_at(message):
    try:
        when = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError):
        return timezone.now()
    return when if timezone.is_aware(when) else timezone.make_aware(when)


def receive_message(raw: bytes) -> Notice | None:
    """Record one reply on the notice its token names; None (and a warning in the log) otherwise."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    tokens = reply_tokens(message)
    notice = Notice.objects.select_related("case").filter(reply_token__in=tokens).first() if tokens else None
    if notice is None:
        logger.warning(
            "Inbound case mail refused: %s reply token (message-id %s)",
            "unknown" if tokens else "no",
            str(message.get("Message-ID", ""))[:200],
        )
        return None
    return record_emailed_response(
        notice,
        sender=str(message.get("From", ""))[:300],
        subject=str(message.get("Subject", ""))[:300],
        text=_text(message),
        received_at=_received_at(message),
    )


def receive_path(path: str | Path, *, delete: bool = False) -> Received:
    """Read a Maildir (every message in new/ and cur/) or a single RFC 822 file."""
    path = Path(path)
    result = Received()
    if path.is_dir():
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in list(box.keys()):
            notice = receive_message(box.get_bytes(key))
            _count(result, notice)
            if delete:
                box.remove(key)
    else:
        _count(result, receive_message(path.read_bytes()))
    return result


def _count(result: Received, notice: Notice | None) -> None:
    if notice is None:
        result.refused += 1
    else:
        result.recorded.append(notice.pk)
