"""Role × endpoint matrix: private talent data reaches only the talent, their representatives and staff."""

from datetime import date

import pytest
from django.urls import reverse

from registry.talent.models import Representative
from tests.conftest import make_user
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

SECRETS = {
    "legal_name": "Secretlegal Fullname",
    "email": "hidden-contact@example.org",
    "phone": "+1 555 0199",
    "address": "42 Hidden Lane",
    "membership_number": "U-SECRET-9",
}
DOB = date(1993, 7, 19)
DOB_FORMS = ("1993-07-19", "July 19, 1993", "Jul. 19, 1993", "19/07/1993", "07/19/1993")


@pytest.fixture
def world(talent_user, other_talent_user, representative_user, brand_user, staff_user, supervisor_user):
    talent = TalentFactory(
        user=talent_user,
        stage_name="Public Stagename",
        date_of_birth=DOB,
        **SECRETS,
        representation="Agency X",
    )
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    Representative.objects.create(talent=talent, user=representative_user)
    elsewhere = make_user("agent-elsewhere@example.org", "representative")
    Representative.objects.create(talent=TalentFactory(stage_name="Someone Else"), user=elsewhere)
    return {
        "talent": talent,
        "users": {
            "anonymous": None,
            "own talent": talent_user,
            "other talent": other_talent_user,
            "own representative": representative_user,
            "representative of someone else": elsewhere,
            "brand member": brand_user,
            "staff": staff_user,
            "supervisor": supervisor_user,
        },
    }


def _login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def _assert_no_private(text: str, where: str):
    for name, value in SECRETS.items():
        assert value not in text, f"{name} leaked in {where}"
    for form in DOB_FORMS:
        assert form not in text, f"date of birth leaked in {where}"


def test_public_pages_and_api_never_show_private_fields(client, api_client, world):
    talent = world["talent"]
    pages = [
        reverse("talent:search"),
        reverse("talent:search") + "?q=public",
        reverse("talent:profile", args=[talent.registry_id]),
    ]
    apis = [
        reverse("v1:talent-list"),
        reverse("v1:talent-list") + "?q=stagename",
        reverse("v1:talent-detail", args=[talent.registry_id]),
    ]
    for role, user in world["users"].items():
        _login(client, user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            html = response.content.decode()
            assert "Public Stagename" in html
            _assert_no_private(html, f"{url} as {role}")
        api_client.logout()
        if user is not None:
            api_client.force_authenticate(user)
        for url in apis:
            response = api_client.get(url)
            assert response.status_code == 200, (role, url)
            assert "Public Stagename" in response.content.decode()
            _assert_no_private(response.content.decode(), f"{url} as {role}")
        api_client.force_authenticate(None)


# Expected status per role for each private page (302 = sent to login).
PRIVATE_PAGES = {
    "talent:manage": {
        "anonymous": 302,
        "own talent": 302,  # redirected to /talent/me/
        "other talent": 404,
        "own representative": 200,
        "representative of someone else": 404,
        "brand member": 404,
        "staff": 404,  # staff use the audited member page
        "supervisor": 404,
    },
    "talent:manage-edit": {
        "anonymous": 302,
        "own talent": 200,
        "other talent": 404,
        "own representative": 403,
        "representative of someone else": 404,
        "brand member": 404,
        "staff": 404,
        "supervisor": 404,
    },
    "talent_staff:detail": {
        "anonymous": 302,
        "own talent": 403,
        "other talent": 403,
        "own representative": 403,
        "representative of someone else": 403,
        "brand member": 403,
        "staff": 200,
        "supervisor": 200,
    },
}


@pytest.mark.parametrize("page", sorted(PRIVATE_PAGES))
def test_private_pages_by_role(client, world, page):
    talent = world["talent"]
    url = reverse(page, args=[talent.registry_id])
    for role, user in world["users"].items():
        _login(client, user)
        response = client.get(url)
        expected = PRIVATE_PAGES[page][role]
        assert response.status_code == expected, (page, role, response.status_code)
        if expected == 200:
            assert SECRETS["legal_name"] in response.content.decode()
        else:
            _assert_no_private(response.content.decode(), f"{page} as {role}")


def test_own_dashboard_shows_private_part(client, world):
    _login(client, world["users"]["own talent"])
    html = client.get(reverse("talent:me")).content.decode()
    for value in SECRETS.values():
        assert value in html
    assert "1993-07-19" in html


def test_others_me_page_never_shows_this_talent(client, world):
    for role in ("other talent", "brand member", "representative of someone else", "staff", "supervisor"):
        _login(client, world["users"][role])
        response = client.get(reverse("talent:me"))
        assert response.status_code in (200, 302, 403), role
        _assert_no_private(response.content.decode(), f"/talent/me/ as {role}")
