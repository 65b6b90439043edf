"""The fuzzy search corrects a mistyped word to registered words one edit from it and tries the words in
another order: the registry's words (`NameWord`) are kept by every way a name is written."""

import json

import pytest
from django.urls import reverse

from registry.importer.apply import run_import
from registry.talent.models import NameWord
from registry.talent.search import one_edit
from registry.talent.selectors import corrected_needles
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


def test_one_edit_drops_swaps_replaces_and_adds_a_letter():
    edits = one_edit("taylor")
    assert {"tayor", "talyor", "taylar", "taylors"} <= edits
    assert "taylor" not in edits and "tylr" not in edits
    assert "müler" in one_edit("müller")  # letters of the word itself, accents included


def test_words_are_kept_on_create_rename_import_and_refill():
    talent = TalentFactory(stage_name="Zoë Çelik-Adams")
    assert {"zoe", "celik-adams"} <= set(NameWord.objects.values_list("word", flat=True))
    talent.stage_name = "Zoë Brightwater"
    talent.save()
    assert NameWord.objects.filter(word="brightwater").exists()
    run_import(json.dumps({"talent": [{"stage_name": "Imported Quintessa", "email": "q@example.org"}]}))
    assert NameWord.objects.filter(word="quintessa").exists()
    NameWord.objects.all().delete()
    NameWord.remember_all()
    assert {"zoe", "brightwater", "imported", "quintessa"} <= set(
        NameWord.objects.values_list("word", flat=True)
    )
    assert not NameWord.objects.filter(word__in=["ab", "a"]).exists()  # under three letters: no trigram


def test_corrections_and_word_orders():
    TalentFactory(stage_name="Lauren Zimmermann")
    TalentFactory(stage_name="Taylor Swift")
    assert corrected_needles("talyor") == ["taylor"]
    assert "lauren zimmermann" in corrected_needles("lauren zimermann")
    assert "lauren zimmermann" in corrected_needles("zimmermann lauren")
    assert "taylor swift" in corrected_needles("swift talyor")
    assert corrected_needles("qqqq") == []  # nothing registered one edit away, one word: nothing to try


@pytest.mark.parametrize("typed", ["lauren zimermann", "Zimmermann Lauren", "Zimermann", "swift talyor"])
def test_search_finds_a_corrected_name(api_client, typed, django_assert_max_num_queries):
    for name in ("Lauren Zimmermann", "Taylor Swift", "Laura Zimmer", "Tao Lin"):
        TalentFactory(stage_name=name)
    with django_assert_max_num_queries(6):
        response = api_client.get(reverse("v1:talent-list"), {"q": typed})
    names = [r["stage_name"] for r in response.json()["results"]]
    assert names and names[0] == ("Taylor Swift" if "swift" in typed else "Lauren Zimmermann"), names
    assert "Tao Lin" not in names
