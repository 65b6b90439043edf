"""Reads of the check pages: the people a typed name or registry ID may mean (public fields only)."""

from __future__ import annotations

from registry.talent.models import TalentProfile
from registry.talent.registry_ids import canonical_registry_id
from registry.talent.selectors import public_talent, search_public_talent

MAX_MATCHES = 8
MATCH_FIELDS = ("pk", "registry_id", "stage_name", "is_verified", "disciplines")


def talent_matches(text: str, *, limit: int = MAX_MATCHES) -> list[TalentProfile]:
    """Public talent a brand may mean: the profile of a typed registry ID first, then names that match."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    found: list[TalentProfile] = []
    registry_id = canonical_registry_id(text)
    if registry_id:
        found = list(public_talent().filter(registry_id=registry_id).only(*MATCH_FIELDS))
    if len(found) < limit:
        seen = {t.pk for t in found}
        by_name = search_public_talent(text).only(*MATCH_FIELDS)[: limit + len(found)]
        found += [t for t in by_name if t.pk not in seen]
    return found[:limit]
