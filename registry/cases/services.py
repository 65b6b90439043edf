"""Every change to reports and cases: intake, routing, assignment, priority, notes, messages, links, merge.

Status changes go through registry.cases.workflow.transition; notices through registry.cases.notices.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.roles import is_staff_member, is_supervisor
from registry.cases import deadlines
from registry.cases.errors import CaseError, NotAllowed
from registry.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseLink,
    Evidence,
    Message,
    MisuseReport,
    Note,
    Platform,
    Priority,
    Relationship,
    ReportedURL,
    Status,
    TimelineEvent,
)
from registry.cases.urlnorm import normalize_url, platform_of, validate_content_url
from registry.cases.workflow import bump, lock
from registry.consent.vocab import ISO_COUNTRIES, USES
from registry.core import uploads
from registry.core.outbox import dispatch

MAX_FILES = 5
MAX_URLS = 20
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
REGISTRY_ID_INPUT = re.compile(r"^\s*TR-[0-9A-Z]{4}-[0-9A-Z]{4}\s*$", re.IGNORECASE)


# --- intake -----------------------------------------------------------------------------------------------


@dataclass
class ReportInput:
    """A misuse report as typed (web form or API); file_report validates it as a whole."""

    description: str
    relationship: str
    urls: list[str] = field(default_factory=list)
    platform: str = ""
    seen_on: date | None = None
    talent: str = ""
    organization: str = ""
    use: str = ""
    territory: str = ""
    reporter_name: str = ""
    reporter_email: str = ""
    sensitive: bool = False


@dataclass
class PreparedEvidence:
    kind: str
    name: str
    data: bytes
    mime: str
    sha256: str
    phash: str = ""
    width: int | None = None
    height: int | None = None
    display: ContentFile | None = None
    thumbnail: ContentFile | None = None


def hash_tracking_code(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def prepare_evidence(files: list) -> list[PreparedEvidence]:
    """Validate evidence files by content (images: JPEG/PNG/WebP; PDF), count and size. Nothing is stored."""
    files = [f for f in files or [] if f]
    if len(files) > MAX_FILES:
        raise ValidationError(
            {
                "evidence": f"Attach at most {MAX_FILES} files (you attached {len(files)}); "
                "add videos as links."
            }
        )
    prepared, errors = [], []
    for upload in files:
        name = (getattr(upload, "name", "") or "file")[-120:]
        head = b""
        try:
            if getattr(upload, "size", 0) and upload.size > EVIDENCE_MAX_BYTES:
                raise ValidationError(
                    f"The file is too large: the limit is {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB per file.",
                    code="too_large",
                )
            upload.seek(0)
            head = upload.read(5)
            upload.seek(0)
            if head == b"%PDF-":
                data = uploads.sniff_pdf(upload)
                prepared.append(
                    PreparedEvidence("pdf", name, data, "application/pdf", uploads.sha256_hex(data))
                )
            else:
                image = uploads.process_image(upload)
                prepared.append(
                    PreparedEvidence(
                        "image",
                        name,
                        image.original,
                        image.mime,
                        image.sha256,
                        image.phash,
                        image.width,
                        image.height,
                        image.display,
                        image.thumbnail,
                    )
                )
        except ValidationError as exc:
            detail = f"{name}: {' '.join(exc.messages)}"
            if getattr(exc, "code", None) == "bad_type" and head != b"%PDF-":
                detail += " Evidence must be an image (JPEG, PNG, WebP) or a PDF; add videos as links."
            errors.append(detail)
    if errors:
        raise ValidationError({"evidence": errors})
    return prepared


def store_evidence(
    item: PreparedEvidence, *, case: Case | None, report: MisuseReport | None, uploaded_by, label: str, now
) -> Evidence:
    evidence = Evidence(
        case=case,
        report=report,
        kind=item.kind,
        original_name=item.name,
        mime=item.mime,
        size=len(item.data),
        sha256=item.sha256,
        phash=item.phash,
        width=item.width,
        height=item.height,
        uploaded_by=uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None,
        uploaded_by_label=label[:200],
        uploaded_at=now,
    )
    stem = f"{now:%Y%m}/{item.sha256[:24]}"
    evidence.original.save(f"{stem}.original", ContentFile(item.data), save=False)
    if item.display is not None:
        evidence.display.save(f"{stem}.jpg", item.display, save=False)
        evidence.thumbnail.save(f"{stem}.jpg", item.thumbnail, save=False)
    evidence.save()
    return evidence


def resolve_talent(text: str):
    """A registry ID (must exist) or a stage name (linked when exactly one profile has it)."""
    from registry.talent.models import TalentProfile
    from registry.talent.search import normalize_name

    text = (text or "").strip()
    if not text:
        return None
    if REGISTRY_ID_INPUT.match(text):
        talent = TalentProfile.objects.filter(registry_id=text.strip().upper()).first()
        if talent is None:
            raise ValidationError(
                {
                    "talent": f"No one in the registry has the ID {text.strip().upper()}; "
                    "check it or give a name."
                }
            )
        return talent
    matches = list(TalentProfile.objects.filter(search_name=normalize_name(text))[:2])
    return matches[0] if len(matches) == 1 else None


def resolve_organization(text: str):
    from registry.brands.models import Organization

    text = (text or "").strip()
    return Organization.objects.filter(name__iexact=text).first() if text else None


def _clean_report(data: ReportInput, files_given: bool) -> tuple[list[str], dict]:
    errors: dict[str, list[str]] = {}

    def err(name, msg):
        errors.setdefault(name, []).append(msg)

    urls = [u.strip() for u in data.urls if u and u.strip()]
    if len(urls) > MAX_URLS:
        err("urls", f"Give at most {MAX_URLS} URLs in one report.")
    for url in urls[:MAX_URLS]:
        try:
            validate_content_url(url)
        except ValidationError as exc:
            err("urls", exc.messages[0])
    if not urls and not files_given:
        err("urls", "Give the address of the content, or attach a screenshot or photo of it.")
    if len((data.description or "").strip()) < 10:
        err("description", "Describe what you saw in a sentence or two (at least 10 characters).")
    if data.relationship not in Relationship.values:
        err("relationship", "Tell us how you are connected to the person shown.")
    if data.platform and data.platform not in Platform.values:
        err("platform", f"Unknown platform {data.platform!r}.")
    if data.use and data.use not in USES:
        err("use", f"Unknown use {data.use!r}. Known uses: {', '.join(sorted(USES))}.")
    if data.territory and data.territory.upper() not in ISO_COUNTRIES:
        err("territory", "Use a two-letter country code (ISO 3166-1), e.g. US or DE.")
    if data.seen_on and data.seen_on > timezone.localdate():
        err("seen_on", "The date seen cannot be in the future.")
    if data.reporter_email:
        try:
            validate_email(data.reporter_email)
        except ValidationError:
            err("reporter_email", "Enter a valid email address (or leave it empty).")
    return urls[:MAX_URLS], errors


def file_report(
    data: ReportInput, files: list | None = None, *, reporter=None, ip: str | None = None, now=None
) -> tuple[MisuseReport, str]:
    """Validate and record a misuse report with its evidence; schedule enrichment after commit.

    Returns the report and its tracking code (shown once: only a SHA-256 of it is stored). Raises
    ValidationError with a dict of field errors; nothing is created then.
    """
    now = now or timezone.now()
    urls, errors = _clean_report(data, bool(files))
    talent = None
    try:
        talent = resolve_talent(data.talent)
    except ValidationError as exc:
        errors.setdefault("talent", []).extend(exc.message_dict["talent"])
    prepared: list[PreparedEvidence] = []
    try:
        prepared = prepare_evidence(files or [])
    except ValidationError as exc:
        errors.setdefault("evidence", []).extend(exc.message_dict["evidence"])
    if errors:
        raise ValidationError(errors)

    user = reporter if getattr(reporter, "is_authenticated", False) else None
    code = secrets.token_urlsafe(32)  # 256 bits
    with transaction.atomic():
        report = MisuseReport.objects.create(
            tracking_hash=hash_tracking_code(code),
            reporter=user,
            reporter_name=(data.reporter_name or (user.display_name if user else "")).strip()[:150],
            reporter_email=(data.reporter_email or (user.email if user else "")).strip().lower(),
            relationship=data.relationship,
            talent=talent,
            talent_text=(data.talent or "").strip()[:200],
            organization=resolve_organization(data.organization),
            organization_text=(data.organization or "").strip()[:200],
            platform=data.platform or (platform_of(urls[0]) if urls else ""),
            use=data.use,
            territory=(data.territory or "").upper(),
            seen_on=data.seen_on,
            description=data.description.strip(),
            urls=urls,
            sensitive=bool(data.sensitive),
            submitted_ip=ip,
        )
        label = f"reporter of report #{report.pk}" + (f" ({user.email})" if user else "")
        for item in prepared:
            store_evidence(item, case=None, report=report, uploaded_by=user, label=label, now=now)
        dispatch("registry.cases.enrichment.enrich_report", report_id=report.pk)
    return report, code


def tracking_url(code: str) -> str:
    return f"{settings.SITE_URL}/cases/track/{code}/"


# --- routing (run by enrichment) ------------------------------------------------------------------------


def route_report(report: MisuseReport, *, now: datetime | None = None) -> Case:
    """Attach the report to an open case about the same content (by normalised URL), or open a new case."""
    now = now or timezone.now()
    if report.case_id:
        return report.case
    normalized = [normalize_url(u) for u in report.urls]
    match = (
        ReportedURL.objects.filter(normalized_url__in=normalized, case__status__in=list(OPEN_STATUSES))
        .select_related("case")
        .order_by("case__created_at", "case_id")
        .first()
    )
    if match is not None:
        case = match.case
        _attach(report, case, match.normalized_url, now)
    else:
        case = _open_case(report, now)
    for original, norm in zip(report.urls, normalized, strict=True):
        ReportedURL.objects.get_or_create(
            case=case, normalized_url=norm, defaults={"url": original[:2000], "report": report}
        )
    report.evidence.update(case=case)
    report.case = case
    report.routed_at = now
    report.save(update_fields=["case", "routed_at"])
    return case


def _summary(report: MisuseReport) -> str:
    who = report.talent.stage_name if report.talent_id else (report.talent_text or "Unknown talent")
    where = Platform(report.platform).label if report.platform else "unknown platform"
    by = (
        f" by {report.organization.name if report.organization_id else report.organization_text}"
        if (report.organization_id or report.organization_text)
        else ""
    )
    return f"{who} on {where}{by}"[:200]


def _open_case(report: MisuseReport, now: datetime) -> Case:
    priority = Priority.URGENT if report.sensitive else Priority.NORMAL
    case = Case.objects.create(
        status=Status.NEW,
        priority=priority,
        confidential=report.sensitive,
        talent=report.talent,
        talent_name="" if report.talent_id else report.talent_text,
        organization=report.organization,
        organization_name="" if report.organization_id else report.organization_text,
        platform=report.platform or Platform.OTHER,
        use=report.use,
        seen_on=report.seen_on,
        summary=_summary(report),
        description=report.description,
        triage_due_at=deadlines.triage_due(report.created_at, priority),
        created_at=report.created_at,
    )
    TimelineEvent.objects.create(
        case=case,
        actor=report.reporter,
        kind=TimelineEvent.Kind.REPORTED,
        to_status=Status.NEW,
        message=f"Reported ({report.get_relationship_display().lower()}).",
        data={"report": report.pk, "urls": len(report.urls)},
        at=report.created_at,
    )
    return case


def _attach(report: MisuseReport, case: Case, matched_url: str, now: datetime) -> None:
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        fill: dict = {}
        if not locked.talent_id and report.talent_id:
            fill.update(talent=report.talent, talent_name="")
        if not locked.organization_id and report.organization_id:
            fill.update(organization=report.organization, organization_name="")
        if not locked.seen_on and report.seen_on:
            fill["seen_on"] = report.seen_on
        if not locked.use and report.use:
            fill["use"] = report.use
        if report.sensitive and not locked.confidential:
            fill["confidential"] = True
        if fill:
            bump(locked, locked.version, **fill)
        TimelineEvent.objects.create(
            case=case,
            actor=report.reporter,
            kind=TimelineEvent.Kind.REPORT_ATTACHED,
            message=f"A further report about the same content joined this case (matching URL {matched_url}).",
            data={"report": report.pk, "matched_url": matched_url},
            at=now,
        )
    case.refresh_from_db()


# --- case changes ------------------------------------------------------------------------------------------


def _staff_or_refuse(actor) -> None:
    if not is_staff_member(actor):
        raise NotAllowed("permission_denied", "Only union staff work cases.")


def _staff_user(user_id):
    User = get_user_model()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not is_staff_member(user):
        raise CaseError("invalid_assignee", "Cases can only be assigned to active union staff.", "assignee")
    return user


_UNSET = object()


def update_case(
    case_id: int,
    *,
    actor,
    version: int | None,
    priority: str | None = None,
    assignee=_UNSET,
    confidential: bool | None = None,
    summary: str | None = None,
    facts: dict | None = None,
    now: datetime | None = None,
) -> Case:
    """Change a case's priority, assignee, confidentiality, summary or facts (the version the actor saw is
    required).

    `assignee` is a user id, or None to unassign. `facts` may hold `talent` (a registry ID, "" to unlink),
    `organization` (an organization's name, "" to unlink), `use`, `platform` and `seen_on`; changing them runs
    the enrichment again (matches with the talent's reference photos, the permission check) after commit.
    Each change is an event on the timeline.
    """
    _staff_or_refuse(actor)
    now = now or timezone.now()
    if version is None:
        raise CaseError("required", "Send the case version you saw (field 'version').", "version")
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=version)
        fields: dict = {}
        events: list[tuple[str, str, dict]] = []
        if priority is not None and priority != case.priority:
            if priority not in Priority.values:
                raise CaseError(
                    "invalid_priority", f"Priority must be one of {', '.join(Priority.values)}.", "priority"
                )
            fields.update(priority=priority, priority_set_by_staff=True)
            if case.status == Status.NEW:
                fields["triage_due_at"] = deadlines.triage_due(case.created_at, priority)
            if case.status in (Status.NOTICE_SENT, Status.AWAITING_RESPONSE):
                last = case.notices.order_by("-sent_at").first()
                if last is not None:
                    fields["response_due_at"] = deadlines.response_due(last.sent_at, priority)
            events.append(
                (
                    TimelineEvent.Kind.PRIORITY,
                    f"Priority {Priority(case.priority).label.lower()} → {Priority(priority).label.lower()}.",
                    {"from": case.priority, "to": priority},
                )
            )
        if assignee is not _UNSET:
            new = _staff_user(assignee) if assignee is not None else None
            if (new.pk if new else None) != case.assignee_id:
                if new is not None and case.confidential and not (is_supervisor(new) or is_supervisor(actor)):
                    raise NotAllowed(
                        "forbidden",
                        "Only a supervisor can hand a confidential case to someone else.",
                        "assignee",
                    )
                fields["assignee"] = new
                events.append(
                    (
                        TimelineEvent.Kind.ASSIGNED,
                        f"Assigned to {new}." if new else "Unassigned.",
                        {"assignee": new.pk if new else None},
                    )
                )
        if confidential is not None and bool(confidential) != case.confidential:
            if not confidential and not is_supervisor(actor):
                raise NotAllowed(
                    "forbidden", "Only a supervisor can lift the confidential mark.", "confidential"
                )
            fields["confidential"] = bool(confidential)
            events.append(
                (
                    TimelineEvent.Kind.CONFIDENTIAL,
                    "Marked confidential." if confidential else "Confidential mark lifted.",
                    {"confidential": bool(confidential)},
                )
            )
        if summary is not None and summary.strip() != case.summary:
            fields["summary"] = summary.strip()[:200]
            events.append((TimelineEvent.Kind.EDIT, "Summary edited.", {"summary": fields["summary"]}))
        changed_facts = _fact_changes(case, facts or {})
        if changed_facts:
            fields.update(changed_facts)
            events.append(
                (
                    TimelineEvent.Kind.EDIT,
                    "Facts edited: " + ", ".join(sorted(k.replace("_name", "") for k in changed_facts)) + ".",
                    {
                        k: (v.pk if hasattr(v, "pk") else str(v) if v is not None else None)
                        for k, v in changed_facts.items()
                    },
                )
            )
        if not fields:
            return case
        bump(case, version, **fields)
        for kind, message, data in events:
            TimelineEvent.objects.create(
                case=case, actor=actor, kind=kind, message=message, data=data, at=now
            )
        if changed_facts:
            dispatch("registry.cases.enrichment.reenrich_case", case_id=case.pk)
    return case


def _fact_changes(case: Case, facts: dict) -> dict:
    """Validate staff's corrections of who and what a case is about; returns the changed model fields."""
    from registry.consent.vocab import USES

    changes: dict = {}
    if "talent" in facts:
        text = (facts["talent"] or "").strip()
        talent = None
        if text:
            if not REGISTRY_ID_INPUT.match(text):
                raise CaseError("invalid_talent", "Give the talent's registry ID (TR-XXXX-XXXX).", "talent")
            try:
                talent = resolve_talent(text)
            except ValidationError as exc:
                raise CaseError("invalid_talent", exc.message_dict["talent"][0], "talent")
        if (talent.pk if talent else None) != case.talent_id:
            changes["talent"] = talent
    if "organization" in facts:
        text = (facts["organization"] or "").strip()
        organization = resolve_organization(text)
        name = "" if organization or not text else text[:200]
        new_id = organization.pk if organization else None
        if new_id != case.organization_id or name != case.organization_name:
            changes.update(organization=organization, organization_name=name)
    if "use" in facts and (facts["use"] or "") != case.use:
        if facts["use"] and facts["use"] not in USES:
            raise CaseError("invalid_use", f"Unknown use {facts['use']!r}.", "use")
        changes["use"] = facts["use"] or ""
    if "platform" in facts and facts["platform"] and facts["platform"] != case.platform:
        if facts["platform"] not in Platform.values:
            raise CaseError("invalid_platform", f"Unknown platform {facts['platform']!r}.", "platform")
        changes["platform"] = facts["platform"]
    if "seen_on" in facts and facts["seen_on"] != case.seen_on:
        if facts["seen_on"] and facts["seen_on"] > timezone.localdate():
            raise CaseError("invalid_date", "The date seen cannot be in the future.", "seen_on")
        changes["seen_on"] = facts["seen_on"]
    return changes


def bulk_assign(case_ids: list[int], *, assignee_id, actor, now: datetime | None = None) -> int:
    """Assign many cases at once (each on its own timeline); cases the actor cannot see are skipped."""
    _staff_or_refuse(actor)
    from registry.cases.selectors import visible_cases

    changed = 0
    ids = list(visible_cases(actor).filter(pk__in=case_ids).values_list("pk", "version"))
    for pk, version in ids:
        try:
            before = Case.objects.filter(pk=pk).values_list("assignee_id", flat=True).first()
            update_case(pk, actor=actor, version=version, assignee=assignee_id, now=now)
            changed += int(before != assignee_id)
        except NotAllowed:
            continue
    return changed


def set_watching(case_id: int, *, actor, user_id: int, watching: bool, now: datetime | None = None) -> Case:
    _staff_or_refuse(actor)
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        user = _staff_user(user_id)
        if watching == case.watchers.filter(pk=user.pk).exists():
            return case
        (case.watchers.add if watching else case.watchers.remove)(user)
        TimelineEvent.objects.create(
            case=case,
            actor=actor,
            kind=TimelineEvent.Kind.WATCHERS,
            message=f"{user} {'now watches' if watching else 'no longer watches'} this case.",
            data={"user": user.pk, "watching": watching},
            at=now or timezone.now(),
        )
    return case


def add_note(case_id: int, *, actor, body: str, now: datetime | None = None) -> Note:
    """An internal note (staff only; never shown to reporters or talent)."""
    _staff_or_refuse(actor)
    body = (body or "").strip()
    if not body:
        raise CaseError("required", "Write the note first.", "body")
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        note = Note.objects.create(case=case, author=actor, body=body[:10000])
        TimelineEvent.objects.create(
            case=case,
            actor=actor,
            kind=TimelineEvent.Kind.NOTE,
            message=body[:500],
            data={"note": note.pk},
            at=now or timezone.now(),
        )
    return note


def post_message(
    case: Case, *, author, body: str, record: bool = True, now: datetime | None = None
) -> Message:
    """A message to the reporters: on the tracking page, and emailed to those who left an address."""
    from registry.cases.notify import notify_reporters

    message = Message.objects.create(case=case, author=author, body=body[:5000])
    sent_to = notify_reporters(case, body)
    if record:
        TimelineEvent.objects.create(
            case=case,
            actor=author,
            kind=TimelineEvent.Kind.MESSAGE,
            message=body[:500],
            data={"message": message.pk, "emailed": len(sent_to)},
            at=now or timezone.now(),
        )
    return message


def message_reporter(case_id: int, *, actor, body: str, now: datetime | None = None) -> Message:
    _staff_or_refuse(actor)
    body = (body or "").strip()
    if not body:
        raise CaseError("required", "Write the message first.", "body")
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        return post_message(case, author=actor, body=body, now=now)


def link_cases(case_id: int, other_id: int, *, actor, now: datetime | None = None) -> CaseLink:
    """Mark two cases as related (both timelines record it)."""
    _staff_or_refuse(actor)
    if int(case_id) == int(other_id):
        raise CaseError("invalid_link", "A case cannot be linked to itself.", "other")
    now = now or timezone.now()
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        other = lock(other_id, actor=actor, version=None)
        link, created = CaseLink.objects.get_or_create(
            from_case=case, to_case=other, defaults={"kind": CaseLink.Kind.RELATED, "created_by": actor}
        )
        if created:
            for a, b in ((case, other), (other, case)):
                TimelineEvent.objects.create(
                    case=a,
                    actor=actor,
                    kind=TimelineEvent.Kind.LINK,
                    message=f"Linked as related to {b.reference}.",
                    data={"case": b.pk},
                    at=now,
                )
    return link


def merge_cases(
    duplicate_id: int, primary_id: int, *, actor, version: int | None, now: datetime | None = None
) -> Case:
    """Merge a duplicate into a primary case: its reports, URLs and evidence move to the primary (evidence
    originals are untouched), it points to the primary and is closed as dismissed; both timelines
    record it."""
    _staff_or_refuse(actor)
    if int(duplicate_id) == int(primary_id):
        raise CaseError("invalid_merge", "A case cannot be merged into itself.", "primary")
    now = now or timezone.now()
    with transaction.atomic():
        duplicate = lock(duplicate_id, actor=actor, version=version)
        primary = lock(primary_id, actor=actor, version=None)
        if duplicate.status in (Status.RESOLVED, Status.DISMISSED):
            raise CaseError("invalid_merge", "Only an open case can be merged into another.", "primary")
        if primary.duplicate_of_id:
            raise CaseError(
                "invalid_merge", f"{primary.reference} is itself merged; pick its primary.", "primary"
            )
        existing = set(primary.urls.values_list("normalized_url", flat=True))
        for url in duplicate.urls.all():
            if url.normalized_url in existing:
                continue
            ReportedURL.objects.filter(pk=url.pk).update(case=primary)
        duplicate.reports.update(case=primary)
        duplicate.evidence.update(case=primary)
        CaseLink.objects.update_or_create(
            from_case=duplicate,
            to_case=primary,
            defaults={"kind": CaseLink.Kind.DUPLICATE, "created_by": actor},
        )
        previous = duplicate.status
        bump(
            duplicate,
            duplicate.version,
            status=Status.DISMISSED,
            duplicate_of=primary,
            closed_at=now,
            dismissal_reason=f"Duplicate of {primary.reference}.",
        )
        bump(primary, primary.version, confidential=primary.confidential or duplicate.confidential)
        TimelineEvent.objects.create(
            case=duplicate,
            actor=actor,
            kind=TimelineEvent.Kind.MERGE,
            from_status=previous,
            to_status=Status.DISMISSED,
            message=f"Merged into {primary.reference} as a duplicate.",
            data={"primary": primary.pk},
            at=now,
        )
        TimelineEvent.objects.create(
            case=primary,
            actor=actor,
            kind=TimelineEvent.Kind.MERGE,
            message=f"{duplicate.reference} was merged into this case (its reports, URLs and evidence).",
            data={"duplicate": duplicate.pk},
            at=now,
        )
    return primary


def set_url_status(url_id: int, *, actor, status: str, now: datetime | None = None) -> ReportedURL:
    """Record what a URL shows when checked: removed, still up, restored (or reported / notice sent)."""
    _staff_or_refuse(actor)
    now = now or timezone.now()
    if status not in ReportedURL.Status.values:
        raise CaseError(
            "invalid_status", f"URL status must be one of {', '.join(ReportedURL.Status.values)}.", "status"
        )
    with transaction.atomic():
        url = ReportedURL.objects.select_related("case").filter(pk=url_id).first()
        if url is None:
            raise CaseError("not_found", "No such URL.", None)
        lock(url.case_id, actor=actor, version=None)
        previous = url.status
        url.status = status
        url.last_checked_at = now
        url.save(update_fields=["status", "last_checked_at"])
        TimelineEvent.objects.create(
            case=url.case,
            actor=actor,
            kind=TimelineEvent.Kind.URL,
            message=f"{url.normalized_url}: {ReportedURL.Status(previous).label.lower()} → "
            f"{ReportedURL.Status(status).label.lower()}.",
            data={"url": url.pk, "from": previous, "to": status},
            at=now,
        )
    return url


def add_evidence(case_id: int, *, actor, files: list, now: datetime | None = None) -> list[Evidence]:
    """Staff add evidence to a case (same validation and custody record as the public form)."""
    _staff_or_refuse(actor)
    now = now or timezone.now()
    if not files:
        raise CaseError("required", "Choose at least one file.", "evidence")
    prepared = prepare_evidence(files)
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        created = [
            store_evidence(item, case=case, report=None, uploaded_by=actor, label=str(actor), now=now)
            for item in prepared
        ]
        TimelineEvent.objects.create(
            case=case,
            actor=actor,
            kind=TimelineEvent.Kind.EVIDENCE,
            message=", ".join(f"{e.original_name} (SHA-256 {e.sha256[:16]}…)" for e in created),
            data={"evidence": [e.pk for e in created]},
            at=now,
        )
        dispatch("registry.cases.enrichment.match_case_evidence", case_id=case.pk)
    return created
