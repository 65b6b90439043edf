"""The reporter answers from the tracking page (issue 14, defect 6): "the reporter cannot reply or add
evidence from the tracking page". A reply lands on the case timeline as the reporter's message, evidence
goes through the intake's upload rules, the assignee and watchers are told, the rate limit holds, and on a
merged case the page (and the reply) follow the case it was merged into."""

import pytest

from registry.cases import edits, merge
from registry.cases.models import Case, TimelineEvent
from tests.cases.helpers import file_report, minimal_pdf, photo, upload
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _filed(capture, url="https://a.example/1"):
    report, code = file_report(capture, urls=[url], reporter_email="pat@example.org")
    return report, code, Case.objects.get(pk=report.case_id)


def test_reporter_replies_with_evidence(client, staff_user, mailoutbox, django_capture_on_commit_callbacks):
    """Before: the tracking page had no form, and POSTing to it did nothing."""
    report, code, case = _filed(django_capture_on_commit_callbacks)
    colleague = make_user("assignee@example.org", "staff", mfa=True)
    edits.update_case(case.pk, actor=staff_user, version=case.version, assignee=colleague.pk)
    page = client.get(f"/cases/track/{code}/").content.decode()
    assert f'action="/cases/track/{code}/reply/"' in page
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/track/{code}/reply/",
            {
                "body": "It is back up under a new link.",
                "evidence": [upload(photo(5)), upload(minimal_pdf(), "s.pdf")],
            },
        )
    assert response.status_code == 302
    reply = TimelineEvent.objects.get(case=case, kind="message", data__from_reporter=True)
    assert "It is back up" in reply.message and reply.data["report"] == report.pk
    added = case.evidence.filter(report=report)
    assert added.count() == 2 and {e.uploaded_by_label for e in added} == {"reporter"}
    assert TimelineEvent.objects.filter(case=case, kind="evidence").exists()
    to_assignee = [m for m in mailoutbox if m.to == [colleague.email]]
    assert to_assignee and "It is back up" not in to_assignee[0].body  # emails carry no case facts
    page = client.get(f"/cases/track/{code}/").content.decode()
    assert "Your replies" in page and "It is back up under a new link." in page
    # Nothing of it is shown as a message from the union to other reporters.
    assert not case.messages.filter(body__contains="back up").exists()


def test_reply_uses_the_intake_upload_rules(client, django_capture_on_commit_callbacks):
    _, code, case = _filed(django_capture_on_commit_callbacks)
    response = client.post(
        f"/cases/track/{code}/reply/", {"body": "", "evidence": [upload(b"MZ\x90\x00 not an image", "x.exe")]}
    )
    assert response.status_code == 400 and "x.exe" in response.content.decode()
    assert client.post(f"/cases/track/{code}/reply/", {"body": "  "}).status_code == 400
    assert not case.evidence.exists()
    assert not TimelineEvent.objects.filter(case=case, data__from_reporter=True).exists()


def test_replies_are_rate_limited(client, settings, django_capture_on_commit_callbacks):
    """Before: nothing limited what a tracking-code holder could send (one reporter sent five in five
    minutes)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "reports": "1/hour"},
    }
    _, code, case = _filed(django_capture_on_commit_callbacks)
    assert client.post(f"/cases/track/{code}/reply/", {"body": "one"}).status_code == 302
    refused = client.post(f"/cases/track/{code}/reply/", {"body": "two, still typed"})
    assert refused.status_code == 429 and "Retry-After" in refused
    assert "two, still typed" in refused.content.decode()
    assert TimelineEvent.objects.filter(case=case, data__from_reporter=True).count() == 1


def test_unknown_code_is_404(client, db):
    assert client.post("/cases/track/nope/reply/", {"body": "x"}).status_code == 404
    assert client.get("/cases/track/nope/reply/").status_code == 405


def test_merged_case_tracking_follows_the_target(client, staff_user, django_capture_on_commit_callbacks):
    _, _, primary = _filed(django_capture_on_commit_callbacks)
    report, code, duplicate = _filed(django_capture_on_commit_callbacks, "https://b.example/2")
    merge.merge_cases(duplicate.pk, primary.pk, actor=staff_user, version=duplicate.version)
    page = client.get(f"/cases/track/{code}/").content.decode()
    assert primary.reference in page and duplicate.reference not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/cases/track/{code}/reply/", {"body": "More info."}).status_code == 302
    assert TimelineEvent.objects.filter(case=primary, data__from_reporter=True).exists()
    assert not TimelineEvent.objects.filter(case=duplicate, data__from_reporter=True).exists()
