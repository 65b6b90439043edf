"""Helpers for the cases tests: generated photos (no downloads), uploads, reference media, a filed case."""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from registry.cases import intake
from registry.cases.models import MisuseReport
from registry.core.uploads import process_image


def photo(seed: int, size=(640, 480), *, fmt="JPEG", quality=92, exif_gps=False) -> bytes:
    """Shapes on a gradient: a stable perceptual hash per seed, far apart across seeds."""
    rnd = random.Random(seed)
    w, h = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    a, b = [tuple(rnd.randrange(256) for _ in range(3)) for _ in range(2)]
    for y in range(h):
        t = y / h
        draw.line([(0, y), (w, y)], fill=tuple(int(a[i] * (1 - t) + b[i] * t) for i in range(3)))
    for _ in range(12):
        x0, y0 = rnd.randrange(w), rnd.randrange(h)
        x1, y1 = x0 + rnd.randrange(w // 8, w // 2), y0 + rnd.randrange(h // 8, h // 2)
        color = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)([x0, y0, x1, y1], fill=color)
    out = io.BytesIO()
    kwargs = {"quality": quality} if fmt == "JPEG" else {}
    if exif_gps and fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "SpyCam"  # Make
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 31.0, 12.0), "E", (13.0, 24.0, 36.0)
        kwargs["exif"] = exif
    img.save(out, format=fmt, **kwargs)
    return out.getvalue()


def resized_copy(data: bytes, scale=0.55, quality=55) -> bytes:
    """What a scraper or ad tool does to a photo: downscale and re-compress."""
    img = Image.open(io.BytesIO(data)).convert("RGB")
    img = img.resize((int(img.width * scale), int(img.height * scale)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def upload(data: bytes, name="evidence.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def minimal_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def add_reference_photo(talent, data: bytes):
    from registry.talent.models import ReferenceMedia

    processed = process_image(upload(data, "ref.jpg"))
    media = ReferenceMedia(
        talent=talent,
        kind=ReferenceMedia.Kind.PHOTO,
        mime=processed.mime,
        size=len(processed.original),
        width=processed.width,
        height=processed.height,
        sha256=processed.sha256,
        phash=processed.phash,
        original_name="ref.jpg",
    )
    media.original.save("ref.jpg", ContentFile(processed.original), save=False)
    media.display.save("ref.jpg", processed.display, save=False)
    media.thumbnail.save("ref.jpg", processed.thumbnail, save=False)
    media.save()
    return media


def file_report(capture, *, files=(), reporter=None, **fields) -> tuple[MisuseReport, str]:
    """File a report through the service and run its enrichment (after-commit callbacks executed)."""
    data = {"description": "An AI-generated ad uses her face.", "relationship": "fan", **fields}
    with capture(execute=True):
        report, code = intake.file_report(intake.ReportInput(**data), list(files), actor=reporter)
    report.refresh_from_db()
    return report, code
