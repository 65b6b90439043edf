"""Query counts of the hot path: a single check and a bulk of 1,000 over many distinct talent, cold and warm.

Cold: nothing cached (the first check of each talent after a change or a restart). Warm: the API key and
every talent's facts come from the cache; what is left is the log's INSERT (on PostgreSQL with its
`SET LOCAL synchronous_commit`).
"""

import pytest
from django.core.cache import cache

from registry.brands.models import PermissionCheck
from registry.checks import facts as check_facts
from tests.brands.helpers import bearer, key_from_command
from tests.checks.both_ways import BULK, SINGLE, body
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    return key_from_command("Acme Apparel")


def test_single_check_cold_and_warm(api_client, key, django_assert_max_num_queries):
    talent = TalentFactory()
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    api_client.post(SINGLE, body(talent), format="json", **bearer(key))  # last_used_at written
    cache.clear()
    check_facts.clear_local()
    # key (1), registry ID, profile, versions, terms, licenses (5), the log (1 + SET LOCAL on PostgreSQL)
    with django_assert_max_num_queries(8):
        assert api_client.post(SINGLE, body(talent), format="json", **bearer(key)).status_code == 200
    with django_assert_max_num_queries(2):
        response = api_client.post(SINGLE, body(talent), format="json", **bearer(key))
    assert response.json()["decision"] == "permitted"


def test_bulk_of_1000_over_100_talent_is_a_constant_number_of_queries(
    api_client, key, settings, django_assert_max_num_queries
):
    # Room for 100 talent's entries (the test default keeps 300 entries; Redis and the settings keep more).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
    people = [TalentFactory() for _ in range(100)]
    for person in people[:50]:
        sign_terms(person, {"advertising": ADVERTISING_ALLOW})
    checks = [body(people[i % 100], channel="print" if i % 3 else "online") for i in range(1000)]
    api_client.post(SINGLE, body(people[0]), format="json", **bearer(key))  # last_used_at written
    cache.clear()
    check_facts.clear_local()
    with django_assert_max_num_queries(8):
        cold = api_client.post(BULK, {"checks": checks}, format="json", **bearer(key))
    with django_assert_max_num_queries(2):
        warm = api_client.post(BULK, {"checks": checks}, format="json", **bearer(key))
    assert cold.status_code == warm.status_code == 200
    decisions = [r["decision"] for r in warm.json()["results"]]
    assert decisions == [r["decision"] for r in cold.json()["results"]]
    assert decisions[:2] == ["permitted", "permitted"] and decisions[50:52] == ["license_required"] * 2
    assert PermissionCheck.objects.count() == 2001
