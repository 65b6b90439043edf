"""bench/results/results.md and results.json: each throughput beside the ceiling measured in the same run."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bench.likeness import table as likeness_table


def _row(r: dict, ceiling: float) -> str:
    share = f"{100 * r['rps'] / ceiling:.1f}%" if ceiling else "-"
    items = f"{r['items_per_s']:,.0f} checks/s" if r["items_per_s"] != r["rps"] else ""
    queries = "-" if r.get("queries") is None else str(r["queries"])
    return (
        f"| {r['benchmark']} | {r['connections']} | {r['rps']:,.0f} | {share} | {items} | "
        f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {queries} | {r['errors']} |"
    )


def table(meta: dict, results: list[dict], extra: dict) -> str:
    ceiling = results[0]["rps"] if results else 0
    lines = [
        f"Run {meta['date']}: {meta['talent']:,} talent (seed_bench --talent {meta['bench_talent']:,}), "
        f"gunicorn {meta['gunicorn_workers']} workers, {meta['cpus']} CPUs, wrk {meta['connections']} "
        f"connections, {meta['seconds_per_benchmark']} s each, DEBUG off, PostgreSQL + Redis, "
        f"CONN_MAX_AGE {meta['conn_max_age']}.",
        "",
        "| benchmark | conns | req/s | of ceiling | items/s | median ms | p95 ms | p99 ms | queries/req "
        "| errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(_row(r, ceiling) for r in results),
        "",
        f"- web worker peak RSS: {', '.join(f'{m:.0f} MB' for m in extra['worker_peak_rss_mb'])}",
        f"- `import_registry` of {extra['import']['talent']:,} talent (with terms, 1 in 5 with a license, "
        f"1 in 10 already registered): {extra['import']['seconds']:.1f} s "
        f"({extra['import']['per_s']:,.0f} talent/s)",
        f"- `seed_bench` step: {meta['seed_bench_seconds']:.0f} s (seconds when already seeded)",
    ]
    if "likeness" in extra:
        lines += ["", likeness_table(extra["likeness"])]
    return "\n".join(lines)


def write_results(directory: Path, meta: dict, results: list[dict], extra: dict) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    text = table(meta, results, extra)
    data = json.dumps({"meta": meta, "results": results, **extra}, indent=2)
    # The latest run, and the latest run at this size (results-2000.md, results-1000000.md, …).
    for name in ("results", f"results-{meta['bench_talent']}"):
        (directory / f"{name}.md").write_text(text + "\n")
        (directory / f"{name}.json").write_text(data)
    return text
