"""Role flags for navigation in base.html."""

from accounts.roles import Role, has_role, is_staff_member, is_supervisor


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": {}}
    return {
        "roles": {
            "talent": has_role(user, Role.TALENT),
            "representative": has_role(user, Role.REPRESENTATIVE),
            "brand": has_role(user, Role.BRAND_MEMBER),
            "staff": is_staff_member(user),
            "supervisor": is_supervisor(user),
        }
    }
