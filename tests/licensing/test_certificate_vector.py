"""The published test vector (docs/certificates.md) is what the registry's code produces, and the doc's own
verifiers (Python with only `cryptography`, JavaScript with only Node's `crypto`), extracted from the page and
run as separate programs, verify it and a live certificate for "Mai Nguyễn" from the test server's public
endpoints, and reject tampered ones."""

import hashlib
import io
import json
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from registry.brands.models import Organization
from registry.licensing import certificates, requests
from tests.factories import TalentFactory
from tests.licensing.conftest import request_body
from tests.licensing.docs_vector import DOC, block, run_verifier, vector_key, write_snippets


@pytest.fixture
def snippets(tmp_path):
    return write_snippets(tmp_path)


def vector_document() -> dict:
    return json.loads(block("vector", "certificate.json"))


def test_vector_is_what_the_registry_signs():
    document = vector_document()
    material = certificates._material_from_b64(vector_key()["private_key"])
    assert block("vector", "public_key") == vector_key()["public_key"] == material.public_b64
    assert document["key_id"] == material.key_id == certificates.key_id_for(material.public_raw)
    signed = certificates.canonical_bytes(document["payload"])
    assert block("vector", "jcs").encode("utf-8") == signed
    assert len(signed) == 549 and hashlib.sha256(signed).hexdigest() in DOC.read_text(encoding="utf-8")
    resigned = certificates.sign_payload(document["payload"], material)
    assert resigned == document and block("vector", "signature") == document["signature"]
    assert certificates.certificate_json(resigned) == block("vector", "certificate.json")
    assert certificates.verify_certificate(document, block("vector", "public_key"))
    assert document["payload"]["talent"]["stage_name"] == "Mai Nguy\u1ec5n"


def test_the_test_key_is_not_the_registrys_key(db, settings):
    assert certificates.signing_material().public_b64 != vector_key()["public_key"]
    assert vector_key()["private_key"] != settings.CERTIFICATE_SIGNING_KEY


def test_snippets_import_nothing_of_ours(snippets):
    for path in snippets.values():
        text = path.read_text()
        assert "registry" not in text.replace("Likeness Registry", "") and "accounts" not in text


@pytest.mark.parametrize("language", ["verify.py", "verify.mjs"])
def test_doc_verifier_checks_the_published_vector(snippets, tmp_path, language):
    certificate = tmp_path / "certificate.json"
    certificate.write_text(block("vector", "certificate.json"), encoding="utf-8")
    done = run_verifier(snippets[language], str(certificate), block("vector", "public_key"))
    assert done.returncode == 0 and done.stdout.startswith("valid LIC-0123456789AB"), done.stderr

    tampered = vector_document()
    tampered["payload"]["talent"]["stage_name"] = "Mai Nguyen"
    certificate.write_text(json.dumps(tampered), encoding="utf-8")
    done = run_verifier(snippets[language], str(certificate), block("vector", "public_key"))
    assert done.returncode == 1 and done.stdout.startswith("INVALID"), done.stderr


@pytest.fixture
def mai_license(acme_owner, talent_user):
    mai = TalentFactory(user=talent_user, stage_name="Mai Nguyễn", email="mai-private@example.org")
    request = requests.request_license(
        organization=Organization.objects.get(name="Acme Apparel"),
        actor=acme_owner,
        talent_registry_id=mai.registry_id,
        data=request_body(mai),
    )
    return requests.approve(request_id=request.pk, actor=talent_user)


def fetch(url: str, **headers) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return response.read()


@pytest.mark.django_db(transaction=True)
def test_doc_verifiers_check_a_live_certificate_for_mai_nguyen(
    live_server, mai_license, acme_key, snippets, tmp_path
):
    """The brand fetches its certificate over HTTP from the API; the verifiers fetch the key themselves from
    the well-known URL (the test server), and know nothing else of the registry."""
    url = f"{live_server.url}/api/v1/licenses/{mai_license.license_id}/certificate/"
    body = fetch(url, Authorization=f"Bearer {acme_key}", Accept="application/json")
    live = json.loads(body)
    assert live["payload"]["talent"]["stage_name"] == "Mai Nguyễn" and "Nguyễn".encode() in body
    key_url = f"{live_server.url}/.well-known/license-signing-key.json"
    assert json.loads(fetch(key_url))["canonicalization"] == "RFC 8785 (JCS)"
    certificate = tmp_path / "live.json"
    certificate.write_bytes(body)
    tampered = json.loads(body)
    tampered["payload"]["talent"]["stage_name"] = "Mai Nguyen"
    forged = tmp_path / "tampered.json"
    forged.write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
    for language in ("verify.py", "verify.mjs"):
        done = run_verifier(snippets[language], str(certificate), key_url)
        assert done.returncode == 0, (language, done.stdout, done.stderr)
        assert done.stdout.strip() == f"valid {mai_license.license_id}"
        done = run_verifier(snippets[language], str(forged), key_url)
        assert done.returncode == 1 and done.stdout.startswith("INVALID"), (language, done.stderr)


@pytest.mark.django_db
def test_verify_certificate_command(mai_license, tmp_path):
    out = io.StringIO()
    call_command("verify_certificate", mai_license.license_id.lower(), stdout=out)
    assert out.getvalue().startswith(f"valid: {mai_license.license_id} for Mai Nguyễn")
    document = certificates.certificate_for(mai_license)
    good = tmp_path / "good.json"
    good.write_text(certificates.certificate_json(document), encoding="utf-8")
    out = io.StringIO()
    call_command("verify_certificate", str(good), stdout=out)
    assert "valid:" in out.getvalue()
    document["payload"]["fee"] = None
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="INVALID"):
        call_command("verify_certificate", str(bad))
    with pytest.raises(CommandError, match="neither a file nor a license ID"):
        call_command("verify_certificate", "LIC-NOPE")
    vector = tmp_path / "vector.json"
    vector.write_text(block("vector", "certificate.json"), encoding="utf-8")
    with pytest.raises(
        CommandError, match="INVALID"
    ):  # signed by the test key, which this registry never published
        call_command("verify_certificate", str(vector))
