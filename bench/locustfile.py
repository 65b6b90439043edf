"""Mixed load: public search, permission checks (single and bulk), report filing, the staff queue."""

import os
import random

from locust import HttpUser, between, task

API_KEY = os.environ["BENCH_API_KEY"]
STAFF_SESSION = os.environ["BENCH_STAFF_SESSION"]
TALENT_IDS = os.environ["BENCH_TALENT_IDS"].split(",")
QUERIES = ["ana", "reyes", "zoe", "jose", "kofi", "mensah", "lee", "a"]
USES = ["advertising", "editorial", "digital_alteration", "replica_use", "ai_training"]


def check_body():
    return {
        "talent": random.choice(TALENT_IDS),
        "use": random.choice(USES),
        "modality": random.choice(["image", "video", "voice"]),
        "territory": random.choice(["US", "CA", "DE", "FR"]),
        "channel": random.choice(["online", "print", "social"]),
        "date": "2026-06-01",
    }


class Visitor(HttpUser):
    wait_time = between(0.05, 0.2)
    headers = {"X-Forwarded-Proto": "https"}

    @task(4)
    def search(self):
        self.client.get(f"/api/v1/talent/?q={random.choice(QUERIES)}", headers=self.headers, name="search")

    @task(8)
    def check(self):
        self.client.post(
            "/api/v1/permissions/check/",
            json=check_body(),
            headers={**self.headers, "Authorization": f"Bearer {API_KEY}"},
            name="check",
        )

    @task(1)
    def bulk(self):
        self.client.post(
            "/api/v1/permissions/check/bulk/",
            json={"checks": [check_body() for _ in range(100)]},
            headers={**self.headers, "Authorization": f"Bearer {API_KEY}"},
            name="check bulk (100)",
        )

    @task(1)
    def report(self):
        self.client.post(
            "/api/v1/reports/",
            json={
                "urls": [f"https://www.tiktok.com/@someone/video/{random.randint(1, 10**9)}"],
                "platform": "tiktok",
                "talent": random.choice(TALENT_IDS),
                "description": "An AI-generated advert that uses this performer's face without consent.",
                "relationship": "fan",
                "reporter_email": "bench@example.org",
            },
            headers=self.headers,
            name="report",
        )

    @task(2)
    def staff_queue(self):
        self.client.get(
            "/api/v1/cases/?page=1",
            headers=self.headers,
            cookies={"sessionid": STAFF_SESSION},
            name="staff queue",
        )
