"""A fixed-window counter in the cache (Redis in production, so every process shares it), for rate limits
outside DRF's throttles: the public tracking page, the talent's face self-check."""

from __future__ import annotations

import time

from django.core.cache import cache

DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "20/hour" → (20, 3600): the count and the window in seconds (DRF's notation)."""
    count, _, period = rate.partition("/")
    return int(count), DURATIONS[period[0]]


def allow(key: str, rate: str, *, now: float | None = None) -> bool:
    """Count one use under `key` in the current window; False once over `rate`."""
    limit, window = parse_rate(rate)
    now = time.time() if now is None else now
    slot = f"{key}:{int(now // window)}"
    cache.add(slot, 0, window)
    try:
        count = cache.incr(slot)
    except ValueError:  # expired between add and incr
        cache.set(slot, 1, window)
        count = 1
    return count <= limit


def retry_after(rate: str, *, now: float | None = None) -> int:
    """Seconds until the current window ends (for a Retry-After header)."""
    _, window = parse_rate(rate)
    now = time.time() if now is None else now
    return max(1, int(window - now % window))
