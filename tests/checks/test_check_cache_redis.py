"""The check path on the production cache (Redis through registry.core.cache.ResilientRedisCache).

Keys live under a prefix of this run only and are deleted one by one at the end: the Redis is shared, so
nothing here flushes it. A cache that is down (nothing listening) costs database queries, never an answer.
"""

import os
import uuid

import pytest
from django.core.cache import cache

from registry.brands import services
from registry.talent import facts as talent_facts
from tests.brands.helpers import bearer, key_from_command, key_object
from tests.checks.both_ways import SINGLE, ask, body
from tests.conftest import REDIS_TEST_URL
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

RESILIENT = "registry.core.cache.ResilientRedisCache"
OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.fixture
def redis_cache(settings):
    prefix = f"test-checkpath-{uuid.uuid4().hex}"
    url = os.environ.get("REDIS_URL") or REDIS_TEST_URL
    settings.CACHES = {
        "default": {"BACKEND": RESILIENT, "LOCATION": url, "KEY_PREFIX": prefix, "OPTIONS": OPTIONS}
    }
    yield cache
    client = cache._cache.get_client(None, write=True)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


@pytest.mark.redis
def test_facts_and_keys_are_cached_in_redis_and_invalidated(
    redis_cache, api_client, staff_user, django_assert_max_num_queries
):
    key = key_from_command("Acme Apparel")
    talent = TalentFactory()
    assert ask(api_client, key, talent)["decision"] == "license_required"
    assert redis_cache.get(talent_facts._key(talent.pk))  # the token lives in Redis
    with django_assert_max_num_queries(2):  # the log only
        api_client.post(SINGLE, body(talent), format="json", **bearer(key))
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    assert ask(api_client, key, talent)["decision"] == "permitted"
    services.revoke_api_key(api_key=key_object(key))
    assert api_client.post(SINGLE, body(talent), format="json", **bearer(key)).status_code == 401


def test_checks_answer_when_the_cache_is_down(settings, api_client):
    settings.CACHES = {
        "default": {"BACKEND": RESILIENT, "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": OPTIONS}
    }
    key = key_from_command("Acme Apparel")
    talent = TalentFactory()
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    assert ask(api_client, key, talent)["decision"] == "permitted"


@pytest.mark.redis
def test_the_cache_builds_its_redis_client_once(redis_cache):
    """Django's client built a new redis.Redis per operation (≈ 0.3 ms each, seven per check)."""
    client = redis_cache._cache.get_client(None, write=True)
    redis_cache.set("reuse", 41)
    assert redis_cache.get("reuse") == 41 and redis_cache.incr("reuse") == 42
    assert redis_cache._cache.get_client(None, write=True) is client
    assert redis_cache._cache.get_client(None) is redis_cache._cache.get_client(None)
