"""Product categories as people type them: "Wine" is alcohol, "cigarettes" and "vaping" are tobacco.

The synonyms are the vocabulary's defaults (`vocab.DEFAULT_CATEGORY_SYNONYMS`) plus the ones staff keep on
`ProductCategory.synonyms`. A category nobody knows passes through (lower-cased, stripped) and is answered as
before: the checks, license requests and cases that name it compare it as typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from registry.consent.models import ProductCategory
from registry.consent.vocab import DEFAULT_CATEGORY_SYNONYMS, DEFAULT_EXCLUDED_CATEGORIES

# Spaces, hyphens and underscores are one separator: "e cigarettes", "E-Cigarettes" and "e_cigarettes" agree.
_SEPARATORS = re.compile(r"[\s_\-]+")


def _key(text: str) -> str:
    return _SEPARATORS.sub(" ", text.strip().lower()).strip()


def category_table() -> dict[str, str]:
    """Every known name of a category (its slug, its label, its synonyms) → the category's slug.

    One query; a caller deciding many categories at once (a bulk check) reads it once and passes it on.
    Staff rows win over the defaults: a synonym staff moved to another category follows them.
    """
    table: dict[str, str] = {}
    for slug, label in DEFAULT_EXCLUDED_CATEGORIES.items():
        table[_key(slug)] = slug
        table[_key(label)] = slug
    for slug, synonyms in DEFAULT_CATEGORY_SYNONYMS.items():
        for synonym in synonyms:
            table[_key(synonym)] = slug
    rows = ProductCategory.objects.values_list("slug", "label", "synonyms")
    for slug, label, synonyms in rows:
        table[_key(slug)] = slug
        if label:
            table.setdefault(_key(label), slug)
        for synonym in synonyms if isinstance(synonyms, list) else ():
            if isinstance(synonym, str) and _key(synonym):
                table[_key(synonym)] = slug
    return table


def canonical_category(text, *, table: Mapping[str, str] | None = None) -> str:
    """The category slug meant by `text`; unknown text comes back lower-cased and stripped, otherwise as sent.

    Pass `table` (from `category_table()`) when deciding many at once; without it this reads the table
    (one query), but only when there is something to read.
    """
    if not isinstance(text, str):
        return text
    typed = text.strip().lower()
    if not typed:
        return ""
    if table is None:
        table = category_table()
    return table.get(_key(typed), typed)
