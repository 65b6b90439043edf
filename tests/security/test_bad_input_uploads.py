"""Malicious uploads: bad files are refused with a clear message and leave nothing behind."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from registry.cases import intake as case_intake
from registry.cases.models import Case, Evidence, MisuseReport
from registry.talent.models import ReferenceMedia
from tests.factories import TalentFactory
from tests.security.bad_input.files import (
    HTML_FILE,
    NOT_READABLE,
    REFUSED_IMAGES,
    SVG_FILE,
    bombs_expected,
    jpeg_bytes,
    media_files,
    minimal_pdf,
    png_bytes,
    png_declaring,
    upload_file,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


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
            {"kind": "photo", "caption": "Headshot, studio light", "file": upload_file(name, data, ctype)},
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
            "/talent/me/media/", {"kind": "voice", "file": upload_file(name, data, "audio/mpeg")}
        )
        assert response.status_code == 400
        assert "Only WAV, MP3 or Ogg audio" in " ".join(response.context["media_form"].errors["file"])
    assert ReferenceMedia.objects.count() == 0 and media_files() == []


def test_reference_media_accepts_png_named_jpg_by_content(talent_client):
    response = talent_client.post(
        "/talent/me/media/", {"kind": "photo", "file": upload_file("photo.jpg", png_bytes(), "image/jpeg")}
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
        "/talent/me/media/", {"kind": "photo", "file": upload_file("p.jpg", data, "image/jpeg")}
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
        response = client.post("/cases/report/", {**REPORT, "evidence": [upload_file(name, data, ctype)]})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get("evidence", []))
    assert message.lower() in errors.lower(), errors
    html = response.content.decode()
    assert REPORT["description"] in html and 'value="Pat Public"' in html and 'value="Shady Skincare"' in html
    assert "please attach your files again" in html
    assert MisuseReport.objects.count() == 0 and Evidence.objects.count() == 0 and Case.objects.count() == 0
    assert media_files() == []


def test_one_bad_file_among_good_ones_saves_nothing(client):
    files = [
        upload_file("ok.jpg", jpeg_bytes()),
        upload_file("ok.png", png_bytes()),
        upload_file("x.svg", SVG_FILE),
    ]
    response = client.post("/cases/report/", {**REPORT, "evidence": files})
    assert response.status_code == 400 and "x.svg" in " ".join(response.context["form"].errors["evidence"])
    assert MisuseReport.objects.count() == 0 and Evidence.objects.count() == 0 and media_files() == []


@pytest.mark.parametrize("case", [*REFUSED_IMAGES, "oversize"])
def test_api_report_refuses_hostile_evidence_in_the_error_format(api_client, case):
    name, data, ctype, message = _evidence_case(case)
    with bombs_expected():
        response = api_client.post(
            "/api/v1/reports/",
            {
                **{k: v for k, v in REPORT.items() if k != "website"},
                "evidence": [upload_file(name, data, ctype)],
            },
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
                    upload_file("shot.jpg", png_bytes(), "image/jpeg"),
                    upload_file("photo.jpg", minimal_pdf(), "image/jpeg"),
                ],
            },
            format="multipart",
        )
    assert response.status_code == 201, response.json()
    kinds = sorted(Evidence.objects.values_list("original_name", "kind", "mime"))
    assert kinds == [("photo.jpg", "pdf", "application/pdf"), ("shot.jpg", "image", "image/png")]
    pdf = Evidence.objects.get(kind="pdf")
    assert not pdf.display and not pdf.thumbnail  # nothing of it is shown inline as an image


def test_staff_evidence_upload_refuses_hostile_files(client, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_intake.file_report(
            case_intake.ReportInput(
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
            f"/staff/cases/{case.pk}/evidence/", {"evidence": [upload_file(name, data, ctype)]}, follow=True
        )
        # The case page again, with the form's error summary naming the file and why (nothing kept).
        assert response.status_code == 400
        said = response.content.decode()
        assert 'class="error-summary"' in said and name in said and message in said, said
    assert Evidence.objects.count() == 0 and media_files() == []
