"""Stored XSS: every free-text field filled with a payload is shown escaped on every page, PDF and export.

Each test feeds the registry what an attacker would send and asserts that text is shown escaped, never as
markup (payloads and the markup check: tests/security/bad_input/markup.py).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from registry.brands import services as brand_services
from registry.brands.models import Organization, PermissionCheck
from registry.cases import workflow
from registry.cases.models import Case, MisuseReport, NoticeTemplate
from registry.checks import services as check_services
from registry.consent import drafts as consent_drafts
from registry.consent import signing as consent_signing
from registry.licensing import requests as licensing_requests
from registry.talent.models import TalentProfile
from tests.cases.notice_helpers import send_confirmed_notice
from tests.factories import ADVERTISING_ALLOW
from tests.security.bad_input.files import jpeg_bytes, upload_file
from tests.security.bad_input.markup import assert_no_markup_injected, escaped, page, xss

pytestmark = pytest.mark.django_db


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
        {"kind": "photo", "caption": xss("caption"), "file": upload_file("me.jpg", jpeg_bytes())},
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
    draft = consent_drafts.create_draft(
        talent=talent, effective_from=timezone.localdate(), uses=uses, actor=talent_user
    )
    version = consent_signing.sign_version(
        draft,
        consent_signing.SignatureContext(
            actor=talent_user, signed_as="talent", signer_name="Ana Legal", ip="127.0.0.1"
        ),
    )
    # A brand whose organization name is a payload checks the talent and asks for a license.
    organization = brand_services.create_organization(name=xss("org"), actor=brand_user)
    check_services.run_check(
        {"talent": talent.registry_id, "use": "advertising", "modality": "image", "territory": "US"}
        | {"channel": "online"},
        organization=organization,
        api_key=None,
        actor=brand_user,
        source=PermissionCheck.Source.WEB,
    )
    check_services.run_check(
        {"talent": "<script>alert(chk)</script>", "use": "advertising", "modality": "image"}
        | {"territory": "US", "channel": "online"},
        organization=organization,
        api_key=None,
        actor=brand_user,
        source=PermissionCheck.Source.WEB,
    )
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        license_request = licensing_requests.request_license(
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
        licensing_requests.counter(
            request_id=license_request.pk,
            actor=talent_user,
            data={"fee": {"amount": "5000.00", "currency": "USD"}},
            message=xss("counter"),
        )
        licensing_requests.accept(request_id=license_request.pk, actor=brand_user, organization=organization)
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
        notice = send_confirmed_notice(
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
