"""Demo accounts, one per role (documented in the README). Idempotent."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import User
from accounts.roles import Role, grant_role

DEMO_PASSWORD = "demo-pass-2026"
# Staff must use MFA. This fixed secret lets a tester add the demo staff to an authenticator app, or run
# `python manage.py demo_totp` to print the current code. Demo data only: never on a production database.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_USERS = [
    ("talent@demo.example", "Ana Reyes", Role.TALENT),
    ("talent2@demo.example", "Kofi Mensah", Role.TALENT),
    ("agent@demo.example", "Sam Agent (representative)", Role.REPRESENTATIVE),
    ("brand@demo.example", "Bea Brand (Acme Apparel)", Role.BRAND_MEMBER),
    ("brand2@demo.example", "Otto Owner (Nimbus Media)", Role.BRAND_MEMBER),
    ("staff@demo.example", "Stella Staff", Role.STAFF),
    ("supervisor@demo.example", "Sol Supervisor", Role.SUPERVISOR),
]


def ensure_user(email: str, name: str, role: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    grant_role(user, role)
    if role == Role.SUPERVISOR and not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if (
        role in (Role.STAFF, Role.SUPERVISOR)
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def seed(stdout) -> None:
    for email, name, role in DEMO_USERS:
        ensure_user(email, name, role)
    stdout.write(f"Demo logins (password {DEMO_PASSWORD}): " + ", ".join(e for e, _, _ in DEMO_USERS))
