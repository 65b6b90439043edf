"""Read our PDFs with poppler's command-line tools (pdfinfo, pdftotext), as a reader or archive would."""

import html
import re
import subprocess
import zlib
from pathlib import Path

PDFINFO = "/usr/bin/pdfinfo"
PDFTOTEXT = "/usr/bin/pdftotext"


def _run(tool: str, pdf: bytes, *args: str, tmp: Path) -> str:
    path = tmp / "document.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [tool, *args, str(path), *(["-"] if tool == PDFTOTEXT else [])],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def pdfinfo(pdf: bytes, tmp: Path) -> dict[str, str]:
    """pdfinfo's fields (Title, Author, CreationDate, Tagged, PDF version, …) and `xmp`: the XMP packet."""
    fields = {}
    for line in _run(PDFINFO, pdf, "-isodates", tmp=tmp).splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    fields["xmp"] = _run(PDFINFO, pdf, "-meta", tmp=tmp)
    return fields


def pdftext(pdf: bytes, tmp: Path) -> str:
    return _run(PDFTOTEXT, pdf, "-enc", "UTF-8", tmp=tmp)


def assert_archival(pdf: bytes, tmp: Path, *, title: str, author: str) -> dict[str, str]:
    """PDF/A-3b with Title, Author, CreationDate, language and tags, as pdfinfo reports them."""
    info = pdfinfo(pdf, tmp)
    assert info["Title"] == title, info
    assert info["Author"] == author, info
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d(:?\d\d)?)", info["CreationDate"]), info
    assert info["Tagged"] == "yes", info
    assert info["PDF version"] == "1.7", info
    xmp = info["xmp"]
    assert re.search(r"pdfaid:part(=\"|>)3", xmp), xmp
    assert re.search(r"pdfaid:conformance(=\"|>)B", xmp), xmp
    assert title in html.unescape(xmp) and author in html.unescape(xmp) and "xmp:CreateDate" in xmp, xmp
    assert set(document_languages(pdf)) == {"en"}
    assert b"/OutputIntents" in pdf or b"/GTS_PDFA1" in b"".join(_streams(pdf))  # sRGB output intent
    return info


def _streams(pdf: bytes) -> list[bytes]:
    """The PDF's objects, including those WeasyPrint compresses into object streams."""
    found = [pdf]
    for match in re.finditer(rb"(?<!end)stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return found


def document_languages(pdf: bytes) -> list[str]:
    """The catalog's /Lang (the document language readers and screen readers use)."""
    return [m.decode() for chunk in _streams(pdf) for m in re.findall(rb"/Lang\s*\(([^)]*)\)", chunk)]


def has_whole_hash(text: str, digest: str) -> bool:
    """The 64 hex digits appear on one line, unbroken."""
    return any(digest in line for line in text.splitlines())
