"""Bulk checks: order kept, per-item errors without failing the rest, at most 1,000, fixed query count."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.brands.models import PermissionCheck
from registry.checks import facts as check_facts
from tests.brands.helpers import bearer, key_from_command
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

URL = "/api/v1/permissions/check/bulk/"


@pytest.fixture
def key():
    return key_from_command("Acme Apparel")


@pytest.fixture
def talents():
    allowed = TalentFactory()
    sign_terms(allowed, {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}})
    return allowed, TalentFactory()


def item(talent, **kw):
    return {
        "talent": talent,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
        "date": "2026-06-01",
        **kw,
    }


def test_results_in_order_with_per_item_errors(api_client, key, talents):
    allowed, bare = talents
    checks = [
        item(allowed.registry_id),
        item(allowed.registry_id, use="hologram"),
        item(bare.registry_id),
        item(allowed.registry_id, use="ai_training"),
        "not an object",
        item("TR-0000-0000"),
        item(allowed.registry_id, territory="XX"),
        item(allowed.registry_id, territory="DE"),
    ]
    response = api_client.post(URL, {"checks": checks}, format="json", **bearer(key))
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == len(checks)
    assert [r.get("decision") for r in results] == [
        "permitted",
        None,
        "license_required",
        "denied",
        None,
        "not_registered",
        None,
        "license_required",
    ]
    assert results[1] == {
        "index": 1,
        "error": {
            "code": "unknown_use",
            "detail": results[1]["error"]["detail"],
            "fields": {"use": [results[1]["error"]["detail"]]},
        },
    }
    assert results[4]["index"] == 4 and results[4]["error"]["code"] == "invalid"
    assert results[6]["error"]["code"] == "unknown_territory" and "territory" in results[6]["error"]["fields"]
    good = [r for r in results if "decision" in r]
    assert all(r["check_id"].startswith("chk_") for r in good)
    assert set(PermissionCheck.objects.values_list("check_id", flat=True)) == {r["check_id"] for r in good}
    assert PermissionCheck.objects.filter(source="bulk").count() == len(good)


def test_more_than_1000_checks_is_400(api_client, key, talents):
    checks = [item(talents[0].registry_id)] * 1001
    response = api_client.post(URL, {"checks": checks}, format="json", **bearer(key))
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_checks" and "checks" in response.json()["fields"]
    assert PermissionCheck.objects.count() == 0


def test_exactly_1000_checks_are_answered(api_client, key, talents):
    checks = [item(talents[i % 2].registry_id) for i in range(1000)]
    response = api_client.post(URL, {"checks": checks}, format="json", **bearer(key))
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1000
    assert PermissionCheck.objects.count() == 1000


@pytest.mark.parametrize("payload", [{"checks": "x"}, {"checks": {"a": 1}}, {}, [1]])
def test_checks_must_be_a_list(api_client, key, payload):
    response = api_client.post(URL, payload, format="json", **bearer(key))
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_query_count_is_the_same_for_10_and_500_checks(api_client, key, talents):
    def run(n):
        many = [TalentFactory() for _ in range(3)]
        ids = [t.registry_id for t in (*talents, *many)]
        checks = [item(ids[i % len(ids)], channel="print" if i % 3 else "online") for i in range(n)]
        checks[n // 2] = item(ids[0], use="bogus")
        # cold: all facts come from the database (the warm path: test_check_cache.py)
        cache.clear()
        check_facts.clear_local()
        with CaptureQueriesContext(connection) as ctx:
            response = api_client.post(URL, {"checks": checks}, format="json", **bearer(key))
        assert response.status_code == 200 and len(response.json()["results"]) == n
        return len(ctx.captured_queries)

    run(1)  # warm the key's last_used_at
    small, large = run(10), run(500)
    assert small == large
    assert large <= 7
