"""Face images for the matching tests, made from scikit-image's bundled photos (no downloads), each built and
looked at by dlib once per test process (dlib takes ~0.3 s an image)."""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from django.utils import timezone
from PIL import Image, ImageDraw, ImageEnhance
from skimage import data as skdata

from registry.likeness import faces
from registry.likeness.models import BiometricConsent, Descriptor, Modality, SignerCapacity

# lfw_subset() holds 200 25×25 faces (100 faces, 100 non-faces); this one dlib finds once upscaled.
OTHER_FACE = 0


def jpeg(image: Image.Image, quality: int = 92) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=quality)
    return out.getvalue()


@lru_cache
def astronaut() -> bytes:
    """The talent's reference photo (Eileen Collins, NASA; public domain)."""
    return jpeg(Image.fromarray(skdata.astronaut()))


@lru_cache
def astronaut_faces() -> tuple[faces.Face, ...]:
    return tuple(faces.find_faces(astronaut()))


@lru_cache
def transformed_copy() -> bytes:
    """What an ad tool makes of the reference photo: cropped ~300 px around the face, enlarged, brightened
    1.3×, a red banner added, saved as JPEG quality 40."""
    image = Image.fromarray(skdata.astronaut())
    left, top, right, bottom = astronaut_faces()[0].box
    cx, cy = (left + right) // 2, (top + bottom) // 2
    face = image.crop((cx - 150, cy - 150, cx + 150, cy + 150)).resize((420, 420), Image.Resampling.BICUBIC)
    face = ImageEnhance.Brightness(face).enhance(1.3)
    canvas = Image.new("RGB", (420, 480), "white")
    canvas.paste(face, (0, 60))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle([0, 0, 420, 60], fill=(200, 20, 20))
    draw.text((12, 22), "NEW SPRING COLLECTION - 40% OFF", fill="white")
    return jpeg(canvas, quality=40)


@lru_cache
def transformed_copy_faces() -> tuple[faces.Face, ...]:
    return tuple(faces.find_faces(transformed_copy()))


@lru_cache
def other_face() -> bytes:
    """A different person (Labeled Faces in the Wild, via scikit-image), upscaled to 150 px."""
    pixels = (skdata.lfw_subset()[OTHER_FACE] * 255).astype(np.uint8)
    return jpeg(Image.fromarray(pixels).convert("RGB").resize((150, 150), Image.Resampling.BICUBIC))


@lru_cache
def other_face_faces() -> tuple[faces.Face, ...]:
    return tuple(faces.find_faces(other_face()))


@lru_cache
def coffee() -> bytes:
    """No face at all."""
    return jpeg(Image.fromarray(skdata.coffee()))


def consent(talent, *, withdrawn: bool = False) -> BiometricConsent:
    now = timezone.now()
    return BiometricConsent.objects.create(
        talent=talent,
        modality=Modality.FACE,
        text_version="test",
        text_sha256="0" * 64,
        signature_name=talent.stage_name,
        signer_capacity=SignerCapacity.SELF,
        signed_at=now,
        withdrawn_at=now if withdrawn else None,
    )


def descriptor(talent, media, face: faces.Face, *, consent_row=None, vector=None) -> Descriptor:
    """A descriptor row as likeness-core's service writes it (here directly, from a face already found)."""
    left, top, right, bottom = face.box
    consent_row = consent_row or talent.biometric_consents.filter(withdrawn_at__isnull=True).first()
    return Descriptor.objects.create(
        talent=talent,
        consent=consent_row,
        reference_media=media,
        modality=Modality.FACE,
        region={"left": left, "top": top, "right": right, "bottom": bottom},
        vector=faces.to_bytes(face.descriptor if vector is None else vector),
        model_name=faces.MODEL_NAME,
        model_version=faces.MODEL_VERSION,
    )
