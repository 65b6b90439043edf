"""The backup and restore drill of the README (Operations), run for real: back up the database and the
private media folder, restore both somewhere new, and `manage.py verify_integrity` passes against the copy.

PostgreSQL (CI): `pg_dump -Fc`, then `createdb` + `pg_restore` into a new database with a unique name, dropped
at the end (no other database is touched). SQLite: the database file is copied with SQLite's online backup
(the equivalent of copying the file while nothing writes). Media: `tar` of MEDIA_ROOT/private, untarred into
a new folder. The restored copy runs in a separate process, as an operator would run it.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.core.integrity_world import build
from tests.licensing.conftest import acme_owner, talent  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


class PostgresDrill:
    def __init__(self, tmp_path: Path):
        db = connection.settings_dict
        self.source = db["NAME"]
        self.target = f"registry_drill_{uuid.uuid4().hex[:12]}"
        self.dump = tmp_path / "registry.dump"
        self.env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432)}
        if db["USER"]:
            self.env["PGUSER"] = db["USER"]
        if db["PASSWORD"]:
            self.env["PGPASSWORD"] = db["PASSWORD"]
        self.url = (
            f"postgres://{quote(db['USER'] or '')}{':' + quote(db['PASSWORD']) if db['PASSWORD'] else ''}"
            f"@{self.env['PGHOST']}:{self.env['PGPORT']}/{self.target}"
        )
        self.created = False

    def run(self, *args):
        subprocess.run(args, check=True, env=self.env, capture_output=True, timeout=300)

    def backup(self):
        self.run("pg_dump", "-Fc", "--no-owner", "-f", str(self.dump), self.source)

    def restore(self) -> str:
        self.run("createdb", self.target)
        self.created = True
        self.run("pg_restore", "--no-owner", "--exit-on-error", "-d", self.target, str(self.dump))
        return self.url

    def cleanup(self):
        if self.created:  # only the database this drill created
            self.run("dropdb", "--if-exists", self.target)


class SqliteDrill:
    def __init__(self, tmp_path: Path):
        self.backup_file = tmp_path / "registry-backup.sqlite3"
        self.restored = tmp_path / "restored" / "db.sqlite3"

    def backup(self):
        connection.ensure_connection()
        target = sqlite3.connect(self.backup_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def restore(self) -> str:
        self.restored.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.backup_file, self.restored)
        return f"sqlite:///{self.restored}"

    def cleanup(self):
        pass


def verify_integrity(database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media_root), SECRET_KEY="restore-drill-" + "x" * 40)
    return subprocess.run(
        [sys.executable, "manage.py", "verify_integrity"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_backup_restore_drill_ends_with_verify_integrity_passing(
    tmp_path,
    talent,  # noqa: F811
    talent_user,
    acme_owner,  # noqa: F811
    staff_user,
    django_capture_on_commit_callbacks,
):
    world = build(
        django_capture_on_commit_callbacks,
        talent=talent,
        talent_user=talent_user,
        brand_owner=acme_owner,
        staff=staff_user,
    )
    drill = PostgresDrill(tmp_path) if connection.vendor == "postgresql" else SqliteDrill(tmp_path)
    try:
        # Back up: the database, then the private media folder.
        drill.backup()
        media = Path(settings.MEDIA_ROOT)
        archive = tmp_path / "private-media.tar.gz"
        subprocess.run(["tar", "-czf", str(archive), "-C", str(media), "private"], check=True)

        # Restore both somewhere new.
        database_url = drill.restore()
        restored_media = tmp_path / "restored-media"
        restored_media.mkdir()
        subprocess.run(["tar", "-xzf", str(archive), "-C", str(restored_media)], check=True)

        result = verify_integrity(database_url, restored_media)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 terms_version, 1 evidence, 1 notice, 1 certificate; no mismatch" in result.stdout

        # The restored copy is what is checked: a damaged file in it is found.
        damaged = restored_media / "private" / world.evidence.original.name
        damaged.write_bytes(damaged.read_bytes()[:-1])
        result = verify_integrity(database_url, restored_media)
        assert result.returncode == 1
        assert f"MISMATCH evidence {world.evidence.pk}" in result.stdout
    finally:
        drill.cleanup()
