"""Talent test helpers: private storage in a temporary directory, image and audio files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from registry.core.uploads import private_storage


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    """Reference media go to a per-test directory (never the developer's ./media)."""
    settings.MEDIA_ROOT = str(tmp_path)
    old = private_storage._location
    private_storage._location = str(tmp_path / "private")
    for attr in ("base_location", "location"):
        private_storage.__dict__.pop(attr, None)
    yield tmp_path / "private"
    private_storage._location = old
    for attr in ("base_location", "location"):
        private_storage.__dict__.pop(attr, None)


GPS_LATITUDE = ((40, 1), (26, 1), (46, 1))


def jpeg_with_gps(size=(64, 48), color=(200, 40, 40)) -> bytes:
    """A JPEG whose EXIF carries a GPS position and a camera model."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x0110] = "Test Camera"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (40.0, 26.0, 46.0)
    gps[3] = "W"
    gps[4] = (79.0, 58.0, 56.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 0)).save(out, format="GIF")
    return out.getvalue()


def wav_bytes() -> bytes:
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 800)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
