"""State changes of accounts: completing sign-up, inviting people, creating staff."""

from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from accounts.roles import SELF_SERVICE_ROLES, STAFF_ROLES, Role, grant_role
from registry.core.errors import NotAllowed
from registry.core.mail import send_email


def complete_signup(*, user: User, role: str, display_name: str) -> User:
    if role not in {r.value for r in SELF_SERVICE_ROLES}:
        raise ValueError(f"Role {role!r} cannot be chosen at sign-up.")
    user.display_name = display_name.strip()
    user.save(update_fields=["display_name"])
    grant_role(user, role)
    return user


def invitation_link(user: User) -> str:
    """allauth's one-use password-set link for an account created on someone's behalf."""
    # allauth.account.forms imports ACCOUNT_SIGNUP_FORM_CLASS (accounts.forms, which imports this module):
    # importing it at the top would make allauth's forms load half-initialised.
    from allauth.account.forms import default_token_generator

    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return settings.SITE_URL + path.replace("UID-KEY", key)


def get_or_invite_user(email: str, *, name: str = "") -> tuple[User, bool]:
    """An existing account by email, or a new one without a password (to be set from the invitation)."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, password=None, display_name=name[:150])
    # The only way into this account is the password-set link mailed to this address, so the address is
    # proven as soon as it is used; marking it verified spares the invitee a second confirmation email.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True


def send_invitation(user: User, *, subject: str, intro: str) -> None:
    link = invitation_link(user)
    send_email(
        subject=subject,
        body=(
            f"{intro}\n\nSet your password to open your account:\n{link}\n\n"
            f"Your login is this email address ({user.email}). The link works once. If it has expired, "
            f"use “Forgot password” on {settings.SITE_URL}/accounts/login/.\n\n"
            "If you did not expect this email, you can ignore it."
        ),
        to=[user.email],
    )


@transaction.atomic
def create_staff_user(
    *, actor: User, email: str, password: str | None = None, display_name: str = "", role: str = Role.STAFF
) -> User:
    """Supervisors create staff and supervisors; without a password the person is invited by email.

    Staff must turn on two-factor authentication before any staff page opens (accounts.middleware).
    """
    if not actor.has_perm("accounts.administer"):
        raise NotAllowed("not_supervisor", "Only supervisors create staff accounts.")
    if role not in STAFF_ROLES:
        raise ValueError("Only staff and supervisor accounts are created here.")
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise ValidationError({"email": "An account with this email already exists."})
    user, _ = get_or_invite_user(email, name=display_name)
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    grant_role(user, role)
    if not password:
        send_invitation(
            user,
            subject="Your Likeness Registry staff account",
            intro=f"A supervisor created a {Role(role).label.lower()} account for you on the Likeness "
            "Registry. After setting your password you will be asked to turn on two-factor authentication.",
        )
    return user


def set_notification_settings(actor, *, notify_case_updates: bool) -> None:
    """A person's own choice to hear about cases about them (the case desk asks it at send time)."""
    actor.notify_case_updates = bool(notify_case_updates)
    actor.save(update_fields=["notify_case_updates"])
