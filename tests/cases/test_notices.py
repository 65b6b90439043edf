"""Notices: filled from the case, previewed, rendered to PDF, sent through the outbox, hashed and recorded."""

import hashlib
from datetime import date

import pytest

from registry.brands.models import Organization
from registry.cases import notices, workflow
from registry.cases.errors import CaseError
from registry.cases.models import Case, Notice, NoticeTemplate, ReportedURL, Status, TimelineEvent
from registry.core.models import OutboxMessage
from tests.cases.helpers import file_report
from tests.cases.notice_helpers import send_confirmed_notice
from tests.factories import sign_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(talent, staff_user, django_capture_on_commit_callbacks):
    sign_terms(talent, {"advertising": {"decision": "deny"}})
    Organization.objects.create(name="Shady Skincare", contact_email="legal@shady.example")
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://www.instagram.com/p/AD1/?igshid=1", "https://shady.example/promo"],
        talent=talent.registry_id,
        organization="Shady Skincare",
        seen_on=date(2026, 11, 1),
    )
    case = Case.objects.get(pk=report.case_id)
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff_user, version=case.version)
    return case


def takedown():
    return NoticeTemplate.objects.get(kind="takedown")


def send(case, actor, **fields):
    fields.setdefault("template_id", takedown().pk)
    return send_confirmed_notice(case.pk, actor=actor, version=case.version, **fields)


def test_notice_pdf_generated_sent_through_outbox_hashed_and_recorded(
    case, staff_user, talent, mailoutbox, django_capture_on_commit_callbacks
):
    """Acceptance 4."""
    instagram = case.urls.get(normalized_url="https://instagram.com/p/AD1")
    with django_capture_on_commit_callbacks(execute=True):
        notice = send(
            case,
            staff_user,
            recipient_name="Instagram IP team",
            recipient_email="ip@instagram.example",
            url_ids=[instagram.pk],
        )
    # Rendered to a PDF, stored privately with its SHA-256.
    with notice.pdf.open("rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF-")
    assert notice.sha256 == hashlib.sha256(pdf).hexdigest()
    # Filled from the case's facts.
    for fact in (
        "Ana Reyes",
        talent.registry_id,
        "https://instagram.com/p/AD1",  # quoted without its tracking tag
        "2026-11-01",
        "Shady Skincare",
        "not permitted (denied)",
        "terms version 1",
        case.reference,
        "The Performers' Union",  # plain text: not HTML-escaped
    ):
        assert fact in notice.body, fact
    assert "&#x27;" not in notice.body and "&amp;" not in notice.subject
    assert "shady.example/promo" not in notice.body  # only the chosen URL
    assert "igshid" not in notice.body
    # Sent through the outbox with the PDF attached.
    message = OutboxMessage.objects.filter(
        handler="registry.cases.notice_delivery.deliver_notice", payload__notice_id=notice.pk
    ).get()
    assert message.status == OutboxMessage.Status.DONE
    email = next(m for m in mailoutbox if m.to == ["ip@instagram.example"])
    (filename, content, mimetype) = email.attachments[0]
    assert filename.endswith("-takedown.pdf") and mimetype == "application/pdf"
    assert hashlib.sha256(content).hexdigest() == notice.sha256
    # Recorded on the timeline with its hash; the case waits for a response; the URL is tracked.
    event = TimelineEvent.objects.get(case=case, kind="notice")
    assert (
        notice.sha256 in event.message and event.data["sha256"] == notice.sha256 and event.actor == staff_user
    )
    case.refresh_from_db()
    assert case.status == Status.NOTICE_SENT and case.response_due_at == notice.response_due_at
    assert (notice.response_due_at - notice.sent_at).days == 14
    instagram.refresh_from_db()
    assert instagram.status == ReportedURL.Status.NOTICE_SENT
    assert case.urls.get(normalized_url="https://shady.example/promo").status == ReportedURL.Status.REPORTED


def test_notice_needs_a_recipient_and_an_active_case(case, staff_user):
    with pytest.raises(CaseError, match="needs a recipient"):
        send_confirmed_notice(
            case.pk,
            actor=staff_user,
            version=case.version,
            template_id=takedown().pk,
            recipient_name="X",
            recipient_email="",
        )
    case = workflow.transition(
        case.pk,
        to="resolved",
        actor=staff_user,
        version=case.version,
        outcome="removed",
        outcome_note="The platform confirmed removal by phone.",
    )
    with pytest.raises(CaseError, match="cannot move to notice sent"):
        send_confirmed_notice(
            case.pk,
            actor=staff_user,
            version=case.version,
            template_id=takedown().pk,
            recipient_name="X",
            recipient_email="x@example.org",
        )
    assert not Notice.objects.exists()


def test_staff_preview_then_send_on_the_web(client, case, staff_user, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    page = client.get(f"/staff/cases/{case.pk}/notice/?kind=cease_and_desist")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["recipient_email"] == "legal@shady.example"  # the brand's contact
    data = {
        "template": NoticeTemplate.objects.get(kind="cease_and_desist").pk,
        "recipient_name": "Shady Skincare",
        "recipient_email": "legal@shady.example",
        "urls": list(case.urls.values_list("pk", flat=True)),
        "version": case.version,
    }
    preview = client.post(f"/staff/cases/{case.pk}/notice/", {**data, "action": "preview"})
    assert preview.status_code == 200
    assert "Cease and desist" in preview.content.decode() and "demand that you" in preview.content.decode()
    data["confirmation"] = preview.context["draft"].confirmation
    pdf = client.post(f"/staff/cases/{case.pk}/notice/", {**data, "action": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert not Notice.objects.exists()  # previews send nothing
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"/staff/cases/{case.pk}/notice/", {**data, "action": "send", "confirm_send": "yes"}
        )
    assert sent.status_code == 302
    notice = Notice.objects.get()
    download = client.get(f"/staff/cases/notices/{notice.pk}/pdf/")
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == notice.sha256


def test_supervisors_edit_templates_staff_cannot(client, staff_user, supervisor_user):
    template = takedown()
    client.force_login(staff_user)
    assert client.get("/staff/cases/templates/").status_code == 403
    assert client.get(f"/staff/cases/templates/{template.pk}/").status_code == 403
    client.force_login(supervisor_user)
    assert client.get("/staff/cases/templates/").status_code == 200
    data = {"name": template.name, "kind": "takedown", "subject": template.subject, "is_active": "on"}
    bad = client.post(f"/staff/cases/templates/{template.pk}/", {**data, "body": "Hello {% if %}"})
    assert bad.status_code == 400 and "does not parse" in bad.content.decode()
    ok = client.post(
        f"/staff/cases/templates/{template.pk}/", {**data, "body": "Dear {{ recipient_name }}, remove it."}
    )
    assert ok.status_code == 302
    template.refresh_from_db()
    assert template.body.startswith("Dear") and template.updated_by == supervisor_user
    latest = template.history.latest()  # every edit is kept (django-simple-history)
    assert latest.body.startswith("Dear") and latest.history_user == supervisor_user


def test_templates_cannot_read_files(case, staff_user):
    template = NoticeTemplate.objects.create(
        kind="takedown", name="evil", subject="x", body='{% include "/etc/passwd" %}'
    )
    with pytest.raises(CaseError, match="template"):
        notices.draft_notice(case, actor=staff_user, template_id=template.pk, recipient_name="x")
