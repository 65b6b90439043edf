"""Notices: fill a template from the case, draft it (text + PDF + confirmation token), send it, record it.

Templates are plain text in the Django template language, rendered by an engine with no loaders (no includes,
no file access) and no autoescaping (the text goes into an email); the PDF escapes it into a fixed layout.
What the letter must always say (the evidence attached with its SHA-256, who signs it, where replies go) is
appended here, so a supervisor's template cannot drop it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.roles import Role
from registry.cases import deadlines, workflow
from registry.cases.errors import CaseError
from registry.cases.guards import ensure_not_merged
from registry.cases.models import (
    Case,
    Notice,
    NoticeTemplate,
    ReportedURL,
    Status,
    TimelineEvent,
)
from registry.cases.notice_delivery import new_reply_token, reply_address
from registry.consent.vocab import Use
from registry.core.outbox import dispatch
from registry.core.pdf import render_pdf as render_document
from registry.core.pdf import unbroken_hashes

ENGINE = Engine(dirs=[], app_dirs=False, autoescape=False, debug=False, loaders=[])
CONFIRM_SALT = "registry.cases.notice-confirmation"
CONFIRM_MAX_AGE = 2 * 3600
# Wording a notice may not use when the as-of answer says the use was covered (DESIGN §4).
UNSUPPORTED_CLAIMS = ("has not consented", "without their authorisation", "without consent")

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


def answer_covers_use(case: Case) -> bool:
    """True when the case's as-of answer was `permitted` or rests on a license: the use was covered."""
    result = case.permission_result or {}
    if not result.get("evaluated"):
        return False
    return result.get("decision") == "permitted" or (result.get("basis") or {}).get("kind") == "license"


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


def notice_context(
    case: Case, *, recipient_name: str, urls: list[str], now: datetime, due: datetime, replies_to: str
) -> dict:
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
        "product_category": case.product_category,
        "organization": case.organization.name if case.organization_id else case.organization_name,
        "decision": OUTCOME_WORDS.get(result.get("decision"), "") if evaluated else "",
        "basis": _basis_text(result) if evaluated else "",
        "covered": answer_covers_use(case),
        "response_due": timezone.localdate(due).isoformat(),
        "union_name": union_name(),
        "contact_email": replies_to,
    }


@dataclass
class EvidenceCopy:
    """An evidence display copy (re-encoded, no EXIF) as attached to a notice."""

    evidence_id: int
    filename: str
    sha256: str


@dataclass
class RenderedNotice:
    subject: str
    body: str
    evidence: list[EvidenceCopy] = field(default_factory=list)


def evidence_copies(case: Case) -> list[EvidenceCopy]:
    """The case's image evidence as display copies (pixels only: no EXIF/GPS), with their SHA-256."""
    copies = []
    for index, item in enumerate(case.evidence.exclude(display="").order_by("uploaded_at", "pk"), start=1):
        with item.display.open("rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        copies.append(EvidenceCopy(item.pk, f"{case.reference}-evidence-{index}.jpg", digest))
    return copies


def staff_role_label(actor) -> str:
    names = getattr(actor, "role_names", frozenset())
    if getattr(actor, "is_superuser", False) or str(Role.SUPERVISOR) in names:
        return "Supervisor, union likeness desk"
    return "Union staff, likeness desk"


def _closing(actor, evidence: list[EvidenceCopy], replies_to: str) -> str:
    lines = []
    if evidence:
        lines += ["Evidence attached to this notice (display copies; SHA-256 of each file):"]
        lines += [f"  {i}. {e.filename} — SHA-256 {e.sha256}" for i, e in enumerate(evidence, start=1)]
        lines.append("")
    name = getattr(actor, "display_name", "") or getattr(actor, "email", "")
    lines += ["Signed,", "", name, staff_role_label(actor), union_name(), f"Replies: {replies_to}"]
    return "\n".join(lines)


def render_notice(
    case: Case,
    template: NoticeTemplate,
    *,
    actor,
    recipient_name: str,
    urls: list[ReportedURL],
    due: datetime,
    reply_token: str,
    now: datetime | None = None,
) -> RenderedNotice:
    now = now or timezone.now()
    replies_to = reply_address(reply_token)
    quoted = [u.normalized_url for u in urls]  # without tracking parameters
    context = Context(
        notice_context(
            case, recipient_name=recipient_name, urls=quoted, now=now, due=due, replies_to=replies_to
        ),
        autoescape=False,  # plain text for the email; the PDF layout escapes it
    )
    try:
        subject = ENGINE.from_string(template.subject).render(context)
        body = ENGINE.from_string(template.body).render(context)
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        raise CaseError("template_error", f"The notice template does not parse: {exc}", "template")
    evidence = evidence_copies(case)
    body = body.strip() + "\n\n" + _closing(actor, evidence, replies_to) + "\n"
    return RenderedNotice(" ".join(subject.split())[:300], body, evidence)


def render_pdf(case: Case, rendered: RenderedNotice, *, kind_label: str, now: datetime) -> bytes:
    """The notice as PDF/A-3b: the union signs it (Author), the subject is its Title, and each evidence
    SHA-256 stays on one line."""
    html = render_to_string(
        "cases/notice_pdf.html",
        {
            "case": case,
            "subject": rendered.subject,
            "paragraphs": [unbroken_hashes(p) for p in rendered.body.split("\n\n")],
            "kind_label": kind_label,
            "union_name": union_name(),
            "sent_on": timezone.localdate(now),
        },
    )
    return render_document(
        html,
        title=rendered.subject,
        author=union_name(),
        lang="en",
        created=now,
        base_url=str(settings.BASE_DIR),
    )


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


def _template(template_id) -> NoticeTemplate:
    template = NoticeTemplate.objects.filter(pk=template_id, is_active=True).first() if template_id else None
    if template is None:
        raise CaseError("template_required", "Choose a notice template.", "template")
    return template


def _due(now: datetime, case: Case, response_days: int | None) -> datetime:
    if response_days:
        return now + timedelta(days=int(response_days))
    return deadlines.response_due(now, case.priority)


@dataclass
class Draft:
    """A notice as it will be sent, with the token the send step must present."""

    rendered: RenderedNotice
    template: NoticeTemplate
    confirmation: str
    covered: bool
    due: datetime


def _fingerprint(rendered: RenderedNotice) -> str:
    return hashlib.sha256(f"{rendered.subject}\n{rendered.body}".encode()).hexdigest()


def draft_notice(
    case: Case,
    *,
    actor,
    template_id,
    recipient_name: str,
    recipient_email: str = "",
    url_ids=None,
    response_days: int | None = None,
    previous: str = "",
    now: datetime | None = None,
) -> Draft:
    """Render the notice exactly as it would go out and sign a confirmation token for it. Given the
    confirmation of an earlier draft of the same case (`previous`), its reply address is kept, so the
    PDF staff open is the one that will be sent."""
    now = now or timezone.now()
    template = _template(template_id)
    urls = select_urls(case, url_ids)
    token = _previous_token(case.pk, previous) or new_reply_token()
    due = _due(now, case, response_days)
    rendered = render_notice(
        case,
        template,
        actor=actor,
        recipient_name=recipient_name or "[recipient]",
        urls=urls,
        due=due,
        reply_token=token,
        now=now,
    )
    confirmation = signing.dumps(
        {
            "case": case.pk,
            "reply_token": token,
            "recipient": [recipient_name or "", recipient_email or ""],
            "urls": sorted(u.pk for u in urls),
            "fingerprint": _fingerprint(rendered),
        },
        salt=CONFIRM_SALT,
    )
    return Draft(rendered, template, confirmation, answer_covers_use(case), due)


def _previous_token(case_pk: int, confirmation: str) -> str | None:
    try:
        data = signing.loads(confirmation, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE) if confirmation else {}
    except signing.BadSignature:
        return None
    return data.get("reply_token") if data.get("case") == case_pk else None


def _confirmed(case_pk: int, confirmation: str, *, name: str, email: str, urls: list[ReportedURL]) -> dict:
    try:
        data = signing.loads(confirmation or "", salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        data = None
    if (
        not data
        or data.get("case") != case_pk
        or data.get("recipient") != [name, email]
        or data.get("urls") != sorted(u.pk for u in urls)
    ):
        raise CaseError(
            "confirmation_required",
            "Preview the notice and confirm the final PDF before sending it.",
            "confirmation",
        )
    return data


def _refuse_unsupported_claims(case: Case, rendered: RenderedNotice) -> None:
    if answer_covers_use(case):
        lowered = rendered.body.lower()
        claim = next((c for c in UNSUPPORTED_CLAIMS if c in lowered), None)
        if claim:
            raise CaseError(
                "claim_contradicts_case",
                f"The as-of answer says the use was covered; the notice may not say “{claim}”. "
                "Edit the template or choose another.",
                "template",
            )


def send_notice(
    case_id: int,
    *,
    actor,
    version: int | None,
    template_id,
    recipient_name: str,
    recipient_email: str,
    confirmation: str,
    url_ids=None,
    response_days: int | None = None,
    now: datetime | None = None,
) -> Notice:
    """Send the draft staff confirmed: store the PDF (+ SHA-256), email it with the evidence and a per-notice
    Reply-To, record it; the case moves to notice_sent with a response deadline and each URL in it to
    notice_sent. Refused like any transition (role, state, version), without a confirmation of this very
    draft, or when the wording claims more than the case's as-of answer supports."""
    now = now or timezone.now()
    name, email = _validate_recipient(recipient_name, recipient_email)
    template = _template(template_id)
    with transaction.atomic():
        case = workflow.lock(case_id, actor=actor, version=version)
        ensure_not_merged(case)
        urls = select_urls(case, url_ids)
        confirmed = _confirmed(case.pk, confirmation, name=name, email=email, urls=urls)
        due = _due(now, case, response_days)
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
        rendered = render_notice(
            case,
            template,
            actor=actor,
            recipient_name=name,
            urls=urls,
            due=due,
            reply_token=confirmed["reply_token"],
            now=now,
        )
        if _fingerprint(rendered) != confirmed["fingerprint"]:
            raise CaseError(
                "draft_changed",
                "The notice changed since it was previewed; preview it again before sending.",
                "confirmation",
            )
        _refuse_unsupported_claims(case, rendered)
        notice = _store(
            case,
            template,
            rendered,
            actor=actor,
            name=name,
            email=email,
            due=due,
            now=now,
            reply_token=confirmed["reply_token"],
            urls=urls,
        )
        dispatch(
            "registry.cases.notice_delivery.deliver_notice",
            notice_id=notice.pk,
            evidence=[[e.evidence_id, e.filename] for e in rendered.evidence],
        )
    return notice


def _store(case, template, rendered, *, actor, name, email, due, now, reply_token, urls) -> Notice:
    pdf = render_pdf(case, rendered, kind_label=template.get_kind_display(), now=now)
    digest = hashlib.sha256(pdf).hexdigest()
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
        reply_token=reply_token,
    )
    notice.pdf.save(f"{case.reference}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    notice.save()
    notice.urls.set(urls)
    ReportedURL.objects.filter(pk__in=[u.pk for u in urls], status=ReportedURL.Status.REPORTED).update(
        status=ReportedURL.Status.NOTICE_SENT
    )
    TimelineEvent.objects.create(
        case=case,
        actor=actor,
        kind=TimelineEvent.Kind.NOTICE,
        message=f"{template.get_kind_display()} sent to {name} <{email}>; response due "
        f"{timezone.localdate(due).isoformat()}. PDF SHA-256 {digest}."
        + (f" {len(rendered.evidence)} evidence file(s) attached." if rendered.evidence else ""),
        data={
            "notice": notice.pk,
            "sha256": digest,
            "urls": [u.pk for u in urls],
            "evidence": {str(e.evidence_id): e.sha256 for e in rendered.evidence},
            "response_due_at": due.isoformat(),
        },
        at=now,
    )
    return notice
