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
    Staff synonyms only add words: a slug always means itself and a default synonym keeps its category, so
    no row can move "wine" out of alcohol or "tobacco" into another category and widen an answer.
    """
    table: dict[str, str] = {}
    rows = list(ProductCategory.objects.values_list("slug", "label", "synonyms"))
    for slug, label, synonyms in rows:
        for synonym in synonyms if isinstance(synonyms, list) else ():
            if isinstance(synonym, str) and _key(synonym):
                table[_key(synonym)] = slug
        if label:
            table[_key(label)] = slug
    for slug, synonyms in DEFAULT_CATEGORY_SYNONYMS.items():
        for synonym in synonyms:
            table[_key(synonym)] = slug
    for slug, label in DEFAULT_EXCLUDED_CATEGORIES.items():
        table[_key(label)] = slug
    for slug in [*(row[0] for row in rows), *DEFAULT_EXCLUDED_CATEGORIES]:
        table[_key(slug)] = slug
    return table


def meaning_elsewhere(word: str, slug: str, table: Mapping[str, str] | None = None) -> str | None:
    """The other category a word already means (a synonym staff may not give `slug`), or None."""
    meant = (category_table() if table is None else table).get(_key(word))
    return meant if meant not in (None, slug) else None


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
