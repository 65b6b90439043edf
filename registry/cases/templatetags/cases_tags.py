"""Template tags of the cases app (the talent dashboard section)."""

from django import template

from registry.cases import selectors

register = template.Library()


@register.simple_tag
def cases_about(talent, limit: int = 20):
    """Cases about a talent, newest first (bounded; one query)."""
    return list(selectors.cases_about(talent)[:limit])
