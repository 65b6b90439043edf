"""The facts a permission check is decided from, loaded for a whole batch and cached per talent.

Cached (Django's cache: Redis in production, local memory otherwise), never the answers themselves — the
decision still runs on every check, so what depends on the date (a license or term that ends, a minor who
comes of age) is always decided for the date asked:

- `rid:<registry id>` → the talent's pk (a registry ID never changes; a deleted profile drops it);
- `tf:<pk>:<token>` → the profile's check fields and all its signed terms versions with their terms;
- `tl:<organization>:<pk>:<token>` → every license the organization holds for the talent (an empty list too).

`<token>` is the talent's facts token (`registry.talent.facts`; none, so no cache at all, for a talent whose
facts this connection changed in a transaction still open): signing or revoking terms, issuing or
terminating a license, verifying, withdrawing, reinstating or editing a profile replace it, so an entry made
from older facts is never read again. Tokens are read *before* the rows are loaded: rows changed meanwhile
can only be stored under a token that is already outdated.

Queries: none when every talent is cached; otherwise at most five whatever the batch size (registry IDs,
profiles, versions, their terms, licenses).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache

from registry.consent.selectors import signed_versions_by_talent
from registry.licensing.models import License
from registry.talent import facts as talent_facts
from registry.talent.models import TalentProfile

TALENT_FIELDS = ("pk", "registry_id", "status", "is_verified", "date_of_birth")
PREFIX = "checkfacts:v1:"


def _timeout() -> int:
    return getattr(settings, "CHECK_FACTS_CACHE_SECONDS", 600)


def rid_key(registry_id: str) -> str:
    return f"{PREFIX}rid:{registry_id}"


@dataclass
class Facts:
    talents: dict[str, TalentProfile] = field(default_factory=dict)  # by registry ID
    versions: dict[int, list] = field(default_factory=dict)  # by talent pk
    licenses: dict[tuple, list] = field(default_factory=lambda: defaultdict(list))  # by (talent pk, use)


def _pks_of(registry_ids: set[str]) -> dict[str, int]:
    found = cache.get_many([rid_key(r) for r in registry_ids])
    pks = {r: found[rid_key(r)] for r in registry_ids if rid_key(r) in found}
    missing = registry_ids - pks.keys()
    if missing:
        loaded = dict(TalentProfile.objects.filter(registry_id__in=missing).values_list("registry_id", "pk"))
        if loaded:
            cache.set_many({rid_key(r): pk for r, pk in loaded.items()}, _timeout())
        pks.update(loaded)
    return pks


def _profiles(pks: list[int], tokens: dict[int, str | None]) -> dict[int, tuple]:
    """(talent, signed versions) by pk, from the cache or two to three queries for those not in it."""
    keys = {pk: f"{PREFIX}tf:{pk}:{tokens[pk]}" for pk in pks if tokens[pk] is not None}
    found = cache.get_many(list(keys.values()))
    profiles = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in pks if pk not in profiles]
    if missing:
        talents = list(TalentProfile.objects.filter(pk__in=missing).only(*TALENT_FIELDS))
        active = [t.pk for t in talents if t.is_registered]
        versions = signed_versions_by_talent(active, date.max) if active else {}
        loaded = {t.pk: (t, versions.get(t.pk, [])) for t in talents}
        cache.set_many({keys[pk]: value for pk, value in loaded.items() if pk in keys}, _timeout())
        profiles.update(loaded)
    return profiles


def _licenses(organization_id: int, pks: list[int], tokens: dict[int, str | None]) -> dict[int, list]:
    keys = {pk: f"{PREFIX}tl:{organization_id}:{pk}:{tokens[pk]}" for pk in pks if tokens[pk] is not None}
    found = cache.get_many(list(keys.values()))
    by_talent = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in pks if pk not in by_talent]
    if missing:
        loaded: dict[int, list] = {pk: [] for pk in missing}
        for lic in License.objects.filter(organization_id=organization_id, talent_id__in=missing).order_by(
            "pk"
        ):
            loaded[lic.talent_id].append(lic)
        cache.set_many({keys[pk]: value for pk, value in loaded.items() if pk in keys}, _timeout())
        by_talent.update(loaded)
    return by_talent


def load(registry_ids: set[str], organization_id: int | None) -> Facts:
    """Profiles, signed versions and the caller's licenses for these (canonical) registry IDs."""
    facts = Facts()
    if not registry_ids:
        return facts
    pks = _pks_of(registry_ids)
    if not pks:
        return facts
    tokens: dict[int, str | None] = dict(talent_facts.tokens_of(pks.values()))
    for pk in talent_facts.uncacheable() & tokens.keys():
        tokens[pk] = None  # changed by this connection's open transaction: the database only
    profiles = _profiles(list(tokens), tokens)
    gone = [r for r, pk in pks.items() if pk not in profiles]
    if gone:  # a deleted profile (or one whose creation rolled back): the mapping is dropped
        cache.delete_many([rid_key(r) for r in gone])
    active = []
    for talent, versions in profiles.values():
        facts.talents[talent.registry_id] = talent
        if talent.is_registered:
            facts.versions[talent.pk] = versions
            active.append(talent.pk)
    if organization_id is not None and active:
        for licenses in _licenses(organization_id, active, tokens).values():
            for lic in licenses:
                facts.licenses[(lic.talent_id, lic.use)].append(lic)
    return facts


def forget_registry_id(registry_id: str) -> None:
    """A profile was deleted: its registry ID no longer names it."""
    cache.delete(rid_key(registry_id))
