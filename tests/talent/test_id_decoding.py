"""Registry IDs as Crockford decoding reads them wherever one is typed or sent (product.md §2): search, the
public page, the API detail and terms, the staff member list and report intake; answers carry the canonical
form."""

import pytest
from django.urls import reverse

from registry.cases.intake import resolve_talent
from registry.talent import selectors
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

CANONICAL = "TR-7KQ3-M9X0"
# Lower case, no hyphens, O for 0, L and I for 1 … all read as the same ID.
TYPED = ["tr-7kq3-m9x0", "TR7KQ3M9X0", "tr 7kq3 m9xo", "Tr-7KQ3-M9XO", " tr7kq3-m9x0 "]


@pytest.fixture
def ana():
    talent = TalentFactory(stage_name="Ana Reyes")
    talent.registry_id = CANONICAL
    talent.save()
    return talent


@pytest.mark.parametrize("typed", TYPED)
def test_search_finds_the_talent_by_any_form_of_her_id(client, api_client, ana, typed):
    page = client.get(reverse("talent:search"), {"q": typed})
    assert [t.registry_id for t in page.context["page"].object_list] == [CANONICAL]
    results = api_client.get(reverse("v1:talent-list"), {"q": typed}).json()["results"]
    assert [r["registry_id"] for r in results] == [CANONICAL]
    assert selectors.public_profile(typed) == ana


def test_an_id_that_reads_as_one_letter_apart_is_not_her(ana):
    assert selectors.public_profile("TR-7KQ3-M9X1") is None
    assert list(selectors.search_public_talent("TR-7KQ3-M9X1")) == []
    assert selectors.public_profile("not an id") is None


@pytest.mark.parametrize("typed", ["tr-7kq3-m9x0", "TR7KQ3M9X0", "tr-7kq3-m9xo"])
def test_public_page_redirects_any_form_to_the_canonical_page(client, ana, typed):
    response = client.get(f"/talent/{typed}/")
    assert response.status_code == 301 and response["Location"] == f"/talent/{CANONICAL}/"
    assert "Ana Reyes" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("typed", ["tr-7kq3-m9x0", "TR7KQ3M9X0", "tr-7kq3-m9xo"])
def test_api_detail_and_terms_accept_any_form_and_answer_the_canonical_id(api_client, ana, typed):
    detail = api_client.get(f"/api/v1/talent/{typed}/")
    assert detail.status_code == 200 and detail.json()["registry_id"] == CANONICAL
    terms = api_client.get(f"/api/v1/talent/{typed}/terms/")
    assert terms.status_code == 200, terms.content
    assert CANONICAL in terms.content.decode() and typed not in terms.content.decode()


def test_api_detail_unknown_id_is_404(api_client, ana):
    assert api_client.get("/api/v1/talent/tr-0000-0000/").status_code == 404
    assert api_client.get("/api/v1/talent/nonsense/").json()["code"] == "not_found"


def test_staff_member_list_finds_any_form_of_the_id(client, staff_user, ana):
    TalentFactory(stage_name="Someone Else")
    client.force_login(staff_user)
    for typed in TYPED:
        page = client.get(reverse("talent_staff:list"), {"q": typed}).context["page"]
        assert [t.registry_id for t in page.object_list] == [CANONICAL], typed
    detail = client.get(f"/staff/talent/{CANONICAL.lower()}/")
    assert detail.status_code == 200 and detail.context["talent"] == ana


@pytest.mark.parametrize("typed", TYPED)
def test_report_intake_links_the_talent_named_by_any_form(ana, typed):
    assert resolve_talent(typed) == ana


def test_report_intake_names_the_canonical_id_when_no_one_has_it(ana):
    with pytest.raises(Exception) as exc:
        resolve_talent("tr-0000-000o")
    assert "TR-0000-0000" in str(exc.value)
    assert resolve_talent("Ana Reyes") == ana  # a name still works
