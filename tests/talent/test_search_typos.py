"""Registry search forgives two neighbouring letters typed the wrong way round ("Talyor" finds "Taylor")."""

import pytest
from django.urls import reverse

from registry.talent.search import MAX_TRANSPOSITIONS, transpositions
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


def test_transpositions_of_each_long_word():
    assert "taylor" in transpositions("talyor")
    assert "lauren zimmermann" in transpositions("lauren zimmremann")
    assert transpositions("ana") == []  # short words: too many false friends
    assert len(transpositions("bartholomew featherstonehaugh")) == MAX_TRANSPOSITIONS


@pytest.mark.parametrize("typed", ["Talyor", "talyor swift", "Tyalor"])
def test_search_finds_a_transposed_name(api_client, typed):
    TalentFactory(stage_name="Taylor Swift")
    TalentFactory(stage_name="Tao Lin")
    response = api_client.get(reverse("v1:talent-list"), {"q": typed})
    assert response.status_code == 200
    assert [r["stage_name"] for r in response.json()["results"]] == ["Taylor Swift"]


def test_transposition_does_not_add_queries(api_client, django_assert_max_num_queries):
    TalentFactory(stage_name="Taylor Swift")
    with django_assert_max_num_queries(6):
        assert api_client.get(reverse("v1:talent-list"), {"q": "Talyor"}).status_code == 200
