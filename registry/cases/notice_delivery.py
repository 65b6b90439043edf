"""Where a notice goes and where its replies come back: the per-notice reply address and the outbox email."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.mail import EmailMessage

from registry.cases.models import Evidence, Notice


def new_reply_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters, 192 random bits


def reply_address(token: str) -> str:
    return f"case+{token}@{settings.CASES_REPLY_DOMAIN}"


def deliver_notice(*, notice_id: int, evidence: list) -> None:
    """Outbox handler: email one notice, its PDF and the evidence display copies, replies to its address."""
    notice = Notice.objects.select_related("case").get(pk=notice_id)
    message = EmailMessage(
        subject=notice.subject,
        body=notice.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient_email],
        reply_to=[reply_address(notice.reply_token)] if notice.reply_token else None,
    )
    with notice.pdf.open("rb") as f:
        message.attach(f"{notice.case.reference}-{notice.kind}.pdf", f.read(), "application/pdf")
    items = Evidence.objects.in_bulk([pk for pk, _ in evidence])
    for pk, filename in evidence:
        item = items.get(pk)
        if item is not None and item.display:
            with item.display.open("rb") as f:
                message.attach(filename, f.read(), "image/jpeg")
    message.send()
