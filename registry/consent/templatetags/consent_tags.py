"""Template helpers of the consent app: TDMRep <meta> tags and plain-language summaries of public terms."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from registry.consent import exports
from registry.consent.summaries import summarize

register = template.Library()


def _talent_from(context, version):
    if version is not None:
        return version.talent
    return context.get("talent") or context.get("profile")


@register.simple_tag(takes_context=True)
def tdmrep_meta(context, version=None):
    """<meta name="tdm-reservation"> (and tdm-policy when rights are reserved) for a public profile page."""
    talent = _talent_from(context, version)
    if talent is None:
        return format_html('<meta name="tdm-reservation" content="1">')
    fields = exports.tdm_fields(talent, version, timezone.localdate())
    return format_html_join(
        "\n", '<meta name="{}" content="{}">', ((name, value) for name, value in fields.items())
    )


@register.simple_tag
def public_summary(version):
    """One row per use with its decision and public conditions (never the private consent record)."""
    return summarize(version)
