"""The workflow: new → resolved through the web UI and the API, every forbidden transition refused with a
clear message, the timeline records each step with actor and time, and concurrent changes have one winner."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from registry.cases import edits, evidence, merge, messaging, workflow
from registry.cases.errors import CaseError, Conflict
from registry.cases.models import Case, NoticeTemplate, Outcome, ReportedURL, Status, TimelineEvent
from tests.cases.helpers import file_report
from tests.cases.notice_helpers import send_confirmed_notice
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(django_capture_on_commit_callbacks):
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://www.instagram.com/p/AD1/", "https://shop.example/promo"],
        reporter_email="pat@example.org",
    )
    return Case.objects.get(pk=report.case_id)


def _post_transition(client, case, to, **extra):
    case.refresh_from_db()
    return client.post(f"/staff/cases/{case.pk}/transition/", {"to": to, "version": case.version, **extra})


def test_new_to_resolved_through_the_web_ui(
    client, staff_user, case, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    page = client.get(f"/staff/cases/{case.pk}/")
    assert page.status_code == 200 and 'data-transition="triage-triage"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert _post_transition(client, case, "triage").status_code == 302
        assert _post_transition(client, case, "investigating").status_code == 302
        case.refresh_from_db()
        data = {
            "template": case_template("takedown").pk,
            "recipient_name": "Instagram Legal",
            "recipient_email": "ip@instagram.example",
            "urls": list(case.urls.values_list("pk", flat=True)),
            "version": case.version,
        }
        preview = client.post(f"/staff/cases/{case.pk}/notice/", {**data, "action": "preview"})
        data["confirmation"] = preview.context["draft"].confirmation  # send what was previewed
        response = client.post(
            f"/staff/cases/{case.pk}/notice/", {**data, "action": "send", "confirm_send": "yes"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert _post_transition(client, case, "awaiting_response").status_code == 302
        response = _post_transition(
            client, case, "resolved", outcome="removed", outcome_note="Post taken down"
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.outcome == Outcome.REMOVED and case.closed_at
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "is now resolved" in page  # the success message

    steps = list(case.timeline.filter(kind="status").values_list("from_status", "to_status", "actor"))
    assert steps == [
        ("new", "triage", staff_user.pk),
        ("triage", "investigating", staff_user.pk),
        ("investigating", "notice_sent", staff_user.pk),
        ("notice_sent", "awaiting_response", staff_user.pk),
        ("awaiting_response", "resolved", staff_user.pk),
    ]
    # The timeline on the page shows every step with its actor and time.
    timeline = page[page.index('id="timeline-list"') :]
    for event in case.timeline.all():
        assert event.at.strftime("%Y-%m-%d %H:%M:%S") in timeline
    assert timeline.count(str(staff_user)) >= 6  # 5 transitions + the notice
    # The reporter was told along the way (tracking page messages and emails).
    assert case.messages.count() == 4  # triage, investigating, notice sent, resolved
    assert {m.to[0] for m in mailoutbox} >= {"pat@example.org", "ip@instagram.example"}


def case_template(kind):
    from registry.cases.models import NoticeTemplate

    return NoticeTemplate.objects.filter(kind=kind).first()


def test_new_to_resolved_through_the_api(api_client, staff_user, case):
    api_client.force_authenticate(staff_user)
    version = api_client.get(f"/api/v1/cases/{case.pk}/").json()["version"]
    for to, extra in [
        ("triage", {}),
        ("investigating", {}),
        ("resolved", {"outcome": "no_violation", "outcome_note": "Parody, clearly labelled"}),
    ]:
        response = api_client.post(
            f"/api/v1/cases/{case.pk}/transition/", {"to": to, "version": version, **extra}, format="json"
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["status"] == to and body["version"] == version + 1
        version = body["version"]
    timeline = body["timeline"]
    assert [(e["from_status"], e["to_status"]) for e in timeline if e["kind"] == "status"] == [
        ("new", "triage"),
        ("triage", "investigating"),
        ("investigating", "resolved"),
    ]
    assert all(e["actor"] == staff_user.email and e["at"] for e in timeline if e["kind"] == "status")
    assert body["outcome"] == "no_violation"


@pytest.mark.parametrize(
    ("actor", "start", "payload", "status", "code", "phrase"),
    [
        (
            "staff",
            "new",
            {"to": "dismissed", "reason": "spam"},
            403,
            "forbidden_transition",
            "Only a supervisor",
        ),
        (
            "staff",
            "triage",
            {"to": "escalated", "reason": "court"},
            403,
            "forbidden_transition",
            "Only a supervisor",
        ),
        ("supervisor", "new", {"to": "dismissed"}, 400, "reason_required", "give a reason"),
        ("supervisor", "triage", {"to": "escalated"}, 400, "reason_required", "give a reason"),
        (
            "staff",
            "new",
            {"to": "resolved", "outcome": "removed"},
            400,
            "invalid_transition",
            "cannot move to",
        ),
        ("staff", "new", {"to": "awaiting_response"}, 400, "invalid_transition", "cannot move to"),
        ("staff", "investigating", {"to": "notice_sent"}, 400, "notice_required", "needs a recipient"),
        ("staff", "investigating", {"to": "resolved"}, 400, "outcome_required", "choose its outcome"),
        (
            "staff",
            "investigating",
            {"to": "resolved", "outcome": "licensed"},
            400,
            "license_request_required",
            "must link the license request",
        ),
        (
            "staff",
            "resolved",
            {"to": "triage", "reason": "new facts"},
            403,
            "forbidden_transition",
            "Only a supervisor",
        ),
        ("supervisor", "resolved", {"to": "investigating"}, 400, "reason_required", "give a reason"),
        ("staff", "triage", {"to": "bogus"}, 400, "invalid", "to"),
    ],
)
def test_forbidden_transitions_are_refused_with_a_clear_message(
    api_client, staff_user, supervisor_user, case, actor, start, payload, status, code, phrase
):
    _move(case, start, supervisor_user)
    case.refresh_from_db()
    before = (case.status, case.version, TimelineEvent.objects.filter(case=case).count())
    api_client.force_authenticate(staff_user if actor == "staff" else supervisor_user)
    response = api_client.post(
        f"/api/v1/cases/{case.pk}/transition/", {"version": case.version, **payload}, format="json"
    )
    body = response.json()
    assert response.status_code == status and body["code"] == code, body
    assert phrase in body["detail"] or phrase in str(body["fields"])
    case.refresh_from_db()
    assert (case.status, case.version, TimelineEvent.objects.filter(case=case).count()) == before


def test_stale_version_is_a_409_conflict(api_client, staff_user, supervisor_user, case):
    api_client.force_authenticate(staff_user)
    seen = case.version
    edits.update_case(case.pk, actor=supervisor_user, version=seen, priority="high")  # someone else
    response = api_client.post(
        f"/api/v1/cases/{case.pk}/transition/", {"to": "triage", "version": seen}, format="json"
    )
    assert response.status_code == 409
    assert (
        response.json()["code"] == "conflict"
        and "Someone else changed this case" in response.json()["detail"]
    )
    response = api_client.patch(
        f"/api/v1/cases/{case.pk}/", {"priority": "low", "version": seen}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    case.refresh_from_db()
    assert case.status == Status.NEW and case.priority == "high"


def test_web_ui_shows_refusals_as_messages(client, staff_user, case):
    client.force_login(staff_user)
    response = client.post(
        f"/staff/cases/{case.pk}/transition/",
        {"to": "dismissed", "version": case.version, "reason": "x"},
        follow=True,
    )
    assert "Only a supervisor may dismiss a case." in response.content.decode()
    response = client.post(
        f"/staff/cases/{case.pk}/transition/", {"to": "triage", "version": case.version - 1}, follow=True
    )
    assert "Someone else changed this case after you opened it" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_dismiss_and_reopen_by_supervisor(supervisor_user, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = workflow.transition(
            case.pk, to="dismissed", actor=supervisor_user, version=case.version, reason="Not our member"
        )
        assert case.dismissal_reason == "Not our member" and case.closed_at
        case = workflow.transition(
            case.pk,
            to="investigating",
            actor=supervisor_user,
            version=case.version,
            reason="Member after all",
        )
    assert case.status == Status.INVESTIGATING and case.closed_at is None and case.dismissal_reason == ""
    events = list(case.timeline.filter(kind="status").values_list("to_status", "message"))
    assert events == [("dismissed", "Not our member"), ("investigating", "Member after all")]


def test_licensed_outcome_links_the_license_request(staff_user, supervisor_user, case, talent):
    from registry.brands.models import Organization
    from registry.licensing.models import LicenseRequest

    org = Organization.objects.create(name="Acme")
    Case.objects.filter(pk=case.pk).update(talent=talent)
    request = LicenseRequest.objects.create(
        talent=talent,
        organization=org,
        use="advertising",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        fee_amount="100.00",
        description="Retroactive license for the ad",
    )
    _move(case, "investigating", supervisor_user)
    case.refresh_from_db()
    case = workflow.transition(
        case.pk,
        to="resolved",
        actor=staff_user,
        version=case.version,
        outcome="licensed",
        license_request=request,
    )
    assert case.outcome == "licensed" and case.license_request == request


def test_timeline_is_append_only(case):
    from registry.cases.models import AppendOnlyError

    event = case.timeline.first()
    event.message = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(case=case).update(message="x")
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(case=case).delete()


def test_assignment_watchers_notes_links_and_merge(
    staff_user, supervisor_user, case, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = make_user("colleague@example.org", "staff", mfa=True)
    case = edits.update_case(case.pk, actor=staff_user, version=case.version, assignee=colleague.pk)
    assert case.assignee == colleague
    with pytest.raises(CaseError, match="active union staff"):
        edits.update_case(
            case.pk, actor=staff_user, version=case.version, assignee=make_user("x@example.org", "talent").pk
        )
    edits.set_watching(case.pk, actor=staff_user, user_id=supervisor_user.pk, watching=True)
    messaging.add_note(case.pk, actor=staff_user, body="Called the platform.")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(case.pk, to="triage", actor=staff_user, version=case.version)
    assert any(m.to == [supervisor_user.email] and "Now in triage" in m.subject for m in mailoutbox)

    other, _ = file_report(django_capture_on_commit_callbacks, urls=["https://other.example/x"])
    merge.link_cases(case.pk, other.case_id, actor=staff_user)
    assert case.links_out.get().kind == "related"
    assert TimelineEvent.objects.filter(case_id=other.case_id, kind="link").exists()

    dup, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://dup.example/y", "https://www.instagram.com/p/AD1/?x=1"],
    )
    duplicate = dup.case
    primary = merge.merge_cases(duplicate.pk, case.pk, actor=staff_user, version=duplicate.version)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.DISMISSED and duplicate.duplicate_of == primary
    assert dup.__class__.objects.get(pk=dup.pk).case == primary
    assert set(primary.urls.values_list("normalized_url", flat=True)) >= {"https://dup.example/y"}
    assert TimelineEvent.objects.filter(case=primary, kind="merge").exists()
    assert TimelineEvent.objects.filter(case=duplicate, kind="merge").exists()


def test_url_status_is_tracked_per_url(staff_user, case):
    url = case.urls.first()
    evidence.set_url_status(url.pk, actor=staff_user, status="removed")
    url.refresh_from_db()
    assert url.status == ReportedURL.Status.REMOVED and url.last_checked_at
    assert case.urls.exclude(pk=url.pk).get().status == ReportedURL.Status.REPORTED


def test_admin_uses_the_same_state_machine(client, staff_user, case):
    client.force_login(staff_user)
    url = f"/admin/cases/case/{case.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"transition_to": "dismissed", "transition_reason": "x", "seen_version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.NEW  # staff may not dismiss: refused by the workflow
    client.post(url, {"transition_to": "triage", "seen_version": case.version})
    case.refresh_from_db()
    assert (
        case.status == Status.TRIAGE and case.timeline.filter(to_status="triage", actor=staff_user).exists()
    )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_cannot_both_win(django_capture_on_commit_callbacks):
    """Two staff members move the same case from the same version at the same time: exactly one wins.

    On PostgreSQL two threads race for real (row lock + version check); SQLite serialises writers, so there
    the second transition arrives with the version both had read and the version check refuses it."""
    from accounts.roles import Role

    a = make_user("a@example.org", Role.STAFF, mfa=True)
    b = make_user("b@example.org", Role.SUPERVISOR, mfa=True)
    report, _ = file_report(django_capture_on_commit_callbacks, urls=["https://race.example/1"])
    case = Case.objects.get(pk=report.case_id)
    seen = case.version
    moves = [(a, {"to": "triage"}), (b, {"to": "dismissed", "reason": "duplicate"})]
    results: list = []

    def attempt(actor, kwargs, barrier=None):
        try:
            if barrier:
                barrier.wait(timeout=10)
            workflow.transition(case.pk, actor=actor, version=seen, **kwargs)
            results.append("won")
        except Conflict:
            results.append("conflict")
        finally:
            if barrier:
                connections.close_all()

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=attempt, args=(actor, kw, barrier)) for actor, kw in moves]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
    else:
        for actor, kw in moves:
            attempt(actor, kw)
    assert sorted(results) == ["conflict", "won"]
    case.refresh_from_db()
    assert case.version == seen + 1
    assert case.timeline.filter(kind="status").count() == 1


def _move(case, status, supervisor):
    """Walk a case to `status` along the allowed path (as a supervisor)."""
    from registry.cases.models import NoticeTemplate

    path = {
        "new": [],
        "triage": ["triage"],
        "investigating": ["triage", "investigating"],
        "notice_sent": ["triage", "investigating", "notice"],
        "awaiting_response": ["triage", "investigating", "notice", "awaiting_response"],
        "resolved": ["triage", "investigating", "resolved"],
        "dismissed": ["dismissed"],
        "escalated": ["triage", "escalated"],
    }[status]
    for step in path:
        case.refresh_from_db()
        if step == "notice":
            send_confirmed_notice(
                case.pk,
                actor=supervisor,
                version=case.version,
                template_id=NoticeTemplate.objects.filter(kind="takedown").first().pk,
                recipient_name="Platform",
                recipient_email="legal@platform.example",
            )
            continue
        workflow.transition(
            case.pk, to=step, actor=supervisor, version=case.version, reason="walk", outcome="no_violation"
        )


def test_supervisors_edit_sla_policies_and_templates_in_the_admin(client, staff_user, supervisor_user):
    from registry.cases.models import SLAPolicy

    policy = SLAPolicy.objects.get(priority="urgent")
    url = f"/admin/cases/slapolicy/{policy.pk}/change/"
    data = {"priority": "urgent", "triage_hours": 2, "response_days": 7}
    client.force_login(staff_user)
    assert client.get(url).status_code == 200  # staff may look
    client.post(url, data)
    policy.refresh_from_db()
    assert policy.triage_hours == 4
    client.force_login(supervisor_user)
    assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert (policy.triage_hours, policy.response_days) == (2, 7)
    from registry.cases import deadlines

    assert deadlines.policy_for("urgent") == (2, 7)
    template = NoticeTemplate.objects.get(kind="takedown")
    response = client.post(
        f"/admin/cases/noticetemplate/{template.pk}/change/",
        {"name": template.name, "kind": "takedown", "subject": "x", "body": "{% for %}", "is_active": "on"},
    )
    assert response.status_code == 200 and "does not parse" in response.content.decode()
