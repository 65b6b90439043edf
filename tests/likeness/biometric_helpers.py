"""Helpers for the biometric consent tests: the astronaut photo (scikit-image, public domain) and copies,
reference photos uploaded through the talent service, signed consents, guardians and estates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from registry.likeness import consent as consent_service
from registry.talent.models import Representative
from registry.talent.reference_media import add_reference_media
from tests.likeness import face_images

# The images are face_images' (one set for every likeness test): her reference photo, a misused copy of it
# (cropped, enlarged, brightened, bannered, JPEG 40) and a photo without a face.
astronaut = face_images.astronaut
astronaut_copy = face_images.transformed_copy
no_face = face_images.coffee


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def add_photo(talent, actor, data: bytes | None = None, *, capture):
    """Upload a reference photo through the talent service, running its after-commit work."""
    with capture(execute=True):
        return add_reference_media(talent, upload=upload(data or astronaut()), kind="photo", actor=actor)


def sign(talent, actor, *, capture, name: str | None = None):
    with capture(execute=True):
        return consent_service.sign_consent(
            talent, actor=actor, signature_name=name if name is not None else talent.legal_name
        )


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def media_file_names(media) -> set[str]:
    return {f"private/{f.name}" for f in (media.original, media.display, media.thumbnail) if f}


def verified_representative(talent, user, kind: str) -> Representative:
    return Representative.objects.create(
        talent=talent,
        user=user,
        kind=kind,
        authority_verified_at=timezone.now(),
    )


MINOR_BIRTH_DATE = date(timezone.localdate().year - 12, 1, 15)
