"""The web check form picks a person (by name or registry ID, with the htmx matches) and names the reason in
words; the impostor story ends safely on the page and over the API."""

from datetime import date

import pytest

from accounts.roles import Role
from registry.brands import services
from registry.brands.models import PermissionCheck
from registry.talent import profiles
from tests.brands.helpers import bearer, key_from_command
from tests.checks.both_ways import ask, sign_terms_naming
from tests.conftest import make_user
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

URL = "/brands/check/"
PEOPLE = "/brands/check/people/"


@pytest.fixture
def acme(brand_user):
    return services.create_organization(name="Acme Apparel", actor=brand_user)


@pytest.fixture
def brand(client, brand_user, acme):
    client.force_login(brand_user)
    return client


@pytest.fixture
def ana():
    talent = TalentFactory(stage_name="Ana Reyes", date_of_birth=date(1996, 4, 2), registry_id="TR-7KQ0-M1XD")
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    return talent


def form(talent: str, **overrides) -> dict:
    return {
        "talent": talent,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
        "date": "2026-06-01",
        **overrides,
    }


def page_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_typed_name_matching_one_person_is_checked_for_her(brand, ana):
    text = page_text(brand.post(URL, form("ana reyes")))
    assert 'id="decision"' in text and "Permitted" in text and "TR-7KQ0-M1XD" in text
    assert PermissionCheck.objects.get().talent == ana


def test_a_typed_name_is_never_answered_not_registered(brand, ana):
    text = page_text(brand.post(URL, form("Bea Nobody")))
    assert "No registered person matches" in text and 'id="decision"' not in text
    assert "Not registered" not in text
    assert PermissionCheck.objects.count() == 0


def test_several_matches_ask_to_choose_and_the_choice_decides(brand, ana):
    other = TalentFactory(stage_name="Ana Lima", is_verified=False)
    text = page_text(brand.post(URL, form("Ana")))
    assert "Several people match" in text and PermissionCheck.objects.count() == 0
    assert f'value="{ana.registry_id}"' in text and f'value="{other.registry_id}"' in text
    text = page_text(brand.post(URL, {**form("Ana"), "person": other.registry_id}))
    assert PermissionCheck.objects.get().talent == other
    assert "not yet verified by the union" in text


@pytest.mark.parametrize("typed", ["tr-7kq0-m1xd", "TR7KQOM1XD", "tr-7kqo-mixd"])
def test_a_typed_id_is_read_as_crockford_reads_it(brand, ana, typed):
    text = page_text(brand.post(URL, form(typed)))
    assert "Permitted" in text
    assert PermissionCheck.objects.get().talent_registry_id == "TR-7KQ0-M1XD"


def test_an_unknown_id_is_not_registered(brand, ana):
    text = page_text(brand.post(URL, form("TR-0000-0000")))
    assert "Not registered" in text


def test_the_people_endpoint_matches_names_and_ids(brand, ana):
    TalentFactory(stage_name="Bruno Costa")
    by_name = page_text(brand.get(PEOPLE, {"talent": "ana"}))
    assert "Ana Reyes" in by_name and "Bruno" not in by_name and "verified by the union" in by_name
    by_id = page_text(brand.get(PEOPLE, {"talent": "tr7kq0m1xd"}))
    assert f'value="{ana.registry_id}"' in by_id
    assert "No registered person matches" in page_text(brand.get(PEOPLE, {"talent": "zzz"}))
    assert "1996" not in by_name and ana.legal_name not in by_name  # public fields only


def test_the_people_endpoint_is_for_brand_members(client, talent_user):
    client.force_login(talent_user)
    assert client.get(PEOPLE, {"talent": "ana"}).status_code in (302, 403)


@pytest.mark.parametrize(
    "overrides,words",
    [
        ({"territory": "DE"}, "not in Germany: the terms cover CA and US"),
        ({"modality": "voice"}, "not for voice: the terms cover image and video"),
        ({"channel": "broadcast"}, "not on broadcast: the terms cover online and print"),
        ({"date": "2028-01-01"}, "not on 2028-01-01: the terms run from 2026-01-01 to 2027-12-31"),
        ({"product_category": "cigarettes"}, "The talent&#x27;s terms exclude tobacco"),
    ],
)
def test_the_answer_names_the_reason_in_words(brand, ana, overrides, words):
    assert words in page_text(brand.post(URL, form(ana.registry_id, **overrides)))


def test_the_words_for_a_minor_and_for_named_organizations(brand, acme, ana):
    young = TalentFactory(stage_name="Mia Young", date_of_birth=date(2010, 3, 3))
    sign_terms(young, {"advertising": ADVERTISING_ALLOW}, signed_as="guardian")
    text = page_text(brand.post(URL, form(young.registry_id, product_category="wine")))
    assert "Denied" in text and "The talent is a minor: never for alcohol." in text
    nimbus = services.create_organization(
        name="Nimbus Media", actor=make_user("n@example.org", Role.BRAND_MEMBER)
    )
    named = TalentFactory(stage_name="Nia Named")
    sign_terms_naming(named, {"advertising": ADVERTISING_ALLOW}, {"advertising": [nimbus]})
    text = page_text(brand.post(URL, form(named.registry_id)))
    assert "License required" in text and "only for the organizations the talent named" in text


def test_impostor_story_an_unverified_self_registered_profile_never_permits(client, brand, ana, api_client):
    """Someone registers as Ana (same name, same birth date) and signs generous allow terms."""
    impostor_user = make_user("fake-ana@example.org", Role.TALENT)
    impostor = profiles.create_profile(
        actor=impostor_user,
        data={"stage_name": "Ana Reyes", "legal_name": ana.legal_name, "date_of_birth": date(1996, 4, 2)},
    )
    assert impostor.is_verified is False
    sign_terms(
        impostor,
        {"advertising": {**ADVERTISING_ALLOW, "territories": ["worldwide"], "excluded_categories": []}},
        user=impostor_user,
    )
    # Over the API (single and bulk): license_required, unverified_profile, verified false.
    key = key_from_command("Acme Apparel")
    answer = ask(api_client, key, impostor)
    assert answer["decision"] == "license_required" and answer["verified"] is False
    assert answer["basis"]["reason"] == "unverified_profile"
    assert (
        api_client.post(
            "/api/v1/permissions/check/",
            {
                "talent": impostor.registry_id,
                "use": "advertising",
                "modality": "video",
                "territory": "DE",
                "channel": "social",
            },
            format="json",
            **bearer(key),
        ).json()["decision"]
        == "license_required"
    )
    # On the page: typing her name finds two people, who must be told apart; choosing the impostor says why.
    text = page_text(brand.post(URL, form("Ana Reyes")))
    assert "Several people match" in text and "not yet verified" in text and "verified by the union" in text
    text = page_text(brand.post(URL, {**form("Ana Reyes"), "person": impostor.registry_id}))
    assert "License required" in text and "Permitted" not in text
    assert "not yet verified by the union" in text
    assert not PermissionCheck.objects.filter(talent=impostor, decision="permitted").exists()
