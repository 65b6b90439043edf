"""Email delivery, run in a worker through the outbox (registry.core.outbox.dispatch)."""

import base64

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from registry.core.outbox import dispatch


def deliver(
    *, subject: str, body: str, to: list[str], html: str | None = None, attachments: list | None = None
) -> None:
    """Send one email. `attachments` are (filename, base64 content, mimetype) triples."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content_b64, mimetype in attachments or []:
        message.attach(filename, base64.b64decode(content_b64), mimetype)
    message.send()


def send_email(
    *, subject: str, body: str, to: list[str], html: str | None = None, attachments: list | None = None
) -> None:
    """Queue an email through the outbox (sent after commit; kept if the broker is down)."""
    dispatch(
        "registry.core.mail.deliver", subject=subject, body=body, to=to, html=html, attachments=attachments
    )
