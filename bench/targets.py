"""What each benchmark requests: built from the seeded data that bench/prepare.py sampled."""

from __future__ import annotations

import json
import random
from urllib.parse import quote

from bench.load import Benchmark

USES = ["advertising", "editorial", "digital_alteration", "replica_use", "ai_training"]
HTTPS = {"X-Forwarded-Proto": "https"}


def check_body(rng: random.Random, registry_ids: list[str]) -> dict:
    return {
        "talent": rng.choice(registry_ids),
        "use": rng.choice(USES),
        "modality": rng.choice(["image", "video", "voice"]),
        "territory": rng.choice(["US", "CA", "GB", "DE", "FR"]),
        "channel": rng.choice(["online", "print", "social"]),
        "date": "2026-06-01",
    }


def name_queries(names: list[str], typos: list[str]) -> list[str]:
    """Whole names, a family name alone, a first name alone, and typos."""
    queries = []
    for name in names[:60]:
        parts = name.split()
        queries += [name, parts[-1], parts[0]]
    return queries + typos


def benchmarks(fx: dict, connections: int) -> list[Benchmark]:
    rng = random.Random(17)
    ids, names = fx["registry_ids"], fx["names"]
    api = {**HTTPS, "Authorization": f"Bearer {fx['api_key']}"}
    staff = {**HTTPS, "Cookie": f"sessionid={fx['staff_session']}"}
    names_q = [quote(q) for q in name_queries(names, fx["typos"])]
    single = [("POST", "/api/v1/permissions/check/", json.dumps(check_body(rng, ids))) for _ in range(300)]
    bulk = [
        (
            "POST",
            "/api/v1/permissions/check/bulk/",
            json.dumps({"checks": [check_body(rng, ids) for _ in range(1000)]}),
        )
        for _ in range(4)
    ]
    queue_filters = [
        "status=open&sort=priority",
        "status=open&sort=due&priority=high",
        "status=open&use=advertising&sort=newest",
        "status=open&platform=instagram&sort=priority",
        "status=triage&sort=oldest",
    ]
    return [
        Benchmark(
            "ceiling (JSON 404)",
            [("GET", "/api/v1/bench-ceiling/", None)],
            HTTPS,
            connections,
            expect_status=404,
        ),
        Benchmark("single check", single, api, connections),
        Benchmark("bulk check (1,000/call)", bulk, api, connections, items_per_request=1000),
        Benchmark(
            "fuzzy name search",
            [("GET", f"/api/v1/talent/?q={q}", None) for q in names_q],
            HTTPS,
            connections,
        ),
        Benchmark(
            "search by registry ID",
            [("GET", f"/api/v1/talent/?q={i}", None) for i in ids[:200]],
            HTTPS,
            connections,
        ),
        Benchmark(
            "staff queue page (50)",
            [("GET", f"/staff/cases/?{f}&per_page=50", None) for f in queue_filters],
            staff,
            connections,
        ),
        Benchmark(
            "case API list",
            [("GET", "/api/v1/cases/", None), ("GET", "/api/v1/cases/?status=open&ordering=due", None)],
            staff,
            connections,
        ),
        Benchmark(
            "case search",
            [("GET", f"/api/v1/cases/?q={quote(n)}", None) for n in names[:100]],
            staff,
            connections,
        ),
        Benchmark(
            "staff member search",
            [("GET", f"/staff/talent/?q={q}", None) for q in names_q],
            staff,
            connections,
        ),
    ]
