"""Per-IP rate limits of the public cases pages, read at call time from the DRF scopes:

- "reports" (THROTTLE_REPORTS, e.g. "20/hour"): misuse reports, one budget shared by the web form and the API;
- "tracking" (THROTTLE_TRACKING, e.g. "120/min"): the web tracking page (the API's tracking endpoint has the
  same rate through DRF's ScopedRateThrottle).

Counters live in the cache (Redis in production, so every web process shares them).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from registry.core import clientip, ratelimit

TRACKING_RATE = "120/min"


def _scope(scope: str, default: str) -> str:
    return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(scope) or default


def scope_rate(scope: str, default: str) -> tuple[int, int]:
    return ratelimit.parse_rate(_scope(scope, default))


def report_rate() -> tuple[int, int]:
    return scope_rate("reports", "20/hour")


def client_ip(request) -> str:
    return clientip.client_ip(request) or "unknown"


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


def allow_tracking(ip: str, *, now: float | None = None) -> bool:
    """Count a tracking-page view (or a guess) for `ip` in a fixed window; False once over the rate."""
    return ratelimit.allow(f"cases:tracking:{ip}", _scope("tracking", TRACKING_RATE), now=now)


def tracking_retry_after(*, now: float | None = None) -> int:
    return ratelimit.retry_after(_scope("tracking", TRACKING_RATE), now=now)
