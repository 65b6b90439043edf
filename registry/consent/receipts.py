"""Consent receipts: a PDF of a signed version (who signed, for whom, when, from where, the text shown and its
SHA-256), emailed to the signer after signing and downloadable from the history page."""

from __future__ import annotations

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from registry.consent.models import TermVersion
from registry.consent.summaries import summarize
from registry.core import pdf
from registry.core.mail import send_email


def receipt_filename(version: TermVersion) -> str:
    return f"consent-receipt-{version.talent.registry_id}-v{version.number}.pdf"


def receipt_title(version: TermVersion) -> str:
    return f"Consent receipt {version.talent.registry_id} v{version.number}"


def receipt_pdf(version: TermVersion) -> bytes:
    """Render the receipt from the frozen record only, so the same version always gives the same facts."""
    if not version.is_signed:
        raise ValueError("Only a signed version has a consent receipt.")
    html = render_to_string(
        "consent/receipt_pdf.html",
        {
            "version": version,
            "talent": version.talent,
            "rows": summarize(version, include_private=True),
            "history_url": settings.SITE_URL + reverse("consent:history", args=[version.talent.registry_id]),
        },
    )
    return pdf.render_pdf(
        html,
        title=receipt_title(version),
        author=pdf.DEFAULT_AUTHOR,
        lang="en",
    )


def _recipients(version: TermVersion) -> list[str]:
    """The signer, and the talent's own account when someone else signed for them."""
    emails = []
    if version.signed_by_id and version.signed_by.email:
        emails.append(version.signed_by.email)
    talent_user = version.talent.user
    if talent_user is not None and talent_user.email and talent_user.email not in emails:
        emails.append(talent_user.email)
    return emails


def send_receipt(*, version_id: int) -> None:
    """Outbox handler: email the consent receipt (PDF attached) through the outbox's mail delivery."""
    version = (
        TermVersion.objects.select_related("talent", "talent__user", "signed_by")
        .prefetch_related("terms")
        .get(pk=version_id)
    )
    to = _recipients(version)
    if not to:
        return
    kind = "revocation" if version.is_revocation else "terms"
    body = render_to_string(
        "consent/receipt_email.txt",
        {
            "version": version,
            "talent": version.talent,
            "kind": kind,
            "history_url": settings.SITE_URL + reverse("consent:history", args=[version.talent.registry_id]),
        },
    )
    attachment = (
        receipt_filename(version),
        base64.b64encode(receipt_pdf(version)).decode(),
        "application/pdf",
    )
    for address in to:  # one message per recipient: the talent and her representatives see no other address
        send_email(
            subject=f"Your consent receipt: {version.talent.stage_name}, terms version {version.number}",
            body=body,
            to=[address],
            attachments=[attachment],
        )
