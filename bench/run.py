"""`make bench`: fixed-time mixed load against gunicorn on PostgreSQL; prints errors and latency percentiles.

Serves the app as operators do (tests/support/serve.py) on a throw-away PostgreSQL database (DATABASE_URL's
server, default postgres://postgres@127.0.0.1:5432/registry) with demo data, then runs locust headless for
BENCH_SECONDS (default 30) with BENCH_USERS users (default 20). Exit 1 if any request failed.
"""

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.serve import served_app  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
USERS = int(os.environ.get("BENCH_USERS", "20"))


def main() -> int:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/registry")
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    with served_app(workdir, name="bench", workers=3) as served:
        env = {
            **os.environ,
            "BENCH_API_KEY": served.api_key,
            "BENCH_STAFF_SESSION": served.staff_session,
            "BENCH_TALENT_IDS": ",".join(served.talent_ids),
        }
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
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
                served.url,
                "--csv",
                str(workdir / "stats"),
                "--only-summary",
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
    errors = 0
    print(f"\n{'endpoint':<22}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    with open(workdir / "stats_stats.csv") as fh:
        for row in csv.DictReader(fh):
            if row["Name"] == "Aggregated":
                errors = int(row["Failure Count"])
            print(
                f"{row['Name']:<22}{row['Request Count']:>9}{row['Failure Count']:>8}"
                f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
            )
    print(f"\nerrors: {errors} (must be 0); server log and CSVs in {workdir}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
