"""Sign-up through allauth as talent and as brand member, email verification, login by email."""

import re

import pytest
from allauth.account.adapter import get_adapter
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, has_role

pytestmark = pytest.mark.django_db


def _signup(client, django_capture_on_commit_callbacks, account_type: str, email: str):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("account_signup"),
            {
                "account_type": account_type,
                "display_name": "Ana Reyes",
                "email": email,
                "password1": "a-long-unique-passphrase-42",
                "password2": "a-long-unique-passphrase-42",
            },
        )


def _confirm_link(mailoutbox) -> str:
    body = mailoutbox[-1].body
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body).group(1)


@pytest.mark.parametrize("account_type", [Role.TALENT, Role.BRAND_MEMBER])
def test_signup_requires_email_verification_then_grants_role(
    client, mailoutbox, django_capture_on_commit_callbacks, account_type
):
    response = _signup(client, django_capture_on_commit_callbacks, account_type, "Ana@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ana@example.org")
    assert has_role(user, account_type)
    assert user.display_name == "Ana Reyes"
    # Not logged in until the email is verified.
    assert client.get(reverse("site:dashboard")).status_code == 302

    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana@example.org"]
    link = _confirm_link(mailoutbox)
    response = client.post(link)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified
    dash = client.get(reverse("site:dashboard"))
    assert dash.status_code == 200
    expected_card = "dash-talent" if account_type == Role.TALENT else "dash-brand"
    assert expected_card in dash.content.decode()


def test_signup_cannot_choose_a_staff_role(client, django_capture_on_commit_callbacks):
    response = _signup(client, django_capture_on_commit_callbacks, "staff", "sneaky@example.org")
    assert response.status_code == 200
    assert "account_type" in response.context["form"].errors
    assert not User.objects.filter(email="sneaky@example.org").exists()


def test_login_by_email(client, talent_user):
    from tests.conftest import PASSWORD

    response = client.post(reverse("account_login"), {"login": "TALENT-A@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("site:dashboard")).status_code == 200


def test_wrong_password_is_a_form_error_not_a_500(client, talent_user):
    response = client.post(reverse("account_login"), {"login": talent_user.email, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_password_reset_sends_email(client, talent_user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": talent_user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    # The greeting names the site (it read "Hello from !" with no site framework).
    assert "Hello from Likeness Registry!" in mailoutbox[0].body
    assert "Hello from !" not in mailoutbox[0].body


def test_account_mail_rendered_without_a_request_still_names_the_site(
    talent_user, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://registry.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        get_adapter().send_mail(
            "account/email/password_reset_key", talent_user.email, {"password_reset_url": "x"}
        )
    body = mailoutbox[-1].body
    assert "Hello from Likeness Registry!" in body and "https://registry.example.org" in body


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_auth_pages_use_the_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/app.css" in html and 'id="main"' in html
