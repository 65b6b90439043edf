"""Onboarding and editing a talent profile; the dashboard's public and private parts."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from registry.talent import profiles, sections
from registry.talent.models import Representative, TalentProfile
from tests.conftest import make_user
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "stage_name": "  Zoë   Çelik ",
    "disciplines": ["model", "actor"],
    "representation": "Lumen Models",
    "bio": "Runway and screen.",
    "legal_name": "Zoë Ayşe Çelik",
    "date_of_birth": "1994-03-14",
    "email": "Zoe@Example.org",
    "phone": "+44 20 7946 0000",
    "address": "1 High Street, London",
    "membership_number": "U-555001",
}


def test_talent_without_profile_is_asked_to_create_it(client, talent_user):
    client.force_login(talent_user)
    response = client.get(reverse("talent:me"))
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:create")
    page = client.get(reverse("talent:create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="public-part"' in html and 'id="private-part"' in html
    assert 'name="legal_name"' in html and 'name="membership_number"' in html


def test_create_profile(client, talent_user):
    client.force_login(talent_user)
    response = client.post(reverse("talent:create"), PROFILE)
    assert response.status_code == 302 and response["Location"] == reverse("talent:me")
    talent = TalentProfile.objects.get(user=talent_user)
    assert talent.stage_name == "Zoë Çelik"
    assert talent.search_name == "zoe celik"
    assert talent.disciplines == ["model", "actor"]
    assert talent.date_of_birth == date(1994, 3, 14)
    assert talent.email == "zoe@example.org"
    assert talent.history.count() == 1 and talent.history.first().history_user == talent_user
    dashboard = client.get(reverse("talent:me")).content.decode()
    terms_link = f"/terms/{talent.registry_id}/"
    for value in ("Zoë Çelik", talent.registry_id, "Zoë Ayşe Çelik", "U-555001", "1994-03-14", terms_link):
        assert value in dashboard
    assert 'id="dashboard-sections"' in dashboard
    # Creating twice is not possible: the create page sends you to your dashboard.
    assert client.get(reverse("talent:create"))["Location"] == reverse("talent:me")


def test_create_profile_validation_keeps_input(client, talent_user):
    client.force_login(talent_user)
    bad = {**PROFILE, "stage_name": "", "date_of_birth": "2999-01-01", "disciplines": ["astronaut"]}
    response = client.post(reverse("talent:create"), bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required" in html
    assert "astronaut is not one of the available choices" in html
    assert "Zoë Ayşe Çelik" in html  # what was typed is kept
    assert not TalentProfile.objects.exists()


def test_future_birth_date_is_refused_by_the_service(client, talent_user):
    client.force_login(talent_user)
    response = client.post(reverse("talent:create"), {**PROFILE, "date_of_birth": "2999-01-01"})
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not TalentProfile.objects.exists()


def test_edit_profile_is_recorded_in_history(client, talent_user):
    talent = TalentFactory(user=talent_user, stage_name="Old Name")
    client.force_login(talent_user)
    form = client.get(reverse("talent:edit"))
    assert form.status_code == 200 and "Old Name" in form.content.decode()
    response = client.post(reverse("talent:edit"), {**PROFILE, "stage_name": "New Name"})
    assert response.status_code == 302
    talent.refresh_from_db()
    assert talent.stage_name == "New Name" and talent.search_name == "new name"
    latest = talent.history.order_by("-history_date").first()
    assert latest.history_type == "~" and latest.history_user == talent_user
    assert latest.stage_name == "New Name"
    assert talent.history.order_by("history_date").first().stage_name == "Old Name"


def test_brand_member_has_no_talent_page(client, brand_user):
    client.force_login(brand_user)
    assert client.get(reverse("talent:me")).status_code == 403
    assert client.get(reverse("talent:create")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    for name in ("talent:me", "talent:create", "talent:edit"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_representative_without_profile_sees_talent_they_represent(client, representative_user):
    talent = TalentFactory(stage_name="Kofi Mensah")
    Representative.objects.create(talent=talent, user=representative_user)
    client.force_login(representative_user)
    html = client.get(reverse("talent:me")).content.decode()
    assert "Talent I represent" in html and "Kofi Mensah" in html
    assert reverse("talent:manage", args=[talent.registry_id]) in html


def test_talent_who_also_represents_sees_both(client, talent_user):
    TalentFactory(user=talent_user)
    other = TalentFactory(stage_name="Emi Tanaka")
    Representative.objects.create(talent=other, user=talent_user)
    client.force_login(talent_user)
    html = client.get(reverse("talent:me")).content.decode()
    assert 'id="represented"' in html and "Emi Tanaka" in html


def test_dashboard_sections_hook(client, talent_user, settings, tmp_path):
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "_probe.html").write_text(
        '<section class="card"><h2>Probe {{ talent.stage_name }} {{ extra }}</h2></section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path / "tpl")]}
    ]
    TalentFactory(user=talent_user, stage_name="Hooked")
    sections.register_dashboard_section(
        "_probe.html", context=lambda request, talent, acting: {"extra": acting}
    )
    try:
        client.force_login(talent_user)
        assert "Probe Hooked talent" in client.get(reverse("talent:me")).content.decode()
        sections.register_dashboard_section("_probe.html", context=lambda request, talent, acting: None)
        assert "Probe" not in client.get(reverse("talent:me")).content.decode()
    finally:
        sections._SECTIONS.pop("_probe.html", None)


def test_new_talent_via_signup_role_gets_profile_role(db):
    user = make_user("fresh@example.org", Role.TALENT)
    talent = profiles.create_profile(
        actor=user, data={"stage_name": "Fresh", "disciplines": ["Voice artist"]}
    )
    assert talent.disciplines == ["voice_artist"]
    assert talent.email == "fresh@example.org"
