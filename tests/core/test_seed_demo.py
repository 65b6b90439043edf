"""seed_demo creates one user per role with working logins (staff through TOTP), and is idempotent."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_logins_work(client):
    call_command("seed_demo", stdout=io.StringIO())
    count = User.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == count
    for email, _, role in DEMO_USERS:
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        if role in ("staff", "supervisor"):
            assert response["Location"] == reverse("mfa_authenticate")
            code = io.StringIO()
            call_command("demo_totp", stdout=code)
            response = client.post(reverse("mfa_authenticate"), {"code": code.getvalue().strip()})
            assert response.status_code == 302, email
            assert client.get("/staff/").status_code == 200
        assert client.get(reverse("site:dashboard")).status_code == 200, email
        client.post(reverse("account_logout"))


def test_quiet_seed_ends_with_the_address_and_every_demo_login(settings, tmp_path):
    """`make run` seeds quietly: demo emails go to files, and the last lines are what a new user needs."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    out = io.StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    text = out.getvalue()
    assert len(text.splitlines()) < 20, text
    assert f"{settings.SITE_URL}/" in text and DEMO_PASSWORD in text
    for email, _, _ in DEMO_USERS:
        assert email in text
    assert "Emails are written to" in text and "Subject:" not in text
