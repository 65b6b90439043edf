"""Hostile input: stored XSS in every free-text field, malicious uploads, malformed API bodies, CSV formulas.

Each test feeds the registry what an attacker would send and asserts what must hold: text is shown escaped
(never as markup), bad files are refused with a clear message and leave nothing behind, the API answers a
4xx in its one error format (never a 500), and exports cannot run spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json
import struct
import warnings
import zipfile
import zlib
from contextlib import contextmanager
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from registry.brands import services as brand_services
from registry.brands.models import Organization, PermissionCheck
from registry.cases import notices, workflow
from registry.cases import services as case_services
from registry.cases.models import Case, Evidence, MisuseReport, NoticeTemplate
from registry.consent import drafts, signing
from registry.licensing import requests as license_requests
from registry.talent.models import ReferenceMedia, TalentProfile
from tests.brands.helpers import bearer, key_from_command
from tests.factories import ADVERTISING_ALLOW, TalentFactory

pytestmark = pytest.mark.django_db


# --- stored XSS -------------------------------------------------------------------------------------------


def xss(tag: str) -> str:
    """A payload that breaks out of attributes and text: a script, an event handler, both quote kinds."""
    return f"\"'><script>alert({tag})</script><img src=x onerror=alert({tag})>"


def escaped(tag: str) -> str:
    return f"&lt;script&gt;alert({tag})&lt;/script&gt;"


class _Markup(HTMLParser):
    """Collects what a browser would execute: inline script bodies and on* event-handler attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_script = False
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str, str]] = []
        self.bad_urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append((tag, name, value or ""))
            if name.lower() in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.bad_urls.append(value)
        if tag == "script":
            self.in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1] += data


def assert_no_markup_injected(html: str, where: str) -> None:
    assert "<script>alert(" not in html, f"raw script payload on {where}"
    parser = _Markup()
    parser.feed(html)
    assert not parser.handlers, f"event handler attributes on {where}: {parser.handlers[:3]}"
    inline = [s for s in parser.scripts if s.strip()]
    assert not inline, f"inline script on {where}: {inline[:2]}"
    assert not parser.bad_urls, f"javascript: URL on {where}: {parser.bad_urls[:2]}"


def page(client, url: str, *tags: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    html = response.content.decode()
    assert_no_markup_injected(html, url)
    for tag in tags:
        assert escaped(tag) in html, f"{url} does not show field {tag!r} (escaped)"
    return html


class _PdfSpy:
    """Records the HTML that WeasyPrint turns into a PDF (the real renderer still runs)."""

    def __init__(self, monkeypatch):
        import weasyprint

        self.html: list[str] = []
        real = weasyprint.HTML
        spy = self

        def recording(*args, **kwargs):
            spy.html.append(kwargs.get("string") or "")
            return real(*args, **kwargs)

        monkeypatch.setattr(weasyprint, "HTML", recording)


@pytest.fixture
def pdf_spy(monkeypatch):
    return _PdfSpy(monkeypatch)


@pytest.fixture
def hostile_world(client, talent_user, brand_user, staff_user, pdf_spy, django_capture_on_commit_callbacks):
    """Every free-text field a user can fill, filled with a payload (one tag per field), through the
    pages and services people use."""
    # Talent: profile through the web form, a reference photo with a caption.
    client.force_login(talent_user)
    response = client.post(
        "/talent/me/create/",
        {
            "stage_name": xss("stage"),
            "disciplines": ["model"],
            "representation": xss("rep"),
            "bio": xss("bio"),
            "legal_name": "Ana Legal",
            "date_of_birth": "1990-01-01",
            "email": "ana@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    talent = TalentProfile.objects.get(user=talent_user)
    response = client.post(
        "/talent/me/media/",
        {"kind": "photo", "caption": xss("caption"), "file": _upload("me.jpg", jpeg_bytes())},
    )
    assert response.status_code == 302
    # Terms with a separate replica consent (description, duration, pay, represented by), signed personally.
    uses = {
        "advertising": ADVERTISING_ALLOW,
        "replica_creation": {
            "decision": "allow",
            "modalities": ["image"],
            "territories": ["worldwide"],
            "channels": ["online"],
            "consent_description": xss("cdesc") + " a digital double for the spring campaign online only",
            "consent_duration": xss("cdur"),
            "consent_pay": xss("cpay"),
            "represented_by": xss("crep"),
        },
    }
    draft = drafts.create_draft(
        talent=talent, effective_from=timezone.localdate(), uses=uses, actor=talent_user
    )
    version = signing.sign_version(
        draft,
        signing.SignatureContext(
            actor=talent_user, signed_as="talent", signer_name="Ana Legal", ip="127.0.0.1"
        ),
    )
    # A brand whose organization name is a payload checks the talent and asks for a license.
    organization = brand_services.create_organization(name=xss("org"), owner=brand_user)
    brand_services.run_check(
        {"talent": talent.registry_id, "use": "advertising", "modality": "image", "territory": "US"}
        | {"channel": "online"},
        organization=organization,
        api_key=None,
        user=brand_user,
        source=PermissionCheck.Source.WEB,
    )
    brand_services.run_check(
        {"talent": "<script>alert(chk)</script>", "use": "advertising", "modality": "image"}
        | {"territory": "US", "channel": "online"},
        organization=organization,
        api_key=None,
        user=brand_user,
        source=PermissionCheck.Source.WEB,
    )
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        license_request = license_requests.request_license(
            organization=organization,
            actor=brand_user,
            talent_registry_id=talent.registry_id,
            data={
                "use": "advertising",
                "modalities": ["image"],
                "territories": ["US"],
                "channels": ["online"],
                "valid_from": today.isoformat(),
                "valid_until": (today + timedelta(days=90)).isoformat(),
                "fee": {"amount": "3000.00", "currency": "USD"},
                "product_category": "apparel",
                "description": xss("lrdesc") + " Spring denim campaign: studio photos for the online shop "
                "and social channels in the United States.",
                "message": xss("lrmsg"),
            },
        )
        license_requests.counter(
            request_id=license_request.pk,
            actor=talent_user,
            data={"fee": {"amount": "5000.00", "currency": "USD"}},
            message=xss("counter"),
        )
        license_requests.accept(request_id=license_request.pk, actor=brand_user, organization=organization)
    license_request.refresh_from_db()
    license = license_request.license
    # A public misuse report through the web form, every free-text field a payload.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cases/report/",
            {
                "urls": "https://example.com/ad?x=\"'><script>alert(url)</script><img/src=x/onerror=alert(url)>",
                "talent": xss("rtalent"),
                "organization": xss("rorg"),
                "description": xss("rdesc") + " an AI ad with her face",
                "relationship": "fan",
                "reporter_name": xss("rname")[:150],
                "reporter_email": "pat@example.org",
                "website": "",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    code = client.get("/cases/report/filed/").context["code"]
    case = Case.objects.get()
    # Staff write a note and a message on the web, and send a notice to a payload-named recipient.
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staff/cases/{case.pk}/note/", {"body": xss("note")}).status_code == 302
        assert client.post(f"/staff/cases/{case.pk}/message/", {"body": xss("msg")}).status_code == 302
        case.refresh_from_db()
        for to in ("triage", "investigating"):
            case = workflow.transition(case.pk, to=to, actor=staff_user, version=case.version)
        notice = notices.send_notice(
            case.pk,
            actor=staff_user,
            version=case.version,
            template_id=NoticeTemplate.objects.get(kind="takedown").pk,
            recipient_name=xss("recipient"),
            recipient_email="legal@platform.example",
        )
    client.logout()
    return {
        "talent": talent,
        "version": version,
        "organization": organization,
        "license_request": license_request,
        "license": license,
        "code": code,
        "case": case,
        "notice": notice,
    }


def test_stored_xss_is_escaped_on_every_page(
    client, hostile_world, talent_user, brand_user, staff_user, supervisor_user, pdf_spy
):
    w = hostile_world
    rid = w["talent"].registry_id
    lr, lic = w["license_request"], w["license"]

    # The public: registry search (also a reflected query), profile, terms, license verification, tracking.
    page(client, "/talent/?q=" + xss("q"), "q")
    page(client, "/talent/", "stage")
    page(client, f"/talent/{rid}/", "stage", "bio", "rep")
    page(client, f"/terms/policy/{rid}/", "stage")
    page(client, f"/licenses/{lic.license_id}/verify/", "stage", "org")
    page(client, f"/cases/track/{w['code']}/", "msg", "url")
    api = client.get(f"/api/v1/talent/{rid}/").json()
    assert api["stage_name"] == xss("stage")  # JSON carries the text as data, unchanged
    track = client.get(f"/api/v1/reports/track/{w['code']}/")
    assert track["Content-Type"].startswith("application/json")
    assert track.json()["messages"][0]["body"] == xss("msg")

    # The talent: dashboard (media caption, who checked, requests), the request thread, terms, license.
    client.force_login(talent_user)
    page(client, "/talent/me/", "stage", "caption", "org")
    page(client, "/licenses/requests/", "org")
    page(client, f"/licenses/requests/{lr.pk}/", "org", "lrdesc", "lrmsg", "counter")
    page(client, f"/licenses/{lic.license_id}/", "org", "lrdesc")
    page(client, f"/terms/{rid}/", "stage")
    page(client, f"/terms/{rid}/versions/{w['version'].number}/", "cdesc", "cdur", "cpay", "crep")
    page(client, "/talent/me/edit/", "stage", "bio", "rep")
    receipt = client.get(f"/terms/{rid}/versions/{w['version'].number}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    assert_no_markup_injected(pdf_spy.html[-1], "receipt PDF")
    assert escaped("cdesc") in pdf_spy.html[-1]

    # The brand: workspace, check history (a payload as a talent ID), requests, license, certificate.
    client.force_login(brand_user)
    page(client, "/brands/", "org")
    page(client, "/brands/checks/", "chk")
    page(client, "/licenses/requests/", "stage")
    page(client, f"/licenses/requests/{lr.pk}/", "stage", "lrdesc", "lrmsg", "counter")
    page(client, "/licenses/", "stage")
    certificate = client.get(f"/licenses/{lic.license_id}/certificate.json")
    assert certificate["Content-Type"].startswith("application/json")
    payload = json.loads(certificate.content)["payload"]
    assert payload["organization"] == xss("org") and payload["talent"]["stage_name"] == xss("stage")
    pdf = client.get(f"/licenses/{lic.license_id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert_no_markup_injected(pdf_spy.html[-1], "certificate PDF")
    assert escaped("stage") in pdf_spy.html[-1] and escaped("org") in pdf_spy.html[-1]
    page(client, "/cases/report/")

    # Staff: queue, case page (report text, note, message, notice recipient), dashboard, talent, brands.
    client.force_login(staff_user)
    case = w["case"]
    page(client, "/staff/cases/", "rtalent")
    page(client, "/staff/cases/?q=" + xss("sq"), "sq")
    page(
        client,
        f"/staff/cases/{case.pk}/",
        "rdesc",
        "rtalent",
        "rorg",
        "url",
        "note",
        "msg",
        "recipient",
    )
    page(client, "/staff/cases/dashboard/")
    page(client, f"/staff/talent/{rid}/", "stage", "rep", "caption")
    page(client, "/staff/talent/?q=stage", "stage")
    page(client, "/staff/brands/", "org")
    page(client, "/staff/licenses/", "stage", "org")
    notice_html = [h for h in pdf_spy.html if escaped("recipient") in h]
    assert notice_html, "the notice PDF layout does not show the recipient escaped"
    for html in pdf_spy.html:
        assert_no_markup_injected(html, "a generated PDF")
    # A supervisor's export and the case API carry the text as data.
    client.force_login(supervisor_user)
    api_case = client.get(f"/api/v1/cases/{case.pk}/")
    assert api_case.status_code == 200 and api_case["Content-Type"].startswith("application/json")


def test_javascript_urls_are_refused_as_organization_websites(client, brand_user, staff_user):
    """An organization's website becomes a link on staff pages: only http(s) is accepted."""
    client.force_login(brand_user)
    for website in ("javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>"):
        response = client.post("/brands/", {"name": "Acme Apparel", "kind": "brand", "website": website})
        assert response.status_code == 200 and Organization.objects.count() == 0
        assert_no_markup_injected(response.content.decode(), "the organization form")
    assert (
        client.post(
            "/brands/", {"name": xss("o"), "kind": "brand", "website": "https://acme.example"}
        ).status_code
        == 302
    )
    client.force_login(staff_user)
    page(client, "/staff/brands/", "o")


def test_the_markup_check_catches_an_unescaped_payload():
    """The checker above is what the XSS test relies on: it must fail on real injection."""
    for html in (
        f"<p>{xss('a')}</p>",
        '<input value="x" onfocus="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "<div><script>steal()</script></div>",
    ):
        with pytest.raises(AssertionError):
            assert_no_markup_injected(html, "sample")
    assert_no_markup_injected(f'<p>{escaped("a")}</p><script src="/static/js/app.js"></script>', "ok")


def test_report_form_re_renders_hostile_input_escaped(client):
    data = {
        "urls": "javascript:alert(document.cookie)",
        "talent": xss("ftalent"),
        "organization": xss("forg"),
        "description": xss("fdesc") + " a fake ad",
        "relationship": "fan",
        "reporter_name": xss("fname"),
        "website": "",
    }
    response = client.post("/cases/report/", data)
    html = response.content.decode()
    assert response.status_code == 400 and MisuseReport.objects.count() == 0
    assert "is not a web address" in html  # javascript: URLs never become links
    assert_no_markup_injected(html, "the re-rendered report form")
    for tag in ("ftalent", "forg", "fdesc", "fname"):
        assert escaped(tag) in html, f"{tag} was not kept (escaped) in the form"


# --- uploads ----------------------------------------------------------------------------------------------


def _upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
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


@pytest.fixture
def talent_client(client, talent_user):
    TalentFactory(user=talent_user, stage_name="Ana Reyes")
    client.force_login(talent_user)
    return client


@pytest.mark.parametrize("case", [*REFUSED_IMAGES, "pdf-named-jpg", "oversize"])
def test_reference_media_refuses_hostile_files_and_keeps_the_caption(talent_client, case):
    if case == "pdf-named-jpg":
        name, data, ctype, message = "photo.jpg", minimal_pdf(), "image/jpeg", NOT_READABLE
    elif case == "oversize":
        data = jpeg_bytes()
        data += b"\0" * (15 * 1024 * 1024 + 1 - len(data))
        name, ctype, message = "huge.jpg", "image/jpeg", "too large"
    else:
        name, make, ctype, message = REFUSED_IMAGES[case]
        data = make()
    with bombs_expected():
        response = talent_client.post(
            "/talent/me/media/",
            {"kind": "photo", "caption": "Headshot, studio light", "file": _upload(name, data, ctype)},
        )
    assert response.status_code == 400
    errors = " ".join(response.context["media_form"].errors.get("file", []))
    assert message.lower() in errors.lower(), errors
    assert 'value="Headshot, studio light"' in response.content.decode()
    assert ReferenceMedia.objects.count() == 0
    assert media_files() == []


def test_reference_media_voice_sample_must_be_audio(talent_client):
    for name, data in (("voice.mp3", HTML_FILE), ("voice.wav", jpeg_bytes())):
        response = talent_client.post(
            "/talent/me/media/", {"kind": "voice", "file": _upload(name, data, "audio/mpeg")}
        )
        assert response.status_code == 400
        assert "Only WAV, MP3 or Ogg audio" in " ".join(response.context["media_form"].errors["file"])
    assert ReferenceMedia.objects.count() == 0 and media_files() == []


def test_reference_media_accepts_png_named_jpg_by_content(talent_client):
    response = talent_client.post(
        "/talent/me/media/", {"kind": "photo", "file": _upload("photo.jpg", png_bytes(), "image/jpeg")}
    )
    assert response.status_code == 302
    media = ReferenceMedia.objects.get()
    assert media.mime == "image/png"  # the content decides, not the name
    assert len(media_files()) == 3  # original, display copy, thumbnail (so the empty checks above mean it)


@pytest.mark.parametrize(
    "tail",
    [b"<script>alert(document.cookie)</script><html><body onload=alert(1)>", zip_bytes()],
    ids=["jpeg+html", "jpeg+zip (GIFAR-like)"],
)
def test_polyglot_photo_is_kept_as_evidence_but_shown_only_as_a_clean_re_encoding(
    talent_client, talent_user, tail
):
    """Decision: a decodable JPEG with a payload appended is accepted — the original is kept byte for byte
    (chain of custody) and only ever downloaded as an attachment, typed image/jpeg with nosniff; what pages
    show is a display copy re-encoded from pixels, which carries none of the appended bytes."""
    data = jpeg_bytes() + tail
    response = talent_client.post(
        "/talent/me/media/", {"kind": "photo", "file": _upload("p.jpg", data, "image/jpeg")}
    )
    assert response.status_code == 302
    media = ReferenceMedia.objects.get()
    assert media.mime == "image/jpeg"
    for variant in ("display", "thumbnail"):
        shown = talent_client.get(f"/talent/media/{media.pk}/{variant}/")
        body = b"".join(shown.streaming_content)
        assert shown["Content-Type"] == "image/jpeg" and shown["X-Content-Type-Options"] == "nosniff"
        assert b"<script" not in body and b"PK\x03\x04" not in body
        Image.open(io.BytesIO(body)).verify()
    original = talent_client.get(f"/talent/media/{media.pk}/original/")
    assert b"".join(original.streaming_content) == data
    assert original["Content-Disposition"].startswith("attachment")
    assert original["Content-Type"] == "image/jpeg" and original["X-Content-Type-Options"] == "nosniff"


REPORT = {
    "talent": "Ana Reyes",
    "organization": "Shady Skincare",
    "description": "An ad for face cream uses an AI version of her face.",
    "relationship": "fan",
    "reporter_name": "Pat Public",
    "website": "",
}


def _evidence_case(case: str) -> tuple[str, bytes, str, str]:
    if case == "oversize":
        data = jpeg_bytes()
        return "huge.jpg", data + b"\0" * (10 * 1024 * 1024 + 1 - len(data)), "image/jpeg", "too large"
    name, make, ctype, message = REFUSED_IMAGES[case]
    return name, make(), ctype, message


@pytest.mark.parametrize("case", [*REFUSED_IMAGES, "oversize"])
def test_report_form_refuses_hostile_evidence_and_keeps_what_was_typed(client, case):
    name, data, ctype, message = _evidence_case(case)
    with bombs_expected():
        response = client.post("/cases/report/", {**REPORT, "evidence": [_upload(name, data, ctype)]})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get("evidence", []))
    assert message.lower() in errors.lower(), errors
    html = response.content.decode()
    assert REPORT["description"] in html and 'value="Pat Public"' in html and 'value="Shady Skincare"' in html
    assert "please attach your files again" in html
    assert MisuseReport.objects.count() == 0 and Evidence.objects.count() == 0 and Case.objects.count() == 0
    assert media_files() == []


def test_one_bad_file_among_good_ones_saves_nothing(client):
    files = [_upload("ok.jpg", jpeg_bytes()), _upload("ok.png", png_bytes()), _upload("x.svg", SVG_FILE)]
    response = client.post("/cases/report/", {**REPORT, "evidence": files})
    assert response.status_code == 400 and "x.svg" in " ".join(response.context["form"].errors["evidence"])
    assert MisuseReport.objects.count() == 0 and Evidence.objects.count() == 0 and media_files() == []


@pytest.mark.parametrize("case", [*REFUSED_IMAGES, "oversize"])
def test_api_report_refuses_hostile_evidence_in_the_error_format(api_client, case):
    name, data, ctype, message = _evidence_case(case)
    with bombs_expected():
        response = api_client.post(
            "/api/v1/reports/",
            {**{k: v for k, v in REPORT.items() if k != "website"}, "evidence": [_upload(name, data, ctype)]},
            format="multipart",
        )
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert set(body) == {"code", "detail", "fields"} and body["code"] == "invalid"
    assert message.lower() in json.dumps(body["fields"]["evidence"]).lower(), body
    assert MisuseReport.objects.count() == 0 and Evidence.objects.count() == 0 and media_files() == []


def test_evidence_type_follows_content_not_name(client, api_client, django_capture_on_commit_callbacks):
    """Decision: evidence may be an image or a PDF, told apart by content. A PNG named .jpg is stored as PNG;
    a PDF named photo.jpg is stored (and later served) as a PDF, never as an image."""
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/reports/",
            {
                **{k: v for k, v in REPORT.items() if k != "website"},
                "evidence": [
                    _upload("shot.jpg", png_bytes(), "image/jpeg"),
                    _upload("photo.jpg", minimal_pdf(), "image/jpeg"),
                ],
            },
            format="multipart",
        )
    assert response.status_code == 201, response.json()
    kinds = sorted(Evidence.objects.values_list("original_name", "kind", "mime"))
    assert kinds == [("photo.jpg", "pdf", "application/pdf"), ("shot.jpg", "image", "image/png")]
    pdf = Evidence.objects.get(kind="pdf")
    assert not pdf.display and not pdf.thumbnail  # nothing of it is shown inline as an image


# --- API bad input ----------------------------------------------------------------------------------------


def assert_api_error(response, status: int | tuple = 400, code: str | None = None) -> dict:
    """A 4xx in the one error format: {"code", "detail", "fields"}, as JSON."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}, body
    assert (
        isinstance(body["code"], str) and body["code"] and isinstance(body["detail"], str) and body["detail"]
    )
    assert isinstance(body["fields"], dict)
    if code is not None:
        assert body["code"] == code, body
    return body


def _check(rid: str, **overrides) -> dict:
    return {
        "talent": rid,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
    } | (overrides)


def _license_body(rid: str, **overrides) -> dict:
    today = timezone.localdate()
    return {
        "talent": rid,
        "use": "advertising",
        "modalities": ["image"],
        "territories": ["US"],
        "channels": ["online"],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
        "fee": {"amount": "3000.00", "currency": "USD"},
        "product_category": "apparel",
        "description": "Spring denim campaign: studio photos for the online shop and social channels "
        "in the US.",
    } | overrides


class Api:
    """An API world: a talent with an account, a brand with a key, a pending license request, a case."""

    def __init__(self, client, talent_user, brand_user, staff_user, capture):
        self.client = client
        self.talent_user, self.brand_user, self.staff_user = talent_user, brand_user, staff_user
        self.talent = TalentFactory(user=talent_user, stage_name="Ana Reyes")
        self.rid = self.talent.registry_id
        self.organization = brand_services.create_organization(name="Acme Apparel", owner=brand_user)
        self.key = key_from_command("Acme Apparel", scopes="check,licenses,reports")
        with capture(execute=True):
            self.request = license_requests.request_license(
                organization=self.organization,
                actor=brand_user,
                talent_registry_id=self.rid,
                data=_license_body(self.rid),
            )
            report, _ = case_services.file_report(
                case_services.ReportInput(
                    description="An AI ad with her face.", relationship="fan", urls=["https://e.com/ad"]
                )
            )
        report.refresh_from_db()
        self.case = report.case

    def call(self, method: str, url: str, who: str, body, *, raw: bool = False, content_type=None):
        self.client.logout()
        headers = {}
        if who == "brand":
            headers = bearer(self.key)
        elif who in ("talent", "staff"):
            self.client.force_login(self.talent_user if who == "talent" else self.staff_user)
        if raw:
            return getattr(self.client, method)(
                url, data=body, content_type=content_type or "application/json", **headers
            )
        return getattr(self.client, method)(url, body, format="json", **headers)

    def endpoints(self) -> list[tuple[str, str, str]]:
        lr, case = self.request.pk, self.case.pk
        return [
            ("post", "/api/v1/permissions/check/", "brand"),
            ("post", "/api/v1/permissions/check/bulk/", "brand"),
            ("post", "/api/v1/license-requests/", "brand"),
            ("post", f"/api/v1/license-requests/{lr}/approve/", "talent"),
            ("post", f"/api/v1/license-requests/{lr}/decline/", "talent"),
            ("post", f"/api/v1/license-requests/{lr}/counter/", "talent"),
            ("post", "/api/v1/reports/", "anon"),
            ("patch", f"/api/v1/cases/{case}/", "staff"),
            ("post", f"/api/v1/cases/{case}/transition/", "staff"),
        ]

    def state(self) -> tuple:
        """Everything a refused call must leave untouched."""
        self.request.refresh_from_db()
        self.case.refresh_from_db()
        return (
            PermissionCheck.objects.count(),
            type(self.request).objects.count(),
            self.request.status,
            self.request.fee_amount,
            MisuseReport.objects.count(),
            self.case.version,
            self.case.status,
        )


@pytest.fixture
def api(api_client, talent_user, brand_user, staff_user, django_capture_on_commit_callbacks, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "reports": "10000/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    return Api(api_client, talent_user, brand_user, staff_user, django_capture_on_commit_callbacks)


BAD_BODIES = {
    "malformed JSON": ('{"talent": "TR-', "parse_error"),
    "truncated": ('{"checks": [{"talent": ', "parse_error"),
    "NaN": ('{"talent": NaN}', "parse_error"),
    "invalid UTF-8": (b'{"talent": "\xff\xfe"}', "parse_error"),
    "nested 50,000 deep": ("[" * 50000 + "]" * 50000, "parse_error"),
    "NUL in a string": (
        '{"talent": "TR-\\u0000", "message": "a\\u0000b", "description": "x\\u0000"}',
        "parse_error",
    ),
    "a list": ("[1, 2]", "invalid"),
    "a string": ('"approve"', "invalid"),
    "a number": ("42", "invalid"),
    "null": ("null", "invalid"),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_bad_bodies_get_a_400_in_the_error_format_and_change_nothing(api, name):
    body, code = BAD_BODIES[name]
    before = api.state()
    for method, url, who in api.endpoints():
        response = api.call(method, url, who, body, raw=True)
        assert_api_error(response, 400, code)
    assert api.state() == before


def test_wrong_content_type_is_415_in_the_error_format(api):
    before = api.state()
    for method, url, who in api.endpoints():
        for content_type, body in (("text/plain", "talent=x"), ("application/xml", "<check talent='x'/>")):
            response = api.call(method, url, who, body, raw=True, content_type=content_type)
            assert_api_error(response, 415, "unsupported_media_type")
    assert api.state() == before


# Per endpoint: a valid body, and the type of each field (wrong values are derived from the type).
def _typed_fields(api) -> list[tuple[str, str, str, dict, dict]]:
    version = api.case.version
    return [
        (
            "post",
            "/api/v1/permissions/check/",
            "brand",
            _check(api.rid),
            dict.fromkeys(
                ("talent", "use", "modality", "territory", "channel", "date", "product_category"), "str"
            ),
        ),
        (
            "post",
            "/api/v1/license-requests/",
            "brand",
            _license_body(api.rid),
            {
                "talent": "str",
                "use": "str",
                "modalities": "list",
                "territories": "list",
                "channels": "list",
                "valid_from": "date",
                "valid_until": "date",
                "fee": "obj",
                "product_category": "str",
                "description": "str",
                "message": "str",
            },
        ),
        (
            "post",
            f"/api/v1/license-requests/{api.request.pk}/counter/",
            "talent",
            {"fee": {"amount": "5000.00", "currency": "USD"}},
            {"fee": "obj", "valid_until": "date", "modalities": "list", "message": "str"},
        ),
        ("post", f"/api/v1/license-requests/{api.request.pk}/decline/", "talent", {}, {"message": "str"}),
        ("post", f"/api/v1/license-requests/{api.request.pk}/approve/", "talent", {}, {"message": "str"}),
        (
            "post",
            "/api/v1/reports/",
            "anon",
            {"description": "An AI ad with her face.", "relationship": "fan", "urls": ["https://e.com/x"]},
            {
                "urls": "list",
                "platform": "str",
                "seen_on": "date",
                "talent": "str",
                "organization": "str",
                "use": "str",
                "territory": "str",
                "description": "str",
                "sensitive": "bool",
                "relationship": "str",
                "reporter_name": "str",
                "reporter_email": "str",
            },
        ),
        (
            "patch",
            f"/api/v1/cases/{api.case.pk}/",
            "staff",
            {"version": version, "priority": "high"},
            {
                "version": "int",
                "priority": "str",
                "assignee": "int",
                "confidential": "bool",
                "summary": "str",
                "talent": "str",
                "organization": "str",
                "use": "str",
                "platform": "str",
                "seen_on": "date",
            },
        ),
        (
            "post",
            f"/api/v1/cases/{api.case.pk}/transition/",
            "staff",
            {"to": "triage", "version": version},
            {
                "to": "str",
                "version": "int",
                "reason": "str",
                "outcome": "str",
                "outcome_note": "str",
                "license_request": "int",
            },
        ),
    ]


LONG_WORDS = "Spring denim campaign: studio photos for the online shop and social channels in the US."

WRONG = {
    "str": [{"a": 1}, ["x"], True, [LONG_WORDS]],  # a list of long text must not pass as its repr
    "list": [{"a": 1}, 7, True, [{"a": 1}], [["x"]]],
    "date": [{"a": 1}, ["2026-01-01"], True, "2026-13-45"],
    "bool": [{"a": 1}, ["x"], "perhaps"],
    "int": [{"a": 1}, ["1"], "one", True, 10**30],
    "obj": ["lots", ["5000", "USD"], 5000, {"amount": {"x": 1}, "currency": "USD"}],
}


def test_wrong_json_types_are_refused_field_by_field(api):
    """An object, a list or a boolean where the field wants something else: a 400 naming the problem, and
    nothing changes — never a 500, never a value quietly turned into its Python repr."""
    before = api.state()
    for method, url, who, valid, fields in _typed_fields(api):
        for field, kind in fields.items():
            for wrong in WRONG[kind]:
                response = api.call(method, url, who, {**valid, field: wrong})
                # A version that is a number but not the case's (10**30) is a stale-version conflict.
                expected = (400, 409) if field == "version" else (400,)
                assert response.status_code in expected, (url, field, wrong, response.content[:200])
                assert_api_error(response, expected)
                assert api.state() == before, (url, field, wrong)


def test_wrong_types_inside_bulk_checks_are_per_item_errors(api):
    checks = [_check(api.rid), 5, [1], None, _check(api.rid, use={"a": 1}), _check(api.rid, talent=["TR"])]
    response = api.call("post", "/api/v1/permissions/check/bulk/", "brand", {"checks": checks})
    assert response.status_code == 200
    results = response.json()["results"]
    assert "decision" in results[0]
    for result in results[1:]:
        assert result["error"]["code"] == "invalid" and set(result["error"]) == {"code", "detail", "fields"}
    assert PermissionCheck.objects.count() == 1
    for wrong in ("x", {"a": 1}, 5, None):
        assert_api_error(api.call("post", "/api/v1/permissions/check/bulk/", "brand", {"checks": wrong}))


def test_unknown_fields_are_ignored_and_never_set_server_state(api):
    """Decision: unknown fields are ignored (clients may be newer than the server), consistently on every
    endpoint — and fields that name server-controlled state (status, organization, decision, tracking code,
    outcome…) are unknown to the input shapes, so they cannot be mass-assigned."""
    other = Organization.objects.create(name="Other Org")
    extra = {"foo": 1, "status": "approved", "decision": "permitted", "organization": other.pk, "id": 999}

    response = api.call("post", "/api/v1/permissions/check/", "brand", _check(api.rid) | extra)
    assert response.status_code == 200 and response.json()["decision"] == "license_required"
    assert PermissionCheck.objects.get().organization == api.organization

    body = _license_body(api.rid) | extra | {"license_id": "L-FAKE", "requested_by": api.staff_user.pk}
    response = api.call("post", "/api/v1/license-requests/", "brand", body)
    assert response.status_code == 201, response.json()
    created = type(api.request).objects.get(pk=response.json()["id"])
    assert created.pk != 999 and created.status == "pending" and created.organization == api.organization

    response = api.call(
        "post",
        f"/api/v1/license-requests/{api.request.pk}/counter/",
        "talent",
        {"fee": {"amount": "5000.00", "currency": "USD"}, **extra},
    )
    assert response.status_code == 200 and response.json()["status"] == "countered"

    report = {"description": "An AI ad with her face.", "relationship": "fan", "urls": ["https://e.com/y"]}
    response = api.call(
        "post",
        "/api/v1/reports/",
        "anon",
        report | extra | {"tracking_code": "chosen-by-me", "case": api.case.pk, "priority": "urgent"},
    )
    assert response.status_code == 201 and response.json()["tracking_code"] != "chosen-by-me"

    case = api.case
    response = api.call(
        "patch",
        f"/api/v1/cases/{case.pk}/",
        "staff",
        {"version": case.version, "priority": "high", "outcome": "removed", "closed_at": "2020-01-01"}
        | extra,
    )
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.priority == "high" and case.status == "new" and case.outcome == "" and case.closed_at is None
    response = api.call(
        "post",
        f"/api/v1/cases/{case.pk}/transition/",
        "staff",
        {"to": "triage", "version": case.version} | extra,
    )
    assert response.status_code == 200 and response.json()["status"] == "triage"


def test_1001_checks_are_too_many(api):
    response = api.call(
        "post", "/api/v1/permissions/check/bulk/", "brand", {"checks": [_check(api.rid)] * 1001}
    )
    assert_api_error(response, 400, "too_many_checks")
    assert "checks" in response.json()["fields"] and PermissionCheck.objects.count() == 0


def test_multi_megabyte_bodies_are_413_in_the_error_format(api):
    """Above DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB of JSON or form fields) every endpoint answers 413."""
    before = api.state()
    pad = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    big = json.dumps({"checks": [_check(api.rid)], "description": pad, "message": pad})
    for method, url, who in api.endpoints():
        assert_api_error(api.call(method, url, who, big, raw=True), 413, "request_too_large")
    response = api.client.post(
        "/api/v1/reports/",
        {"description": pad, "relationship": "fan", "urls": "https://e.com/z"},
        format="multipart",
    )
    assert_api_error(response, 413, "request_too_large")
    many = {f"field{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = api.client.post("/api/v1/reports/", many, format="multipart")
    assert_api_error(response, 400, "too_many_fields")
    assert api.state() == before


def test_multi_megabyte_web_form_is_refused_with_a_page(client):
    pad = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = client.post("/cases/report/", {"description": pad, "relationship": "fan"})
    assert response.status_code == 413 and b"too large" in response.content
    assert MisuseReport.objects.count() == 0


@pytest.mark.parametrize(
    "url, status, code",
    [
        ("/api/v1/talent/?page=abc", 404, "not_found"),
        ("/api/v1/talent/?page=-1", 404, "not_found"),
        ("/api/v1/talent/?page=" + "9" * 40, 404, "not_found"),
        ("/api/v1/talent/?q=%00", 400, "invalid_characters"),
        ("/api/v1/talent/TR-%00/", 400, "invalid_characters"),
        ("/api/v1/talent/{rid}/terms/?as_of=2026-13-45", 400, None),
        ("/api/v1/talent/{rid}/terms/?as_of=" + "9" * 50, 400, None),
        ("/api/v1/talent/{rid}/terms/?format=pdf", 400, "unknown_format"),
        ("/api/v1/talent/TR-NOPE-NOPE/terms/", 404, "not_found"),
        ("/api/v1/licenses/L-%00/verify/", 400, "invalid_characters"),
        ("/api/v1/licenses/" + "L" * 5000 + "/verify/", 404, "not_found"),
        ("/api/v1/reports/track/%00/", 400, "invalid_characters"),
        ("/api/v1/reports/track/" + "a" * 5000 + "/", 404, "not_found"),
        ("/api/v1/no/such/endpoint/", 404, "not_found"),
    ],
)
def test_bad_paths_and_query_strings_are_4xx_in_the_error_format(api_client, talent_user, url, status, code):
    talent = TalentFactory(user=talent_user)
    assert_api_error(api_client.get(url.format(rid=talent.registry_id)), status, code)


def test_bad_query_strings_on_brand_and_staff_lists(api):
    for url, who, status in [
        ("/api/v1/permissions/checks/?page=zzz", "brand", 404),
        ("/api/v1/permissions/checks/?talent=%00", "brand", 400),
        ("/api/v1/license-requests/?page=0", "brand", 404),
        ("/api/v1/cases/?status=bogus", "staff", 400),
        ("/api/v1/cases/?assignee=robert';--", "staff", 400),
        ("/api/v1/cases/?overdue=perhaps", "staff", 400),
        ("/api/v1/cases/?ordering=-password", "staff", 400),
        ("/api/v1/cases/?q=" + "x" * 5000, "staff", 400),
    ]:
        assert_api_error(api.call("get", url, who, None), status)


def test_nul_in_an_api_key_header_is_400_not_a_database_error(api_client):
    response = api_client.get("/api/v1/permissions/checks/", HTTP_AUTHORIZATION="Bearer lr_\x00_abc")
    assert_api_error(response, 400, "invalid_characters")


# --- CSV exports ------------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cells(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


def _assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"formula cell in export: {cell!r}"


def test_brand_check_history_export_neutralises_formulas(client, api_client, brand_user):
    brand_services.create_organization(name="Acme Apparel", owner=brand_user)
    key = key_from_command("Acme Apparel", scopes="check")
    for formula in FORMULAS:
        response = api_client.post(
            "/api/v1/permissions/check/", _check(formula), format="json", **bearer(key)
        )
        assert response.status_code == 200  # an unknown talent is an answer, not an error: not_registered
    client.force_login(brand_user)
    response = client.get("/brands/checks/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv_cells(response)
    _assert_no_formula(rows)
    talents = {row[rows[0].index("talent")] for row in rows[1:]}
    # Neutralised, not dropped: the text is still there, behind a leading quote.
    assert '\'=HYPERLINK("http://evil.example","x")' in talents and "'@SUM(A1:A9)" in talents
    assert "'+1+1" in talents and "'-2+3" in talents


def test_staff_case_export_neutralises_formulas(client, supervisor_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i, formula in enumerate(FORMULAS):
            case_services.file_report(
                case_services.ReportInput(
                    description="An AI ad with her face.",
                    relationship="fan",
                    urls=[f"https://example.com/ad/{i}"],
                    talent=formula,
                    organization=FORMULAS[-1 - i],
                )
            )
    assert Case.objects.count() == len(FORMULAS)
    client.force_login(supervisor_user)
    response = client.get("/staff/cases/export.csv?status=")
    assert response.status_code == 200
    rows = _csv_cells(response)
    assert len(rows) == 1 + len(FORMULAS)
    _assert_no_formula(rows)
    header = rows[0]
    talents = {row[header.index("Talent")] for row in rows[1:]}
    assert "'@SUM(A1:A9)" in talents and "'-2+3" in talents


def test_staff_evidence_upload_refuses_hostile_files(client, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_services.file_report(
            case_services.ReportInput(
                description="An AI ad with her face.", relationship="fan", urls=["https://e.com/s"]
            )
        )
    case = Case.objects.get()
    client.force_login(staff_user)
    for name, data, ctype, message in (
        ("x.svg", SVG_FILE, "image/svg+xml", NOT_READABLE),
        ("x.html", HTML_FILE, "text/html", NOT_READABLE),
        ("bomb.png", png_declaring(50000, 50000), "image/png", "too"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg", NOT_READABLE),
    ):
        response = client.post(
            f"/staff/cases/{case.pk}/evidence/", {"evidence": [_upload(name, data, ctype)]}, follow=True
        )
        said = " ".join(str(m) for m in response.context["messages"])
        assert name in said and message in said, said
    assert Evidence.objects.count() == 0 and media_files() == []
