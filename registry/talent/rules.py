"""django-rules object permissions for talent profiles (shared by views, the API and templates).

Use `user.has_perm("talent.manage_terms", talent)` or
`{% has_perm "talent.view_private" user talent as ok %}`; the logic lives in registry.talent.selectors.
"""

import rules

from accounts.rules import is_representative, is_staff_member, is_talent
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


@rules.predicate
def manages_talent_of(user, rep) -> bool:
    return rep is not None and selectors.can_manage_profile(user, rep.talent)


@rules.predicate
def is_the_representative(user, rep) -> bool:
    return rep is not None and getattr(user, "is_authenticated", False) and rep.user_id == user.pk


@rules.predicate
def is_the_talent_of(user, rep) -> bool:
    return rep is not None and getattr(user, "is_authenticated", False) and rep.talent.user_id == user.pk


rules.add_perm("talent.view_private", can_view_private_of)
rules.add_perm("talent.manage_profile", can_manage_profile_of)
rules.add_perm("talent.manage_terms", can_manage_terms_for)
rules.add_perm("talent.answer_requests", can_answer_requests_for)
# Edit the profile, its reference media and representatives: the talent, a guardian or estate, or staff.
rules.add_perm("talent.edit_profile", can_manage_profile_of | is_staff_member)
# End a representative's authority (`obj` is the Representative): also the representative stepping down.
rules.add_perm("talent.revoke_representative", manages_talent_of | is_staff_member | is_the_representative)
# Hold a registry profile of one's own (talent sign-up) / act for others (representatives, guardians).
rules.add_perm("talent.create_own_profile", is_talent)
rules.add_perm("talent.represent_others", is_representative)
# A guardian's or estate's document of authority (`obj` is the Representative): give it, or read it back.
# Staff verify it on the member page (their reads are audited there).
rules.add_perm("talent.upload_authority_document", is_the_representative | is_the_talent_of | is_staff_member)
rules.add_perm("talent.view_authority_document", is_the_representative | is_the_talent_of | is_staff_member)
