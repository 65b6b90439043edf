"""API keys: format, hashing, 401 for missing/unknown/revoked keys, 403 without the scope, session use,
last-used time, per-key throttling."""

import hashlib

import pytest
from django.utils import timezone

from accounts.roles import Role
from registry.api.auth import OrganizationRateThrottle
from registry.brands import services
from registry.brands.models import ApiKey
from tests.brands.helpers import bearer, key_from_command, key_object, org
from tests.conftest import make_user
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/permissions/check/"


def body(talent="TR-0000-0000"):
    return {
        "talent": talent,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
    }


def test_create_api_key_prints_the_key_last_and_stores_only_a_hash():
    key = key_from_command("Acme Apparel", scopes="check,licenses")
    assert key.startswith("lr_") and " " not in key
    stored = key_object(key)
    assert stored.organization == org("Acme Apparel") and stored.scopes == ["check", "licenses"]
    secret = key.split("_", 2)[2]
    assert stored.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored.hashed_secret
    # The organization is reused, not duplicated.
    key_from_command("acme apparel")
    assert org("Acme Apparel").api_keys.count() == 2


def test_create_api_key_rejects_unknown_scopes():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("create_api_key", "--organization", "Acme", "--scopes", "check,everything")


def test_missing_key_is_401_with_bearer_challenge(api_client):
    response = api_client.post(URL, body(), format="json")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Authentication required: send 'Authorization: Bearer <api key>'.",
        "fields": {},
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer lr_abc_def", "Bearer", "Bearer a b"])
def test_unknown_or_malformed_key_is_401(api_client, header):
    key_from_command("Acme Apparel")
    response = api_client.post(URL, body(), format="json", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_api_key"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_right_prefix_wrong_secret_is_401(api_client):
    key = key_from_command("Acme Apparel")
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    response = api_client.post(URL, body(), format="json", **bearer(tampered))
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


def test_revoked_key_is_401(api_client):
    key = key_from_command("Acme Apparel")
    assert api_client.post(URL, body(), format="json", **bearer(key)).status_code == 200
    services.revoke_api_key(api_key=key_object(key))
    response = api_client.post(URL, body(), format="json", **bearer(key))
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


def test_key_without_check_scope_is_403(api_client):
    key = key_from_command("Acme Apparel", scopes="licenses,reports")
    response = api_client.post(URL, body(), format="json", **bearer(key))
    assert response.status_code == 403
    assert response.json() == {
        "code": "insufficient_scope",
        "detail": "This API key lacks the 'check' scope. An owner can create a key with it.",
        "fields": {},
    }
    bulk = api_client.post(URL + "bulk/", {"checks": [body()]}, format="json", **bearer(key))
    assert bulk.status_code == 403 and bulk.json()["code"] == "insufficient_scope"


def test_brand_member_session_may_call_the_api_for_their_organization(api_client, brand_user):
    organization = services.create_organization(name="Session Brand", actor=brand_user)
    api_client.force_login(brand_user)
    response = api_client.post(URL, body(), format="json")
    assert response.status_code == 200
    check = organization.permission_checks.get()
    assert check.user == brand_user and check.api_key is None


def test_signed_in_user_without_organization_gets_403(api_client):
    user = make_user("loner@example.org", Role.BRAND_MEMBER)
    api_client.force_login(user)
    response = api_client.post(URL, body(), format="json")
    assert response.status_code == 403 and response.json() == {
        "code": "no_organization",
        "detail": "You are not a member of an organization. Create or join one at /brands/.",
        "fields": {},
    }


def test_last_used_is_recorded_at_most_once_a_minute(api_client, time_machine):
    time_machine.move_to("2026-11-26 10:00:00Z", tick=False)
    key = key_from_command("Acme Apparel")
    assert key_object(key).last_used_at is None
    api_client.post(URL, body(), format="json", **bearer(key))
    first = key_object(key).last_used_at
    assert first == timezone.now()
    time_machine.move_to("2026-11-26 10:00:30Z", tick=False)
    api_client.post(URL, body(), format="json", **bearer(key))
    assert key_object(key).last_used_at == first
    time_machine.move_to("2026-11-26 10:01:05Z", tick=False)
    api_client.post(URL, body(), format="json", **bearer(key))
    assert key_object(key).last_used_at > first


def test_throttle_is_per_key_and_answers_429_with_retry_after(api_client, monkeypatch):
    monkeypatch.setitem(OrganizationRateThrottle.THROTTLE_RATES, "check", "2/min")
    key, other = key_from_command("Acme Apparel"), key_from_command("Nimbus Media")
    for _ in range(2):
        assert api_client.post(URL, body(), format="json", **bearer(key)).status_code == 200
    response = api_client.post(URL, body(), format="json", **bearer(key))
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert api_client.post(URL, body(), format="json", **bearer(other)).status_code == 200


def test_single_check_query_count(api_client, django_assert_max_num_queries):
    from tests.factories import ADVERTISING_ALLOW, sign_terms

    talent = TalentFactory()
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    key = key_from_command("Acme Apparel")
    api_client.post(URL, body(talent.registry_id), format="json", **bearer(key))  # last_used_at now set
    # key lookup, talent, signed versions, their terms, the caller's licenses, the log row
    with django_assert_max_num_queries(6):
        response = api_client.post(URL, body(talent.registry_id), format="json", **bearer(key))
    assert response.json()["decision"] == "permitted"


def test_keys_are_unique_and_random():
    organization, _ = services.ensure_organization("Acme Apparel")
    keys = {services.create_api_key(organization=organization, scopes=["check"])[1] for _ in range(5)}
    assert len(keys) == 5
    assert ApiKey.objects.filter(organization=organization).count() == 5
