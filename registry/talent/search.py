"""Name normalisation for accent- and case-insensitive registry search, and the ranking of fuzzy matches."""

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


# --- ranking the fuzzy search's candidates (PostgreSQL) ----------------------------------------------------

CANDIDATES = 200  # names a trigram index scan hands over per candidate query; the search ranks these only
FUZZY_BELOW = 1  # look for near misses (KNN by word similarity) when fewer names contain the query as typed
MIN_SIMILARITY = 0.5  # word similarity a candidate needs when no word of it is a near miss of a typed word
NEAREST_WORDS = 4  # registered words a mistyped word may be corrected to
MAX_CORRECTIONS = 16  # variants of the query looked up by containment
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit(word: str) -> set[str]:
    """Every string one edit from `word` (a letter dropped, two neighbours swapped, one replaced or one
    added; Norvig's spelling corrector): about 55 per letter, looked up at once among the registered words."""
    letters = set(LETTERS) | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    dropped = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaced = {a + c + b[1:] for a, b in splits if b for c in letters}
    added = {a + c + b for a, b in splits for c in letters}
    return (dropped | swapped | replaced | added) - {word}


def _near_miss(typed: str, word: str) -> bool:
    """One edit apart, counting two neighbouring letters swapped as one edit (optimal string alignment),
    for typed words of four letters or more ("talyor" ~ "taylor", "mitchel" ~ "mitchell")."""
    if len(typed) < 4 or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        diff = [i for i in range(len(typed)) if typed[i] != word[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and typed[diff[0]] == word[diff[1]]
            and typed[diff[1]] == word[diff[0]]
        )
    short, long = (typed, word) if len(typed) < len(word) else (word, typed)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _word_score(typed: str, words: list[str]) -> int:
    if typed in words:
        return 3
    if any(w.startswith(typed) for w in words):
        return 2
    if any(_near_miss(typed, w) for w in words):
        return 1
    return 0


def rank_candidates(needle: str, candidates: list[tuple[int, str, float]]) -> list[int]:
    """The ids of (id, search_name, word_similarity) candidates that match `needle`, best first: names whose
    words equal, begin with, or are one typo from the typed words first, then by trigram similarity."""
    typed = needle.split()
    ranked = []
    for pk, name, similarity in candidates:
        words = name.split()
        score = sum(_word_score(t, words) for t in typed)
        if score == 0 and similarity < MIN_SIMILARITY and needle not in name:
            continue
        ranked.append((-score, -similarity, name, pk))
    return [pk for *_, pk in sorted(ranked)]
