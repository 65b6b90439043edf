"""Documents that last: every PDF the registry issues (consent receipts, license certificates, notices) is
rendered here as PDF/A-3b, tagged, with Title, Author, CreationDate and language set.

The metadata is set on the rendered document, so a template cannot forget it; `<title>` and `<html lang>` in
the template should say the same for browsers previewing the HTML.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PDF_VARIANT = "pdf/a-3b"
DEFAULT_AUTHOR = "Likeness Registry"
SHA256_HEX = re.compile(r"\b[0-9a-f]{64}\b")


def render_pdf(
    html: str,
    *,
    title: str,
    author: str = DEFAULT_AUTHOR,
    lang: str = "en",
    created: datetime | None = None,
    base_url: str | None = None,
) -> bytes:
    """The PDF/A-3b bytes of `html`: tagged (structure for screen readers and text extraction), fonts
    embedded, sRGB output intent, XMP metadata with Title, Author, CreationDate and language."""
    from weasyprint import HTML  # heavy (Pango, fonts): loaded only when a PDF is actually made

    created = (created or timezone.now()).astimezone(UTC).replace(microsecond=0)
    document = HTML(string=html, base_url=base_url or settings.SITE_URL).render()
    metadata = document.metadata
    metadata.title = title
    metadata.authors = [author]
    metadata.lang = lang
    metadata.created = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    metadata.modified = metadata.created
    metadata.generator = DEFAULT_AUTHOR
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def unbroken_hashes(text: str) -> SafeString:
    """Escape `text` for HTML and wrap each SHA-256 (64 hex digits) in `<span class="hash">`, which the PDF
    stylesheets keep on one line, so extracted text holds every hash whole."""
    return mark_safe(SHA256_HEX.sub(lambda m: f'<span class="hash">{m.group(0)}</span>', escape(text)))
