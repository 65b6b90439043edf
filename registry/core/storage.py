"""Storage helpers: files that follow the database transaction, and static files that never 500.

Files written inside a transaction follow it: `FilesFollowTransaction` (mixed into the private storage of
uploads, evidence and notices) remembers the path of every file saved while a transaction is open, with the
savepoints active at that moment. When that transaction rolls back, or a savepoint it was saved under rolls
back, the file is removed, so a failed request or task leaves no orphan on disk. On commit the files are
simply forgotten. (Django has no on-rollback hook: `track_rollbacks`, a `connection_created` receiver, wraps
the connection's commit, rollback and savepoint rollback, the calls `transaction.atomic` makes.)
"""

from __future__ import annotations

import logging
import os

from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, connections
from whitenoise.storage import CompressedManifestStaticFilesStorage

log = logging.getLogger(__name__)

_PENDING = "_files_pending_commit"
_WRAPPED = "_files_follow_transaction"


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def url(self, name, force=False):
        try:
            return super().url(name, force)
        except ValueError:
            # Not collected yet (e.g. gunicorn started straight from a checkout): WhiteNoise still serves the
            # file from the app's static folders (WHITENOISE_USE_FINDERS), under its plain name.
            return FileSystemStorage.url(self, name)


class FilesFollowTransaction:
    """Storage mixin: a file saved inside a transaction is removed if that transaction rolls back."""

    def _save(self, name, content):
        name = super()._save(name, content)
        remember(self.path(name))
        return name


def remember(path: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Note a file just written: removed again if the open transaction (or savepoint) rolls back."""
    connection = connections[using]
    if not connection.in_atomic_block:
        return  # autocommit: whatever the file belongs to is already committed (or never will be)
    pending = connection.__dict__.setdefault(_PENDING, [])
    pending.append((frozenset(connection.savepoint_ids), path))


def pending_files(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    return [path for _, path in connections[using].__dict__.get(_PENDING, [])]


def _remove(paths) -> None:
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        except OSError as exc:  # pragma: no cover - permissions; logged, the rollback itself stands
            log.warning("could not remove %s after a rollback: %s", path, exc)


def track_rollbacks(sender, connection, **kwargs) -> None:
    """connection_created receiver: remove the files of rolled-back transactions and savepoints."""
    if connection.__dict__.get(_WRAPPED):
        return
    connection.__dict__[_WRAPPED] = True
    commit, rollback, savepoint_rollback = (
        connection.commit,
        connection.rollback,
        connection.savepoint_rollback,
    )

    def commit_and_forget():
        commit()
        connection.__dict__.pop(_PENDING, None)

    def rollback_and_remove():
        pending = connection.__dict__.pop(_PENDING, [])
        rollback()
        _remove(path for _, path in pending)

    def savepoint_rollback_and_remove(sid):
        pending = connection.__dict__.get(_PENDING, [])
        savepoint_rollback(sid)
        connection.__dict__[_PENDING] = [(sids, path) for sids, path in pending if sid not in sids]
        _remove(path for sids, path in pending if sid in sids)

    connection.commit = commit_and_forget
    connection.rollback = rollback_and_remove
    connection.savepoint_rollback = savepoint_rollback_and_remove
