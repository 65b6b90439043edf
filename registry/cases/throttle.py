"""Per-IP rate limit for misuse reports, shared by the web form and the API (one budget per address).

The rate is the DRF scope "reports" (THROTTLE_REPORTS, e.g. "20/hour"), read at call time; the counter
lives in the cache (Redis in production, so every web process shares it).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def report_rate() -> tuple[int, int]:
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get("reports") or "20/hour"
    count, _, period = rate.partition("/")
    return int(count), DURATIONS[period[0]]


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow_report(ip: str, *, now: float | None = None) -> bool:
    """Record an attempt for `ip`; False when the address has used its budget for the window."""
    limit, window = report_rate()
    now = now if now is not None else time.time()
    key = f"cases:reports:{ip}"
    history = [t for t in cache.get(key, []) if t > now - window]
    if len(history) >= limit:
        cache.set(key, history, window)
        return False
    history.append(now)
    cache.set(key, history, window)
    return True


def retry_after(ip: str, *, now: float | None = None) -> int:
    limit, window = report_rate()
    now = now if now is not None else time.time()
    history = [t for t in cache.get(f"cases:reports:{ip}", []) if t > now - window]
    return max(1, int(history[0] + window - now)) if history else 1
