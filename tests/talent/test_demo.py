"""The talent demo data: varied, idempotent, with the agent, a guardian, a verified and a withdrawn member."""

import io

import pytest

from accounts import demo as core_demo
from registry.talent import demo, selectors
from registry.talent.duplicates import likely_duplicates
from registry.talent.models import ReferenceMedia, Representative, TalentProfile

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_varied():
    core_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    counts = (TalentProfile.objects.count(), Representative.objects.count(), ReferenceMedia.objects.count())
    ana = TalentProfile.objects.get(user__email="talent@demo.example")
    demo.seed(io.StringIO())
    assert (
        TalentProfile.objects.count(),
        Representative.objects.count(),
        ReferenceMedia.objects.count(),
    ) == counts
    assert TalentProfile.objects.get(user__email="talent@demo.example").registry_id == ana.registry_id
    assert counts[0] >= 14
    agent_for = set(
        Representative.objects.filter(user__email="agent@demo.example").values_list(
            "talent__user__email", flat=True
        )
    )
    assert agent_for == {"talent@demo.example", "talent2@demo.example"}
    minor = TalentProfile.objects.get(stage_name="Emi Tanaka")
    guardian = minor.representatives.get(kind="guardian")
    assert minor.is_minor() and guardian.authority_document and guardian.authority_verified_at
    assert selectors.acting_as(guardian.user, minor) == "guardian"  # the demo guardian still acts
    # Self-registered demo talent are verified (their `allow` terms permit); one roster member is not.
    assert set(
        TalentProfile.objects.filter(
            user__email__in=["talent@demo.example", "talent2@demo.example"]
        ).values_list("is_verified", flat=True)
    ) == {True}
    assert list(TalentProfile.objects.filter(is_verified=False).values_list("stage_name", flat=True)) == [
        "Leilani Kahale"
    ]
    assert all(likely_duplicates(t) == [] for t in TalentProfile.objects.all())
    assert TalentProfile.objects.filter(is_verified=True, verified_by__email="staff@demo.example").exists()
    assert TalentProfile.objects.filter(status="withdrawn").count() == 1
    assert TalentProfile.objects.filter(stage_name="Zoë Çelik").exists()
    assert ReferenceMedia.objects.filter(kind="photo").exclude(phash="").count() >= 3
