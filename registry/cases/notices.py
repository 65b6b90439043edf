"""Notices: fill a template from the case, preview it, render it to PDF, email it, record it, move the case.

Templates are plain text in the Django template language, rendered by an engine with no loaders (no includes,
no file access) and no autoescaping (the text goes into an email); the PDF escapes it into a fixed layout.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone

from registry.cases import deadlines, workflow
from registry.cases.errors import CaseError
from registry.cases.guards import ensure_not_merged
from registry.cases.models import Case, Notice, NoticeTemplate, ReportedURL, Status, TimelineEvent
from registry.consent.vocab import Use
from registry.core.mail import send_email
from registry.core.uploads import sha256_hex

ENGINE = Engine(dirs=[], app_dirs=False, autoescape=False, debug=False, loaders=[])

OUTCOME_WORDS = {
    "permitted": "permitted",
    "license_required": "a license is required",
    "denied": "not permitted (denied)",
    "not_registered": "not registered",
}


def union_name() -> str:
    return getattr(settings, "CASES_UNION_NAME", "The Performers' Union — Likeness Desk")


def contact_email() -> str:
    return getattr(settings, "CASES_CONTACT_EMAIL", "likeness-desk@registry.example.org")


def check_template_text(text: str) -> None:
    """Raise ValidationError when a supervisor's template does not parse."""
    try:
        ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        raise ValidationError(f"The template does not parse: {exc}")


def _basis_text(result: dict) -> str:
    basis = result.get("basis") or {}
    if basis.get("kind") == "terms":
        text = f"terms version {basis.get('version')} (SHA-256 {str(basis.get('sha256', ''))[:16]}…)"
        if basis.get("reason") == "no_term_for_use":
            text += ", which sets no term for this use"
        return text
    if basis.get("kind") == "license":
        return f"license {basis.get('license_id')}"
    if basis.get("reason") == "no_signed_terms":
        return "no signed terms: nothing is assumed allowed"
    return "the registry's rules"


def notice_context(case: Case, *, recipient_name: str, urls: list[str], now: datetime) -> dict:
    result = case.permission_result or {}
    evaluated = bool(result.get("evaluated"))
    talent = case.talent
    use = case.use or (result.get("request") or {}).get("use") or ""
    return {
        "reference": case.reference,
        "today": timezone.localdate(now).isoformat(),
        "recipient_name": recipient_name,
        "talent_name": talent.stage_name if talent else (case.talent_name or "the person concerned"),
        "registry_id": talent.registry_id if talent else "not registered",
        "registry_url": f"{settings.SITE_URL}/talent/{talent.registry_id}/" if talent else settings.SITE_URL,
        "urls": urls,
        "platform": case.get_platform_display(),
        "seen_on": case.seen_on.isoformat() if case.seen_on else "",
        "use": Use(use).label.lower() if use in Use.values else "not determined",
        "organization": case.organization.name if case.organization_id else case.organization_name,
        "decision": OUTCOME_WORDS.get(result.get("decision"), "") if evaluated else "",
        "basis": _basis_text(result) if evaluated else "",
        "response_due": timezone.localdate(deadlines.response_due(now, case.priority)).isoformat(),
        "union_name": union_name(),
        "contact_email": contact_email(),
    }


@dataclass
class RenderedNotice:
    subject: str
    body: str


def render_notice(
    case: Case, template: NoticeTemplate, *, recipient_name: str, urls: list[ReportedURL], now=None
) -> RenderedNotice:
    now = now or timezone.now()
    context = Context(
        notice_context(case, recipient_name=recipient_name, urls=[u.url for u in urls], now=now),
        autoescape=False,  # plain text for the email; the PDF layout escapes it
    )
    try:
        subject = ENGINE.from_string(template.subject).render(context)
        body = ENGINE.from_string(template.body).render(context)
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        raise CaseError("template_error", f"The notice template does not parse: {exc}", "template")
    return RenderedNotice(" ".join(subject.split())[:300], body.strip() + "\n")


def render_pdf(case: Case, rendered: RenderedNotice, *, kind_label: str, now: datetime) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "cases/notice_pdf.html",
        {
            "case": case,
            "subject": rendered.subject,
            "paragraphs": rendered.body.split("\n\n"),
            "kind_label": kind_label,
            "union_name": union_name(),
            "sent_on": timezone.localdate(now),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _validate_recipient(name: str, email: str) -> tuple[str, str]:
    name, email = (name or "").strip(), (email or "").strip()
    if not email:
        raise CaseError(
            "recipient_required", "A notice needs a recipient: give their email address.", "recipient_email"
        )
    try:
        validate_email(email)
    except ValidationError:
        raise CaseError("invalid_email", f"{email!r} is not a valid email address.", "recipient_email")
    if not name:
        raise CaseError(
            "recipient_required", "A notice needs a recipient: give their name.", "recipient_name"
        )
    return name[:200], email


def select_urls(case: Case, url_ids) -> list[ReportedURL]:
    qs = case.urls.all()
    if url_ids:
        qs = qs.filter(pk__in=[int(i) for i in url_ids])
    urls = list(qs)
    if not urls:
        raise CaseError("urls_required", "Choose at least one reported URL for the notice.", "urls")
    return urls


def preview_notice(case: Case, *, template_id, recipient_name: str, url_ids=None) -> RenderedNotice:
    template = _template(template_id)
    return render_notice(
        case, template, recipient_name=recipient_name or "[recipient]", urls=select_urls(case, url_ids)
    )


def _template(template_id) -> NoticeTemplate:
    template = NoticeTemplate.objects.filter(pk=template_id, is_active=True).first() if template_id else None
    if template is None:
        raise CaseError("template_required", "Choose a notice template.", "template")
    return template


def send_notice(
    case_id: int,
    *,
    actor,
    version: int | None,
    template_id,
    recipient_name: str,
    recipient_email: str,
    url_ids=None,
    now: datetime | None = None,
) -> Notice:
    """Render, store (PDF + SHA-256), email and record a notice; the case moves to notice_sent with a
    response deadline and each URL in it to notice_sent. Refused like any transition (role, state,
    version)."""
    now = now or timezone.now()
    name, email = _validate_recipient(recipient_name, recipient_email)
    template = _template(template_id)
    with transaction.atomic():
        case = workflow.lock(case_id, actor=actor, version=version)
        ensure_not_merged(case)
        urls = select_urls(case, url_ids)
        due = deadlines.response_due(now, case.priority)
        case = workflow.transition(
            case.pk,
            to=Status.NOTICE_SENT,
            actor=actor,
            version=version,
            via_notice=True,
            response_due_at=due,
            now=now,
        )
        case = Case.objects.select_related("talent", "organization").get(pk=case.pk)
        rendered = render_notice(case, template, recipient_name=name, urls=urls, now=now)
        pdf = render_pdf(case, rendered, kind_label=template.get_kind_display(), now=now)
        digest = sha256_hex(pdf)
        notice = Notice(
            case=case,
            kind=template.kind,
            template=template,
            recipient_name=name,
            recipient_email=email,
            subject=rendered.subject,
            body=rendered.body,
            sha256=digest,
            sent_by=actor,
            sent_at=now,
            response_due_at=due,
        )
        notice.pdf.save(f"{case.reference}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
        notice.save()
        notice.urls.set(urls)
        ReportedURL.objects.filter(pk__in=[u.pk for u in urls], status=ReportedURL.Status.REPORTED).update(
            status=ReportedURL.Status.NOTICE_SENT
        )
        filename = f"{case.reference}-{template.kind}.pdf"
        send_email(
            subject=rendered.subject,
            body=rendered.body,
            to=[email],
            attachments=[(filename, base64.b64encode(pdf).decode("ascii"), "application/pdf")],
        )
        TimelineEvent.objects.create(
            case=case,
            actor=actor,
            kind=TimelineEvent.Kind.NOTICE,
            message=f"{template.get_kind_display()} sent to {name} <{email}>; response due "
            f"{timezone.localdate(due).isoformat()}. PDF SHA-256 {digest}.",
            data={
                "notice": notice.pk,
                "sha256": digest,
                "urls": [u.pk for u in urls],
                "response_due_at": due.isoformat(),
            },
            at=now,
        )
    return notice
