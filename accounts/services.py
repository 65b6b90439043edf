"""State changes of accounts: completing sign-up, creating staff."""

from django.db import transaction

from accounts.models import User
from accounts.roles import SELF_SERVICE_ROLES, STAFF_ROLES, Role, grant_role


def complete_signup(*, user: User, role: str, display_name: str) -> User:
    if role not in {r.value for r in SELF_SERVICE_ROLES}:
        raise ValueError(f"Role {role!r} cannot be chosen at sign-up.")
    user.display_name = display_name.strip()
    user.save(update_fields=["display_name"])
    grant_role(user, role)
    return user


@transaction.atomic
def create_staff_user(
    *, email: str, password: str | None, display_name: str = "", role: str = Role.STAFF
) -> User:
    """Supervisors create staff; staff must enrol MFA before any staff page opens."""
    if role not in STAFF_ROLES:
        raise ValueError("Only staff and supervisor accounts are created here.")
    user = User.objects.create_user(email=email, password=password, display_name=display_name)
    grant_role(user, role)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user
