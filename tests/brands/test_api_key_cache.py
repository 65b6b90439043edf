"""API keys are resolved from the cache, and a revoked (or deleted) key stops working at once."""

import pytest

from registry.brands import services
from registry.brands.models import Organization
from tests.brands.helpers import bearer, key_from_command, key_object

pytestmark = pytest.mark.django_db

URL = "/api/v1/permissions/checks/"  # the caller's check history: authentication and one page of rows


@pytest.fixture
def key():
    return key_from_command("Acme Apparel")


def test_a_cached_key_costs_no_query(api_client, key, django_assert_num_queries):
    assert api_client.get(URL, **bearer(key)).status_code == 200  # cached, last_used_at written
    with django_assert_num_queries(1):  # the history page itself
        assert api_client.get(URL, **bearer(key)).status_code == 200


def test_a_revoked_key_stops_working_at_once(api_client, key):
    assert api_client.get(URL, **bearer(key)).status_code == 200
    services.revoke_api_key(api_key=key_object(key))
    response = api_client.get(URL, **bearer(key))
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


def test_a_key_revoked_by_its_owner_on_the_web_stops_working_at_once(api_client, client, brand_user):
    organization = services.create_organization(name="Acme Apparel", actor=brand_user)
    _, plaintext = services.create_api_key(organization=organization, name="CI", actor=brand_user)
    assert api_client.get(URL, **bearer(plaintext)).status_code == 200
    services.revoke_api_key(api_key=key_object(plaintext), actor=brand_user)
    assert api_client.get(URL, **bearer(plaintext)).status_code == 401


def test_a_deleted_key_or_organization_stops_working_at_once(api_client, key):
    other = key_from_command("Globex")
    assert api_client.get(URL, **bearer(key)).status_code == 200
    assert api_client.get(URL, **bearer(other)).status_code == 200
    key_object(key).delete()
    Organization.objects.get(name="Globex").delete()
    assert api_client.get(URL, **bearer(key)).status_code == 401
    assert api_client.get(URL, **bearer(other)).status_code == 401


def test_a_wrong_secret_is_refused_even_when_the_key_is_cached(api_client, key):
    assert api_client.get(URL, **bearer(key)).status_code == 200
    assert api_client.get(URL, **bearer(f"{key[:-4]}AAAA")).status_code == 401


def test_a_renamed_organization_is_seen_at_once_by_its_cached_key(api_client, key):
    prefix = "_".join(key.split("_", 2)[:2])
    assert api_client.get(URL, **bearer(key)).status_code == 200
    organization = Organization.objects.get(name="Acme Apparel")
    organization.name = "Acme Apparel Group"
    organization.save()
    assert services._active_key(prefix).organization.name == "Acme Apparel Group"
