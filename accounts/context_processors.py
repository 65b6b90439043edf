"""Role flags for navigation in base.html (the predicates behind the permissions of accounts/rules.py)."""

from accounts.rules import is_brand_member, is_representative, is_staff_member, is_supervisor, is_talent


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": {}}
    return {
        "roles": {
            "talent": is_talent(user),
            "representative": is_representative(user),
            "brand": is_brand_member(user),
            "staff": is_staff_member(user),
            "supervisor": is_supervisor(user),
        }
    }
