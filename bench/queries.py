"""Queries per request, in-process (run by bench/run.py with the server's environment): each benchmark's first
request is sent twice through Django's test client; the second (warm caches, as under load) is counted with
CaptureQueriesContext. Reads a JSON list of {name, method, path, body, headers} on stdin; prints {name: n}."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(item: dict) -> int:
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    headers = {}
    for key, value in item["headers"].items():
        if key.lower() == "cookie":
            name, _, session = value.partition("=")
            client.cookies[name] = session
        else:
            headers["HTTP_" + key.upper().replace("-", "_")] = value

    def send():
        if item["method"] == "POST":
            return client.post(
                item["path"], item["body"], content_type="application/json", secure=True, **headers
            )
        return client.get(item["path"], secure=True, **headers)

    send()
    with CaptureQueriesContext(connection) as captured:
        response = send()
    if response.status_code >= 500:
        raise RuntimeError(f"{item['name']}: {response.status_code}")
    return len(captured.captured_queries)


def main() -> None:
    items = json.load(sys.stdin)
    print(json.dumps({item["name"]: count(item) for item in items}))


if __name__ == "__main__":
    main()
