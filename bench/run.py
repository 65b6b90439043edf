"""`make bench`: fixed-time mixed load against gunicorn on PostgreSQL; prints errors and latency percentiles.

Uses a throw-away PostgreSQL database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/registry_bench),
seeds demo data, serves with gunicorn (DEBUG off) and runs locust headless for BENCH_SECONDS (default 30).
Fails (exit 1) if any request errored.
"""

import csv
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv/bin/python")
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
USERS = int(os.environ.get("BENCH_USERS", "20"))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/registry_bench")


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="bench-")
    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": f"{tmp}/media",
        "CONN_MAX_AGE": "60",
        # Load is the point here: lift the abuse limits that would otherwise answer 429.
        "THROTTLE_ANON": "1000000/min",
        "THROTTLE_USER": "1000000/min",
        "THROTTLE_CHECK": "1000000/min",
        "THROTTLE_REPORTS": "1000000/min",
        "THROTTLE_TRACKING": "1000000/min",
        "REPORT_RATE_LIMIT": "1000000/m",
    }
    env.pop("REDIS_URL", None)
    dbname = DB_URL.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", dbname], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], check=True)

    def manage(*args):
        return subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )

    manage("migrate", "--noinput")
    manage("seed_demo")
    key = manage("create_api_key", "--organization", "Bench Brand").stdout.strip().splitlines()[-1]
    prep = manage(
        "shell",
        "-c",
        "from django.contrib.sessions.backends.db import SessionStore; "
        "from accounts.models import User; from registry.talent.models import TalentProfile; "
        "u = User.objects.get(email='staff@demo.example'); s = SessionStore(); "
        "s['_auth_user_id'] = str(u.pk); "
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'; "
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key); "
        "print(','.join(TalentProfile.objects.values_list('registry_id', flat=True)[:50]))",
    ).stdout.split()
    session, talent_ids = prep[-2], prep[-1]

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "registry.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "3"],
        cwd=ROOT,
        env=env,
        stdout=open(f"{tmp}/gunicorn.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        load_env = {
            **env,
            "BENCH_API_KEY": key,
            "BENCH_STAFF_SESSION": session,
            "BENCH_TALENT_IDS": talent_ids,
        }
        subprocess.run(
            [
                str(ROOT / ".venv/bin/locust"),
                "-f",
                str(ROOT / "bench/locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                str(USERS),
                "-t",
                f"{SECONDS}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                f"{tmp}/stats",
                "--only-summary",
            ],
            cwd=ROOT,
            env=load_env,
            check=False,
        )
    finally:
        os.killpg(server.pid, 15)
        server.wait(10)

    errors = 0
    print(f"\n{'endpoint':<22}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    with open(f"{tmp}/stats_stats.csv") as fh:
        for row in csv.DictReader(fh):
            errors += int(row["Failure Count"]) if row["Name"] == "Aggregated" else 0
            print(
                f"{row['Name']:<22}{row['Request Count']:>9}{row['Failure Count']:>8}"
                f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
            )
    print(f"\nerrors: {errors} (must be 0); logs in {tmp}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
