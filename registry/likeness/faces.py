"""Faces in an image: where they are, and a 128-number description of each (a face descriptor).

dlib's frontal face detector (HOG), its 5-point landmark model and its ResNet face-recognition model (the
files ship in the `face_recognition_models` package, so nothing is downloaded at run time). Two descriptors
of the same person lie about 0.3-0.5 apart (Euclidean); dlib's authors use 0.6 as the same-person threshold
on LFW, which is too loose for a registry (see docs/likeness.md for the threshold chosen and its rates).

This module only computes. Whether it may run for a person is decided by registry.likeness.services (biometric
consent first); what is stored, and where, too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

import dlib
import face_recognition_models
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MODEL_NAME = "dlib_face_recognition_resnet_model_v1"
MODEL_VERSION = f"dlib-{dlib.__version__}"
DIMENSIONS = 128
# Images are scaled so that their longer side is at most this before detection (faces stay large enough).
MAX_SIDE = 1280
# Below this longer side the detector looks at a 2x upsampled image, to find faces of 40 px and more.
UPSAMPLE_BELOW = 800
CROP_SIZE = 160


@dataclass(frozen=True)
class Face:
    """One face: its box (left, top, right, bottom) in the original image's pixels and its descriptor."""

    box: tuple[int, int, int, int]
    descriptor: np.ndarray  # float32, shape (128,)


@lru_cache(maxsize=1)
def _models():
    detector = dlib.get_frontal_face_detector()
    landmarks = dlib.shape_predictor(face_recognition_models.pose_predictor_five_point_model_location())
    encoder = dlib.face_recognition_model_v1(face_recognition_models.face_recognition_model_location())
    return detector, landmarks, encoder


def open_image(data: bytes) -> Image.Image | None:
    """An RGB image upright by its EXIF orientation, or None for bytes that are not a readable image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            return image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def find_faces(data: bytes | Image.Image, max_faces: int = 10) -> list[Face]:
    """Every face dlib finds (largest first, at most `max_faces`), or [] for no face or no image."""
    image = data.convert("RGB") if isinstance(data, Image.Image) else open_image(data)
    if image is None:
        return []
    scale = min(1.0, MAX_SIDE / max(image.size))
    if scale < 1.0:
        size = (round(image.width * scale), round(image.height * scale))
        image = image.resize(size, Image.Resampling.LANCZOS)
    pixels = np.asarray(image)
    detector, landmarks, encoder = _models()
    upsample = 1 if max(image.size) < UPSAMPLE_BELOW else 0
    rects = sorted(detector(pixels, upsample), key=lambda r: r.width() * r.height(), reverse=True)
    faces = []
    for rect in rects[:max_faces]:
        shape = landmarks(pixels, rect)
        vector = np.asarray(encoder.compute_face_descriptor(pixels, shape), dtype=np.float32)
        box = tuple(max(0, round(v / scale)) for v in (rect.left(), rect.top(), rect.right(), rect.bottom()))
        faces.append(Face(box=box, descriptor=vector))
    return faces


def crop(data: bytes | Image.Image, box: tuple[int, int, int, int], size: int = CROP_SIZE) -> bytes:
    """A square PNG of the face in `box` with a margin, `size` pixels wide, to show two faces side by side."""
    image = data.convert("RGB") if isinstance(data, Image.Image) else open_image(data)
    if image is None:
        return b""
    left, top, right, bottom = box
    side = max(right - left, bottom - top) * 1.6
    cx, cy = (left + right) / 2, (top + bottom) / 2
    area = (round(cx - side / 2), round(cy - side / 2), round(cx + side / 2), round(cy + side / 2))
    face = image.crop(area).resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    face.save(out, format="PNG")
    return out.getvalue()


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, dtype=np.float32) - np.asarray(b, dtype=np.float32)))


def to_bytes(vector: np.ndarray) -> bytes:
    """How a descriptor is stored: 128 little-endian float32 (512 bytes)."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")
