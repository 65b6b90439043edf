"""Defect 5: notices follow the case's as-of answer, quote clean URLs, carry the evidence, are signed, take
replies at their own address, pre-tick only the platform's URLs and are sent only as previewed."""

import hashlib
import io
from datetime import date

import pytest
from PIL import Image

from registry.brands.models import Organization
from registry.cases import notices, workflow
from registry.cases.errors import CaseError
from registry.cases.models import Case, Notice, NoticeTemplate, PlatformContact
from tests.cases.helpers import file_report, photo, upload
from tests.cases.notice_helpers import send_confirmed_notice
from tests.factories import sign_terms

pytestmark = pytest.mark.django_db

PERMITTED = {
    "evaluated": True,
    "decision": "permitted",
    "basis": {"kind": "terms", "version": 1, "sha256": "ab" * 32},
}


@pytest.fixture
def case(talent, staff_user, django_capture_on_commit_callbacks):
    sign_terms(talent, {"advertising": {"decision": "deny"}})
    Organization.objects.create(name="Shady Skincare", contact_email="legal@shady.example")
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        files=[upload(photo(3, exif_gps=True))],
        urls=[
            "https://www.instagram.com/p/AD1/?igshid=1&utm_source=ig",
            "https://shady.example/promo?utm_campaign=x&fbclid=y",
        ],
        talent=talent.registry_id,
        organization="Shady Skincare",
        platform="instagram",
        seen_on=date(2026, 11, 1),
    )
    case = Case.objects.get(pk=report.case_id)
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff_user, version=case.version)
    return case


def template(kind):
    return NoticeTemplate.objects.get(kind=kind, name__endswith="(default)")


def letter(case, actor, **fields):
    fields.setdefault("template_id", template("cease_and_desist").pk)
    fields.setdefault("recipient_name", "Shady Skincare")
    fields.setdefault("recipient_email", "legal@shady.example")
    return send_confirmed_notice(case.pk, actor=actor, version=case.version, **fields)


def test_permitted_answer_no_consent_claim_and_a_warning(case, staff_user, client):
    denied = notices.draft_notice(
        case, actor=staff_user, template_id=template("cease_and_desist").pk, recipient_name="S"
    )
    assert "has not consented" in denied.rendered.body and not denied.covered
    Case.objects.filter(pk=case.pk).update(permission_result=PERMITTED)
    case.refresh_from_db()
    for kind in ("cease_and_desist", "takedown"):
        draft = notices.draft_notice(
            case, actor=staff_user, template_id=template(kind).pk, recipient_name="S"
        )
        body = draft.rendered.body.lower()
        assert "permitted" in body and draft.covered
        assert "has not consented" not in body and "without their authorisation" not in body
    client.force_login(staff_user)
    page = client.get(f"/staff/cases/{case.pk}/notice/?kind=cease_and_desist")
    assert 'id="covered-warning"' in page.content.decode()


def test_a_license_counts_as_covered_and_a_contradicting_template_is_refused(case, staff_user):
    licensed = {
        "evaluated": True,
        "decision": "license_required",
        "basis": {"kind": "license", "license_id": "L-1"},
    }
    Case.objects.filter(pk=case.pk).update(permission_result=licensed)
    case.refresh_from_db()
    assert notices.answer_covers_use(case)
    bad = NoticeTemplate.objects.create(
        kind="cease_and_desist",
        name="old",
        subject="x",
        body="{{ talent_name }} has not consented to this use.",
    )
    with pytest.raises(CaseError, match="may not say"):
        letter(case, staff_user, template_id=bad.pk)
    assert not Notice.objects.exists()


def test_urls_quoted_without_tracking_parameters(case, staff_user):
    notice = letter(case, staff_user)
    for tag in ("igshid", "utm_", "fbclid"):
        assert tag not in notice.body
    assert "https://instagram.com/p/AD1" in notice.body and "https://shady.example/promo" in notice.body


def test_evidence_attached_exif_free_with_sha256_signed_and_reply_to(
    case, staff_user, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.CASES_REPLY_DOMAIN = "replies.union.example"
    with django_capture_on_commit_callbacks(execute=True):
        notice = letter(case, staff_user)
    email = next(m for m in mailoutbox if m.to == ["legal@shady.example"])
    images = [(n, c) for n, c, t in email.attachments if t == "image/jpeg"]
    assert len(images) == 1
    name, content = images[0]
    assert Image.open(io.BytesIO(content)).getexif() == {} and b"Exif" not in content[:200]
    assert f"{name} — SHA-256 {hashlib.sha256(content).hexdigest()}" in notice.body
    with notice.pdf.open("rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == notice.sha256
    # Signed by the person who sent it, with their role.
    assert "Signed,\n\nStaff\nUnion staff" in notice.body
    # Replies go to the notice's own unguessable address.
    assert len(notice.reply_token) >= 32
    address = f"case+{notice.reply_token}@replies.union.example"
    assert email.reply_to == [address] and address in notice.body


def test_takedown_prefills_platform_contact_and_ticks_only_its_urls(case, staff_user, client):
    contact = PlatformContact.objects.get(platform="instagram")  # seeded by the migration
    client.force_login(staff_user)
    form = client.get(f"/staff/cases/{case.pk}/notice/?kind=takedown").context["form"]
    instagram = case.urls.get(normalized_url="https://instagram.com/p/AD1")
    assert form.initial["urls"] == [instagram.pk]
    assert form.initial["recipient_email"] == contact.email
    assert form.initial["response_days"] == contact.response_window_days


def test_send_needs_the_confirmation_of_the_previewed_draft(
    case, staff_user, client, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    url = f"/staff/cases/{case.pk}/notice/"
    data = {
        "template": template("takedown").pk,
        "recipient_name": "Instagram",
        "recipient_email": "ip@instagram.example",
        "urls": [case.urls.get(normalized_url="https://instagram.com/p/AD1").pk],
        "version": case.version,
    }
    blind = client.post(url, {**data, "action": "send", "confirm_send": "yes"})
    assert blind.status_code == 400 and "confirm the final PDF" in blind.content.decode()
    preview = client.post(url, {**data, "action": "preview"})
    assert 'id="final-pdf"' in preview.content.decode() and 'id="send-notice"' in preview.content.decode()
    confirmation = preview.context["draft"].confirmation
    pdf = client.post(url, {**data, "confirmation": confirmation, "action": "pdf"})
    assert pdf.content.startswith(b"%PDF-")
    swapped = client.post(
        url,
        {
            **data,
            "recipient_email": "x@evil.example",
            "confirmation": confirmation,
            "action": "send",
            "confirm_send": "yes",
        },
    )
    assert swapped.status_code == 400
    assert not Notice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            url, {**data, "confirmation": confirmation, "action": "send", "confirm_send": "yes"}
        )
    assert sent.status_code == 302
    notice = Notice.objects.get()
    assert notice.reply_token == notices.signing.loads(confirmation, salt=notices.CONFIRM_SALT)["reply_token"]


def test_send_needs_the_ticked_confirmation_box(case, staff_user, client):
    """The send is a step of its own: the previewed draft plus a ticked box (server-side, not only JS)."""
    client.force_login(staff_user)
    url = f"/staff/cases/{case.pk}/notice/"
    data = {
        "template": template("takedown").pk,
        "recipient_name": "Instagram",
        "recipient_email": "ip@instagram.example",
        "urls": [case.urls.get(normalized_url="https://instagram.com/p/AD1").pk],
        "version": case.version,
    }
    preview = client.post(url, {**data, "action": "preview"})
    text = preview.content.decode()
    assert 'id="confirm-send"' in text and 'name="confirm_send"' in text
    assert "white-space" not in text  # the preview wraps through desk.css (no inline style)
    data["confirmation"] = preview.context["draft"].confirmation
    unticked = client.post(url, {**data, "action": "send"})
    assert unticked.status_code == 400 and "nothing was sent" in unticked.content.decode()
    assert 'id="send-notice"' in unticked.content.decode()  # previewed again: tick and send from here
    assert not Notice.objects.exists()
    sent = client.post(url, {**data, "action": "send", "confirm_send": "yes"})
    assert sent.status_code == 302 and Notice.objects.count() == 1
