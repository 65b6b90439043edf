"""Who reaches what: no non-staff role reaches a staff page, evidence file or internal note; confidential
cases only for supervisors and their assignee; every staff view of evidence is audited."""

import pytest

from registry.cases import messaging, workflow
from registry.cases.models import Case, Evidence, NoticeTemplate
from registry.core.models import AuditEvent
from tests.cases.helpers import add_reference_photo, file_report, photo, resized_copy, upload
from tests.cases.notice_helpers import send_confirmed_notice
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(talent, staff_user, django_capture_on_commit_callbacks):
    """A case with evidence, a reference match, an internal note, a message and a sent notice."""
    reference_photo = photo(1)
    reference = add_reference_photo(talent, reference_photo)
    report, code = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://example.com/ad"],
        talent=talent.registry_id,
        files=[upload(resized_copy(reference_photo), "copy.jpg")],
    )
    case = Case.objects.get(pk=report.case_id)
    messaging.add_note(case.pk, actor=staff_user, body="SECRET-INTERNAL-NOTE")
    messaging.message_reporter(case.pk, actor=staff_user, body="Public update for the reporter.")
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff_user, version=case.version)
    notice = send_confirmed_notice(
        case.pk,
        actor=staff_user,
        version=case.version,
        template_id=NoticeTemplate.objects.get(kind="takedown").pk,
        recipient_name="P",
        recipient_email="p@platform.example",
    )
    case.refresh_from_db()
    evidence = Evidence.objects.get()
    url = case.urls.get()
    return {
        "case": case,
        "evidence": evidence,
        "reference": reference,
        "notice": notice,
        "url": url,
        "code": code,
    }


def staff_urls(w):
    c, e = w["case"].pk, w["evidence"].pk
    gets = [
        "/staff/cases/",
        "/staff/cases/dashboard/",
        "/staff/cases/export.csv",
        "/staff/cases/templates/",
        f"/staff/cases/templates/{NoticeTemplate.objects.first().pk}/",
        f"/staff/cases/{c}/",
        f"/staff/cases/{c}/notice/",
        f"/staff/cases/evidence/{e}/original/",
        f"/staff/cases/evidence/{e}/display/",
        f"/staff/cases/evidence/{e}/thumb/",
        f"/staff/cases/reference/{w['reference'].pk}/thumb/",
        f"/staff/cases/notices/{w['notice'].pk}/pdf/",
        f"/admin/cases/case/{c}/change/",
        f"/admin/cases/evidence/{e}/change/",
    ]
    posts = [
        ("/staff/cases/assign/", {"cases": [c], "assignee": "none"}),
        (f"/staff/cases/{c}/transition/", {"to": "dismissed", "version": w["case"].version, "reason": "x"}),
        (f"/staff/cases/{c}/update/", {"version": w["case"].version, "priority": "low"}),
        (f"/staff/cases/{c}/watch/", {"watch": "1"}),
        (f"/staff/cases/{c}/note/", {"body": "x"}),
        (f"/staff/cases/{c}/message/", {"body": "x"}),
        (f"/staff/cases/{c}/link/", {"other": "C-1", "kind": "related", "version": 1}),
        (f"/staff/cases/{c}/evidence/", {"evidence": upload(photo(3))}),
        (f"/staff/cases/urls/{w['url'].pk}/status/", {"status": "removed"}),
    ]
    return gets, posts


@pytest.mark.parametrize("role", ["anonymous", "talent", "representative", "brand", "staff_without_mfa"])
def test_no_non_staff_role_reaches_any_staff_page_evidence_or_note(client, world, role):
    users = {
        "talent": lambda: make_user("t@example.org", "talent"),
        "representative": lambda: make_user("r@example.org", "representative"),
        "brand": lambda: make_user("b@example.org", "brand_member"),
        "staff_without_mfa": lambda: make_user("nomfa@example.org", "staff"),
    }
    if role != "anonymous":
        client.force_login(users[role]())
    before = (Case.objects.get().version, world["case"].notes.count(), world["case"].messages.count())
    gets, posts = staff_urls(world)
    for url in gets:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), (role, url, response.status_code)
        if response.status_code == 302:
            assert (
                "/accounts/" in response.url or "/mfa/" in response.url or "/admin/login" in response.url
            ), url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert (
            b"SECRET-INTERNAL-NOTE" not in body and not body.startswith(b"%PDF") and b"JFIF" not in body[:20]
        )
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (302, 403, 404), (role, url)
        if response.status_code == 302:
            assert "/accounts/" in response.url or "/mfa/" in response.url, url
    assert (Case.objects.get().version, world["case"].notes.count(), world["case"].messages.count()) == before
    # The API answers in the standard error format.
    for method, url in [
        ("get", "/api/v1/cases/"),
        ("get", f"/api/v1/cases/{world['case'].pk}/"),
        ("patch", f"/api/v1/cases/{world['case'].pk}/"),
        ("post", f"/api/v1/cases/{world['case'].pk}/transition/"),
    ]:
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code in (401, 403), (role, url)
        assert set(response.json()) == {"code", "detail", "fields"}
    # Nor do the public pages leak internal notes.
    for url in (f"/cases/track/{world['code']}/", f"/api/v1/reports/track/{world['code']}/", "/cases/mine/"):
        response = client.get(url)
        assert b"SECRET-INTERNAL-NOTE" not in response.content


def test_staff_reach_everything_and_evidence_views_are_audited(client, world, staff_user, supervisor_user):
    client.force_login(staff_user)
    gets, _ = staff_urls(world)
    for url in gets:
        expected = 403 if "templates" in url or "export" in url else 200  # supervisor-only
        assert client.get(url).status_code == expected, url
    original = client.get(f"/staff/cases/evidence/{world['evidence'].pk}/original/")
    assert original["Content-Disposition"].startswith("attachment")
    audited = set(AuditEvent.objects.filter(actor=staff_user).values_list("action", flat=True))
    assert {
        "case.view",
        "evidence.download",
        "evidence.view",
        "reference_media.view",
        "notice.download",
    } <= audited
    event = AuditEvent.objects.filter(action="evidence.download").first()
    assert event.object_id == str(world["evidence"].pk) and world["evidence"].sha256 in event.detail
    client.force_login(supervisor_user)
    assert client.get("/staff/cases/export.csv").status_code == 200


def test_evidence_is_never_under_a_public_url(client, world, settings):
    with pytest.raises(ValueError):
        world["evidence"].original.url  # noqa: B018
    for name in (world["evidence"].original.name, f"private/{world['evidence'].original.name}"):
        assert client.get(settings.MEDIA_URL + name).status_code == 404


def test_evidence_originals_are_never_modified(world):
    from registry.cases.models import AppendOnlyError

    evidence = world["evidence"]
    evidence.sha256 = "0" * 64
    with pytest.raises(AppendOnlyError):
        evidence.save()
    with pytest.raises(AppendOnlyError):
        Evidence.objects.get().delete()


def test_confidential_cases_only_for_supervisors_and_their_assignee(
    client, api_client, staff_user, supervisor_user, django_capture_on_commit_callbacks
):
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://bad.example/1"],
        sensitive=True,
        files=[upload(photo(2))],
    )
    secret = Case.objects.get(pk=report.case_id)
    public, _ = file_report(django_capture_on_commit_callbacks, urls=["https://ok.example/1"])
    assert secret.confidential
    evidence = secret.evidence.get()

    def reachable(user):
        client.force_login(user)
        api_client.force_authenticate(user)
        queue_ids = {c.pk for c in client.get("/staff/cases/?status=").context["page"]}
        api_ids = {c["id"] for c in api_client.get("/api/v1/cases/").json()["results"]}
        return {
            "queue": secret.pk in queue_ids,
            "api_list": secret.pk in api_ids,
            "page": client.get(f"/staff/cases/{secret.pk}/").status_code,
            "evidence": client.get(f"/staff/cases/evidence/{evidence.pk}/thumb/").status_code,
            "api": api_client.get(f"/api/v1/cases/{secret.pk}/").status_code,
            "other_visible": public.case_id in queue_ids,
        }

    hidden = {
        "queue": False,
        "api_list": False,
        "page": 404,
        "evidence": 404,
        "api": 404,
        "other_visible": True,
    }
    shown = {"queue": True, "api_list": True, "page": 200, "evidence": 200, "api": 200, "other_visible": True}
    assert reachable(staff_user) == hidden
    assert reachable(supervisor_user) == shown
    # Not even by guessing actions: a non-assigned staff member cannot act on it.
    api_client.force_authenticate(staff_user)
    response = api_client.post(
        f"/api/v1/cases/{secret.pk}/transition/", {"to": "triage", "version": secret.version}, format="json"
    )
    assert response.status_code == 404
    # The supervisor assigns it to the staff member, who then sees it.
    api_client.force_authenticate(supervisor_user)
    response = api_client.patch(
        f"/api/v1/cases/{secret.pk}/", {"assignee": staff_user.pk, "version": secret.version}, format="json"
    )
    assert response.status_code == 200 and response.json()["assignee"]["id"] == staff_user.pk
    assert reachable(staff_user) == shown
    # Only a supervisor lifts the mark.
    api_client.force_authenticate(staff_user)
    secret.refresh_from_db()
    response = api_client.patch(
        f"/api/v1/cases/{secret.pk}/", {"confidential": False, "version": secret.version}, format="json"
    )
    assert response.status_code == 403 and "Only a supervisor" in response.json()["detail"]


def test_one_visibility_rule_for_lists_and_single_cases(
    staff_user, supervisor_user, django_capture_on_commit_callbacks
):
    """The `cases.view_case` permission and the queue's queryset give the same answer for every role."""
    from django.contrib.auth.models import AnonymousUser

    from registry.cases.selectors import visible_cases

    assignee = make_user("assignee@union.example", "staff")
    talent_user = make_user("someone@example.com", "talent")
    capture = django_capture_on_commit_callbacks
    open_case = file_report(capture, urls=["https://a.example/1"])[0].case
    secret = file_report(capture, urls=["https://a.example/2"], sensitive=True)[0].case
    Case.objects.filter(pk=secret.pk).update(assignee=assignee)
    secret.refresh_from_db()
    expected = {
        staff_user: {open_case: True, secret: False},
        assignee: {open_case: True, secret: True},
        supervisor_user: {open_case: True, secret: True},
        talent_user: {open_case: False, secret: False},
        AnonymousUser(): {open_case: False, secret: False},
    }
    for user, cases in expected.items():
        for case, visible in cases.items():
            assert user.has_perm("cases.view_case", case) is visible, (user, case)
            assert visible_cases(user).filter(pk=case.pk).exists() is visible, (user, case)
