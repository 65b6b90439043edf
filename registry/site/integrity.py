"""Integrity you can prove: re-hash every signed record and re-verify every signature, in batches.

- signed terms versions: the SHA-256 of the stored canonical document equals the stored digest, and the
  document re-rendered from the version's term rows equals the stored one (organization names aside: a
  renamed organization keeps the name the talent signed for);
- evidence originals: the file's bytes hash to the stored SHA-256 and have the stored size;
- notice PDFs: the file's bytes hash to the stored SHA-256;
- license certificates: the Ed25519 signature verifies with the key it names, over a payload that names
  the license it is stored with.

`verify()` yields a `Mismatch` per problem; `manage.py verify_integrity` prints them and exits 1 if any.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from registry.cases.models import Evidence, Notice
from registry.consent.models import Term, TermVersion
from registry.consent.terms import canonical_document
from registry.licensing import certificates
from registry.licensing.models import License, SigningKey

BATCH = 500
READ_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Mismatch:
    kind: str  # terms_version | evidence | notice | certificate
    id: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {self.detail}"


class Counts:
    """How many records of each kind were checked (filled while `verify` runs)."""

    def __init__(self):
        self.checked = {"terms_version": 0, "evidence": 0, "notice": 0, "certificate": 0}


def file_sha256(storage, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as f:
        while chunk := f.read(READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _without_organization_names(document: str) -> dict:
    doc = json.loads(document)
    for term in (doc.get("uses") or {}).values():
        if isinstance(term, dict) and isinstance(term.get("organizations"), list):
            term["organizations"] = [o.get("id") if isinstance(o, dict) else o for o in term["organizations"]]
    return doc


def check_terms_version(version: TermVersion) -> list[str]:
    problems = []
    stored = version.canonical_json or ""
    if hashlib.sha256(stored.encode()).hexdigest() != version.sha256:
        problems.append("the stored document does not hash to the stored SHA-256")
    rendered = canonical_document(version, list(version.terms.all()))
    if rendered != stored:
        try:
            same = _without_organization_names(rendered) == _without_organization_names(stored)
        except (ValueError, AttributeError):
            same = False
        if not same:
            problems.append("the term rows no longer render the signed document")
    return problems


def check_file(storage, name: str, sha256: str, size: int | None = None) -> list[str]:
    if not name:
        return ["no file recorded"]
    try:
        actual, actual_size = file_sha256(storage, name)
    except FileNotFoundError:
        return [f"file {name} is missing"]
    except OSError as exc:
        return [f"file {name} cannot be read ({type(exc).__name__})"]
    problems = []
    if actual != sha256:
        problems.append(f"file {name} hashes to {actual[:16]}…, recorded {sha256[:16]}…")
    if size is not None and actual_size != size:
        problems.append(f"file {name} has {actual_size} bytes, recorded {size}")
    return problems


def public_keys() -> dict[str, bytes]:
    """Every key that may have signed a certificate here, by key id (no key is created by looking)."""
    keys = {k.key_id: base64.b64decode(k.public_key) for k in SigningKey.objects.all()}
    if settings.CERTIFICATE_SIGNING_KEY:
        try:
            material = certificates._material_from_b64(settings.CERTIFICATE_SIGNING_KEY)
        except ValueError:
            pass
        else:
            keys.setdefault(material.key_id, material.public_raw)
    return keys


def check_certificate(license_id: str, text: str, keys: dict[str, bytes]) -> list[str]:
    try:
        document = json.loads(text)
    except ValueError:
        return ["the stored certificate is not JSON"]
    if not isinstance(document, dict):
        return ["the stored certificate is not a certificate document"]
    key = keys.get(str(document.get("key_id")))
    if key is None:
        return [f"the certificate names an unknown signing key {document.get('key_id')!r}"]
    if not certificates.verify_certificate(document, key):
        return ["the certificate's signature does not verify"]
    payload = document.get("payload") or {}
    if payload.get("license_id") != license_id:
        return [f"the certificate was signed for license {payload.get('license_id')!r}"]
    return []


def verify(counts: Counts | None = None, batch: int = BATCH) -> Iterator[Mismatch]:
    counts = counts or Counts()
    versions = (
        TermVersion.objects.filter(status=TermVersion.Status.SIGNED)
        .select_related("talent")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("use")))
        .order_by("pk")
    )
    for version in versions.iterator(chunk_size=batch):
        counts.checked["terms_version"] += 1
        for problem in check_terms_version(version):
            yield Mismatch("terms_version", str(version.pk), problem)

    evidence = Evidence.objects.only("pk", "original", "sha256", "size").order_by("pk")
    for item in evidence.iterator(chunk_size=batch):
        counts.checked["evidence"] += 1
        for problem in check_file(item.original.storage, item.original.name, item.sha256, item.size):
            yield Mismatch("evidence", str(item.pk), problem)

    for notice in (
        Notice.objects.only("pk", "case_id", "pdf", "sha256").order_by("pk").iterator(chunk_size=batch)
    ):
        counts.checked["notice"] += 1
        for problem in check_file(notice.pdf.storage, notice.pdf.name, notice.sha256):
            yield Mismatch("notice", str(notice.pk), problem)

    keys = public_keys()
    signed = (
        License.objects.exclude(certificate="").values_list("pk", "license_id", "certificate").order_by("pk")
    )
    for pk, license_id, text in signed.iterator(chunk_size=batch):
        counts.checked["certificate"] += 1
        for problem in check_certificate(license_id, text, keys):
            yield Mismatch("certificate", f"{license_id} (#{pk})", problem)
