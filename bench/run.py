"""`make bench`: every benchmark of docs/performance.md in one go, against gunicorn on PostgreSQL and Redis.

1. A dedicated database on DATABASE_URL's server (`registry_bench`, or `registry_bench_<N>` for other sizes;
   kept between runs, BENCH_FRESH=1 drops it first): migrate, seed_demo, `seed_bench --talent BENCH_TALENT`
   (default 2,000; once per size).
2. gunicorn (BENCH_WORKERS, default 2) with DEBUG off, Redis (REDIS_URL's server, database BENCH_REDIS_DB,
   default 13, so no other worker consumes the bench's tasks) and a Celery worker; rate limits raised through
   their documented environment variables (THROTTLE_*, listed in the results).
3. wrk, BENCH_CONNECTIONS (default 32) connections, BENCH_SECONDS (default 10) per benchmark, the ceiling
   (a JSON 404 under /api/v1/) first; queries per request counted in-process (bench/queries.py); peak RSS of
   each gunicorn worker from /proc (VmHWM); then `import_registry` of BENCH_IMPORT talent (default N/10,
   at least 1,000) timed.
4. bench/likeness.py: face-descriptor search at BENCH_DESCRIPTORS (default 1,000,000; 0 skips it).
5. bench/results/results.md and results.json; the table is printed. Exit 1 if any request failed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.report import write_results  # noqa: E402
from bench.targets import benchmarks  # noqa: E402

BIN = Path(sys.executable).parent
DEFAULT_TALENT = 2_000
TALENT = int(os.environ.get("BENCH_TALENT", DEFAULT_TALENT))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
IMPORT = int(os.environ.get("BENCH_IMPORT", max(1_000, TALENT // 10)))
LIKENESS_DESCRIPTORS = int(os.environ.get("BENCH_DESCRIPTORS", "1000000"))  # 0 skips bench/likeness.py
# Load is the point: lift the abuse limits (they have tests of their own). Documented in docs/performance.md.
THROTTLES = "ANON USER CHECK CHECK_BULK CHECK_HISTORY REPORTS TRACKING REGISTRY TERMS LICENSES LICENSE_VERIFY"
NO_LIMITS = dict.fromkeys((f"THROTTLE_{name}" for name in THROTTLES.split()), "10000000/min")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_url() -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/registry")
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/registry")
    name = os.environ.get("BENCH_DB") or (
        "registry_bench" if TALENT == DEFAULT_TALENT else f"registry_bench_{TALENT}"
    )
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        sys.exit(f"BENCH_DB must be a plain database name, not {name!r}")
    host = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    pg_env = {**os.environ, **({"PGPASSWORD": parts.password} if parts.password else {})}
    if os.environ.get("BENCH_FRESH") == "1":
        subprocess.run(["dropdb", *host, "--if-exists", name], check=True, env=pg_env)
    exists = subprocess.run(
        ["psql", *host, "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
        capture_output=True,
        text=True,
        env=pg_env,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", *host, name], check=True, env=pg_env)
    return urlunsplit(parts._replace(path=f"/{name}"))


def redis_url() -> str:
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(parts._replace(path=f"/{os.environ.get('BENCH_REDIS_DB', '13')}"))


def server_env() -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        {
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url(),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "registry.settings",
            **NO_LIMITS,
        }
    )
    return env


def python(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [str(BIN / "python"), *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(env: dict, workdir: Path) -> tuple[subprocess.Popen, subprocess.Popen, str]:
    port = free_port()
    out = open(workdir / "gunicorn.log", "w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "registry.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(WORKERS)]
        + ["--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [str(BIN / "celery"), "-A", "registry", "worker", "--pool", "solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=open(workdir / "celery.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            request = urllib.request.Request(f"{url}/healthz", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
            urllib.request.urlopen(request, timeout=2)  # noqa: S310 - our own server on loopback
            return server, worker, url
        except Exception:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{(workdir / 'gunicorn.log').read_text()[-3000:]}")
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within a minute")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, 15)
        process.wait(30)
    except ProcessLookupError:
        pass


def settle(url: str, limit: float = 180.0) -> None:
    """Wait until gunicorn has worked off what wrk left queued (sync workers finish requests whose client
    has gone): two quick answers in a row, or `limit` seconds."""
    deadline, quick = time.monotonic() + limit, 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            request = urllib.request.Request(f"{url}/healthz", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
            urllib.request.urlopen(request, timeout=limit)  # noqa: S310 - our own server on loopback
        except Exception:
            time.sleep(0.5)
        quick = quick + 1 if time.monotonic() - started < 0.25 else 0


def worker_peak_rss_mb(master_pid: int) -> list[float]:
    """Peak resident memory (VmHWM) of each gunicorn worker, i.e. each child of the master."""
    peaks = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master_pid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


def main() -> int:
    if not load.available():
        sys.exit(load.INSTALL_HINT)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    env = server_env()
    log(f"database {urlsplit(env['DATABASE_URL']).path[1:]}, Redis {env['REDIS_URL']}, {TALENT:,} talent")
    python(env, "manage.py", "migrate", "--noinput")
    python(env, "manage.py", "seed_demo")
    started = time.monotonic()
    log(python(env, "manage.py", "seed_bench", "--talent", str(TALENT)).strip())
    seed_seconds = time.monotonic() - started
    fixtures = json.loads(python(env, "bench/prepare.py", str(workdir), str(IMPORT)).strip().splitlines()[-1])
    plan = benchmarks(fixtures, CONNECTIONS)
    first_requests = [
        {"name": b.name, "method": m, "path": p, "body": body, "headers": b.headers}
        for b in plan
        for m, p, body in b.requests[:1]
    ]
    queries = json.loads(
        python(env, "bench/queries.py", stdin=json.dumps(first_requests)).strip().splitlines()[-1]
    )
    server, worker, url = start(env, workdir)
    results = []
    try:
        for bench in plan:
            load.run(bench, url, workdir, min(2, SECONDS))  # warm-up: connections, caches, imports
            settle(url)
            result = load.run(bench, url, workdir, SECONDS)
            settle(url)
            result["queries"] = queries.get(bench.name)
            results.append(result)
            log(f"{bench.name}: {result['rps']:.0f} req/s, p95 {result['p95_ms']:.1f} ms")
        rss = worker_peak_rss_mb(server.pid)
    finally:
        stop(server)
        stop(worker)
    log(f"import_registry of {IMPORT:,} talent")
    started = time.monotonic()
    python(env, "manage.py", "import_registry", str(workdir / "import.json"))
    import_seconds = time.monotonic() - started
    likeness = None
    if LIKENESS_DESCRIPTORS:
        log(f"likeness search at {LIKENESS_DESCRIPTORS:,} descriptors (bench/likeness.py)")
        output = python(env, "bench/likeness.py", "--n", str(LIKENESS_DESCRIPTORS), "--json")
        likeness = json.loads(output.strip().splitlines()[-1])
    meta = {
        "talent": fixtures["talent_count"],
        "bench_talent": TALENT,
        "seconds_per_benchmark": SECONDS,
        "connections": CONNECTIONS,
        "gunicorn_workers": WORKERS,
        "seed_bench_seconds": round(seed_seconds, 1),
        "throttles": NO_LIMITS,
        "conn_max_age": os.environ.get("CONN_MAX_AGE", "(settings default)"),
        "cpus": os.cpu_count(),
        "workdir": str(workdir),
    }
    extra = {
        "worker_peak_rss_mb": [round(r, 1) for r in rss],
        "import": {"talent": IMPORT, "seconds": round(import_seconds, 1), "per_s": IMPORT / import_seconds},
        **({"likeness": likeness} if likeness else {}),
    }
    table = write_results(ROOT / "bench/results", meta, results, extra)
    print("\n" + table)
    errors = sum(r["errors"] for r in results)
    print(f"\nerrors: {errors} (must be 0); logs and wrk scripts in {workdir}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
