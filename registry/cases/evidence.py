"""Evidence files: checked by content, stored with their custody record, added by staff or by the reporter
(with a reply, from the tracking page); URL status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from registry.cases.errors import CaseError
from registry.cases.guards import ensure_not_merged
from registry.cases.models import Case, Evidence, MisuseReport, ReportedURL, TimelineEvent
from registry.cases.notify import notify_assignee, notify_watchers
from registry.cases.rules import ensure_staff
from registry.cases.selectors import public_case
from registry.cases.workflow import lock
from registry.core import uploads
from registry.core.outbox import dispatch

MAX_FILES = 5
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


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
    item: PreparedEvidence,
    *,
    case: Case | None,
    report: MisuseReport | None,
    actor,
    label: str,
    now: datetime,
) -> Evidence:
    """Keep the original byte for byte (and the display copies of an image) with who added it and when."""
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
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
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


def add_evidence(case_id: int, *, actor, files: list, now: datetime | None = None) -> list[Evidence]:
    """Staff add evidence to a case (same validation and custody record as the public form)."""
    ensure_staff(actor)
    now = now or timezone.now()
    if not files:
        raise CaseError("required", "Choose at least one file.", "evidence")
    prepared = prepare_evidence(files)
    with transaction.atomic():
        case = lock(case_id, actor=actor, version=None)
        ensure_not_merged(case)
        created = [
            store_evidence(item, case=case, report=None, actor=actor, label=str(actor), now=now)
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
        dispatch("registry.cases.enrichment.match_new_evidence", case_id=case.pk)
    return created


def set_url_status(url_id: int, *, actor, status: str, now: datetime | None = None) -> ReportedURL:
    """Record what a URL shows when checked: removed, still up, restored (or reported / notice sent)."""
    ensure_staff(actor)
    now = now or timezone.now()
    if status not in ReportedURL.Status.values:
        raise CaseError(
            "invalid_status", f"URL status must be one of {', '.join(ReportedURL.Status.values)}.", "status"
        )
    with transaction.atomic():
        url = ReportedURL.objects.select_related("case").filter(pk=url_id).first()
        if url is None:
            raise CaseError("not_found", "No such URL.", None, status=404)
        ensure_not_merged(lock(url.case_id, actor=actor, version=None))
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


def reporter_reply(
    report: MisuseReport, *, body: str, files: list | None = None, now: datetime | None = None
) -> TimelineEvent:
    """The reporter writes back, and may add evidence (same upload rules as the report form), from the
    tracking page. It lands on the case the report belongs to now (a merged case's target), as a message
    from the reporter on the timeline; the assignee and watchers are told (without the text: emails carry
    no case facts)."""
    body = (body or "").strip()
    files = [f for f in files or [] if f]
    if not body and not files:
        raise CaseError("required", "Write a reply or attach a file.", "body")
    prepared = prepare_evidence(files)
    now = now or timezone.now()
    target = public_case(report)
    if target is None:
        raise CaseError("not_ready", "Your report is not open as a case yet; try again later.", None)
    reporter = report.reporter if report.reporter_id else None
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=target.pk)
        created = [
            store_evidence(item, case=case, report=report, actor=reporter, label="reporter", now=now)
            for item in prepared
        ]
        event = TimelineEvent.objects.create(
            case=case,
            actor=reporter,
            kind=TimelineEvent.Kind.MESSAGE,
            message=f"Reply from the reporter: {body[:470]}" if body else "The reporter added evidence.",
            data={
                "from_reporter": True,
                "report": report.pk,
                "body": body[:5000],
                "evidence": [e.pk for e in created],
            },
            at=now,
        )
        if created:
            TimelineEvent.objects.create(
                case=case,
                actor=reporter,
                kind=TimelineEvent.Kind.EVIDENCE,
                message="From the reporter: "
                + ", ".join(f"{e.original_name} (SHA-256 {e.sha256[:16]}…)" for e in created),
                data={"evidence": [e.pk for e in created], "report": report.pk},
                at=now,
            )
            dispatch("registry.cases.enrichment.match_new_evidence", case_id=case.pk)
        what = "replied" + (f" and added {len(created)} evidence file(s)" if created else "")
        text = f"The reporter {what} on case {case.reference}."
        notify_watchers(case, subject="The reporter replied", body=text)
        notify_assignee(case, subject="The reporter replied", body=text)
    return event


def reporter_replies(case: Case, report: MisuseReport) -> list[dict]:
    """This reporter's own replies on the case (never other reporters'), for their tracking page."""
    events = TimelineEvent.objects.filter(case=case, kind=TimelineEvent.Kind.MESSAGE, data__report=report.pk)
    return [
        {"at": e.at, "body": e.data.get("body", ""), "files": len(e.data.get("evidence", []))}
        for e in events.order_by("at", "pk")
    ]
