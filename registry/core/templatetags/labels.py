"""`{{ value|label }}` / `{{ value|label:"vocabulary" }}`: the human label of a stored value (built in)."""

from django import template

from registry.core import labels

register = template.Library()


@register.filter(name="label")
def label(value, vocabulary=None):
    return labels.label(value, vocabulary)
