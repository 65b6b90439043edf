"""Signed certificates: Ed25519 over the canonical payload, verifiable offline with the published key, and a
one-byte change anywhere in the payload breaks the signature. The key survives restarts (stored once)."""

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.brands.models import Organization
from registry.licensing import certificates, requests
from registry.licensing.models import License, SigningKey
from tests.licensing.conftest import request_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def license(acme_owner, talent, talent_user):
    request = requests.request_license(
        organization=Organization.objects.get(name="Acme Apparel"),
        actor=acme_owner,
        talent_registry_id=talent.registry_id,
        data=request_body(talent),
    )
    return requests.approve(request_id=request.pk, actor=talent_user)


def published_public_key(client) -> str:
    doc = client.get("/.well-known/license-signing-key.json").json()
    assert doc["algorithm"] == "Ed25519" and doc["key_id"] and doc["public_key_pem"].startswith("-----BEGIN")
    return doc["public_key"]


def test_certificate_payload_has_public_facts_only(license, talent):
    document = json.loads(license.certificate)
    payload = document["payload"]
    assert payload["license_id"] == license.license_id
    assert payload["talent"] == {"registry_id": talent.registry_id, "stage_name": "Ana Reyes"}
    assert payload["organization"] == "Acme Apparel" and payload["use"] == "advertising"
    assert payload["scope"]["territories"] == ["US", "CA"] and payload["period"]["valid_from"]
    assert payload["fee"] == {"amount": "4000.00", "currency": "USD"} and payload["issued_at"].endswith("Z")
    text = license.certificate
    for private in (talent.legal_name, talent.email, talent.membership_number, str(talent.date_of_birth)):
        assert private not in text


def test_signature_verifies_offline_with_the_published_key(client, license):
    public_key = published_public_key(client)
    document = certificates.certificate_for(license)
    # Offline: only the public key, with plain cryptography, no registry code.
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    canonical = json.dumps(document["payload"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    key.verify(base64.b64decode(document["signature"]), canonical.encode())
    assert certificates.verify_certificate(document, public_key)
    assert certificates.verify_certificate(json.dumps(document), public_key)
    assert certificates.verify_certificate(document)  # the registry's own published keys


def test_one_changed_byte_in_the_payload_fails(client, license):
    public_key = published_public_key(client)
    text = certificates.certificate_json(certificates.certificate_for(license))
    start = text.index('"payload"')
    end = text.index('"signature"')
    failures = 0
    positions = [i for i in range(start, end) if text[i].isalnum()]
    for i in positions[:: max(1, len(positions) // 40)]:
        replacement = "0" if text[i] != "0" else "1"
        tampered = text[:i] + replacement + text[i + 1 :]
        try:
            json.loads(tampered)
        except ValueError:
            failures += 1  # no longer a JSON document at all: certainly not valid
            continue
        assert certificates.verify_certificate(tampered, public_key) is False, tampered[i - 20 : i + 20]
        failures += 1
    assert failures >= 20
    # And a changed stage name or date specifically:
    document = json.loads(text)
    document["payload"]["period"]["valid_until"] = "2099-12-31"
    assert not certificates.verify_certificate(document, public_key)


def test_a_signature_by_another_key_or_garbage_fails(license):
    other = Ed25519PrivateKey.generate()
    document = certificates.certificate_for(license)
    forged = dict(document, signature=base64.b64encode(other.sign(b"x")).decode())
    assert not certificates.verify_certificate(forged)
    raw = other.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert not certificates.verify_certificate(document, raw)
    for garbage in ("", "{}", "[1]", '{"algorithm": "Ed25519", "payload": 1, "signature": "!!"}', b"\xff"):
        assert certificates.verify_certificate(garbage) is False


def test_key_is_generated_once_and_kept(license):
    assert SigningKey.objects.count() == 1
    first = certificates.signing_material().key_id
    certificates._material_from_b64.cache_clear()  # as after a restart
    assert certificates.signing_material().key_id == first
    assert SigningKey.objects.count() == 1


def test_configured_key_is_used(settings, license):
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    settings.CERTIFICATE_SIGNING_KEY = base64.b64encode(raw).decode()
    material = certificates.signing_material()
    document = certificates.sign_payload({"license_id": "LIC-TEST"})
    assert document["key_id"] == material.key_id
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert certificates.verify_certificate(document, public)
    # Certificates signed earlier by the stored key stay verifiable: that key is still published.
    assert certificates.verify_certificate(certificates.certificate_for(license))


def test_imported_license_gets_its_certificate_on_first_use(acme_owner, talent):
    from datetime import date

    lic = License.objects.create(
        talent=talent,
        organization=Organization.objects.get(name="Acme Apparel"),
        use="replica_use",
        modalities=["image"],
        territories=["US"],
        channels=["social"],
        valid_from=date(2026, 3, 1),
        valid_until=date(2026, 9, 30),
        description="AI-generated try-on images for the spring catalogue",
        document_ref="paper",
    )
    assert lic.certificate == ""
    document = certificates.certificate_for(lic)
    assert certificates.verify_certificate(document)
    lic.refresh_from_db()
    assert json.loads(lic.certificate) == document
    assert certificates.certificate_for(lic) == document  # stable


def test_certificate_pdf_and_json_downloads(client, license, talent_user, brand_user, other_talent_user):
    client.force_login(talent_user)
    pdf = client.get(f"/licenses/{license.license_id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    doc = client.get(f"/licenses/{license.license_id}/certificate.json")
    assert doc.status_code == 200 and certificates.verify_certificate(doc.content)
    client.force_login(brand_user)
    assert client.get(f"/licenses/{license.license_id}/certificate.json").status_code == 200
    client.force_login(other_talent_user)
    assert client.get(f"/licenses/{license.license_id}/certificate.pdf").status_code == 404
    assert client.get(f"/licenses/{license.license_id}/certificate.json").status_code == 404


def test_qr_code_points_to_the_verification_page(license):
    uri = certificates.qr_png_data_uri(json.loads(license.certificate)["payload"]["verify_url"])
    assert uri.startswith("data:image/png;base64,")
    assert json.loads(license.certificate)["payload"]["verify_url"].endswith(
        f"/licenses/{license.license_id}/verify/"
    )


@pytest.mark.django_db
def test_rotated_signing_key_keeps_old_certificates_verifiable(settings):
    def new_key() -> str:
        raw = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return base64.b64encode(raw).decode()

    settings.CERTIFICATE_SIGNING_KEY = new_key()
    old = certificates.sign_payload({"license_id": "LIC-OLD", "use": "advertising"})
    settings.CERTIFICATE_SIGNING_KEY = new_key()  # rotation
    new = certificates.sign_payload({"license_id": "LIC-NEW", "use": "advertising"})
    published = certificates.published_keys()
    assert [k["current"] for k in published].count(True) == 1
    assert {old["key_id"], new["key_id"]} <= {k["key_id"] for k in published}
    assert certificates.verify_certificate(old) and certificates.verify_certificate(new)
