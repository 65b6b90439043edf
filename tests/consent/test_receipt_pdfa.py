"""Consent receipts are documents that last: PDF/A-3b, tagged, with Title, Author, CreationDate and language
(pdfinfo), and the SHA-256 of the terms document whole in the extracted text (pdftotext) — it used to break
across lines."""

import hashlib

import pytest
from django.urls import reverse

from registry.consent import receipts
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms
from tests.pdf_tools import assert_archival, has_whole_hash, pdftext

pytestmark = pytest.mark.django_db


def test_receipt_is_pdfa_with_metadata_and_the_whole_hash(client, talent_user, tmp_path):
    mai = TalentFactory(user=talent_user, stage_name="Mai Nguyễn")
    version = sign_terms(mai, {"advertising": ADVERTISING_ALLOW}, user=talent_user)
    client.force_login(talent_user)
    response = client.get(reverse("consent:receipt", args=[mai.registry_id, version.number]))
    assert response.status_code == 200
    pdf = response.content
    assert_archival(
        pdf,
        tmp_path,
        title=f"Consent receipt {mai.registry_id} v{version.number}",
        author="Likeness Registry",
    )
    text = pdftext(pdf, tmp_path)
    assert "Mai Nguyễn" in text
    assert (
        len(version.sha256) == 64
        and version.sha256 == hashlib.sha256(version.canonical_json.encode()).hexdigest()
    )
    assert has_whole_hash(text, version.sha256), text
    assert receipts.receipt_pdf(version).startswith(b"%PDF-1.7")
