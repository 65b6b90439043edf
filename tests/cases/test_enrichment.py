"""Enrichment: same content joins one case, images match reference photos, the permission check as of the
date seen, the suggested priority; and re-running changes nothing."""

from datetime import date

import pytest

from registry.brands.models import Organization
from registry.cases import edits, enrichment, intake
from registry.cases.models import Case, EvidenceMatch, MisuseReport, Priority, Status, TimelineEvent
from tests.cases.helpers import add_reference_photo, file_report, photo, resized_copy, upload
from tests.conftest import make_user
from tests.factories import ADVERTISING_ALLOW, sign_terms

pytestmark = pytest.mark.django_db


def test_acceptance_report_joins_case_by_url_and_flags_reference_match(
    client, talent, django_capture_on_commit_callbacks
):
    """Acceptance 1: a public report with two evidence images and a URL that differs from an existing case's
    only by tracking parameters joins that case; the resized, re-compressed copy of the talent's reference
    photo is flagged as a match (and the unrelated image is not)."""
    reference_photo = photo(1, size=(1200, 900))
    reference = add_reference_photo(talent, reference_photo)
    first, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://www.instagram.com/p/AD1/"],
        talent=talent.registry_id,
    )
    case = first.case

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cases/report/",
            {
                "urls": "http://instagram.com/p/AD1?utm_source=ig_web_copy_link&igshid=MzRlODBiNWFlZA==",
                "talent": "Ana Reyes",
                "description": "Saw this sponsored post, she never agreed to it.",
                "relationship": "fan",
                "evidence": [
                    upload(resized_copy(reference_photo), "screenshot.jpg"),
                    upload(photo(5), "other.jpg"),
                ],
            },
        )
    assert response.status_code == 302
    assert Case.objects.count() == 1
    second = MisuseReport.objects.exclude(pk=first.pk).get()
    assert second.case == case
    assert case.urls.count() == 1  # the same content, tracked once
    assert TimelineEvent.objects.filter(case=case, kind="report_attached").count() == 1

    matches = list(EvidenceMatch.objects.filter(evidence__case=case))
    assert len(matches) == 1
    match = matches[0]
    assert match.reference_media == reference and match.evidence.original_name == "screenshot.jpg"
    assert match.distance <= 10
    case.refresh_from_db()
    assert case.suggested_priority == Priority.HIGH  # a likely match with the talent's own photo


def test_staff_see_distance_and_both_images(client, staff_user, talent, django_capture_on_commit_callbacks):
    reference_photo = photo(1)
    reference = add_reference_photo(talent, reference_photo)
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://example.com/ad"],
        talent=talent.registry_id,
        files=[upload(resized_copy(reference_photo), "copy.jpg")],
    )
    match = EvidenceMatch.objects.get()
    client.force_login(staff_user)
    page = client.get(f"/staff/cases/{report.case_id}/").content.decode()
    assert f"distance {match.distance} / 64" in page
    assert f"/staff/cases/reference/{reference.pk}/thumb/" in page
    assert f"/staff/cases/evidence/{match.evidence_id}/thumb/" in page
    for url in (
        f"/staff/cases/reference/{reference.pk}/thumb/",
        f"/staff/cases/evidence/{match.evidence_id}/thumb/",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"


def test_enrichment_is_idempotent(talent, django_capture_on_commit_callbacks):
    reference_photo = photo(1)
    add_reference_photo(talent, reference_photo)
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://example.com/ad"],
        talent=talent.registry_id,
        files=[upload(resized_copy(reference_photo))],
    )
    before = (
        Case.objects.count(),
        EvidenceMatch.objects.count(),
        TimelineEvent.objects.count(),
        Case.objects.get().version,
    )
    enrichment.enrich_report(report.pk)
    enrichment.enrich_report(report.pk)
    after = (
        Case.objects.count(),
        EvidenceMatch.objects.count(),
        TimelineEvent.objects.count(),
        Case.objects.get().version,
    )
    assert before == after == (1, 1, before[2], before[3])
    assert TimelineEvent.objects.filter(kind="enriched").count() == 1


def test_closed_case_does_not_absorb_new_reports(
    staff_user, supervisor_user, django_capture_on_commit_callbacks
):
    from registry.cases import workflow

    first, _ = file_report(django_capture_on_commit_callbacks, urls=["https://example.com/ad"])
    case = first.case
    workflow.transition(
        case.pk, to=Status.DISMISSED, actor=supervisor_user, version=case.version, reason="spam"
    )
    second, _ = file_report(
        django_capture_on_commit_callbacks, urls=["https://example.com/ad?utm_campaign=x"]
    )
    assert second.case != case and Case.objects.count() == 2


def test_evidence_matches_other_cases_evidence(django_capture_on_commit_callbacks):
    image = photo(9)
    first, _ = file_report(
        django_capture_on_commit_callbacks, urls=["https://a.example/1"], files=[upload(image)]
    )
    second, _ = file_report(
        django_capture_on_commit_callbacks, urls=["https://b.example/2"], files=[upload(resized_copy(image))]
    )
    assert first.case != second.case
    match = EvidenceMatch.objects.get()
    assert match.evidence.case == second.case and match.other_evidence.case == first.case
    assert match.reference_media is None


def test_no_talent_named_still_matches_any_reference_photo(talent, django_capture_on_commit_callbacks):
    reference_photo = photo(4)
    add_reference_photo(talent, reference_photo)
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://c.example/x"],
        files=[upload(resized_copy(reference_photo))],
    )
    match = EvidenceMatch.objects.get()
    assert match.reference_media.talent == talent and report.case.talent is None


def test_permission_check_as_of_date_seen_with_named_brand(talent, django_capture_on_commit_callbacks):
    """Terms allowed online advertising until a new version denied it; the check runs as of the date seen."""
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "channels": ["online", "social"]}})
    sign_terms(talent, {"advertising": {"decision": "deny"}}, effective_from=date(2026, 6, 1))
    Organization.objects.create(name="Shady Skincare")

    before, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://www.instagram.com/p/OLD"],
        talent=talent.registry_id,
        organization="shady skincare",
        seen_on=date(2026, 3, 1),
        territory="US",
    )
    after, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://www.instagram.com/p/NEW"],
        talent=talent.registry_id,
        organization="Shady Skincare",
        seen_on=date(2026, 7, 1),
    )
    old, new = Case.objects.get(pk=before.case_id), Case.objects.get(pk=after.case_id)
    assert old.permission_result["decision"] == "permitted"
    assert old.permission_result["evaluated_as_of"] == "2026-03-01"
    assert old.permission_result["request"] == {
        "talent": talent.registry_id,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "social",
        "date": "2026-03-01",
    }
    assert old.permission_result["basis"]["version"] == 1
    assert new.permission_result["decision"] == "denied" and new.permission_result["basis"]["version"] == 2
    # Suggested priorities follow: permitted → low, denied → high (applied while new).
    assert (old.priority, new.priority) == (Priority.LOW, Priority.HIGH)


def test_no_evaluation_without_brand_or_date(talent, django_capture_on_commit_callbacks):
    report, _ = file_report(
        django_capture_on_commit_callbacks, urls=["https://x.example/1"], talent=talent.registry_id
    )
    result = Case.objects.get(pk=report.case_id).permission_result
    assert result["evaluated"] is False and result["missing"] == ["brand", "date seen"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"sensitive": True}, Priority.URGENT),
        ({"use": "ai_training"}, Priority.HIGH),
        ({"use": "replica_use"}, Priority.HIGH),
        ({}, Priority.NORMAL),
    ],
)
def test_suggested_priority(fields, expected, django_capture_on_commit_callbacks):
    report, _ = file_report(django_capture_on_commit_callbacks, urls=["https://x.example/1"], **fields)
    case = Case.objects.get(pk=report.case_id)
    assert case.suggested_priority == expected and case.priority == expected
    if fields.get("sensitive"):
        assert case.confidential


def test_staff_priority_is_not_overridden_by_a_later_report(staff_user, django_capture_on_commit_callbacks):

    first, _ = file_report(django_capture_on_commit_callbacks, urls=["https://x.example/1"])
    case = first.case
    edits.update_case(case.pk, actor=staff_user, version=case.version, priority=Priority.LOW)
    file_report(django_capture_on_commit_callbacks, urls=["https://x.example/1"], use="ai_training")
    case.refresh_from_db()
    assert case.priority == Priority.LOW and case.suggested_priority == Priority.HIGH
    assert case.use == "ai_training"  # a blank fact filled in by the further report


def test_enrichment_survives_a_broker_outage(django_capture_on_commit_callbacks):
    """Filing works with the broker down; the outbox keeps the enrichment and drain runs it later."""
    from registry.core import outbox
    from tests.conftest import DEAD_BROKER, broker_at

    with broker_at(DEAD_BROKER), django_capture_on_commit_callbacks(execute=True):
        report, _ = intake.file_report(
            intake.ReportInput(
                description="Deepfake ad seen online.", relationship="fan", urls=["https://x.example/1"]
            ),
            [],
        )
    report.refresh_from_db()
    assert report.case is None  # not yet enriched: the tracking page says "received"
    assert outbox.drain(older_than_seconds=0) == 1
    report.refresh_from_db()
    assert report.case is not None and report.enriched_at is not None


def test_talent_dashboard_lists_cases_about_them(client, django_capture_on_commit_callbacks):
    from registry.cases.selectors import cases_about
    from tests.factories import TalentFactory

    user = make_user("ana@example.org", "talent")
    ana = TalentFactory(stage_name="Ana Reyes", user=user)
    report, _ = file_report(
        django_capture_on_commit_callbacks, urls=["https://x.example/1"], talent=ana.registry_id
    )
    assert list(cases_about(ana)) == [report.case]
    from django.template.loader import render_to_string

    html = render_to_string("cases/_talent_dashboard.html", {"talent": ana, "acting": "talent"})
    assert report.case.reference in html and "Misuse cases about you" in html
    assert "An AI-generated ad uses her face." not in html  # status only, not the report text
    # The talent dashboard (registry/talent/sections.py) includes the section.
    client.force_login(user)
    page = client.get("/talent/me/").content.decode()
    assert 'id="talent-cases"' in page and report.case.reference in page


def test_staff_correct_the_facts_and_enrichment_runs_again(
    client, staff_user, talent, django_capture_on_commit_callbacks
):
    """A report named nobody we know; staff link the talent and the brand: matches and the check follow."""
    reference_photo = photo(6)
    reference = add_reference_photo(talent, reference_photo)
    sign_terms(talent, {"advertising": {"decision": "deny"}})
    Organization.objects.create(name="Shady Skincare")
    Organization.objects.create(name="Other Brand")
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://shady.example/ad"],
        talent="a model I saw",
        files=[upload(resized_copy(reference_photo))],
    )
    case = Case.objects.get(pk=report.case_id)
    assert case.talent is None and case.permission_result["evaluated"] is False
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/cases/{case.pk}/update/",
            {
                "version": case.version,
                "priority": case.priority,
                "talent": talent.registry_id,
                "organization": "shady skincare",
                "use": "advertising",
                "platform": "website",
                "seen_on": "2026-10-01",
            },
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.talent == talent and case.organization.name == "Shady Skincare"
    assert case.permission_result["decision"] == "denied"
    assert case.permission_result["request"]["channel"] == "online"
    assert EvidenceMatch.objects.filter(evidence__case=case, reference_media=reference).exists()
    assert case.timeline.filter(kind="edit", actor=staff_user).exists()
    # Through the API too; an unknown registry ID is a clear 400.
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff_user)
    bad = api.patch(
        f"/api/v1/cases/{case.pk}/", {"version": case.version, "talent": "TR-ZZZZ-ZZZZ"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_talent"
    ok = api.patch(
        f"/api/v1/cases/{case.pk}/", {"version": case.version, "organization": "Other Brand"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["organization"]["name"] == "Other Brand"


def test_as_of_check_uses_the_product_advertised(
    client, staff_user, talent, django_capture_on_commit_callbacks
):
    """The product a reporter names ("Cigarettes") is read as its category (tobacco), kept on the case and
    used by the as-of check: her terms allow the advert but exclude tobacco, so the answer is denied."""
    sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "channels": ["online", "social"]}})
    Organization.objects.create(name="Smoky Brand")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cases/report/",
            {
                "urls": "https://www.instagram.com/p/SMOKE",
                "talent": talent.registry_id.lower(),
                "organization": "Smoky Brand",
                "seen_on": "2026-03-01",
                "territory": "US",
                "product_category": "Cigarettes",
                "description": "An AI-generated cigarette advert with her face.",
                "relationship": "fan",
            },
        )
    assert response.status_code == 302, response.content
    case = MisuseReport.objects.get(product_category="tobacco").case
    assert case.talent == talent and case.product_category == "tobacco"
    assert case.permission_result["request"]["product_category"] == "tobacco"
    assert case.permission_result["decision"] == "denied"
    assert case.permission_result["basis"]["reason"] == "excluded_category"

    # Staff correct it: a product she allows answers permitted; the edit is on the timeline.
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/staff/cases/{case.pk}/update/",
            {"version": case.version, "priority": case.priority, "product_category": "Shoes"},
        )
    case.refresh_from_db()
    assert case.product_category == "shoes" and case.permission_result["decision"] == "permitted"
    page = client.get(f"/staff/cases/{case.pk}/")
    assert b"Product advertised" in page.content and b"shoes" in page.content
