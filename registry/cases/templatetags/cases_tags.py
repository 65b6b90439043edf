"""Template tags of the cases app (the talent dashboard section, the desk's deadlines)."""

from django import template

from registry.cases import desk, selectors

register = template.Library()


@register.simple_tag
def cases_about(talent, limit: int = 20):
    """Cases about a talent, newest first (bounded; one query)."""
    return list(selectors.cases_about(talent)[:limit])


@register.simple_tag
def case_deadline(case, now):
    """A case's current deadline and its countdown ("due in 3 h"; "" once past or without one)."""
    due = desk.current_deadline(case)
    return {"due": due, "countdown": desk.countdown(due, now)}


@register.simple_tag
def row_title(case):
    """A queue row's title without the talent and platform (their own columns)."""
    return desk.row_title(case)
