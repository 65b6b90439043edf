"""Product categories as people type them (placeholder until the category-synonyms module lands)."""


def canonical_category(text):
    return (text or "").strip().lower()
