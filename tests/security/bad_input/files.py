"""Hostile files: HTML and SVG posing as images, decompression-bomb headers, polyglots, empty files."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def upload_file(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_bytes(size=(48, 32), color=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


def png_bytes(size=(40, 40), color=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny valid PNG whose IHDR claims width×height pixels (CRC fixed): a decompression bomb header."""
    data = bytearray(png_bytes((1, 1)))
    # Signature (8) + length (4) + b"IHDR" (4), then width and height, then 5 bytes, then the CRC.
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return bytes(data)


def jpeg_declaring(width: int, height: int) -> bytes:
    """A tiny baseline JPEG whose SOF0 header claims width×height pixels."""
    data = bytearray(jpeg_bytes((8, 8)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def minimal_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("index.html", "<script>alert(1)</script>")
        z.writestr("Exploit.class", b"\xca\xfe\xba\xbe")
    return out.getvalue()


HTML_FILE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_FILE = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)
NOT_READABLE = "not a readable JPEG, PNG or WebP image"

# name, bytes (built lazily), content type the browser claims, what the refusal says.
REFUSED_IMAGES = {
    "html": ("photo.html", lambda: HTML_FILE, "text/html", NOT_READABLE),
    "html-named-jpg": ("photo.jpg", lambda: HTML_FILE, "image/jpeg", NOT_READABLE),
    "svg-with-script": ("logo.svg", lambda: SVG_FILE, "image/svg+xml", NOT_READABLE),
    "gif-header-html": ("x.gif", lambda: b"GIF89a" + HTML_FILE, "image/gif", "not"),
    "jpeg-magic-garbage": (
        "x.jpg",
        lambda: b"\xff\xd8\xff\xe0" + b"\x13\x37" * 400,
        "image/jpeg",
        NOT_READABLE,
    ),
    "bomb-49-megapixels": ("bomb.png", lambda: png_declaring(7000, 7000), "image/png", "pixels"),
    "bomb-2500-megapixels": ("bomb.png", lambda: png_declaring(50000, 50000), "image/png", "too"),
    "jpeg-bomb-65535-squared": ("bomb.jpg", lambda: jpeg_declaring(65535, 65535), "image/jpeg", "too"),
    "zero-bytes": ("empty.jpg", lambda: b"", "image/jpeg", "empty"),
}


@contextmanager
def bombs_expected():
    """Pillow warns about the 49-megapixel header before our own limit refuses it: expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
