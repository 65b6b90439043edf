"""Background enrichment of a report (run through the outbox after commit; idempotent).

1. Route: attach the report to an open case about the same content (normalised URL) or open a new case.
2. Match: perceptual hashes (64-bit pHash) of evidence images against the talent's reference photos (every
   reference photo when no talent is named) and against other cases' evidence; a Hamming distance of at most
   CASES_PHASH_MAX_DISTANCE (10 of 64 bits) is a likely match. A resized, re-compressed copy typically lands
   at 0–4; unrelated photos at 20–40.
3. Evaluate: with a talent, a brand (Organization) and a date seen, run the permission evaluator as of that
   date for the likely use (USE_MAPPING below) and store the result on the case.
4. Faces: faces in evidence images against the descriptors of talent whose biometric consent is in force
   (registry.cases.face_matching; found before the transaction, so dlib's time holds no lock). A strong
   face match counts as a likely match and, on a case without a talent, suggests the talent to staff.
5. Suggest a priority (suggest_priority) and apply it while the case is new and staff have not set one.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from registry.cases import deadlines, face_matching
from registry.cases.models import (
    Case,
    Evidence,
    EvidenceMatch,
    MisuseReport,
    Platform,
    Priority,
    Status,
    TimelineEvent,
)
from registry.cases.routing import route_report
from registry.checks import evaluator
from registry.consent import vocab
from registry.consent.vocab import Use
from registry.core.uploads import phash_distance
from registry.talent.models import ReferenceMedia

# The likely use when the reporter names none: a brand's post or ad is advertising.
DEFAULT_USE = Use.ADVERTISING
# Modality and channel of the permission check, from where the content was seen.
VIDEO_PLATFORMS = {Platform.YOUTUBE, Platform.TIKTOK, Platform.TWITCH, Platform.BROADCAST}
CHANNEL_BY_PLATFORM = {
    Platform.INSTAGRAM: "social",
    Platform.FACEBOOK: "social",
    Platform.TIKTOK: "social",
    Platform.YOUTUBE: "social",
    Platform.X: "social",
    Platform.THREADS: "social",
    Platform.SNAPCHAT: "social",
    Platform.LINKEDIN: "social",
    Platform.PINTEREST: "social",
    Platform.REDDIT: "social",
    Platform.TWITCH: "social",
    Platform.WEBSITE: "online",
    Platform.APP: "games",
    Platform.PRINT: "print",
    Platform.BROADCAST: "broadcast",
    Platform.OTHER: "online",
}
HIGH_RISK_USES = {Use.AI_TRAINING, Use.REPLICA_CREATION, Use.REPLICA_USE, Use.DIGITAL_ALTERATION}


def max_distance() -> int:
    return int(getattr(settings, "CASES_PHASH_MAX_DISTANCE", 10))


def enrich_report(report_id: int, now: datetime | None = None) -> None:
    now = now or timezone.now()
    report = MisuseReport.objects.filter(pk=report_id).first()
    if report is None:
        return
    face_scans = face_matching.scan(list(face_matching.pending_images(report.evidence.all())))
    with transaction.atomic():
        case = route_report(report, now=now)
        matches = match_case_evidence(case.pk, now=now)
        face_matching.record(face_scans, now=now)
        case = Case.objects.select_related("talent", "organization").get(pk=case.pk)
        result = evaluate_case(case, now=now)
        suggestion = apply_suggested_priority(case, now=now)
        if report.enriched_at is None:
            parts = [f"{matches} likely image match(es)" if matches else "no image matches"]
            if result and result.get("decision"):
                parts.append(f"permission as of {result['evaluated_as_of']}: {result['decision']}")
            parts.append(f"suggested priority {suggestion}")
            TimelineEvent.objects.create(
                case=case,
                kind=TimelineEvent.Kind.ENRICHED,
                message="Enrichment: " + "; ".join(parts) + ".",
                data={"report": report.pk, "matches": matches, "suggested_priority": suggestion},
                at=now,
            )
            MisuseReport.objects.filter(pk=report.pk).update(enriched_at=now)


def reenrich_case(case_id: int, now: datetime | None = None) -> None:
    """After staff corrected a case's facts: compare all its images with the (new) talent's reference photos
    and run the permission check again. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        match_case_evidence(case_id, now=now, recheck=True)
        face_matching.match_case_faces(case_id, now=now)
        case = Case.objects.select_related("talent", "organization").filter(pk=case_id).first()
        if case is not None:
            evaluate_case(case, now=now)
            Case.objects.filter(pk=case.pk).update(suggested_priority=suggest_priority(case))


def match_new_evidence(case_id: int, now: datetime | None = None) -> None:
    """After evidence was added to a case (by staff, or by the reporter with a reply): image matches, faces,
    and the suggested priority again. Idempotent."""
    now = now or timezone.now()
    face_scans = face_matching.scan(
        list(face_matching.pending_images(Evidence.objects.filter(case_id=case_id)))
    )
    with transaction.atomic():
        match_case_evidence(case_id, now=now)
        face_matching.record(face_scans, now=now)
        case = Case.objects.filter(pk=case_id).first()
        if case is not None:
            apply_suggested_priority(case, now=now)


def match_case_evidence(case_id: int, now: datetime | None = None, recheck: bool = False) -> int:
    """Flag likely matches for the case's evidence images not yet compared (all of them with `recheck`).
    Returns matches created."""
    now = now or timezone.now()
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return 0
    images = case.evidence.filter(kind=Evidence.Kind.IMAGE).exclude(phash="")
    pending = list(images if recheck else images.filter(matched_at__isnull=True))
    if not pending:
        return 0
    references = ReferenceMedia.objects.filter(kind=ReferenceMedia.Kind.PHOTO).exclude(phash="")
    if case.talent_id:
        references = references.filter(talent_id=case.talent_id)
    references = list(references.values_list("pk", "phash"))
    others = list(
        Evidence.objects.filter(kind=Evidence.Kind.IMAGE, matched_at__isnull=False)
        .exclude(phash="")
        .exclude(case_id=case.pk)
        .exclude(case__isnull=True)
        .values_list("pk", "phash")
    )
    limit = max_distance()
    created = 0
    for evidence in pending:
        for pk, phash in references:
            distance = phash_distance(evidence.phash, phash)
            if distance <= limit:
                created += _match(evidence, distance, reference_media_id=pk)
        for pk, phash in others:
            if recheck and evidence.matched_at is not None:
                break  # compared with earlier evidence already; only the references may have changed
            distance = phash_distance(evidence.phash, phash)
            if distance <= limit:
                created += _match(evidence, distance, other_evidence_id=pk)
        Evidence.objects.filter(pk=evidence.pk).update(matched_at=now)
    return created


def _match(evidence: Evidence, distance: int, **target) -> int:
    try:
        with transaction.atomic():
            _, created = EvidenceMatch.objects.get_or_create(
                evidence=evidence, **target, defaults={"distance": distance}
            )
    except IntegrityError:
        return 0
    return int(created)


def check_request_for(case: Case) -> dict:
    """The permission check a case stands for: likely use, modality and channel (see module docstring)."""
    report = case.reports.exclude(territory="").order_by("created_at").first()
    return {
        "talent": case.talent.registry_id if case.talent_id else "",
        "use": case.use or DEFAULT_USE,
        "modality": "video" if case.platform in VIDEO_PLATFORMS else "image",
        "territory": report.territory if report else getattr(settings, "CASES_DEFAULT_TERRITORY", "US"),
        "channel": CHANNEL_BY_PLATFORM.get(case.platform, "online"),
        "date": case.seen_on.isoformat() if case.seen_on else "",
        **({"product_category": case.product_category} if case.product_category else {}),
    }


def evaluate_case(case: Case, now: datetime | None = None) -> dict | None:
    """Run the permission evaluator as of the date seen for the named brand; store and return the result."""
    request = check_request_for(case)
    missing = [
        name
        for name, present in (
            ("talent", case.talent_id),
            ("brand", case.organization_id),
            ("date seen", case.seen_on),
        )
        if not present
    ]
    if missing:
        result = {"evaluated": False, "missing": missing, "request": request}
    else:
        try:
            check = evaluator.parse_check(request)
            outcome = evaluator.evaluate(check, organization_id=case.organization_id)
            result = {
                "evaluated": True,
                **outcome.as_dict(),
                "request": request,
                "organization": case.organization.name,
            }
        except vocab.VocabularyError as exc:
            result = {"evaluated": False, "error": exc.detail, "request": request}
    Case.objects.filter(pk=case.pk).update(permission_result=result, enriched_at=now or timezone.now())
    case.permission_result = result
    return result


def suggest_priority(case: Case) -> str:
    """urgent: confidential (sexual content, minors); high: denied, a high-risk use (AI training, replicas,
    digital alteration), an image matching the talent's reference photos or a strong face match
    (face_matching.likely_face_match); low: the use was permitted; normal otherwise."""
    if case.confidential:
        return Priority.URGENT
    decision = (case.permission_result or {}).get("decision")
    if decision == "denied" or case.use in HIGH_RISK_USES:
        return Priority.HIGH
    if EvidenceMatch.objects.filter(evidence__case=case, reference_media__isnull=False).exists():
        return Priority.HIGH
    if face_matching.likely_face_match(case):
        return Priority.HIGH
    if decision == "permitted":
        return Priority.LOW
    return Priority.NORMAL


def apply_suggested_priority(case: Case, now: datetime | None = None) -> str:
    now = now or timezone.now()
    suggestion = suggest_priority(case)
    fields: dict = {"suggested_priority": suggestion}
    change = case.status == Status.NEW and not case.priority_set_by_staff and case.priority != suggestion
    if change:
        fields.update(
            priority=suggestion,
            triage_due_at=deadlines.triage_due(case.created_at, suggestion),
            version=F("version") + 1,  # a staff member's open form is now stale: they must see this change
        )
    Case.objects.filter(pk=case.pk).update(**fields)
    if change:
        TimelineEvent.objects.create(
            case=case,
            kind=TimelineEvent.Kind.PRIORITY,
            message=f"Priority set to {Priority(suggestion).label.lower()} (suggested by enrichment).",
            data={"from": case.priority, "to": suggestion, "suggested": True},
            at=now,
        )
    return suggestion
