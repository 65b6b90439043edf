"""Helpers for the biometric consent tests: the astronaut photo (scikit-image, public domain) and copies,
reference photos uploaded through the talent service, signed consents, guardians and estates."""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageEnhance
from skimage import data as skdata

from registry.likeness import consent as consent_service
from registry.talent.models import Representative
from registry.talent.reference_media import add_reference_media


@lru_cache(maxsize=1)
def astronaut() -> bytes:
    """Eileen Collins' NASA portrait, 512×512, as a JPEG: one face."""
    out = io.BytesIO()
    Image.fromarray(skdata.astronaut()).save(out, format="JPEG", quality=92)
    return out.getvalue()


@lru_cache(maxsize=1)
def astronaut_copy() -> bytes:
    """What misuse looks like: cropped, resized, brightened and re-compressed hard."""
    image = Image.open(io.BytesIO(astronaut())).convert("RGB").crop((40, 0, 440, 400))
    image = ImageEnhance.Brightness(image.resize((300, 300), Image.Resampling.LANCZOS)).enhance(1.2)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=40)
    return out.getvalue()


@lru_cache(maxsize=1)
def no_face() -> bytes:
    """A photo without a face (scikit-image's coffee cup)."""
    out = io.BytesIO()
    Image.fromarray(skdata.coffee()).save(out, format="JPEG", quality=90)
    return out.getvalue()


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
