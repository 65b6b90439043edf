"""A talent checks a suspicious image herself: is my face in it? Nothing of it is stored.

Each face found is compared with her own descriptors (and only hers); the nearest distance decides "likely
you" at settings.LIKENESS_MATCH_THRESHOLD. Both faces are returned as PNG crops, shown inline as data: URIs.
The uploaded image is validated like every upload (registry.core.uploads) and dropped after the request.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from registry.core import ratelimit
from registry.core.errors import DomainError
from registry.core.uploads import process_image
from registry.likeness import faces, selectors
from registry.likeness.models import Descriptor, Modality
from registry.talent.models import TalentProfile

MAX_FACES = 10


@dataclass(frozen=True)
class FaceResult:
    distance: float
    likely_you: bool
    found_crop: str  # data: URI of the face in the uploaded image
    own_crop: str  # data: URI of her nearest reference face


@dataclass(frozen=True)
class SelfCheck:
    threshold: float
    faces: list[FaceResult]
    descriptors: int  # how many of her own descriptors were compared


def threshold() -> float:
    return float(settings.LIKENESS_MATCH_THRESHOLD)


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode() if png else ""


def _own_crop(descriptor: Descriptor, cache_: dict) -> str:
    media = descriptor.reference_media
    box = tuple(descriptor.region.get(k, 0) for k in ("left", "top", "right", "bottom"))
    key = (media.pk, box)
    if key not in cache_:
        try:
            with media.original.open("rb") as f:
                cache_[key] = data_uri(faces.crop(f.read(), box))
        except (FileNotFoundError, OSError, ValueError):
            cache_[key] = ""
    return cache_[key]


def check_image(talent: TalentProfile, *, actor, upload) -> SelfCheck:
    """Compare the faces of an uploaded image with the talent's own descriptors (consent required)."""
    if not selectors.can_self_check(actor, talent):
        raise DomainError(
            "not_allowed", "Only the talent (her guardian or estate) can check images.", status=403
        )
    if selectors.consent_in_force(talent) is None:
        raise DomainError(
            "no_consent",
            "Checking an image for your face needs your biometric consent: sign it first.",
            status=403,
        )
    image = process_image(upload)  # type, size and pixels validated; raises ValidationError
    own = list(
        Descriptor.objects.filter(talent=talent, modality=Modality.FACE).select_related("reference_media")
    )
    if not own:
        raise DomainError(
            "no_descriptors",
            "None of your reference photos has a face we can compare yet: add a clear, front-facing photo "
            "of yourself to your reference media (it is processed within a minute).",
        )
    matrix = np.stack([faces.from_bytes(bytes(d.vector)) for d in own])
    found = faces.find_faces(image.original, max_faces=MAX_FACES)
    limit = threshold()
    crops: dict = {}
    results = []
    for face in found:
        distances = np.linalg.norm(matrix - face.descriptor, axis=1)
        nearest = int(np.argmin(distances))
        distance = float(distances[nearest])
        results.append(
            FaceResult(
                distance=round(distance, 3),
                likely_you=distance <= limit,
                found_crop=data_uri(faces.crop(image.original, face.box)),
                own_crop=_own_crop(own[nearest], crops),
            )
        )
    results.sort(key=lambda r: r.distance)
    return SelfCheck(threshold=limit, faces=results, descriptors=len(own))


# --- rate limit: a fixed window per user (registry.core.ratelimit; the cache is shared by every process) --


def allow(user_id: int, *, now: float | None = None) -> bool:
    """Count one self-check of the user; False once over LIKENESS_SELF_CHECK_RATE (e.g. "20/hour")."""
    return ratelimit.allow(f"likeness:selfcheck:{user_id}", settings.LIKENESS_SELF_CHECK_RATE, now=now)


def retry_after(*, now: float | None = None) -> int:
    return ratelimit.retry_after(settings.LIKENESS_SELF_CHECK_RATE, now=now)
