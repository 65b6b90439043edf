"""Dead letters on the staff desk: outbox messages that ran out of retries (FAILED), their errors, a retry,
and one email an hour to the supervisors while any is failed (sent directly: the outbox is what fails)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from accounts.roles import Role
from registry.core import alerts, outbox
from registry.core.models import OutboxMessage

ALERT_KEY = "outbox.failed"
ALERT_EVERY = timedelta(hours=1)
PAGE_SIZE = 200


def failed_messages(limit: int = PAGE_SIZE) -> list[OutboxMessage]:
    """The newest failed messages first (never their payload: it may hold personal data)."""
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
        .only("pk", "handler", "attempts", "last_error", "created_at", "sent_at")
        .order_by("-created_at")[:limit]
    )


def recipients() -> list[str]:
    """Active supervisors (and superusers), then the OPS_EMAILS addresses; each once."""
    users = get_user_model().objects.filter(
        Q(groups__name=str(Role.SUPERVISOR)) | Q(is_superuser=True), is_active=True
    )
    emails = [e for e in users.order_by("pk").values_list("email", flat=True).distinct() if e]
    emails += [email for _, email in settings.ADMINS]
    return list(dict.fromkeys(emails))


def alert_supervisors() -> bool:
    """Email the supervisors if any message is failed and nobody was told within the hour. True if sent."""
    failed = outbox.failed_count()
    if not failed:
        return False
    to = recipients()
    if not to or not alerts.claim(ALERT_KEY, ALERT_EVERY):
        return False
    newest = failed_messages(limit=5)
    lines = [f"- {m.handler} (message {m.pk}, {m.attempts} attempts): {m.last_error[:200]}" for m in newest]
    page = f"{settings.SITE_URL}{reverse('site:failed-work')}"
    send_mail(
        f"Background work failed: {failed} message(s) waiting for a retry",
        f"{failed} background task(s) ran out of retries and will not run again by themselves.\n\n"
        + "\n".join(lines)
        + f"\n\nRead the errors and retry once the cause is fixed: {page}"
        "\n\nYou get this email at most once an hour while any task is failed.",
        settings.DEFAULT_FROM_EMAIL,
        to,
        fail_silently=True,
    )
    return True


def on_work_failed(sender, message, **kwargs) -> None:
    """outbox.work_failed receiver: tell the supervisors now, unless they were told within the hour."""
    alert_supervisors()


def retry(message_ids) -> int:
    return outbox.requeue(message_ids)
