"""Supervisors create staff accounts: the person is invited by email and must enrol MFA before the desk."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, has_role

pytestmark = pytest.mark.django_db


def test_supervisor_invites_a_staff_member_who_sets_a_password_then_must_enrol_mfa(
    client, supervisor_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(supervisor_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts_staff:list"),
            {"display_name": "Dana Desk", "email": "Dana@Union.example", "role": "staff"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="dana@union.example")
    assert has_role(user, Role.STAFF) and not has_role(user, Role.SUPERVISOR)
    assert not user.has_usable_password()
    assert mailoutbox[-1].to == ["dana@union.example"]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mailoutbox[-1].body).group(1)

    client.logout()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new_password = "a-fresh-staff-passphrase-9"
    done = client.post(form.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    client.post(reverse("account_login"), {"login": "dana@union.example", "password": new_password})
    assert client.get("/staff/").status_code == 302  # to MFA enrolment first
    listing = client.get(reverse("accounts_staff:list"))
    assert listing.status_code == 302


def test_duplicate_email_is_a_form_error(client, supervisor_user, staff_user):
    client.force_login(supervisor_user)
    response = client.post(
        reverse("accounts_staff:list"), {"display_name": "Again", "email": staff_user.email, "role": "staff"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


@pytest.mark.parametrize("fixture", ["staff_user", "talent_user", "brand_user"])
def test_only_supervisors_manage_staff_accounts(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("accounts_staff:list")).status_code == 403
    assert client.post(reverse("accounts_staff:list"), {"email": "x@example.org"}).status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()


def test_staff_list_query_count_is_flat(client, supervisor_user, django_assert_max_num_queries):
    from tests.conftest import make_user

    client.force_login(supervisor_user)
    for i in range(12):
        make_user(f"s{i}@union.example", Role.STAFF)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accounts_staff:list")).status_code == 200
