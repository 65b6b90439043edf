"""The printed certificate is a document that lasts: PDF/A-3b, tagged, with Title, Author, CreationDate and
language (pdfinfo); its verification URL, key URL and QR code come from SITE_URL; the signature is whole in
the extracted text (pdftotext), so it can be copied out to verify."""

import json

import pytest

from registry.brands.models import Organization
from registry.licensing import requests
from tests.factories import TalentFactory
from tests.licensing.conftest import request_body
from tests.pdf_tools import assert_archival, pdftext

pytestmark = pytest.mark.django_db


def test_certificate_pdf_is_pdfa_with_metadata_and_urls_from_site_url(
    client, settings, acme_owner, talent_user, tmp_path
):
    settings.SITE_URL = "https://likeness.example.org"
    mai = TalentFactory(user=talent_user, stage_name="Mai Nguyễn")
    request = requests.request_license(
        organization=Organization.objects.get(name="Acme Apparel"),
        actor=acme_owner,
        talent_registry_id=mai.registry_id,
        data=request_body(mai),
    )
    license = requests.approve(request_id=request.pk, actor=talent_user)
    document = json.loads(license.certificate)
    verify_url = f"https://likeness.example.org/licenses/{license.license_id}/verify/"
    assert document["payload"]["verify_url"] == verify_url
    client.force_login(talent_user)
    pdf = client.get(f"/licenses/{license.license_id}/certificate.pdf").content
    assert_archival(
        pdf, tmp_path, title=f"License certificate {license.license_id}", author="Likeness Registry"
    )
    text = pdftext(pdf, tmp_path)
    assert "Mai Nguyễn" in text and verify_url in text
    assert "https://likeness.example.org/.well-known/license-signing-key.json" in text
    assert "RFC 8785 (JCS)" in text
    assert any(document["signature"] in line for line in text.splitlines()), text
