"""Normalised content URLs, so that two reports about the same post or ad land on one case.

Rules (documented in README's *Misuse cases*):
- scheme and host lower-cased; `http` is treated as `https` (the same page served both ways is one piece of
  content); default ports (80, 443) dropped; user info dropped;
- a leading `www.`, `m.` or `mobile.` is dropped (the same content on the desktop and mobile sites);
- `youtu.be/ID` becomes `youtube.com/watch?v=ID`;
- tracking parameters are dropped: `utm_*`, click ids (`fbclid`, `gclid`, `dclid`, `gbraid`, `wbraid`,
  `msclkid`, `yclid`, `twclid`, `ttclid`, `li_fat_id`), share markers (`igshid`, `igsh`, `si`, `ref`,
  `ref_src`, `ref_url`, `mc_cid`, `mc_eid`, `_ga`, `_gl`, `share_id`) and a few per platform (`s`/`t` on X,
  `feature`/`pp` on YouTube, `is_from_webapp`/`sender_device`/`_r`/`_t` on TikTok);
- remaining query parameters are sorted (by name, then value); blank values are kept;
- the fragment and trailing slashes are dropped (`https://example.com/` becomes `https://example.com`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "igsh",
        "si",
        "ref",
        "ref_src",
        "ref_url",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "share_id",
    }
)
HOST_PARAMS = {
    "x.com": {"s", "t"},
    "twitter.com": {"s", "t"},
    "youtube.com": {"feature", "pp"},
    "tiktok.com": {"is_from_webapp", "sender_device", "_r", "_t"},
}
HOST_PREFIXES = ("www.", "m.", "mobile.")
DEFAULT_PORTS = {"http": 80, "https": 443}

_validate = URLValidator(schemes=["http", "https"])


def validate_content_url(value: str) -> str:
    """A reported URL must be an absolute http(s) address (raises ValidationError with a clear message)."""
    value = (value or "").strip()
    try:
        _validate(value)
    except ValidationError:
        raise ValidationError(
            f"{value[:100]!r} is not a web address; use a full http:// or https:// URL.", code="invalid_url"
        )
    return value


def _host(netloc_host: str) -> str:
    host = netloc_host.lower().rstrip(".")
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def _is_tracking(name: str, host: str) -> bool:
    key = name.lower()
    return key.startswith("utm_") or key in TRACKING_PARAMS or key in HOST_PARAMS.get(host, ())


def normalize_url(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = _host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"{host}:{port}" if port is not None and port != DEFAULT_PORTS.get(scheme) else host
    if scheme == "http":
        scheme = "https"
    path = parts.path
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k, host)]
    if host == "youtu.be" and path.strip("/"):
        query.append(("v", path.strip("/").split("/")[0]))
        netloc, path = "youtube.com", "/watch"
    path = path.rstrip("/")
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


PLATFORM_HOSTS = {
    "instagram.com": "instagram",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.watch": "facebook",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "x.com": "x",
    "twitter.com": "x",
    "threads.net": "threads",
    "threads.com": "threads",
    "snapchat.com": "snapchat",
    "linkedin.com": "linkedin",
    "pinterest.com": "pinterest",
    "reddit.com": "reddit",
    "twitch.tv": "twitch",
}


def platform_of(url: str) -> str:
    """The platform a URL belongs to ('website' for any other web address)."""
    host = _host(urlsplit(url).hostname or "")
    while host:
        if host in PLATFORM_HOSTS:
            return PLATFORM_HOSTS[host]
        _, _, host = host.partition(".")
        if "." not in host:
            break
    return "website"
