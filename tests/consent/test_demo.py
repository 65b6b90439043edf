"""Demo term histories: realistic, valid, idempotent."""

import io

import pytest

from accounts import demo as core_demo
from registry.consent import demo
from registry.consent.models import Term, TermVersion
from registry.talent import demo as talent_demo

pytestmark = pytest.mark.django_db


def test_demo_terms_are_realistic_and_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for module in (core_demo, talent_demo, demo):
        module.seed(io.StringIO())
    versions = TermVersion.objects.filter(status="signed")
    count = versions.count()
    assert count >= 12
    demo.seed(io.StringIO())
    assert TermVersion.objects.count() == count  # talent with versions are skipped
    ana = versions.filter(talent__user__email="talent@demo.example").order_by("number")
    assert [v.number for v in ana] == [1, 2, 3]
    assert ana.last().is_revocation and ana.last().signed_as == "representative"
    assert {"paper", "talent", "guardian", "representative"} <= set(
        versions.values_list("signed_as", flat=True)
    )
    personal = Term.objects.filter(
        use__in=["replica_creation", "replica_use", "ai_training"], decision="allow"
    )
    assert personal.exists()
    for term in personal:
        assert len(term.consent_description) >= 20 and term.consent_duration and term.consent_pay
        assert term.separate_consent
    talents_with_history = versions.values("talent").distinct().count()
    assert talents_with_history >= 8
    assert (
        versions.filter(talent__user__email="talent@demo.example", number=3)
        .get()
        .terms.get(use="replica_use")
        .decision
        == "allow"
    )
