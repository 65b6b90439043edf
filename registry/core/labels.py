"""Human labels for stored values: every vocabulary's `TextChoices` labels, one place to look them up.

Apps register their vocabularies under a name (`labels.register("use", Use)`) when their module is
imported; templates show a value with `{{ value|label }}` or, where one value means different things in two
vocabularies, `{{ value|label:"decision" }}`. A value no vocabulary knows is humanised
(`not_yet_valid` → "Not yet valid"), so no snake_case ever reaches the screen.
"""

from __future__ import annotations

from django.db import models

_BY_VOCABULARY: dict[str, dict[str, str]] = {}
_ANY: dict[str, str] = {}


def register(name: str, choices: type[models.TextChoices] | dict[str, str]) -> None:
    """Make a vocabulary's labels available to `label` (first registration of a bare value wins in `_ANY`)."""
    pairs = dict(choices.choices) if isinstance(choices, type) else dict(choices)
    _BY_VOCABULARY.setdefault(name, {}).update({str(k): str(v) for k, v in pairs.items()})
    for value, text in pairs.items():
        _ANY.setdefault(str(value), str(text))


def in_sentence(label: str) -> str:
    """A label inside running text: lower case, except acronyms ("AI training", not "ai training")."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def humanise(value: str) -> str:
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def label(value, vocabulary: str | None = None) -> str:
    """The human label of a stored value; a list gives its labels joined by commas."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(label(item, vocabulary) for item in value)
    key = str(value)
    if vocabulary and key in _BY_VOCABULARY.get(vocabulary, {}):
        return _BY_VOCABULARY[vocabulary][key]
    return _ANY.get(key) or humanise(key)
