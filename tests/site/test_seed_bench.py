"""`seed_bench`: the counts it promises, once per size, and data the permission check can answer about."""

import io

import pytest
from django.core.management import call_command

from registry.brands.models import Organization
from registry.cases.models import Case, TimelineEvent
from registry.consent.models import Term, TermVersion
from registry.licensing.models import License
from registry.site.models import BenchSeed
from registry.talent.models import TalentProfile
from tests.brands.helpers import bearer, key_from_command

pytestmark = pytest.mark.django_db


def seed(n: int) -> str:
    out = io.StringIO()
    call_command("seed_bench", "--talent", str(n), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts():
    return {
        "talent": TalentProfile.objects.count(),
        "versions": TermVersion.objects.count(),
        "organizations": Organization.objects.count(),
        "licenses": License.objects.count(),
        "cases": Case.objects.count(),
        "events": TimelineEvent.objects.count(),
    }


def test_counts_signed_versions_and_idempotent(api_client):
    seed(200)
    first = counts()
    assert first["talent"] == 200
    assert 200 <= first["versions"] <= 600  # 1–3 signed versions each
    assert not TermVersion.objects.exclude(status="signed").exists()
    assert (first["organizations"], first["licenses"], first["cases"]) == (20, 100, 200)
    assert first["events"] == 5 * 200
    assert BenchSeed.objects.get(size=200).counts["talent"] == 200
    # Every version is complete and its terms exist; names vary and include non-ASCII ones.
    assert Term.objects.count() >= first["versions"] * 2
    names = set(TalentProfile.objects.values_list("stage_name", flat=True))
    assert len(names) > 150
    assert any(not n.isascii() for n in names)

    assert "already seeded" in seed(200)
    assert counts() == first

    # A signed version is as immutable as one signed through the site.
    version = TermVersion.objects.first()
    with pytest.raises(Exception, match="immutable"):
        TermVersion.objects.filter(pk=version.pk).update(note="changed")


def test_check_api_answers_for_a_seeded_talent(api_client):
    seed(200)
    key = key_from_command("Bench Brand")
    talent = (
        TalentProfile.objects.filter(status="active", term_versions__terms__use="advertising")
        .order_by("pk")
        .first()
    )
    body = {
        "talent": talent.registry_id,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
        "date": "2026-06-01",
    }
    response = api_client.post("/api/v1/permissions/check/", body, format="json", **bearer(key))
    assert response.status_code == 200, response.content
    assert response.json()["decision"] in {"permitted", "license_required", "denied"}
