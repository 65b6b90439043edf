"""The public registry: search page and API (accent-insensitive, discipline filter, paging, fixed queries)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster():
    return {
        "zoe": TalentFactory(
            stage_name="Zoë Çelik", disciplines=["model", "actor"], representation="Lumen", is_verified=False
        ),
        "jose": TalentFactory(stage_name="José Núñez", disciplines=["voice_artist"], is_verified=False),
        "bjorn": TalentFactory(stage_name="Björn Åkesson", disciplines=["actor"], is_verified=True),
        "gone": TalentFactory(
            stage_name="Zoe Gone", disciplines=["model"], status="withdrawn", is_verified=False
        ),
    }


def _page_names(client, **params):
    return [t.stage_name for t in client.get(reverse("talent:search"), params).context["page"].object_list]


def _api_names(api_client, **params):
    response = api_client.get(reverse("v1:talent-list"), params)
    assert response.status_code == 200, response.content
    return [r["stage_name"] for r in response.json()["results"]]


@pytest.mark.parametrize("query", ["zoe celik", "ZOË ÇELIK", "Zoe", "celik", "çelik"])
def test_search_is_accent_and_case_insensitive(client, api_client, roster, query):
    assert _page_names(client, q=query) == ["Zoë Çelik"]
    assert _api_names(api_client, q=query) == ["Zoë Çelik"]


def test_search_finds_accented_names_from_plain_text(client, roster):
    assert _page_names(client, q="jose nunez") == ["José Núñez"]
    assert _page_names(client, q="akesson") == ["Björn Åkesson"]
    assert _page_names(client, q="nobody like this") == []


def test_withdrawn_profiles_are_hidden(client, api_client, roster):
    assert "Zoe Gone" not in _page_names(client)
    assert "Zoe Gone" not in _api_names(api_client, q="zoe")
    assert client.get(reverse("talent:profile", args=[roster["gone"].registry_id])).status_code == 404


def test_filter_by_discipline(client, api_client, roster):
    assert _page_names(client, discipline="actor") == ["Björn Åkesson", "Zoë Çelik"]
    assert _api_names(api_client, discipline="voice_artist") == ["José Núñez"]
    assert _page_names(client, q="zoe", discipline="voice_artist") == []
    response = api_client.get(reverse("v1:talent-list"), {"discipline": "astronaut"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_query" and "discipline" in body["fields"]


def test_public_page_shows_public_fields_and_terms_summary(client, roster):
    zoe = roster["zoe"]
    sign_terms(zoe, {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}})
    html = client.get(reverse("talent:profile", args=[zoe.registry_id.lower()]), follow=True).content.decode()
    assert "Zoë Çelik" in html and "Lumen" in html and "Model, Actor" in html
    assert "Terms version 1" in html and "badge allow" in html and "badge deny" in html
    assert 'name="tdm-reservation"' in html  # consent's TDMRep meta is in the head
    assert "Not verified yet" in html
    assert (
        "✓ Verified"
        in client.get(reverse("talent:profile", args=[roster["bjorn"].registry_id])).content.decode()
    )


def test_public_page_without_terms(client, roster):
    html = client.get(reverse("talent:profile", args=[roster["jose"].registry_id])).content.decode()
    assert "No signed terms yet" in html


def test_unknown_registry_id(client):
    assert client.get("/talent/TR-0000-0000/").status_code == 404
    assert client.get("/talent/not-an-id/").status_code == 404


def test_search_page_paginates(client):
    for i in range(25):
        TalentFactory(stage_name=f"Member {i:02d}")
    first = client.get(reverse("talent:search"))
    assert len(first.context["page"].object_list) == 20
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("talent:search"), {"page": 2})
    assert [t.stage_name for t in second.context["page"].object_list] == [
        f"Member {i:02d}" for i in range(20, 25)
    ]


def test_api_detail_with_terms_summary(api_client, roster):
    zoe = roster["zoe"]
    sign_terms(zoe, {"advertising": ADVERTISING_ALLOW}, effective_from=date(2026, 1, 1))
    response = api_client.get(reverse("v1:talent-detail", args=[zoe.registry_id]))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "registry_id",
        "stage_name",
        "disciplines",
        "representation",
        "verified",
        "url",
        "deceased",
        "date_of_death",
        "managed_by",
        "terms",
    }
    assert body["registry_id"] == zoe.registry_id and body["disciplines"] == ["model", "actor"]
    assert body["verified"] is False
    assert (body["deceased"], body["date_of_death"], body["managed_by"]) == (False, None, None)
    assert body["terms"] == {
        "version": 1,
        "effective_from": "2026-01-01",
        "terms": [{"use": "advertising", "decision": "allow"}],
    }
    none = api_client.get(reverse("v1:talent-detail", args=[roster["jose"].registry_id])).json()
    assert none["terms"] is None


def test_api_unknown_id_is_a_json_404(api_client):
    response = api_client.get("/api/v1/talent/TR-0000-0000/")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "detail": "No talent with registry ID TR-0000-0000.",
        "fields": {},
    }
    assert api_client.get("/api/v1/talent/whatever/").json()["code"] == "not_found"


def test_api_list_is_paginated(api_client):
    for i in range(30):
        TalentFactory(stage_name=f"Member {i:02d}")
    body = api_client.get(reverse("v1:talent-list")).json()
    assert body["count"] == 30 and len(body["results"]) == 25 and body["next"]
    assert api_client.get(reverse("v1:talent-list"), {"page": 99}).status_code == 404


def test_schema_documents_talent_endpoints(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/talent/{registry_id}/" in schema and "talent_search" in schema


@pytest.mark.parametrize("path", ["search", "api"])
def test_search_query_count_does_not_grow(client, api_client, django_assert_max_num_queries, path):
    def get():
        if path == "search":
            return client.get(reverse("talent:search"), {"q": "member"})
        return api_client.get(reverse("v1:talent-list"), {"q": "member"})

    for i in range(2):
        TalentFactory(stage_name=f"Member {i}")
    with django_assert_max_num_queries(6) as few:
        assert get().status_code == 200
    for i in range(40):
        TalentFactory(stage_name=f"Member x{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get().status_code == 200


def test_api_detail_query_count(api_client, roster, django_assert_max_num_queries):
    sign_terms(roster["zoe"], {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}})
    with django_assert_max_num_queries(4):
        assert (
            api_client.get(reverse("v1:talent-detail", args=[roster["zoe"].registry_id])).status_code == 200
        )


def test_fuzzy_matching_only_where_trigrams_exist(client):
    """PostgreSQL finds a misspelt name by trigram similarity; SQLite matches plain substrings only."""
    from django.db import connection

    TalentFactory(stage_name="Siobhán O'Connor")
    found = _page_names(client, q="siobhan oconor")
    if connection.vendor == "postgresql":
        assert found == ["Siobhán O'Connor"]
    else:
        assert found == []
    assert _page_names(client, q="SIOBHAN") == ["Siobhán O'Connor"]
