"""The directory of platform contacts and what the compose form starts with for a notice."""

from __future__ import annotations

from registry.cases.models import Case, NoticeKind, PlatformContact
from registry.cases.urlnorm import platform_of


def platform_contact(platform: str) -> PlatformContact | None:
    return PlatformContact.objects.filter(platform=platform).first() if platform else None


def notice_defaults(case: Case, kind: str, platform: str = "") -> dict:
    """What the compose form starts with: recipient and deadline from the platform directory (a takedown)
    or the brand (a letter); a takedown ticks only the URLs on that platform."""
    urls = list(case.urls.all())
    if kind == NoticeKind.TAKEDOWN:
        platform = platform or case.platform
        contact = platform_contact(platform)
        on_platform = [u.pk for u in urls if platform_of(u.url) == platform]
        return {
            "recipient_name": contact.name if contact else "",
            "recipient_email": contact.email if contact else "",
            "response_days": contact.response_window_days if contact else None,
            "urls": on_platform if platform and platform != "website" else [u.pk for u in urls],
        }
    org = case.organization
    return {
        "recipient_name": org.name if org else "",
        "recipient_email": org.contact_email if org else "",
        "response_days": None,
        "urls": [u.pk for u in urls],
    }
