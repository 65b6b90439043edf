"""Likeness search at scale (issue 19): `python bench/likeness.py [--n 1000000]`; `make bench` runs it too.

Synthetic descriptors shaped like dlib's (measured on the astronaut and 90 LFW faces: a shared mean of norm
~1.3, different people ~0.73 apart with variance falling off across directions, photos of one person ~0.3
apart): N/5 identities with 5 photos each. Measured:
- the HNSW index (registry.likeness.index.ApproximateIndex) at N: build time (every core), memory (the
  index's own count and the process's resident-memory growth), one query (k=10) p50/p95/p99 over --queries
  queries (half new photos of registered people, half unregistered faces), recall@10 against exact search on
  a sample, and the share of true matches (within LIKENESS_MATCH_THRESHOLD) it finds;
- the exact numpy index at --exact-n (LIKENESS_EXACT_MAX, 200,000) for comparison;
- one evidence image end to end: faces.find_faces on a 1280x960 JPEG with the astronaut in it, then a search
  at N for each face found (median and p95 of --runs).
Writes bench/results/likeness.md and likeness.json; prints the table, and with --json the JSON last.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry.likeness import faces  # noqa: E402
from registry.likeness.index import (  # noqa: E402
    CONNECTIVITY,
    EXPANSION_ADD,
    EXPANSION_SEARCH,
    ApproximateIndex,
    ExactIndex,
)

DEFAULT_N = int(os.environ.get("BENCH_DESCRIPTORS", 1_000_000))
MATCH_THRESHOLD = 0.5
PER_IDENTITY = 5
PHOTO_NOISE = 0.019  # per coordinate: two photos of one person ~0.3 apart
IDENTITY_SPREAD = 0.046  # per coordinate on average: two people ~0.73 apart
CHUNK = 100_000
SWEEP = (256, 512, 2048, 4096)


def log(message: str) -> None:
    print(f"[bench likeness {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _shape(seed: int = 99) -> tuple[np.ndarray, np.ndarray]:
    """The shared mean and the per-direction spread of identities (1/(i+8), a fall-off like real ones)."""
    rng = np.random.default_rng(seed)
    mean = rng.normal(size=128)
    mean *= 1.3 / np.linalg.norm(mean)
    basis = np.linalg.qr(rng.normal(size=(128, 128)))[0]
    spread = 1 / (np.arange(128) + 8.0)
    spread *= 128 * IDENTITY_SPREAD**2 / spread.sum()
    return mean, (basis * np.sqrt(spread)).T  # rows: scaled directions


def identities(count: int, seed: int) -> np.ndarray:
    mean, directions = _shape()
    rng = np.random.default_rng(seed)
    return (mean + rng.normal(size=(count, 128)) @ directions).astype(np.float32)


def photos_of(centres: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (centres + rng.normal(scale=PHOTO_NOISE, size=centres.shape)).astype(np.float32)


def synthetic_descriptors(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(n, 128) float32 descriptors, PER_IDENTITY photos per identity, and the identities' centres."""
    centres = identities(-(-n // PER_IDENTITY), seed)
    vectors = np.empty((n, 128), dtype=np.float32)
    for start in range(0, n, CHUNK):
        rows = np.arange(start, min(n, start + CHUNK))
        vectors[rows] = photos_of(centres[rows // PER_IDENTITY], seed + 1 + start // CHUNK)
    return vectors, centres


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentiles(seconds: list[float]) -> dict:
    ms = np.asarray(seconds) * 1000
    return {f"p{p}_ms": round(float(np.percentile(ms, p)), 3) for p in (50, 95, 99)}


def queries_for(centres: np.ndarray, count: int, seed: int = 7) -> np.ndarray:
    """Half new photos of registered identities, half faces of people who are not registered."""
    rng = np.random.default_rng(seed)
    known = photos_of(centres[rng.choice(len(centres), count // 2, replace=False)], seed + 1)
    unknown = photos_of(identities(count - count // 2, seed + 2), seed + 3)
    return np.concatenate([known, unknown])


def time_queries(index, queries: np.ndarray) -> tuple[list[float], list[list[tuple[int, float]]]]:
    timings, answers = [], []
    for query in queries:
        started = time.perf_counter()
        answers.append(index.search(query, k=10))
        timings.append(time.perf_counter() - started)
    return timings, answers


def exact_neighbours(vectors: np.ndarray, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Brute force over every descriptor, in blocks (ids are positions + 1)."""
    norms = np.einsum("ij,ij->i", vectors, vectors)
    best = np.empty((len(queries), k), dtype=np.int64)
    best_d = np.empty((len(queries), k), dtype=np.float32)
    for first in range(0, len(queries), 20):
        block = queries[first : first + 20]
        squared = norms[:, None] - 2.0 * (vectors @ block.T)
        for column, query in enumerate(block):
            nearest = np.argpartition(squared[:, column], k)[:k]
            distances = np.linalg.norm(vectors[nearest] - query, axis=1)
            order = np.argsort(distances)
            best[first + column], best_d[first + column] = nearest[order] + 1, distances[order]
    return best, best_d


def bench_exact(n: int, query_count: int) -> dict:
    vectors, centres = synthetic_descriptors(n, seed=1)
    before = rss_mb()
    index = ExactIndex()
    started = time.perf_counter()
    for start in range(0, n, 10_000):  # grown in many adds, as descriptors arrive
        index.add(np.arange(start + 1, min(n, start + 10_000) + 1), vectors[start : start + 10_000])
    build = time.perf_counter() - started
    timings, _ = time_queries(index, queries_for(centres, query_count))
    return {
        "descriptors": n,
        "build_s": round(build, 2),
        "index_mb": round(index.memory_usage() / 2**20, 1),
        "rss_delta_mb": round(rss_mb() - before, 1),
        **percentiles(timings),
    }


def bench_approximate(n: int, query_count: int, recall_sample: int) -> tuple[dict, ApproximateIndex]:
    log(f"generating {n:,} descriptors")
    vectors, centres = synthetic_descriptors(n)
    before = rss_mb()
    index = ApproximateIndex()
    started, cpu_started = time.perf_counter(), time.process_time()
    for start in range(0, n, CHUNK):
        index.add(np.arange(start + 1, min(n, start + CHUNK) + 1), vectors[start : start + CHUNK])
        log(f"HNSW: {len(index):,} added, {time.perf_counter() - started:.0f} s")
    build, build_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rss_delta = rss_mb() - before
    queries = queries_for(centres, query_count)
    timings, answers = time_queries(index, queries)
    log(f"recall against exact search on {recall_sample} queries")
    sample = np.random.default_rng(11).choice(len(queries), recall_sample, replace=False)
    truth, truth_d = exact_neighbours(vectors, queries[sample])
    found = [{i for i, _ in answers[row]} for row in sample]
    recall = np.mean([len(set(t.tolist()) & f) / 10 for t, f in zip(truth, found, strict=True)])
    matches = [
        int(i) in f
        for t, d, f in zip(truth, truth_d, found, strict=True)
        for i, x in zip(t, d, strict=True)
        if x <= MATCH_THRESHOLD
    ]
    sweep = []
    for expansion in SWEEP:  # the same sample at other search widths, for the choice of EXPANSION_SEARCH
        index.expansion_search = expansion
        timings_e, answers_e = time_queries(index, queries[sample])
        found_e = [{i for i, _ in a} for a in answers_e]
        hits = sum(len(set(t.tolist()) & f) for t, f in zip(truth, found_e, strict=True))
        true_found = sum(
            int(i) in f
            for t, d, f in zip(truth, truth_d, found_e, strict=True)
            for i, x in zip(t, d, strict=True)
            if x <= MATCH_THRESHOLD
        )
        sweep.append(
            {
                "expansion_search": expansion,
                "recall_at_10": round(hits / truth.size, 4),
                "true_matches_found": f"{true_found}/{len(matches)}",
                **percentiles(timings_e),
            }
        )
    index.expansion_search = EXPANSION_SEARCH
    return {
        "descriptors": n,
        "identities": len(centres),
        "build_s": round(build, 1),
        "build_cpu_s": round(build_cpu, 1),
        "build_per_s": round(n / build),
        "index_mb": round(index.memory_usage() / 2**20, 1),
        "rss_delta_mb": round(rss_delta, 1),
        "peak_rss_mb": round(rss_mb("VmHWM"), 1),
        "bytes_per_descriptor": round(index.memory_usage() / n),
        "queries": len(queries),
        **percentiles(timings),
        "recall_at_10": round(float(recall), 4),
        "recall_sample": recall_sample,
        "true_matches_found": f"{sum(matches)}/{len(matches)}",
        "sweep": sweep,
        "hnsw": {
            "connectivity": CONNECTIVITY,
            "expansion_add": EXPANSION_ADD,
            "expansion_search": EXPANSION_SEARCH,
        },
    }, index


def evidence_image() -> bytes:
    """A 1280x960 JPEG (q85): a street-like background with the astronaut's portrait pasted at 360 px."""
    from PIL import Image
    from skimage import data

    background = Image.fromarray(data.coffee()).resize((1280, 960))
    portrait = Image.fromarray(data.astronaut()).resize((360, 360))
    background.paste(portrait, (700, 300))
    out = io.BytesIO()
    background.save(out, format="JPEG", quality=85)
    return out.getvalue()


def bench_evidence(index: ApproximateIndex, runs: int) -> dict:
    image = evidence_image()
    faces.find_faces(image)  # loads the models once (as a warm worker has)
    timings, cpu, found = [], [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        found = faces.find_faces(image)
        for face in found:
            index.search(face.descriptor, k=10)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return {
        "image": "1280x960 JPEG, one face",
        "faces": len(found),
        "runs": runs,
        **percentiles(timings),
        "cpu_p50_ms": round(float(np.median(cpu)) * 1000, 1),
    }


def table(result: dict) -> str:
    a, e, img = result["approximate"], result["exact"], result["evidence"]
    return "\n".join(
        [
            f"Likeness search, {result['date']}: {result['cpus']} CPUs, load average {result['load_before']} "
            f"before, {result['load_after']} after (a shared machine). Synthetic dlib-like descriptors.",
            "",
            "| index | descriptors | build s | index MB | RSS growth MB | p50 ms | p95 ms | p99 ms "
            "| recall@10 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| HNSW (usearch, f32, M={a['hnsw']['connectivity']}, ef_add={a['hnsw']['expansion_add']}, "
            f"ef_search={a['hnsw']['expansion_search']}) | {a['descriptors']:,} | {a['build_s']} | "
            f"{a['index_mb']:,} | {a['rss_delta_mb']:,} | {a['p50_ms']} | {a['p95_ms']} | {a['p99_ms']} | "
            f"{a['recall_at_10']} |",
            f"| exact (numpy) | {e['descriptors']:,} | {e['build_s']} | {e['index_mb']:,} | "
            f"{e['rss_delta_mb']:,} | {e['p50_ms']} | {e['p95_ms']} | {e['p99_ms']} | 1.0 |",
            "",
            f"- queries: {a['queries']:,} per index (k=10, one thread), half new photos of registered "
            f"people, half unregistered faces; recall@10 on {a['recall_sample']} of them against exact "
            f"search; "
            f"true matches (within {MATCH_THRESHOLD}) found by HNSW: {a['true_matches_found']}",
            f"- HNSW build: {a['build_s']} s wall, {a['build_cpu_s']} s CPU (threads summed) on a shared "
            f"machine, {a['build_per_s']:,} descriptors/s, {a['bytes_per_descriptor']} bytes per "
            f"descriptor, process peak RSS {a['peak_rss_mb']:,} MB (with the {a['descriptors']:,} input "
            "vectors)",
            "- by search width, on the recall sample: recall@10, true matches found, one query's p50/p95: "
            + "; ".join(
                f"ef_search={s['expansion_search']}: {s['recall_at_10']}, true matches "
                f"{s['true_matches_found']}, {s['p50_ms']}/{s['p95_ms']} ms"
                for s in a["sweep"]
            ),
            f"- one evidence image ({img['image']}, {img['faces']} face found): find_faces + search at "
            f"{a['descriptors']:,}: median {img['p50_ms']:.0f} ms, p95 {img['p95_ms']:.0f} ms over "
            f"{img['runs']} runs (CPU time median {img['cpu_p50_ms']:.0f} ms)",
        ]
    )


def run(n: int, exact_n: int, query_count: int, recall_sample: int, runs: int) -> dict:
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    log(f"exact numpy index at {exact_n:,}")
    exact = bench_exact(exact_n, query_count)
    approximate, index = bench_approximate(n, query_count, recall_sample)
    log("one evidence image")
    evidence = bench_evidence(index, runs)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "approximate": approximate,
        "exact": exact,
        "evidence": evidence,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="descriptors in the HNSW index")
    parser.add_argument("--exact-n", type=int, default=200_000, help="descriptors in the exact index")
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--recall-sample", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20, help="evidence-image runs")
    parser.add_argument("--json", action="store_true", help="print the results as JSON, last")
    args = parser.parse_args(argv)
    result = run(args.n, args.exact_n, args.queries, args.recall_sample, args.runs)
    directory = ROOT / "bench/results"
    directory.mkdir(parents=True, exist_ok=True)
    text = table(result)
    (directory / "likeness.md").write_text(text + "\n")
    (directory / "likeness.json").write_text(json.dumps(result, indent=2))
    print(text)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
