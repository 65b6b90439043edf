"""The client's address, the same way everywhere (rate limits, signatures, audit): REMOTE_ADDR, or behind
TRUSTED_PROXY_COUNT reverse proxies the address they recorded in X-Forwarded-For (never one a client sent)."""

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    # Each trusted proxy appends the address it received from; the entry `proxies` from the right was written
    # by the outermost trusted proxy, so everything left of it may be forged by the client.
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))]
