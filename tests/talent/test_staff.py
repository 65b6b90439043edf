"""Staff member pages: list (filters, fixed queries), audited detail, verify, withdraw, roster import."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, has_role
from registry.core.models import AuditEvent
from registry.talent import profiles, representatives, roster, verification
from registry.talent.models import Representative, TalentProfile
from tests.factories import TalentFactory
from tests.talent.conftest import upload

pytestmark = pytest.mark.django_db


def test_only_staff_reach_staff_pages(client, talent_user, representative_user, brand_user):
    talent = TalentFactory(is_verified=False)
    urls = [
        reverse("talent_staff:list"),
        reverse("talent_staff:import"),
        reverse("talent_staff:detail", args=[talent.registry_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous → login
    for user in (talent_user, representative_user, brand_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        response = client.post(
            reverse("talent_staff:verify", args=[talent.registry_id]),
            {"method": "x", "membership_status": "active", "identity_verified": "on"},
        )
        assert response.status_code == 403
    talent.refresh_from_db()
    assert not talent.is_verified
    assert not AuditEvent.objects.exists()


def test_member_list_filters(client, staff_user):
    TalentFactory(stage_name="Zoë Çelik", is_verified=True, membership_status="active")
    TalentFactory(stage_name="José Núñez", membership_number="U-777", is_verified=False)
    TalentFactory(stage_name="Gone Person", status="withdrawn", is_verified=False)
    client.force_login(staff_user)

    def names(**params):
        page = client.get(reverse("talent_staff:list"), params).context["page"]
        return {t.stage_name for t in page.object_list}

    assert names() == {"Zoë Çelik", "José Núñez", "Gone Person"}
    assert names(q="zoe") == {"Zoë Çelik"}
    assert names(q="U-777") == {"José Núñez"}
    assert names(verified="yes") == {"Zoë Çelik"}
    assert names(verified="no") == {"José Núñez", "Gone Person"}
    assert names(membership_status="active") == {"Zoë Çelik"}
    assert names(status="withdrawn") == {"Gone Person"}


def test_member_list_query_count_does_not_grow(
    client, staff_user, supervisor_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    for i in range(3):
        TalentFactory(
            verified_by=supervisor_user, is_verified=True, user=User.objects.create_user(f"m{i}@x.org")
        )
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("talent_staff:list")).status_code == 200
    for i in range(30):
        TalentFactory(
            verified_by=supervisor_user, is_verified=True, user=User.objects.create_user(f"n{i}@x.org")
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("talent_staff:list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25


def test_member_detail_shows_private_data_and_is_audited(client, staff_user):
    talent = TalentFactory(legal_name="Ana María Reyes", membership_number="U-104233", phone="+1 555 0100")
    client.force_login(staff_user)
    html = client.get(reverse("talent_staff:detail", args=[talent.registry_id.lower()])).content.decode()
    for value in ("Ana María Reyes", "U-104233", "+1 555 0100", talent.email):
        assert value in html
    event = AuditEvent.objects.get()
    assert event.actor == staff_user and event.action == "talent.view_private"
    assert event.object_type == "talent.talentprofile" and event.object_id == str(talent.pk)
    assert event.ip_address == "127.0.0.1"


def test_verify_records_who_when_how(client, staff_user):
    talent = TalentFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("talent_staff:verify", args=[talent.registry_id]),
        {
            "identity_verified": "on",
            "membership_status": "active",
            "membership_number": "U-9",
            "method": "id_in_person",
            "note": "Passport  seen",
        },
    )
    assert response.status_code == 302
    talent.refresh_from_db()
    assert talent.is_verified and talent.verified_by == staff_user and talent.verified_at is not None
    assert talent.verification_method == "id_in_person: Passport seen"
    assert talent.verification_method_label == "Identity document seen in person: Passport seen"
    assert talent.membership_status == "active" and talent.membership_number == "U-9"
    assert talent.history.first().history_user == staff_user
    # A verification without saying how, or with a method not on the list, is refused.
    for method in ("", "looked at her"):
        response = client.post(
            reverse("talent_staff:verify", args=[talent.registry_id]),
            {"membership_status": "lapsed", "method": method},
        )
        assert response.status_code == 400
    talent.refresh_from_db()
    assert talent.membership_status == "active"
    # The public sees the badge.
    assert "✓ Verified" in client.get(reverse("talent:profile", args=[talent.registry_id])).content.decode()


def test_withdraw_and_reinstate(client, staff_user, api_client):
    talent = TalentFactory(stage_name="Leaving Soon")
    client.force_login(staff_user)
    assert (
        client.post(reverse("talent_staff:withdraw", args=[talent.registry_id]), {"reason": ""}).status_code
        == 400
    )
    response = client.post(
        reverse("talent_staff:withdraw", args=[talent.registry_id]), {"reason": "Asked to leave"}
    )
    assert response.status_code == 302
    talent.refresh_from_db()
    assert (
        talent.status == "withdrawn" and talent.withdrawal_reason == "Asked to leave" and talent.withdrawn_at
    )
    client.logout()
    assert client.get(reverse("talent:profile", args=[talent.registry_id])).status_code == 404
    assert "Leaving Soon" not in client.get(reverse("talent:search"), {"q": "leaving"}).content.decode()
    assert api_client.get(f"/api/v1/talent/{talent.registry_id}/").status_code == 404
    client.force_login(staff_user)
    client.post(reverse("talent_staff:reinstate", args=[talent.registry_id]))
    talent.refresh_from_db()
    assert talent.status == "active" and talent.withdrawn_at is None


ROSTER = (
    "stage_name,legal_name,email,membership_number,date_of_birth,disciplines\n"
    "Ana Reyes,Ana María Reyes,ana@example.org,U-104233,1996-04-02,model\n"
    'Kofi Mensah,Kofi Mensah,kofi@example.org,U-104234,1990-09-12,"actor;Voice artist"\n'
)


def test_roster_import_creates_and_invites(staff_user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = roster.import_roster(ROSTER.encode(), actor=staff_user)
    assert result.created == ["Ana Reyes", "Kofi Mensah"] and result.invited == [
        "ana@example.org",
        "kofi@example.org",
    ]
    ana = TalentProfile.objects.get(membership_number="U-104233")
    assert ana.legal_name == "Ana María Reyes" and ana.date_of_birth == date(1996, 4, 2)
    assert ana.user.email == "ana@example.org" and not ana.user.has_usable_password()
    assert has_role(ana.user, Role.TALENT)
    assert TalentProfile.objects.get(membership_number="U-104234").disciplines == ["actor", "voice_artist"]
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "kofi@example.org"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body and ana.registry_id in mailoutbox[0].body


def test_roster_reimport_updates_and_is_idempotent(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    roster.import_roster(ROSTER.encode(), actor=staff_user)
    ids = dict(TalentProfile.objects.values_list("membership_number", "registry_id"))
    again = roster.import_roster(ROSTER.encode(), actor=staff_user)
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 2
    changed = ROSTER.replace("Ana María Reyes", "Ana M. Reyes")
    with django_capture_on_commit_callbacks(execute=True):
        result = roster.import_roster(changed.encode(), actor=staff_user)
    assert result.updated == ["Ana Reyes"] and result.invited == []
    assert TalentProfile.objects.get(membership_number="U-104233").legal_name == "Ana M. Reyes"
    assert dict(TalentProfile.objects.values_list("membership_number", "registry_id")) == ids
    assert mailoutbox == []  # no second invitation


def test_roster_links_existing_account(staff_user, talent_user):
    csv_text = f"stage_name,email\nExisting Person,{talent_user.email.upper()}\n"
    result = roster.import_roster(csv_text.encode(), actor=staff_user)
    assert result.invited == []
    assert TalentProfile.objects.get().user == talent_user


def test_bad_roster_changes_nothing_and_names_every_bad_line(staff_user):
    TalentFactory(stage_name="Already Here", membership_number="U-1")
    bad = (
        "stage_name,legal_name,email,membership_number,date_of_birth,disciplines\n"
        "Good Row,Good,good@example.org,U-2,1990-01-01,model\n"
        ",No Name,noname@example.org,U-3,1990-01-01,model\n"
        "Bad Date,X,bad-date@example.org,U-4,02/04/1996,model\n"
        "Bad Mail,X,not-an-email,U-5,,model\n"
        "Bad Discipline,X,disc@example.org,U-6,,astronaut\n"
        "Dup Mail,X,good@example.org,U-7,,\n"
    )
    before = list(TalentProfile.objects.values_list("pk", "stage_name"))
    users = User.objects.count()
    with pytest.raises(roster.RosterError) as caught:
        roster.import_roster(bad.encode(), actor=staff_user)
    errors = caught.value.errors_list
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "stage_name is empty" in errors[0]
    assert "not a date" in errors[1]
    assert "not a valid address" in errors[2]
    assert "astronaut" in errors[3]
    assert "also appears on line 2" in errors[4]
    assert list(TalentProfile.objects.values_list("pk", "stage_name")) == before
    assert User.objects.count() == users


def test_roster_dates_are_read_one_way_only(staff_user):
    """The shared reading of dates (registry.core.values): YYYY-MM-DD, not the compact 19960204."""
    with pytest.raises(roster.RosterError) as caught:
        roster.import_roster(
            b"stage_name,email,date_of_birth\nCompact,c@example.org,19960204\n", actor=staff_user
        )
    assert caught.value.errors_list == ["line 2: date_of_birth '19960204' is not a date (YYYY-MM-DD)."]


def test_roster_with_wrong_columns_or_not_csv(staff_user):
    with pytest.raises(roster.RosterError, match="missing column"):
        roster.import_roster(b"name,mail\nA,a@example.org\n", actor=staff_user)
    with pytest.raises(roster.RosterError, match="not text"):
        roster.import_roster(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x81\x81", actor=staff_user)
    with pytest.raises(roster.RosterError, match="no member rows"):
        roster.import_roster(b"stage_name,email\n", actor=staff_user)


def test_roster_import_page_preview_then_import(
    client, staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(staff_user)
    assert client.get(reverse("talent_staff:import")).status_code == 200
    response = client.post(
        reverse("talent_staff:import"), {"file": upload("roster.csv", ROSTER.encode()), "dry_run": "on"}
    )
    assert response.status_code == 200 and "Preview" in response.content.decode()
    assert not TalentProfile.objects.exists() and not User.objects.filter(email="ana@example.org").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("talent_staff:import"), {"file": upload("roster.csv", ROSTER.encode())}
        )
    assert response.status_code == 200 and 'id="import-result"' in response.content.decode()
    assert TalentProfile.objects.count() == 2 and len(mailoutbox) == 2
    bad = ROSTER + "Bad,X,bad,U-9,,\n"
    response = client.post(reverse("talent_staff:import"), {"file": upload("roster.csv", bad.encode())})
    assert response.status_code == 400 and "line 4:" in response.content.decode()
    assert TalentProfile.objects.count() == 2


def test_non_staff_cannot_call_staff_services(talent_user):
    talent = TalentFactory()
    with pytest.raises(profiles.AuthorityError):
        verification.verify_talent(talent, actor=talent_user, method="id_in_person")
    with pytest.raises(profiles.AuthorityError):
        roster.import_roster(ROSTER.encode(), actor=talent_user)
    with pytest.raises(profiles.AuthorityError):
        verification.withdraw_profile(talent, actor=talent_user, reason="x")


def test_admin_change_view_is_audited(client, supervisor_user):
    talent = TalentFactory()
    client.force_login(supervisor_user)
    response = client.get(reverse("admin:talent_talentprofile_change", args=[talent.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(actor=supervisor_user, action="talent.admin_view").count() == 1
    assert client.get(reverse("admin:talent_talentprofile_changelist")).status_code == 200


def test_staff_records_a_guardian_for_a_minor_without_an_account(
    client, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    minor = TalentFactory(stage_name="Emi Tanaka", date_of_birth=date(2014, 2, 2))
    client.force_login(staff_user)
    assert (
        'id="guardian-banner"'
        in client.get(reverse("talent_staff:detail", args=[minor.registry_id])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("talent_staff:add-representative", args=[minor.registry_id]),
            {"email": "parent@example.org", "kind": "guardian"},
        )
    assert response.status_code == 302
    rep = Representative.objects.get(talent=minor)
    assert rep.kind == "guardian" and rep.granted_by == staff_user
    assert mailoutbox[0].to == ["parent@example.org"] and "verified" in mailoutbox[0].body
    Representative.objects.filter(pk=rep.pk).update(authority_verified_at=timezone.now())
    assert (
        'id="guardian-banner"'
        not in client.get(reverse("talent_staff:detail", args=[minor.registry_id])).content.decode()
    )
    # An estate only for staff; an adult cannot get a guardian.
    adult = TalentFactory()
    response = client.post(
        reverse("talent_staff:add-representative", args=[adult.registry_id]),
        {"email": "parent@example.org", "kind": "guardian"},
    )
    assert response.status_code == 400 and "only for a talent under 18" in response.content.decode()
    response = client.post(
        reverse("talent_staff:add-representative", args=[adult.registry_id]),
        {"email": "estate@example.org", "kind": "estate", "can_manage_terms": "on"},
    )
    assert response.status_code == 302
    assert Representative.objects.get(talent=adult).kind == "estate"
    client.post(reverse("talent_staff:revoke-representative", args=[minor.registry_id, rep.pk]))
    rep.refresh_from_db()
    assert rep.revoked_at is not None and rep.revoked_by == staff_user


def test_talent_cannot_record_an_estate(talent_user):
    talent = TalentFactory(user=talent_user)
    with pytest.raises(ValidationError, match="estate"):
        representatives.authorise_representative(
            talent, email="x@example.org", kind="estate", actor=talent_user
        )
