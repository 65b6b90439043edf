"""Serve the app as operators do (gunicorn, DEBUG off, behind a TLS proxy header) on a throw-away database.

Used by the API fuzz test and `make bench`: migrate, seed demo data, mint an API key and a staff session, then
run gunicorn on a free port. PostgreSQL when DATABASE_URL points at it (a fresh database of its own), else a
SQLite file in `workdir`.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

STAFF_SESSION = """
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
from registry.talent.models import TalentProfile
u = User.objects.get(email='staff@demo.example')
s = SessionStore()
s['_auth_user_id'] = str(u.pk)
s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'
s['_auth_user_hash'] = u.get_session_auth_hash()
s.create()
print(s.session_key)
print(','.join(TalentProfile.objects.filter(status='active').values_list('registry_id', flat=True)[:50]))
"""

# Load and fuzzing are the point: lift the abuse limits (they have tests of their own).
THROTTLES = "ANON USER CHECK CHECK_BULK CHECK_HISTORY REPORTS TRACKING REGISTRY TERMS LICENSES LICENSE_VERIFY"
NO_LIMITS = dict.fromkeys((f"THROTTLE_{name}" for name in THROTTLES.split()), "1000000/min")


@dataclass
class Served:
    url: str
    api_key: str
    staff_session: str
    talent_ids: list[str]
    log: Path


def _database_url(workdir: Path, name: str) -> tuple[str, list[str]]:
    """A new database of this run's own (its name carries the process id, so two copies of the suite on one
    server never drop each other's), and the command that drops it afterwards."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir}/db.sqlite3", []
    parts = urlsplit(configured)
    dbname = f"{parts.path.lstrip('/') or 'registry'}_{name}_{os.getpid()}"
    host = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    subprocess.run(["dropdb", *host, "--if-exists", dbname], check=True, capture_output=True)
    subprocess.run(["createdb", *host, dbname], check=True, capture_output=True)
    return urlunsplit(parts._replace(path=f"/{dbname}")), ["dropdb", *host, "--if-exists", dbname]


@contextmanager
def served_app(workdir: Path, *, name: str = "served", workers: int = 2, extra_env: dict | None = None):
    workdir.mkdir(parents=True, exist_ok=True)
    database_url, drop_database = _database_url(workdir, name)
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(workdir / "media"),
        "CONN_MAX_AGE": "60",
        **NO_LIMITS,
        **(extra_env or {}),
    }
    env.pop("PYTEST_XDIST_WORKER", None)

    def manage(*args: str) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
            )
        return result.stdout

    manage("migrate", "--noinput")
    manage("seed_demo")
    key = manage("create_api_key", "--organization", "Served Test Brand").strip().splitlines()[-1]
    session, talent_ids = manage("shell", "-c", STAFF_SESSION).split()[-2:]

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    log = workdir / "gunicorn.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "registry.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                request = urllib.request.Request(f"{url}/healthz", headers={"X-Forwarded-Proto": "https"})
                urllib.request.urlopen(request, timeout=2)  # noqa: S310 - our own server on loopback
                break
            except Exception:
                if server.poll() is not None:
                    raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield Served(url, key, session, talent_ids.split(","), log)
    finally:
        os.killpg(server.pid, 15)
        server.wait(15)
        if drop_database:
            subprocess.run(drop_database, capture_output=True)
