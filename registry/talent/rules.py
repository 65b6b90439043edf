"""django-rules object permissions for talent profiles (shared by views, the API and templates).

Use `user.has_perm("talent.manage_terms", talent)` or
`{% has_perm "talent.view_private" user talent as ok %}`; the logic lives in registry.talent.selectors.
"""

import rules

from registry.talent import selectors


@rules.predicate
def can_manage_terms_for(user, talent) -> bool:
    return selectors.can_act_for(user, talent, scope="manage_terms")


@rules.predicate
def can_answer_requests_for(user, talent) -> bool:
    return selectors.can_act_for(user, talent, scope="answer_requests")


@rules.predicate
def can_manage_profile_of(user, talent) -> bool:
    return talent is not None and selectors.can_manage_profile(user, talent)


@rules.predicate
def can_view_private_of(user, talent) -> bool:
    return selectors.can_view_private(user, talent)


rules.add_perm("talent.view_private", can_view_private_of)
rules.add_perm("talent.manage_profile", can_manage_profile_of)
rules.add_perm("talent.manage_terms", can_manage_terms_for)
rules.add_perm("talent.answer_requests", can_answer_requests_for)
