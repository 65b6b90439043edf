"""Template context shared by every page and every email rendered with a request."""

from django.conf import settings


def site(request) -> dict:
    """The site's name and public address (SITE_NAME, SITE_URL): emails and pages never show a blank name."""
    return {"site": {"name": settings.SITE_NAME, "url": settings.SITE_URL}}
