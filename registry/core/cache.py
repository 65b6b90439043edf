"""A Redis cache that degrades to a miss instead of failing the request when Redis is down."""

import logging

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)


def _safe(name, default=None):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
        except Exception as exc:  # redis.ConnectionError, TimeoutError, ...
            log.warning("cache %s failed, treated as a miss: %s", name, exc)
            return default(*args, **kwargs) if callable(default) else default

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    get = _safe("get", lambda key, default=None, version=None: default)
    set = _safe("set")
    add = _safe("add", True)
    delete = _safe("delete", False)
    touch = _safe("touch", False)
    incr = _safe("incr", 1)
    has_key = _safe("has_key", False)
    get_many = _safe("get_many", lambda *a, **k: {})
    set_many = _safe("set_many", lambda *a, **k: [])
    delete_many = _safe("delete_many")
    clear = _safe("clear")
