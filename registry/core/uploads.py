"""Validation and processing of uploaded files (reference media, evidence): by content, never by extension.

Originals are kept byte-for-byte in private storage with their SHA-256; images also get a display copy and
a thumbnail re-encoded from pixels only (no EXIF/GPS/XMP), and a perceptual hash for matching.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass

import imagehash
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from PIL import Image, ImageOps, UnidentifiedImageError

from registry.core.storage import FilesFollowTransaction

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_AUDIO_BYTES = 25 * 1024 * 1024
MAX_PDF_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
DISPLAY_MAX = 1600
THUMB_MAX = 320


@deconstructible
class PrivateStorage(FilesFollowTransaction, FileSystemStorage):
    """Files that are never served under a public URL: MEDIA_ROOT/private, read through authorised views.

    The location follows settings.MEDIA_ROOT (also when a test overrides it). A file saved in a transaction
    that rolls back is removed again (registry.core.storage.FilesFollowTransaction).
    """

    @cached_property
    def base_location(self):
        from django.conf import settings

        return os.path.join(str(settings.MEDIA_ROOT), "private")

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through an authorised view.")


private_storage = PrivateStorage()


@dataclass
class ProcessedImage:
    original: bytes
    mime: str
    width: int
    height: int
    sha256: str
    phash: str
    display: ContentFile
    thumbnail: ContentFile


def _read(upload, limit: int, what: str) -> bytes:
    size = getattr(upload, "size", None)
    if size == 0:
        raise ValidationError(f"The {what} is empty (0 bytes).", code="empty")
    if size is not None and size > limit:
        raise ValidationError(
            f"The {what} is too large: the limit is {limit // (1024 * 1024)} MB.", code="too_large"
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(f"The {what} is empty (0 bytes).", code="empty")
    if len(data) > limit:
        raise ValidationError(
            f"The {what} is too large: the limit is {limit // (1024 * 1024)} MB.", code="too_large"
        )
    return data


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _reencode(image: Image.Image, max_side: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((max_side, max_side))
    if copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True)  # pixels only: no EXIF, GPS or XMP survive
    return ContentFile(out.getvalue())


def process_image(upload) -> ProcessedImage:
    """Validate an image by content (JPEG, PNG or WebP), bound size and pixels, strip metadata, hash it."""
    data = _read(upload, MAX_IMAGE_BYTES, "image")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            if fmt not in IMAGE_FORMATS:
                raise ValidationError(
                    "Only JPEG, PNG or WebP images are accepted (this file is not one, whatever its name).",
                    code="bad_type",
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    f"The image has too many pixels ({width}×{height}); the limit is {MAX_PIXELS:,}.",
                    code="too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            phash = str(imagehash.phash(image))
            display = _reencode(image, DISPLAY_MAX)
            thumb = _reencode(image, THUMB_MAX)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            raise ValidationError("The image is too large to decode safely.", code="too_many_pixels")
        raise ValidationError("This file is not a readable JPEG, PNG or WebP image.", code="bad_type")
    return ProcessedImage(
        original=data,
        mime=IMAGE_FORMATS[fmt],
        width=width,
        height=height,
        sha256=sha256_hex(data),
        phash=phash,
        display=display,
        thumbnail=thumb,
    )


def sniff_audio(upload) -> tuple[bytes, str]:
    """Validate an audio file by its bytes: WAV, MP3 or Ogg. Returns (data, mime)."""
    data = _read(upload, MAX_AUDIO_BYTES, "audio file")
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return data, "audio/wav"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and (data[1] & 0xE0) == 0xE0):
        return data, "audio/mpeg"
    if data[:4] == b"OggS":
        return data, "audio/ogg"
    raise ValidationError("Only WAV, MP3 or Ogg audio is accepted (this file is not one).", code="bad_type")


def sniff_pdf(upload) -> bytes:
    data = _read(upload, MAX_PDF_BYTES, "PDF")
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError("This file is not a PDF document.", code="bad_type")
    return data


def phash_distance(a: str, b: str) -> int:
    return imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b)


# Bombs are refused by our own pixel limit first; keep Pillow's own guard as a second line.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
