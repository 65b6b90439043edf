"""The facts a permission check is decided from, loaded for a whole batch and cached per talent.

Cached in two levels — this process's memory (an LRU of LOCAL_ENTRIES) in front of Django's cache (Redis in
production, local memory otherwise) — as small immutable values, never the answers themselves: the decision
still runs on every check, so what depends on the date (a license or term that ends, a minor who comes of
age) is always decided for the date asked. Keys (under `checkfacts:v2:`):

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

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache

from registry.consent.selectors import signed_versions_by_talent
from registry.licensing.models import License
from registry.talent import facts as talent_facts
from registry.talent.models import TalentProfile

TALENT_FIELDS = ("pk", "registry_id", "status", "is_verified", "date_of_birth")
PREFIX = "checkfacts:v2:"
LOCAL_ENTRIES = 50_000


def _timeout() -> int:
    return getattr(settings, "CHECK_FACTS_CACHE_SECONDS", 600)


def rid_key(registry_id: str) -> str:
    return f"{PREFIX}rid:{registry_id}"


# --- the facts, as small immutable values (cheap to pickle, safe to share) ---------------------------------


class TalentFacts(NamedTuple):
    pk: int
    registry_id: str
    is_registered: bool
    is_verified: bool
    adult_from: date | None

    def is_minor(self, on: date) -> bool:
        return self.adult_from is not None and on < self.adult_from


class TermFacts(NamedTuple):
    use: str
    decision: str
    modalities: tuple
    territories: tuple
    channels: tuple
    valid_from: date | None
    valid_until: date | None
    min_fee_amount: Decimal | None
    min_fee_currency: str
    attribution: bool
    ai_disclosure: bool
    excluded_categories: tuple
    organizations: tuple


class VersionFacts(NamedTuple):
    number: int
    sha256: str
    effective_from: date
    terms: tuple  # of TermFacts


class LicenseFacts(NamedTuple):
    license_id: str
    talent_id: int
    use: str
    modalities: tuple
    territories: tuple
    channels: tuple
    product_category: str
    valid_from: date
    valid_until: date
    terminated_at: datetime | None
    attribution: bool
    ai_disclosure: bool


def _talent_facts(t: TalentProfile) -> TalentFacts:
    return TalentFacts(t.pk, t.registry_id, t.is_registered, t.is_verified, t.adult_from)


def _version_facts(v) -> VersionFacts:
    terms = tuple(
        TermFacts(
            t.use, t.decision, tuple(t.modalities or ()), tuple(t.territories or ()), tuple(t.channels or ()),
            t.valid_from, t.valid_until, t.min_fee_amount, t.min_fee_currency, t.attribution, t.ai_disclosure,
            tuple(t.excluded_categories or ()), tuple(t.organizations or ()),
        )
        for t in v.terms.all()
    )  # fmt: skip
    return VersionFacts(v.number, v.sha256, v.effective_from, terms)


def _license_facts(lic: License) -> LicenseFacts:
    return LicenseFacts(
        lic.license_id, lic.talent_id, lic.use, tuple(lic.modalities or ()), tuple(lic.territories or ()),
        tuple(lic.channels or ()), lic.product_category, lic.valid_from, lic.valid_until, lic.terminated_at,
        lic.attribution, lic.ai_disclosure,
    )  # fmt: skip


@dataclass
class Facts:
    talents: dict[str, TalentFacts] = field(default_factory=dict)  # by registry ID
    versions: dict[int, list] = field(default_factory=dict)  # by talent pk
    licenses: dict[tuple, list] = field(default_factory=lambda: defaultdict(list))  # by (talent pk, use)


# --- two levels: this process's memory in front of the shared cache --------------------------------------
# Safe for the same reason as the shared cache: every key but a registry ID's carries the talent's facts
# token, which is read from the shared cache on every check.


class _Local:
    def __init__(self, size: int):
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get_many(self, keys) -> dict:
        with self.lock:
            found = {k: self.data[k] for k in keys if k in self.data}
            for k in found:
                self.data.move_to_end(k)
        return found

    def set_many(self, values: dict) -> None:
        with self.lock:
            self.data.update(values)
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()

    def delete_many(self, keys) -> None:
        with self.lock:
            for k in keys:
                self.data.pop(k, None)


local = _Local(LOCAL_ENTRIES)


def _get_many(keys: list[str]) -> dict:
    found = local.get_many(keys)
    rest = [k for k in keys if k not in found]
    if rest:
        shared = cache.get_many(rest)
        local.set_many(shared)
        found.update(shared)
    return found


def _set_many(values: dict) -> None:
    if values:
        cache.set_many(values, _timeout())
        local.set_many(values)


def _delete_many(keys: list[str]) -> None:
    local.delete_many(keys)
    cache.delete_many(keys)


def _pks_of(registry_ids: set[str]) -> dict[str, int]:
    found = _get_many([rid_key(r) for r in registry_ids])
    pks = {r: found[rid_key(r)] for r in registry_ids if rid_key(r) in found}
    missing = registry_ids - pks.keys()
    if missing:
        loaded = dict(TalentProfile.objects.filter(registry_id__in=missing).values_list("registry_id", "pk"))
        _set_many({rid_key(r): pk for r, pk in loaded.items()})
        pks.update(loaded)
    return pks


def _profiles(pks: list[int], tokens: dict[int, str | None]) -> dict[int, tuple]:
    """(talent, signed versions) by pk, from the cache or two to three queries for those not in it."""
    keys = {pk: f"{PREFIX}tf:{pk}:{tokens[pk]}" for pk in pks if tokens[pk] is not None}
    found = _get_many(list(keys.values()))
    profiles = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in pks if pk not in profiles]
    if missing:
        talents = list(TalentProfile.objects.filter(pk__in=missing).only(*TALENT_FIELDS))
        active = [t.pk for t in talents if t.is_registered]
        versions = signed_versions_by_talent(active, date.max) if active else {}
        loaded = {
            t.pk: (_talent_facts(t), tuple(_version_facts(v) for v in versions.get(t.pk, ())))
            for t in talents
        }
        _set_many({keys[pk]: value for pk, value in loaded.items() if pk in keys})
        profiles.update(loaded)
    return profiles


def _licenses(organization_id: int, pks: list[int], tokens: dict[int, str | None]) -> dict[int, tuple]:
    keys = {pk: f"{PREFIX}tl:{organization_id}:{pk}:{tokens[pk]}" for pk in pks if tokens[pk] is not None}
    found = _get_many(list(keys.values()))
    by_talent = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in pks if pk not in by_talent]
    if missing:
        loaded: dict[int, list] = {pk: [] for pk in missing}
        for lic in License.objects.filter(organization_id=organization_id, talent_id__in=missing).order_by(
            "pk"
        ):
            loaded[lic.talent_id].append(_license_facts(lic))
        values = {pk: tuple(licenses) for pk, licenses in loaded.items()}
        _set_many({keys[pk]: value for pk, value in values.items() if pk in keys})
        by_talent.update(values)
    return by_talent


def load(registry_ids: set[str], organization_id: int | None, *, retry: bool = True) -> Facts:
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
    active = []
    for talent, versions in profiles.values():
        facts.talents[talent.registry_id] = talent
        if talent.is_registered:
            facts.versions[talent.pk] = list(versions)
            active.append(talent.pk)
    if organization_id is not None and active:
        for licenses in _licenses(organization_id, active, tokens).values():
            for lic in licenses:
                facts.licenses[(lic.talent_id, lic.use)].append(lic)
    gone = {r for r, pk in pks.items() if pk not in profiles}
    if gone:  # a deleted profile, or one whose creation rolled back: drop the mapping and look again
        _delete_many([rid_key(r) for r in gone])
        if retry:
            again = load(gone, organization_id, retry=False)
            facts.talents.update(again.talents)
            facts.versions.update(again.versions)
            facts.licenses.update(again.licenses)
    return facts


def clear_local() -> None:
    """Empty this process's level (tests that measure the cold path clear the shared cache too)."""
    local.clear()


def forget_registry_id(registry_id: str) -> None:
    """A profile was deleted (or created: the ID may have named one whose creation rolled back)."""
    _delete_many([rid_key(registry_id)])


def forget_registry_ids(registry_ids) -> None:
    """`forget_registry_id` for profiles created in bulk (an import): one cache round trip."""
    _delete_many([rid_key(r) for r in registry_ids])
