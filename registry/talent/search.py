"""Name normalisation for accent- and case-insensitive registry search."""

import unicodedata


def normalize_name(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


MAX_TRANSPOSITIONS = 16


def transpositions(needle: str) -> list[str]:
    """The normalised query with two neighbouring letters of one word swapped ("talyor" → "taylor", …): the
    typo trigram similarity forgives worst, since it breaks two or three of a short word's trigrams. Only
    words of four letters or more; at most MAX_TRANSPOSITIONS variants, each still served by the trigram
    index as a containment (LIKE '%…%')."""
    words = needle.split()
    variants: list[str] = []
    for index, word in enumerate(words):
        if len(word) < 4:
            continue
        for i in range(len(word) - 1):
            if word[i] == word[i + 1]:
                continue
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            variant = " ".join([*words[:index], swapped, *words[index + 1 :]])
            if variant not in variants:
                variants.append(variant)
    return variants[:MAX_TRANSPOSITIONS]
