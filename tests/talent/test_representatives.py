"""Representatives and guardians: authorise (inviting new users), revoke, minors need a guardian."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, has_role
from registry.talent import profiles, representatives, selectors
from registry.talent.models import Representative
from tests.conftest import make_user
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

MINOR_DOB = date(2015, 6, 1)


@pytest.fixture
def talent(talent_user):
    return TalentFactory(user=talent_user, stage_name="Ana Reyes")


def test_authorise_existing_user_as_agent(
    client, talent, talent_user, brand_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(talent_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("talent:add-representative"),
            {
                "email": "BRAND@example.org",
                "kind": "agent",
                "agency": "Northstar",
                "can_answer_requests": "on",
            },
        )
    assert response.status_code == 302
    rep = Representative.objects.get(talent=talent)
    assert rep.user == brand_user and rep.granted_by == talent_user
    assert rep.can_answer_requests and not rep.can_manage_terms
    brand_user.__dict__.pop("_role_names", None)
    assert has_role(brand_user, Role.REPRESENTATIVE)
    assert selectors.acting_as(brand_user, talent) == "representative"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["brand@example.org"]
    assert "Ana Reyes" in mailoutbox[0].subject
    assert (
        "answer license requests" in mailoutbox[0].body and "manage likeness terms" not in mailoutbox[0].body
    )


def test_authorise_unknown_email_invites_a_new_user(
    client, talent, talent_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(talent_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("talent:add-representative"),
            {
                "email": "new.agent@example.org",
                "kind": "agent",
                "can_manage_terms": "on",
                "can_answer_requests": "on",
            },
        )
    invited = User.objects.get(email="new.agent@example.org")
    assert not invited.has_usable_password()
    assert Representative.objects.filter(talent=talent, user=invited, revoked_at__isnull=True).exists()
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mailoutbox[0].body).group(0)
    # The invitation link opens allauth's set-password page and setting a password works.
    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    done = client.post(form_url, {"password1": "a-new-passphrase-42", "password2": "a-new-passphrase-42"})
    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password("a-new-passphrase-42")


def test_revoke_representative(client, talent, talent_user, representative_user):
    rep = Representative.objects.create(talent=talent, user=representative_user)
    client.force_login(representative_user)
    assert client.get(reverse("talent:manage", args=[talent.registry_id])).status_code == 200
    client.force_login(talent_user)
    response = client.post(reverse("talent:revoke-representative", args=[rep.pk]))
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.revoked_at is not None and rep.revoked_by == talent_user
    client.force_login(representative_user)
    assert client.get(reverse("talent:manage", args=[talent.registry_id])).status_code == 404
    # History is kept: a new authority can be given again later.
    representatives.authorise_representative(talent, email=representative_user.email, actor=talent_user)
    assert Representative.objects.filter(talent=talent, user=representative_user).count() == 2


def test_representative_can_step_down_but_not_revoke_others(client, talent, representative_user):
    other = make_user("other-agent@example.org", Role.REPRESENTATIVE)
    mine = Representative.objects.create(talent=talent, user=representative_user)
    theirs = Representative.objects.create(talent=talent, user=other)
    client.force_login(representative_user)
    assert client.post(reverse("talent:revoke-representative", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("talent:revoke-representative", args=[mine.pk])).status_code == 302
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_stranger_cannot_add_or_revoke(client, talent, other_talent_user, representative_user):
    rep = Representative.objects.create(talent=talent, user=representative_user)
    client.force_login(other_talent_user)
    assert client.post(reverse("talent:revoke-representative", args=[rep.pk])).status_code == 404
    response = client.post(
        reverse("talent:manage-add-representative", args=[talent.registry_id]), {"email": "x@example.org"}
    )
    assert response.status_code == 404
    rep.refresh_from_db()
    assert rep.revoked_at is None


def test_agent_cannot_edit_profile_or_add_representatives(client, talent, representative_user):
    Representative.objects.create(talent=talent, user=representative_user)
    client.force_login(representative_user)
    html = client.get(reverse("talent:manage", args=[talent.registry_id])).content.decode()
    assert "Private details" in html and talent.legal_name in html  # representatives see private data
    assert 'id="representative-form"' not in html and 'id="media-form"' not in html
    assert client.get(reverse("talent:manage-edit", args=[talent.registry_id])).status_code == 403
    response = client.post(
        reverse("talent:manage-add-representative", args=[talent.registry_id]), {"email": "x@example.org"}
    )
    assert response.status_code == 403
    with pytest.raises(profiles.AuthorityError):
        representatives.authorise_representative(talent, email="x@example.org", actor=representative_user)


def test_duplicate_and_self_authorisation_are_refused(talent, talent_user, representative_user):
    representatives.authorise_representative(talent, email=representative_user.email, actor=talent_user)
    with pytest.raises(ValidationError, match="already acts"):
        representatives.authorise_representative(talent, email=representative_user.email, actor=talent_user)
    with pytest.raises(ValidationError, match="own account"):
        representatives.authorise_representative(talent, email=talent_user.email, actor=talent_user)
    with pytest.raises(ValidationError, match="valid email"):
        representatives.authorise_representative(talent, email="not-an-email", actor=talent_user)


def test_guardian_only_for_minors(client, talent, talent_user):
    client.force_login(talent_user)
    response = client.post(
        reverse("talent:add-representative"), {"email": "parent@example.org", "kind": "guardian"}
    )
    assert response.status_code == 400
    assert "only for a talent under 18" in response.content.decode()
    assert not Representative.objects.exists()
    assert not User.objects.filter(email="parent@example.org").exists()  # nothing half-created


def test_minor_needs_a_guardian_banner_until_one_is_set(client, talent_user):
    minor = TalentFactory(user=talent_user, stage_name="Emi Tanaka", date_of_birth=MINOR_DOB)
    client.force_login(talent_user)
    assert 'id="guardian-banner"' in client.get(reverse("talent:me")).content.decode()
    assert selectors.needs_guardian(minor)
    response = client.post(
        reverse("talent:add-representative"),
        {"email": "parent@example.org", "kind": "guardian", "can_manage_terms": ""},
    )
    assert response.status_code == 302
    rep = Representative.objects.get(talent=minor)
    assert rep.kind == "guardian" and rep.can_manage_terms and rep.can_answer_requests  # full authority
    # Named, but not yet verified by staff: the banner stays until the guardianship is verified.
    assert 'id="guardian-banner"' in client.get(reverse("talent:me")).content.decode()
    assert selectors.needs_guardian(minor)
    Representative.objects.filter(pk=rep.pk).update(authority_verified_at=timezone.now())
    assert 'id="guardian-banner"' not in client.get(reverse("talent:me")).content.decode()
    assert not selectors.needs_guardian(minor)


def test_guardian_acts_for_the_minor(client, talent_user):
    minor = TalentFactory(user=talent_user, stage_name="Emi Tanaka", date_of_birth=MINOR_DOB)
    guardian = make_user("parent@example.org", Role.REPRESENTATIVE)
    Representative.objects.create(
        talent=minor, user=guardian, kind="guardian", authority_verified_at=timezone.now()
    )
    client.force_login(guardian)
    manage_url = reverse("talent:manage", args=[minor.registry_id])
    html = client.get(manage_url).content.decode()
    assert "as their <strong>guardian</strong>" in html and 'id="media-form"' in html
    response = client.post(
        reverse("talent:manage-edit", args=[minor.registry_id]),
        {
            "stage_name": "Emi T.",
            "disciplines": ["model"],
            "legal_name": "Emi Tanaka",
            "date_of_birth": MINOR_DOB.isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"] == manage_url
    minor.refresh_from_db()
    assert minor.stage_name == "Emi T." and minor.history.first().history_user == guardian
    # The guardian may add an agent for the minor.
    response = client.post(
        reverse("talent:manage-add-representative", args=[minor.registry_id]),
        {"email": "agent@example.org", "kind": "agent", "can_manage_terms": "on"},
    )
    assert response.status_code == 302
    assert Representative.objects.filter(talent=minor, user__email="agent@example.org").exists()


def test_representative_opening_own_talent_url_goes_to_me(client, talent, talent_user):
    client.force_login(talent_user)
    response = client.get(reverse("talent:manage", args=[talent.registry_id]))
    assert response.status_code == 302 and response["Location"] == reverse("talent:me")
