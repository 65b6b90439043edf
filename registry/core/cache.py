"""A Redis cache that degrades to a miss instead of failing the request when Redis is down, and reuses its
Redis client objects."""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

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


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every cache operation; with redis-py 6 each one fills a
    case-insensitive table of ~170 response callbacks (≈ 0.3 ms). A permission check makes about seven cache
    operations, so that was ~2 ms of a ~5 ms check (cProfile, docs/performance-checks.md). Each connection
    pool's client is built once and reused: a `redis.Redis` is safe to share, it takes a connection from its
    pool per command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

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
