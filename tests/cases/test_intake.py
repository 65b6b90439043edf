"""Intake: the public form and POST /api/v1/reports/, tracking codes, spam and rate limits, kept input."""

import hashlib
import io

import pytest
from PIL import Image

from registry.cases.models import Case, Evidence, MisuseReport, Status
from registry.cases.selectors import report_for_code
from tests.cases.helpers import minimal_pdf, photo, upload

pytestmark = pytest.mark.django_db

FORM = {
    "urls": "https://www.instagram.com/p/FAKE123/?utm_source=ig",
    "platform": "",
    "seen_on": "2026-11-20",
    "talent": "Ana Reyes",
    "organization": "Shady Skincare",
    "use": "advertising",
    "territory": "us",
    "description": "An ad for face cream uses an AI version of her face.",
    "relationship": "fan",
    "reporter_name": "Pat Public",
    "reporter_email": "pat@example.org",
    "website": "",
}


def post_report(client, data=None, files=()):
    payload = {**FORM, **(data or {})}
    if files:
        payload["evidence"] = list(files)
    return client.post("/cases/report/", payload)


def test_public_report_creates_case_and_shows_tracking_link_once(
    client, talent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(client, files=[upload(photo(1), "shot.jpg"), upload(minimal_pdf(), "ad.pdf")])
    assert response.status_code == 302 and response.url == "/cases/report/filed/"
    page = client.get(response.url)
    code = page.context["code"]
    assert len(code) >= 32  # secrets.token_urlsafe(32): 256 bits
    assert f"/cases/track/{code}/" in page.content.decode()
    # Shown once: the code is not stored, only its SHA-256.
    report = MisuseReport.objects.get()
    assert report.tracking_hash == hashlib.sha256(code.encode()).hexdigest()
    assert code not in str(MisuseReport.objects.values().get())
    assert client.get("/cases/report/filed/").status_code == 302
    # Enrichment ran after commit: a new case about the talent, platform detected, evidence attached.
    case = report.case
    assert case.status == Status.NEW and case.talent == talent and case.platform == "instagram"
    assert case.urls.get().normalized_url == "https://instagram.com/p/FAKE123"
    assert sorted(case.evidence.values_list("kind", flat=True)) == ["image", "pdf"]
    assert report.reporter_email == "pat@example.org" and report.territory == "US"


def test_tracking_page_shows_status_and_public_messages_only(
    client, talent, staff_user, django_capture_on_commit_callbacks
):
    from registry.cases import messaging

    with django_capture_on_commit_callbacks(execute=True):
        post_report(client)
    code = client.get("/cases/report/filed/").context["code"]
    case = Case.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        messaging.add_note(case.pk, actor=staff_user, body="INTERNAL: reporter seems reliable")
        messaging.message_reporter(case.pk, actor=staff_user, body="Thanks, we are looking into it.")
    body = client.get(f"/cases/track/{code}/").content.decode()
    assert "Thanks, we are looking into it." in body
    assert "INTERNAL" not in body and "pat@example.org" not in body and "staff@example.org" not in body
    api = client.get(f"/api/v1/reports/track/{code}/").json()
    assert api["status"] == "new" and [m["body"] for m in api["messages"]] == [
        "Thanks, we are looking into it."
    ]
    assert api["urls"] == [{"url": FORM["urls"], "status": "reported", "status_label": "Reported"}]
    assert "INTERNAL" not in str(api)
    assert client.get("/cases/track/not-a-real-code-000000000000000000000/").status_code == 404
    assert client.get("/api/v1/reports/track/nope/").json()["code"] == "not_found"


def test_honeypot_spam_is_refused_and_creates_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(client, {"website": "http://cheap-pills.example"}, files=[upload(photo(1))])
    assert response.status_code == 400
    assert not MisuseReport.objects.exists() and not Evidence.objects.exists() and not Case.objects.exists()


def test_validation_error_keeps_everything_typed(client):
    response = post_report(client, {"description": "short", "urls": "not a url\nhttps://ok.example/x"})
    assert response.status_code == 400
    html = response.content.decode()
    form = response.context["form"]
    assert "description" in form.errors and "urls" in form.errors
    # Everything else is still there to fix and resend.
    for value in (
        "Shady Skincare",
        "Ana Reyes",
        "pat@example.org",
        "Pat Public",
        "https://ok.example/x",
        "2026-11-20",
    ):
        assert value in html, value
    assert not MisuseReport.objects.exists()


def test_bad_upload_keeps_input_and_asks_to_reattach(client):
    fake = upload(b"MZ\x90\x00 this is an executable", "cat.jpg")
    response = post_report(client, files=[upload(photo(1)), fake])
    assert response.status_code == 400
    errors = response.context["form"].errors["evidence"]
    assert any("cat.jpg" in e and "JPEG, PNG or WebP" in e for e in errors)
    html = response.content.decode()
    assert "attach your files again" in html and "Shady Skincare" in html
    assert not MisuseReport.objects.exists() and not Evidence.objects.exists()


def test_at_most_five_files(client):
    response = post_report(client, files=[upload(photo(i), f"{i}.jpg") for i in range(6)])
    assert response.status_code == 400
    assert "at most 5 files" in " ".join(response.context["form"].errors["evidence"])


def test_unknown_registry_id_is_a_clear_error(client):
    response = post_report(client, {"talent": "TR-ZZZZ-ZZZZ"})
    assert response.status_code == 400
    assert "No one in the registry has the ID TR-ZZZZ-ZZZZ" in response.context["form"].errors["talent"][0]


def test_a_url_or_a_file_is_required(client):
    response = post_report(client, {"urls": ""})
    assert "Give the address of the content" in response.context["form"].errors["urls"][0]


def test_web_reports_are_rate_limited_per_ip(client, settings, django_capture_on_commit_callbacks):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "reports": "2/hour"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert post_report(client).status_code == 302
        assert post_report(client).status_code == 302
        refused = post_report(client, {"description": "My third report, still typed in full."})
    assert refused.status_code == 429 and "Retry-After" in refused
    assert "My third report, still typed in full." in refused.content.decode()
    assert MisuseReport.objects.count() == 2
    # The API shares the same per-IP budget.
    api = client.post(
        "/api/v1/reports/",
        {"description": "x" * 20, "relationship": "fan", "urls": ["https://a.example/"]},
        content_type="application/json",
    )
    assert api.status_code == 429 and api.json()["code"] == "throttled"


def test_display_copy_has_no_exif_or_gps_and_original_is_byte_identical(
    client, django_capture_on_commit_callbacks
):
    original = photo(7, exif_gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    with django_capture_on_commit_callbacks(execute=True):
        post_report(client, files=[upload(original, "gps.jpg")])
    evidence = Evidence.objects.get()
    with evidence.original.open("rb") as f:
        assert f.read() == original
    assert evidence.sha256 == hashlib.sha256(original).hexdigest()
    with evidence.display.open("rb") as f:
        display = Image.open(io.BytesIO(f.read()))
        exif = display.getexif()
        assert not exif.get_ifd(0x8825) and 0x010F not in exif
    assert evidence.uploaded_by is None and "reporter of report" in evidence.uploaded_by_label


def test_logged_in_talent_report_is_prefilled_and_attributed(
    client, talent_user, django_capture_on_commit_callbacks
):
    client.force_login(talent_user)
    form = client.get("/cases/report/").context["form"]
    assert form.initial["relationship"] == "self" and form.initial["reporter_email"] == talent_user.email
    with django_capture_on_commit_callbacks(execute=True):
        post_report(client, {"relationship": "self", "reporter_email": ""}, files=[upload(photo(3))])
    report = MisuseReport.objects.get()
    assert report.reporter == talent_user and report.reporter_email == talent_user.email
    assert Evidence.objects.get().uploaded_by == talent_user
    assert "Received" in client.get("/cases/mine/").content.decode()


# --- API ------------------------------------------------------------------------------------------


def test_api_report_json(api_client, talent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/reports/",
            {
                "urls": ["https://www.tiktok.com/@shady/video/1?is_from_webapp=1"],
                "talent": talent.registry_id,
                "description": "A deepfake video ad with her cloned voice.",
                "relationship": "representative",
                "seen_on": "2026-11-01",
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"tracking_code", "tracking_url", "status"}
    assert body["tracking_url"].endswith(f"/cases/track/{body['tracking_code']}/")
    report = report_for_code(body["tracking_code"])
    assert report.case.talent == talent and report.case.platform == "tiktok"
    track = api_client.get(f"/api/v1/reports/track/{body['tracking_code']}/").json()
    assert track["status"] == "new" and track["reference"] == report.case.reference


def test_api_report_multipart_with_files(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/reports/",
            {
                "urls": ["https://shop.example/ad1", "https://shop.example/ad2"],
                "description": "Our model's face on a competitor's banner.",
                "relationship": "brand",
                "evidence": [upload(photo(1), "a.jpg"), upload(photo(2), "b.png")],
            },
            format="multipart",
        )
    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert case.urls.count() == 2 and case.evidence.count() == 2


def test_api_report_errors_use_the_standard_format(api_client):
    response = api_client.post("/api/v1/reports/", {"relationship": "alien"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and {"description", "relationship"} <= set(body["fields"])
    response = api_client.post(
        "/api/v1/reports/",
        {"description": "Something I saw online.", "relationship": "fan", "urls": ["javascript:alert(1)"]},
        format="json",
    )
    assert response.status_code == 400 and "urls" in response.json()["fields"]
    assert not MisuseReport.objects.exists()


def test_api_report_with_a_brand_api_key(api_client, django_capture_on_commit_callbacks):
    from registry.brands.models import Organization
    from registry.brands.services import create_api_key

    org = Organization.objects.create(name="Acme Apparel", contact_email="trust@acme.example")
    _, with_scope = create_api_key(organization=org, name="reports", scopes=["reports"])
    _, without = create_api_key(organization=org, name="checks", scopes=["check"])
    payload = {
        "urls": ["https://fake-acme.example/sale"],
        "description": "A fake shop uses our model.",
        "relationship": "brand",
    }
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {without}")
    response = api_client.post("/api/v1/reports/", payload, format="json")
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    api_client.credentials(HTTP_AUTHORIZATION="Bearer lr_nope_nope")
    assert api_client.post("/api/v1/reports/", payload, format="json").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {with_scope}")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/reports/", payload, format="json")
    assert response.status_code == 201
    report = MisuseReport.objects.get()
    assert report.reporter is None and report.reporter_name.startswith("Acme Apparel (API key lr_")
    assert report.reporter_email == "trust@acme.example"
