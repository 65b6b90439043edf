"""Likely duplicates of a profile, shown to staff before they verify it: the same person, or an impostor."""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.core.uploads import phash_distance
from registry.talent.models import ReferenceMedia, TalentProfile
from registry.talent.search import normalize_name

# Perceptual-hash distance (of 64 bits) at or under which two reference photos are "near-identical".
PHOTO_DISTANCE = 10


@dataclass
class LikelyDuplicate:
    talent: TalentProfile
    same_name_and_birth_date: bool = False
    photo_distance: int | None = None  # the closest pair of reference photos, when near-identical
    reasons: list[str] = field(default_factory=list)


def _same_name_and_birth_date(talent: TalentProfile) -> list[TalentProfile]:
    name = normalize_name(talent.legal_name)
    if not name or talent.date_of_birth is None:
        return []
    # One birth date narrows the candidates to a handful; the name is compared case- and accent-insensitively.
    same_day = TalentProfile.objects.filter(date_of_birth=talent.date_of_birth).exclude(pk=talent.pk)
    return [
        other for other in same_day.select_related("verified_by") if normalize_name(other.legal_name) == name
    ]


def _near_photos(talent: TalentProfile) -> dict[int, int]:
    """{other talent id: smallest distance} over the photos within PHOTO_DISTANCE of one of hers."""
    photos = ReferenceMedia.objects.filter(kind=ReferenceMedia.Kind.PHOTO).exclude(phash="")
    own = list(photos.filter(talent=talent).values_list("phash", flat=True))
    if not own:
        return {}
    closest: dict[int, int] = {}
    # Hamming distance has no index: this scans the registry's photo hashes (a staff page, not a hot path).
    for other_id, other_hash in photos.exclude(talent=talent).values_list("talent_id", "phash").iterator():
        distance = min(phash_distance(mine, other_hash) for mine in own)
        if distance <= PHOTO_DISTANCE and distance < closest.get(other_id, PHOTO_DISTANCE + 1):
            closest[other_id] = distance
    return closest


def likely_duplicates(talent: TalentProfile) -> list[LikelyDuplicate]:
    """Other profiles with the same legal name and date of birth, or near-identical reference photos."""
    found: dict[int, LikelyDuplicate] = {}
    for other in _same_name_and_birth_date(talent):
        found[other.pk] = LikelyDuplicate(talent=other, same_name_and_birth_date=True)
        found[other.pk].reasons.append("same legal name and date of birth")
    photos = _near_photos(talent)
    missing = [pk for pk in photos if pk not in found]
    for other in TalentProfile.objects.filter(pk__in=missing).select_related("verified_by"):
        found[other.pk] = LikelyDuplicate(talent=other)
    for pk, distance in photos.items():
        if pk in found:
            found[pk].photo_distance = distance
            found[pk].reasons.append(f"near-identical reference photo (distance {distance})")
    return sorted(found.values(), key=lambda d: (not d.same_name_and_birth_date, d.talent.stage_name))
