"""The demo seed: about 40 cases in every state, evidence drawn by Pillow, matches, idempotent."""

import io

import pytest
from django.core.management import call_command

from registry.cases.models import Case, Evidence, EvidenceMatch, Notice, Status, TimelineEvent

pytestmark = pytest.mark.django_db


def test_demo_cases_cover_every_state_and_are_idempotent():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo cases in every state" in out.getvalue()
    counts = {s: Case.objects.filter(status=s).count() for s in Status.values}
    assert all(counts.values()), counts
    assert 38 <= Case.objects.count() <= 45
    assert Evidence.objects.filter(kind="image").count() >= 40
    assert EvidenceMatch.objects.filter(reference_media__isnull=False).exists()
    assert Notice.objects.count() >= 10 and Case.objects.filter(duplicate_of__isnull=False).count() == 1
    assert TimelineEvent.objects.filter(kind="report_attached").exists()
    assert Case.objects.filter(confidential=True).exists()
    before = (Case.objects.count(), Evidence.objects.count(), TimelineEvent.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Case.objects.count(), Evidence.objects.count(), TimelineEvent.objects.count()) == before
