"""Name normalisation for accent- and case-insensitive registry search."""

import unicodedata


def normalize_name(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())
