"""The public fuzzy search works on a bounded candidate set: typos and accents forgiven, a registry ID found
exactly, a constant number of queries, and no COUNT over the fuzzy match (PostgreSQL: the count is over the
ranked candidates' ids)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.talent.search import rank_candidates
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


def _api(api_client, q):
    response = api_client.get(reverse("v1:talent-list"), {"q": q})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Talyor", "Taylor Swift"),
        ("Mitchel", "Anna Mitchell"),
        ("mitchell", "Anna Mitchell"),
        ("zoe celik", "Zoë Çelik"),
        ("ÇELİK", "Zoë Çelik"),
    ],
)
def test_typos_and_accents(api_client, typed, found):
    for name in ("Taylor Swift", "Tao Lin", "Anna Mitchell", "Zoë Çelik", "Mira Chen"):
        TalentFactory(stage_name=name)
    names = [r["stage_name"] for r in _api(api_client, typed)["results"]]
    assert names[0] == found
    assert "Tao Lin" not in names and "Mira Chen" not in names


def test_registry_id_is_exact(api_client):
    wanted = TalentFactory(stage_name="Same Name")
    TalentFactory(stage_name="Same Name")
    body = _api(api_client, wanted.registry_id.lower())
    assert [r["registry_id"] for r in body["results"]] == [wanted.registry_id]


def test_exact_words_rank_before_near_misses():
    candidates = [(1, "anna mitchel", 0.9), (2, "anna mitchell", 0.8), (3, "mitchell", 1.0), (4, "tao", 0.1)]
    assert rank_candidates("mitchell", candidates) == [3, 2, 1]
    assert rank_candidates("talyor", [(5, "tao lin", 0.29), (6, "taylor swift", 0.43)]) == [6]


@pytest.mark.parametrize("q", ["Talyor", "member", "Membre"])
def test_query_count_is_constant_and_nothing_counts_the_fuzzy_match(api_client, q):
    def run():
        with CaptureQueriesContext(connection) as captured:
            _api(api_client, q)
        return [c["sql"] for c in captured.captured_queries]

    TalentFactory(stage_name="Taylor Member")
    few = run()
    for i in range(40):
        TalentFactory(stage_name=f"Member Taylor {i}")
    many = run()
    assert len(many) == len(few) <= 6
    if connection.vendor == "postgresql":
        counts = [sql for sql in many if "COUNT(" in sql.upper()]
        assert counts, many
        for sql in counts:  # counted: the ranked ids, never the trigram or LIKE condition
            assert "LIKE" not in sql.upper() and "<<->" not in sql and "word_similarity" not in sql.lower()
        candidates = [sql for sql in many if "<<->" in sql or "LIKE" in sql.upper()]
        assert candidates and all("LIMIT 200" in sql for sql in candidates), candidates
