"""The five roles of product.md §1, kept as auth groups so a person may hold more than one."""

from django.contrib.auth.models import Group
from django.db import models


class Role(models.TextChoices):
    TALENT = "talent", "Talent"
    REPRESENTATIVE = "representative", "Representative"
    BRAND_MEMBER = "brand_member", "Brand member"
    STAFF = "staff", "Union staff"
    SUPERVISOR = "supervisor", "Supervisor"


STAFF_ROLES = frozenset({Role.STAFF, Role.SUPERVISOR})
SELF_SERVICE_ROLES = (Role.TALENT, Role.BRAND_MEMBER)


def grant_role(user, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    if role in STAFF_ROLES and not user.is_staff:
        # Staff use the Django admin back office too.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_role_names", None)


def has_role(user, *roles: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    names = user.role_names
    return any(str(r) in names for r in roles)


def is_staff_member(user) -> bool:
    """Union staff or supervisor (a superuser counts as a supervisor)."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, *STAFF_ROLES)


def is_supervisor(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.SUPERVISOR)
