"""django-rules permissions of biometric consent and the self-check (`obj` is the TalentProfile); the logic
lives in registry.likeness.selectors."""

import rules

from registry.likeness import selectors


@rules.predicate
def views_consent(user, talent) -> bool:
    return selectors.can_view_consent(user, talent)


@rules.predicate
def signs_consent(user, talent) -> bool:
    return selectors.can_sign(user, talent)


@rules.predicate
def withdraws_consent(user, talent) -> bool:
    return selectors.can_withdraw(user, talent)


@rules.predicate
def checks_images(user, talent) -> bool:
    return selectors.can_self_check(user, talent)


# The consent page and receipts: the talent and whoever acts for her (an agent reads, never signs).
rules.add_perm("likeness.view_consent", views_consent)
# Sign: the adult talent in person, a verified guardian for a minor, a verified estate for a deceased one.
rules.add_perm("likeness.sign_consent", signs_consent)
rules.add_perm("likeness.withdraw_consent", withdraws_consent)
rules.add_perm("likeness.self_check", checks_images)
