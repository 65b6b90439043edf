"""Per-talent "facts versions": the key under which cached answers about a talent live.

A permission check depends on facts about one talent: the profile (status, verification, date of birth), its
signed terms versions and the licenses granted for it. Anything cached from those facts is stored under the
talent's current facts token (`tokens_of`); `changed(talent_id)` replaces the token, so every entry made from
the old facts is never read again (it expires on its own). Layers above call `changed` for every change of
those facts that bypasses `Model.save()` (queryset `update()`, `bulk_create()`); saves and deletes of the
models themselves are caught by signals connected in `registry.checks.apps`.

The token is replaced at once and again after the commit (a reader in another process that loaded the old,
still committed rows between the two cannot have cached them under the newest token). Until the commit, the
connection that made the change reads that talent's facts from the database only, never from or into the
cache (`uncacheable`): it must see its own change, and a rolled-back change must never reach the cache.

A missing token (evicted, or Redis restarted empty) is replaced by a fresh random one, never by a counter
that could repeat: an entry can only ever be read under the token that was current when its facts were
loaded.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction

PREFIX = "talentfacts:v1:"
TOKEN_TIMEOUT = 7 * 24 * 3600  # longer than any entry made under a token
DIRTY = "_talent_facts_changed"


def _key(talent_id) -> str:
    return f"{PREFIX}{talent_id}"


def _new_token() -> str:
    return secrets.token_hex(8)


def _bump(talent_ids: list) -> None:
    cache.set_many({_key(pk): _new_token() for pk in talent_ids}, TOKEN_TIMEOUT)


def _in_transaction() -> bool:
    """Inside a transaction of our own (a test case's wrapping transaction does not count)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def changed_many(talent_ids: Iterable) -> None:
    """The facts of these talent changed: nothing cached from the old facts is read again."""
    ids = sorted({int(pk) for pk in talent_ids if pk is not None})
    if not ids:
        return
    _bump(ids)
    if not _in_transaction():
        return
    # Until the commit, this connection reads these talent from the database only (its own uncommitted
    # change must neither be missed nor cached: the transaction may still roll back).
    dirty = connection.__dict__.setdefault(DIRTY, set())
    dirty.update(ids)

    def committed():
        _bump(ids)
        dirty.difference_update(ids)

    transaction.on_commit(committed)


def uncacheable() -> set[int]:
    """Talent whose facts this connection changed in a transaction that is still open."""
    dirty = connection.__dict__.get(DIRTY)
    if not dirty:
        return set()
    if not _in_transaction():  # the transaction ended: committed (already bumped) or rolled back
        dirty.clear()
        return set()
    return set(dirty)


def changed(talent_id) -> None:
    """The facts of one talent changed (a one-line call for services)."""
    changed_many([talent_id])


def tokens_of(talent_ids: Iterable) -> dict[int, str]:
    """The current token of each talent (one cache round trip; a second only for talent without one)."""
    ids = list(dict.fromkeys(int(pk) for pk in talent_ids))
    if not ids:
        return {}
    found = cache.get_many([_key(pk) for pk in ids])
    tokens = {pk: found.get(_key(pk)) for pk in ids}
    missing = [pk for pk, token in tokens.items() if token is None]
    if missing:
        fresh = {pk: _new_token() for pk in missing}
        # add, not set: another process may have set one meanwhile; then read back the winner.
        for pk, token in fresh.items():
            cache.add(_key(pk), token, TOKEN_TIMEOUT)
        again = cache.get_many([_key(pk) for pk in missing])
        for pk in missing:
            tokens[pk] = again.get(_key(pk)) or fresh[pk]
    return tokens
