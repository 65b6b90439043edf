"""Factories shared by every app's tests: talent, signed terms, organizations, licenses."""

from datetime import date

import factory

from registry.consent import drafts, signing
from registry.consent.models import TermVersion
from registry.talent.models import TalentProfile


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentProfile

    stage_name = factory.Sequence(lambda n: f"Talent {n}")
    legal_name = factory.Sequence(lambda n: f"Legal Name {n}")
    email = factory.Sequence(lambda n: f"talent{n}@example.org")
    date_of_birth = date(1995, 5, 17)
    membership_number = factory.Sequence(lambda n: f"U-{100000 + n}")
    disciplines = factory.LazyFunction(lambda: ["model"])
    # Staff-verified by default, like an imported union roster: rule 6 permits only verified profiles.
    # Self-registered profiles start unverified; tests of that pass is_verified=False.
    is_verified = True


def sign_terms(
    talent, uses: dict, *, effective_from=date(2026, 1, 1), signed_as="talent", user=None
) -> TermVersion:
    """Create and sign a terms version (product.md §2 shape for `uses`)."""
    draft = drafts.create_draft(talent=talent, effective_from=effective_from, uses=uses, actor=user)
    ctx = signing.SignatureContext(
        actor=user, signed_as=signed_as, signer_name=talent.stage_name, ip="127.0.0.1"
    )
    return signing.sign_version(draft, ctx)


ADVERTISING_ALLOW = {
    "decision": "allow",
    "modalities": ["image", "video"],
    "territories": ["US", "CA"],
    "channels": ["online", "print"],
    "valid_from": "2026-01-01",
    "valid_until": "2027-12-31",
    "min_fee": {"amount": "500.00", "currency": "USD"},
    "attribution": True,
    "ai_disclosure": False,
    "excluded_categories": ["political", "tobacco"],
}
