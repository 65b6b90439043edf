"""django-rules predicates for roles, shared by views, the API and templates ({% has_perm %})."""

import rules

from accounts.roles import Role, has_role
from accounts.roles import is_staff_member as _is_staff_member
from accounts.roles import is_supervisor as _is_supervisor


@rules.predicate
def is_talent(user) -> bool:
    return has_role(user, Role.TALENT)


@rules.predicate
def is_representative(user) -> bool:
    return has_role(user, Role.REPRESENTATIVE)


@rules.predicate
def is_brand_member(user) -> bool:
    return has_role(user, Role.BRAND_MEMBER)


@rules.predicate
def is_staff_member(user) -> bool:
    return _is_staff_member(user)


@rules.predicate
def is_supervisor(user) -> bool:
    return _is_supervisor(user)


rules.add_perm("accounts.access_staff_desk", is_staff_member)
rules.add_perm("accounts.administer", is_supervisor)
rules.add_perm("accounts.manage_terms", is_talent | is_representative)
rules.add_perm("accounts.check_permissions", is_brand_member | is_staff_member)
