"""Faces in a case's evidence images against the registered faces of consenting talent (issue 19).

Part of enrichment: each evidence image is looked at once (its display copy: upright, metadata-free, at most
1,600 px, so dlib's time stays well under a second). Faces found are matched by registry.likeness.matching;
every candidate within LIKENESS_MATCH_THRESHOLD becomes a FaceMatch (idempotent: one per image, face and
talent). The image records what was found ("no face found", too large, unreadable) so it is not looked at
again. While no talent has a descriptor in force nothing is looked at (and the images stay pending: a later
enrichment of the case looks at them).

Face matches are for the staff desk only: never on the tracking page, in emails, brand views, the API,
exports or the case CSV. A strong match (LIKENESS_STRONG_MATCH) counts as a likely match for the suggested
priority (enrichment.suggest_priority) and, on a case without a talent, is offered as the talent to set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from registry.cases.models import Case, Evidence, FaceMatch, FaceScan
from registry.core.uploads import private_storage
from registry.likeness import faces, matching
from registry.likeness.models import Descriptor


@dataclass
class Scan:
    """What looking at one evidence image found (computed without writing anything)."""

    status: str
    found: list[matching.FaceCandidates] = field(default_factory=list)


def max_pixels() -> int:
    return int(getattr(settings, "LIKENESS_MATCH_MAX_PIXELS", 25_000_000))


def pending_images(evidence: QuerySet[Evidence]) -> QuerySet[Evidence]:
    return evidence.filter(kind=Evidence.Kind.IMAGE, face_scan="")


def _read(field_file) -> bytes:
    with private_storage.open(field_file.name, "rb") as handle:
        return handle.read()


def _image_bytes(evidence: Evidence) -> bytes:
    return _read(evidence.display or evidence.original)


def _box(region: dict) -> tuple[int, int, int, int] | None:
    try:
        return tuple(int(region[k]) for k in ("left", "top", "right", "bottom"))
    except (KeyError, TypeError, ValueError):
        return None


SIDES = ("evidence", "reference")


def face_source(match: FaceMatch, side: str) -> tuple[bytes, tuple[int, int, int, int]] | None:
    """The image and the face's box for one side of a match: the evidence image (its display copy, where
    the face was found), or the talent's reference photo with her descriptor's region — only while that
    descriptor exists with consent in force (after a withdrawal: None)."""
    if side == "evidence":
        box = _box(match.box)
        return (_image_bytes(match.evidence), box) if box else None
    if not match.descriptor_id:
        return None
    descriptor = (
        Descriptor.objects.filter(
            pk=match.descriptor_id, talent_id=match.talent_id, consent__withdrawn_at__isnull=True
        )
        .select_related("reference_media")
        .first()
    )
    box = _box(descriptor.region) if descriptor is not None else None
    if box is None:
        return None
    return _read(descriptor.reference_media.original), box


def scan(evidence: list[Evidence]) -> dict[int, Scan]:
    """Find the faces of each image once and their candidates; {} when no talent has a descriptor in force
    (nothing to compare with: the images stay pending)."""
    if not evidence or matching.indexed_count() == 0:
        return {}
    scans: dict[int, Scan] = {}
    for item in evidence:
        if (item.width or 0) * (item.height or 0) > max_pixels():
            scans[item.pk] = Scan(FaceScan.TOO_LARGE)
            continue
        try:
            data = _image_bytes(item)
        except OSError:
            scans[item.pk] = Scan(FaceScan.UNREADABLE)
            continue
        image = faces.open_image(data)
        if image is None:
            scans[item.pk] = Scan(FaceScan.UNREADABLE)
            continue
        found = matching.match_faces(image)  # decoded once, faces found once
        scans[item.pk] = Scan(FaceScan.FACES if found else FaceScan.NO_FACE, found)
    return scans


def record(scans: dict[int, Scan], now: datetime | None = None) -> int:
    """Store what `scan` found: the image's scan result and a FaceMatch per candidate whose descriptor is
    still in force (asked again here, in one query: a consent withdrawn meanwhile matches nothing).
    Idempotent. Returns the matches created."""
    if not scans:
        return 0
    now = now or timezone.now()
    asked = {c.descriptor_id for s in scans.values() for f in s.found for c in f.candidates}
    still = set(
        Descriptor.objects.filter(matching.in_force(), pk__in=sorted(asked)).values_list("pk", flat=True)
        if asked
        else []
    )
    created = 0
    for evidence_id, result in scans.items():
        for number, face in enumerate(result.found):
            left, top, right, bottom = face.box
            for candidate in face.candidates:
                if candidate.descriptor_id not in still:
                    continue
                created += _store(
                    evidence_id,
                    number,
                    candidate,
                    box={"left": left, "top": top, "right": right, "bottom": bottom},
                    now=now,
                )
        Evidence.objects.filter(pk=evidence_id).update(
            face_scan=result.status, face_count=len(result.found), faces_checked_at=now
        )
    return created


def _store(evidence_id: int, number: int, candidate: matching.Candidate, *, box: dict, now) -> int:
    try:
        with transaction.atomic():
            _, created = FaceMatch.objects.get_or_create(
                evidence_id=evidence_id,
                face=number,
                talent_id=candidate.talent_id,
                defaults={
                    "box": box,
                    "descriptor_id": candidate.descriptor_id,
                    "reference_media_id": candidate.reference_media_id,
                    "distance": candidate.distance,
                    "threshold": matching.threshold(),
                    "strong": candidate.strong,
                    "model_name": faces.MODEL_NAME,
                    "model_version": faces.MODEL_VERSION,
                    "created_at": now,
                },
            )
    except IntegrityError:
        return 0
    return int(created)


def match_case_faces(case_id: int, now: datetime | None = None) -> int:
    """Look at the case's evidence images not looked at yet. Returns the matches created."""
    pending = list(pending_images(Evidence.objects.filter(case_id=case_id)))
    return record(scan(pending), now=now)


def likely_face_match(case: Case) -> bool:
    """A strong face match with the case's talent (with any talent when it names none): a likely match."""
    strong = FaceMatch.objects.filter(evidence__case=case, strong=True, talent__isnull=False)
    if case.talent_id:
        strong = strong.filter(talent_id=case.talent_id)
    return strong.exists()


def case_face_matches(case: Case) -> list[FaceMatch]:
    """The face matches of a case's evidence for its staff page (one query), nearest first."""
    kept = Descriptor.objects.filter(
        pk=OuterRef("descriptor_id"), talent_id=OuterRef("talent_id"), consent__withdrawn_at__isnull=True
    )
    return list(
        FaceMatch.objects.filter(evidence__case=case)
        .annotate(reference_kept=Exists(kept))
        .select_related("talent", "evidence")
        .order_by("evidence__uploaded_at", "evidence_id", "face", "distance", "pk")
    )


def suggested_talent(case: Case, matches: list[FaceMatch]):
    """The talent a case without one is likely about: the nearest strong match's."""
    if case.talent_id:
        return None
    strong = [m for m in matches if m.strong and m.talent_id]
    return min(strong, key=lambda m: m.distance).talent if strong else None
