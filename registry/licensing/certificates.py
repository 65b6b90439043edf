"""Signed license certificates: the Ed25519 signing key, the canonical payload, offline verification, PDF.

A certificate is a JSON document `{"format", "algorithm", "key_id", "payload", "signature"}` whose signature
covers the canonical form of `payload`: the JSON Canonicalization Scheme, RFC 8785 (JCS), as UTF-8. Anyone
holding the public key published at /.well-known/license-signing-key.json can verify it offline with
`verify_certificate(document, public_key)` or with the snippets in docs/certificates.md; changing any byte of
the payload breaks the signature.

JCS replaced `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`. For the payloads
signed here (strings, booleans, null, arrays, objects with ASCII keys; no numbers) both give the same bytes,
including non-ASCII names such as "Mai Nguyễn", so every certificate signed before still verifies.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from registry.core import pdf
from registry.licensing.models import License, SigningKey

CERTIFICATE_FORMAT = "likeness-registry-license-certificate/1"
ALGORITHM = "Ed25519"


@dataclass(frozen=True)
class SigningMaterial:
    key_id: str
    private_key: Ed25519PrivateKey
    public_raw: bytes

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode()

    @property
    def public_pem(self) -> str:
        return (
            self.private_key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )


def _pem(public_raw: bytes) -> str:
    return (
        Ed25519PublicKey.from_public_bytes(public_raw)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def key_id_for(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def _raw_public(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@lru_cache(maxsize=4)
def _material_from_b64(private_b64: str) -> SigningMaterial:
    try:
        raw = base64.b64decode(private_b64, validate=True)
        private_key = Ed25519PrivateKey.from_private_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(
            "CERTIFICATE_SIGNING_KEY must be the base64 of a raw 32-byte Ed25519 private key."
        ) from exc
    public_raw = _raw_public(private_key)
    return SigningMaterial(key_id_for(public_raw), private_key, public_raw)


def _remember_public_key(material: SigningMaterial) -> None:
    """Record a configured key's public half, so certificates it signed stay verifiable after rotation."""
    SigningKey.objects.get_or_create(
        key_id=material.key_id, defaults={"private_key": "", "public_key": material.public_b64}
    )


def signing_material() -> SigningMaterial:
    """settings.CERTIFICATE_SIGNING_KEY, or else the key generated once and kept in the database."""
    if settings.CERTIFICATE_SIGNING_KEY:
        material = _material_from_b64(settings.CERTIFICATE_SIGNING_KEY)
        _remember_public_key(material)
        return material
    stored = SigningKey.objects.exclude(private_key="").order_by("created_at", "pk").first()
    if stored is None:
        private_key = Ed25519PrivateKey.generate()
        private_raw = private_key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        public_raw = _raw_public(private_key)
        try:
            with transaction.atomic():
                stored = SigningKey.objects.create(
                    key_id=key_id_for(public_raw),
                    private_key=base64.b64encode(private_raw).decode(),
                    public_key=base64.b64encode(public_raw).decode(),
                )
        except IntegrityError:  # pragma: no cover - a concurrent first use created it
            pass
        stored = SigningKey.objects.exclude(private_key="").order_by("created_at", "pk").first()
    return _material_from_b64(stored.private_key)


def published_keys() -> list[dict]:
    """Every key that signed certificates here (the current one first), for the well-known document.

    Rotation keeps old keys published: a configured key's public half is recorded when it is first used.
    """
    current = signing_material()
    keys = [(current.key_id, current.public_raw)]
    for stored in SigningKey.objects.order_by("created_at", "pk"):
        if stored.key_id != current.key_id:
            keys.append((stored.key_id, base64.b64decode(stored.public_key)))
    return [
        {
            "key_id": key_id,
            "algorithm": ALGORITHM,
            "public_key": base64.b64encode(raw).decode(),
            "public_key_pem": _pem(raw),
            "current": key_id == current.key_id,
        }
        for key_id, raw in keys
    ]


CANONICALIZATION = "RFC 8785 (JCS)"


def canonical_bytes(payload: dict) -> bytes:
    """The signed bytes: RFC 8785 JSON Canonicalization Scheme (keys sorted by UTF-16 code units, no
    whitespace, minimal string escapes, ECMAScript number form), UTF-8."""
    return rfc8785.dumps(payload)


def certificate_payload(license) -> dict:
    """What the certificate attests: public facts of the license and its duties (no private data of the
    talent). The signature covers every field, so the conditions cannot be dropped or changed."""
    talent = license.talent
    issued = license.approved_at or license.created_at or timezone.now()
    return {
        "license_id": license.license_id,
        "talent": {"registry_id": talent.registry_id, "stage_name": talent.stage_name},
        "organization": license.organization.name,
        "use": license.use,
        "scope": {
            "modalities": list(license.modalities),
            "territories": list(license.territories),
            "channels": list(license.channels),
            "product_category": license.product_category or None,
        },
        "period": {
            "valid_from": license.valid_from.isoformat(),
            "valid_until": license.valid_until.isoformat(),
        },
        "conditions": {"attribution": license.attribution, "ai_disclosure": license.ai_disclosure},
        "fee": (
            {"amount": f"{license.fee_amount:.2f}", "currency": license.fee_currency}
            if license.fee_amount is not None
            else None
        ),
        "issued_at": issued.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verify_url": f"{settings.SITE_URL}/licenses/{license.license_id}/verify/",
    }


def sign_payload(payload: dict, material: SigningMaterial | None = None) -> dict:
    material = material or signing_material()
    signature = material.private_key.sign(canonical_bytes(payload))
    return {
        "format": CERTIFICATE_FORMAT,
        "algorithm": ALGORITHM,
        "key_id": material.key_id,
        "payload": payload,
        "signature": base64.b64encode(signature).decode(),
    }


def _public_key(public_key) -> Ed25519PublicKey:
    if isinstance(public_key, Ed25519PublicKey):
        return public_key
    if isinstance(public_key, bytes) and len(public_key) == 32:
        return Ed25519PublicKey.from_public_bytes(public_key)
    text = public_key.decode() if isinstance(public_key, bytes) else str(public_key)
    if "BEGIN PUBLIC KEY" in text:
        loaded = serialization.load_pem_public_key(text.encode())
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError("Not an Ed25519 public key.")
        return loaded
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


def verify_certificate(document, public_key=None) -> bool:
    """True if `document` (a dict or its JSON text/bytes) carries a valid Ed25519 signature over its payload.

    `public_key`: the raw 32 bytes, their base64, a PEM, or an Ed25519PublicKey (offline use needs only it).
    Without it, the registry's published keys are tried (by key_id). Malformed input is simply not valid.
    """
    try:
        if isinstance(document, bytes | str):
            document = json.loads(document)
        if not isinstance(document, dict) or document.get("algorithm") != ALGORITHM:
            return False
        payload, signature = document["payload"], base64.b64decode(document["signature"], validate=True)
        if not isinstance(payload, dict):
            return False
        if public_key is None:
            matching = [k for k in published_keys() if k["key_id"] == document.get("key_id")]
            if not matching:
                return False
            public_key = matching[0]["public_key"]
        _public_key(public_key).verify(signature, canonical_bytes(payload))
        return True
    except (InvalidSignature, ValueError, TypeError, KeyError, binascii.Error, UnicodeError):
        return False


def certificate_for(license) -> dict:
    """The license's signed certificate; signed and stored at first use (e.g. for imported licenses)."""
    if license.certificate:
        return json.loads(license.certificate)
    document = sign_payload(certificate_payload(license))
    License.objects.filter(pk=license.pk, certificate="").update(certificate=certificate_json(document))
    stored = License.objects.filter(pk=license.pk).values_list("certificate", flat=True).first()
    license.certificate = stored or certificate_json(document)
    return json.loads(license.certificate)


def certificate_json(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True)


def qr_png_data_uri(url: str) -> str:
    import qrcode

    image = qrcode.make(url, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_pdf(license) -> bytes:
    """The printable certificate: facts, a QR code to the public verification page, payload and signature."""
    document = certificate_for(license)
    payload = document["payload"]
    html = render_to_string(
        "licensing/certificate_pdf.html",
        {
            "license": license,
            "payload": payload,
            "document": document,
            "payload_json": json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True),
            "qr": qr_png_data_uri(payload["verify_url"]),
            "verify_url": payload["verify_url"],
            "key_url": key_url(),
            "docs_canonicalization": CANONICALIZATION,
        },
    )
    return pdf.render_pdf(
        html, title=f"License certificate {payload['license_id']}", author=pdf.DEFAULT_AUTHOR, lang="en"
    )


def key_url() -> str:
    return f"{settings.SITE_URL}/.well-known/license-signing-key.json"
