"""Template helpers of the consent app: TDMRep <meta> tags and plain-language summaries of public terms."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from registry.consent import exports, mining
from registry.consent.summaries import summarize

register = template.Library()


def _talent_from(context, version):
    if version is not None:
        return version.talent
    return context.get("talent") or context.get("profile")


@register.simple_tag(takes_context=True)
def tdmrep_meta(context, version=None):
    """<meta name="tdm-reservation"> (tdm-policy when something is offered, and robots noai/noimageai where AI
    training is refused) for a public page of a talent."""
    talent = _talent_from(context, version)
    if talent is None:
        return format_html('<meta name="tdm-reservation" content="1">')
    stance = exports.stance_of(talent, version, timezone.localdate())
    return format_html_join(
        "\n", '<meta name="{}" content="{}">', mining.html_meta(stance, talent.registry_id)
    )


@register.simple_tag
def public_summary(version, reader_of=""):
    """One row per use with its decision and public conditions (never the private consent record).
    `reader_of`: the talent's name, for the public page (worded for the reader, in the third person)."""
    return summarize(version, reader_of=reader_of or None)
