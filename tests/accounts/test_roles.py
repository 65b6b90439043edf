"""Role predicates (django-rules) and the staff-MFA gate."""

import pytest
import rules
from django.urls import reverse

from accounts.roles import Role
from accounts.services import create_staff_user
from registry.core.errors import NotAllowed
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_role_predicates(talent_user, representative_user, brand_user, staff_user, supervisor_user):
    from django.contrib.auth.models import AnonymousUser

    matrix = {
        "accounts.access_staff_desk": {staff_user, supervisor_user},
        "accounts.administer": {supervisor_user},
        "accounts.manage_terms": {talent_user, representative_user},
        "accounts.check_permissions": {brand_user, staff_user, supervisor_user},
    }
    everyone = [AnonymousUser(), talent_user, representative_user, brand_user, staff_user, supervisor_user]
    for perm, allowed in matrix.items():
        for user in everyone:
            assert rules.has_perm(perm, user) is (user in allowed), (perm, user)
            if user.is_authenticated:
                assert user.has_perm(perm) is (user in allowed), (perm, user)


def test_staff_without_mfa_is_sent_to_enrol(client):
    user = make_user("new-staff@example.org", Role.STAFF)
    client.force_login(user)
    for path in ["/staff/", "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    # The enrolment page itself is reachable (allauth asks for the password again first).
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_staff_with_mfa_reaches_the_desk(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize("fixture", ["talent_user", "brand_user", "representative_user"])
def test_non_staff_cannot_open_the_desk(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/staff/").status_code == 403


def test_anonymous_is_sent_to_login_from_the_desk(client):
    response = client.get("/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_user_is_created_by_service_with_verified_email(supervisor_user, staff_user):
    user = create_staff_user(
        actor=supervisor_user, email="desk@example.org", password="x-long-password-1", role=Role.SUPERVISOR
    )
    assert user.is_staff and user.emailaddress_set.get().verified
    assert rules.has_perm("accounts.administer", user)
    with pytest.raises(ValueError):
        create_staff_user(actor=supervisor_user, email="t@example.org", password="x", role=Role.TALENT)
    with pytest.raises(NotAllowed):
        create_staff_user(actor=staff_user, email="s@example.org", password="x-long-password-2")
