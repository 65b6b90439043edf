"""django-rules permissions of the brands app: who may use the brand workspace and manage an organization.

Views ask them through accounts.decorators / registry.brands.access, services with `actor.has_perm(...)`.
"""

import rules

from accounts.rules import is_brand_member
from registry.brands import selectors
from registry.brands.models import Membership


@rules.predicate
def belongs_to_an_organization(user) -> bool:
    return selectors.membership_for(user) is not None


@rules.predicate
def owns_organization(user, organization) -> bool:
    if organization is None or not getattr(user, "is_authenticated", False):
        return False
    # The user's own (cached) membership answers without a query in the workspace's usual case.
    membership = selectors.membership_for(user)
    if membership is not None and membership.organization_id == organization.pk:
        return membership.is_owner
    return Membership.objects.filter(
        organization=organization, user=user, role=Membership.Role.OWNER
    ).exists()


rules.add_perm("brands.use_workspace", is_brand_member | belongs_to_an_organization)
rules.add_perm("brands.manage_organization", owns_organization)
