"""Merges that cannot be abused (issue 14, defects 2 and 3): a merged case takes no new work, merging into a
closed case needs whoever may reopen it, and a merge is recorded on both timelines."""

import pytest

from registry.cases import edits, evidence, merge, messaging, workflow
from registry.cases.errors import CaseError, NotAllowed
from registry.cases.models import Case, ReportedURL, Status, TimelineEvent
from tests.cases.helpers import file_report, photo, upload

pytestmark = pytest.mark.django_db


def _case(capture, url, **fields):
    report, code = file_report(capture, urls=[url], reporter_email="pat@example.org", **fields)
    return Case.objects.get(pk=report.case_id), code


@pytest.fixture
def merged(staff_user, django_capture_on_commit_callbacks):
    primary, _ = _case(django_capture_on_commit_callbacks, "https://a.example/1")
    duplicate, _ = _case(django_capture_on_commit_callbacks, "https://b.example/2")
    merge.merge_cases(duplicate.pk, primary.pk, actor=staff_user, version=duplicate.version)
    duplicate.refresh_from_db()
    return duplicate, primary


def test_a_merged_case_takes_no_new_work(staff_user, merged, django_capture_on_commit_callbacks):
    """Defect 2: messages, notes, evidence, links and edits posted to a merged case "succeeded" (the message
    reached nobody, the evidence stayed on the closed duplicate). Each now answers case_merged, naming the
    case it was merged into, and nothing is written."""
    duplicate, primary = merged
    other, _ = _case(django_capture_on_commit_callbacks, "https://c.example/3")
    expected = f"This case was merged into {primary.reference}; work on that case."
    before = TimelineEvent.objects.filter(case=duplicate).count()
    attempts = {
        "note": lambda: messaging.add_note(duplicate.pk, actor=staff_user, body="x"),
        "message": lambda: messaging.message_reporter(duplicate.pk, actor=staff_user, body="x"),
        "evidence": lambda: evidence.add_evidence(duplicate.pk, actor=staff_user, files=[upload(photo(1))]),
        "link": lambda: merge.link_cases(duplicate.pk, other.pk, actor=staff_user),
        "link_to": lambda: merge.link_cases(other.pk, duplicate.pk, actor=staff_user),
        "edit": lambda: edits.update_case(
            duplicate.pk, actor=staff_user, version=duplicate.version, priority="high"
        ),
        "watch": lambda: edits.set_watching(
            duplicate.pk, actor=staff_user, user_id=staff_user.pk, watching=True
        ),
        "reopen": lambda: workflow.transition(
            duplicate.pk, to="triage", actor=staff_user, version=duplicate.version, reason="x"
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(CaseError) as exc:
            attempt()
        assert (exc.value.code, exc.value.detail, exc.value.status) == ("case_merged", expected, 409), name
    assert TimelineEvent.objects.filter(case=duplicate).count() == before
    assert not duplicate.notes.exists() and not duplicate.evidence.exists()
    assert workflow.available(duplicate, staff_user) == []
    assert edits.bulk_assign([duplicate.pk], assignee_id=staff_user.pk, actor=staff_user) == 0


def test_url_status_of_a_merged_case_is_refused(staff_user, django_capture_on_commit_callbacks):
    """Defect 2: a URL left on the duplicate (same address as the primary's) still took status changes."""
    primary, _ = _case(django_capture_on_commit_callbacks, "https://same.example/1")
    duplicate, _ = _case(django_capture_on_commit_callbacks, "https://other.example/1")
    ReportedURL.objects.filter(case=duplicate).update(normalized_url=primary.urls.get().normalized_url)
    merge.merge_cases(duplicate.pk, primary.pk, actor=staff_user, version=duplicate.version)
    left = duplicate.urls.get()
    with pytest.raises(CaseError, match=primary.reference):
        evidence.set_url_status(left.pk, actor=staff_user, status="removed")


def test_staff_page_of_a_merged_case_links_the_target_and_hides_forms(client, staff_user, merged):
    """Defect 2: the merged case's page offered the note, message, evidence and edit forms."""
    duplicate, primary = merged
    client.force_login(staff_user)
    page = client.get(f"/staff/cases/{duplicate.pk}/").content.decode()
    assert 'id="merged-banner"' in page and f'href="/staff/cases/{primary.pk}/"' in page
    for action in ("note", "message", "add-evidence", "update", "watch", "link", "transition"):
        assert f'action="/staff/cases/{duplicate.pk}/{action}/"' not in page, action
    # A form posted anyway (an old tab) is refused with the same words.
    response = client.post(f"/staff/cases/{duplicate.pk}/note/", {"body": "late"}, follow=True)
    assert f"merged into {primary.reference}" in response.content.decode()
    assert not duplicate.notes.exists()


def test_api_answers_409_case_merged(api_client, staff_user, merged):
    duplicate, primary = merged
    api_client.force_authenticate(staff_user)
    response = api_client.patch(
        f"/api/v1/cases/{duplicate.pk}/", {"priority": "high", "version": duplicate.version}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "case_merged" and primary.reference in response.json()["detail"]


def test_staff_cannot_merge_into_a_resolved_case(
    client, staff_user, supervisor_user, django_capture_on_commit_callbacks
):
    """Defect 3: ordinary staff merged a fresh case into a resolved one, and the reporter's tracking page at
    once showed "Resolved: removed". Now refused (only who may reopen it may); the page does not change."""
    resolved, _ = _case(django_capture_on_commit_callbacks, "https://done.example/1")
    Case.objects.filter(pk=resolved.pk).update(status=Status.RESOLVED, outcome="removed")
    fresh, code = _case(django_capture_on_commit_callbacks, "https://fresh.example/2")
    before = client.get(f"/cases/track/{code}/").content.decode()
    assert "Received" in before
    with pytest.raises(NotAllowed) as exc:
        merge.merge_cases(fresh.pk, resolved.pk, actor=staff_user, version=fresh.version)
    assert exc.value.code == "forbidden_merge" and "supervisor" in exc.value.detail
    client.force_login(staff_user)
    response = client.post(
        f"/staff/cases/{fresh.pk}/link/",
        {"kind": "merge", "other": resolved.reference, "version": fresh.version},
        follow=True,
    )
    assert "only someone who may reopen" in response.content.decode()
    client.logout()
    after = client.get(f"/cases/track/{code}/").content.decode()
    assert "Resolved" not in after
    fresh.refresh_from_db()
    assert fresh.duplicate_of_id is None and fresh.status == Status.NEW
    # A supervisor (who may reopen it) may merge, and both timelines say who merged which case.
    merge.merge_cases(fresh.pk, resolved.pk, actor=supervisor_user, version=fresh.version)
    source = TimelineEvent.objects.get(case=fresh, kind="merge")
    target = TimelineEvent.objects.get(case=resolved, kind="merge")
    assert source.actor == target.actor == supervisor_user and source.at and target.at
    assert resolved.reference in source.message and fresh.reference in target.message
    assert source.data["primary"] == resolved.pk and target.data["duplicate"] == fresh.pk


def test_merge_permission_comes_from_the_transition_table(django_capture_on_commit_callbacks):
    case, _ = _case(django_capture_on_commit_callbacks, "https://x.example/1")
    for status in (Status.RESOLVED, Status.DISMISSED):
        case.status = status
        assert workflow.merge_perm(case) == workflow.find(status, Status.TRIAGE).perm
    case.status = Status.INVESTIGATING
    assert workflow.merge_perm(case) == workflow.STAFF


def test_nothing_merges_into_a_merged_case(supervisor_user, merged, django_capture_on_commit_callbacks):
    duplicate, primary = merged
    fresh, _ = _case(django_capture_on_commit_callbacks, "https://y.example/1")
    with pytest.raises(CaseError) as exc:
        merge.merge_cases(fresh.pk, duplicate.pk, actor=supervisor_user, version=fresh.version)
    assert exc.value.code == "case_merged" and primary.reference in exc.value.detail
