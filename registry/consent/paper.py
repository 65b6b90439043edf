"""Term versions signed on paper, recorded by a registry import (DESIGN.md §2), and the log of those imports.

A paper form is recorded once: the same form (talent, effective_from, document_ref) with the same terms is the
version already recorded; with different terms it is refused, since signed versions never change.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from registry.consent import signing as consent_signing
from registry.consent import terms as consent_terms
from registry.consent.models import RegistryImport, Term, TermVersion
from registry.consent.summaries import plain_text
from registry.core.errors import DomainError


def _clean_uses(uses: dict[str, dict], categories=None) -> dict[str, dict]:
    """`categories`: `known_categories()` when the caller already has them (a batch)."""
    categories = consent_terms.known_categories() if categories is None else categories
    cleaned, errors = {}, []
    for use, data in uses.items():
        try:
            cleaned[use] = consent_terms.clean_term(use, data, categories=categories)
        except ValidationError as exc:
            errors.extend(f"{key}: {' '.join(messages)}" for key, messages in exc.message_dict.items())
    if errors or not cleaned:
        raise DomainError("invalid_terms", " ".join(errors) or "A version needs at least one use.", "uses")
    return cleaned


def _digest(version: TermVersion, uses: dict[str, dict]) -> str:
    terms = [Term(version=version, use=use, **values) for use, values in uses.items()]
    return hashlib.sha256(consent_terms.canonical_document(version, terms).encode()).hexdigest()


@transaction.atomic
def record_paper_version(
    talent,
    *,
    effective_from: date,
    document_ref: str,
    uses: dict[str, dict],
    is_revocation: bool = False,
    note: str = "",
    actor=None,
) -> tuple[TermVersion, bool]:
    """The version signed on the paper form `document_ref`, recorded as signed (created=True), or the one
    already recorded from that form (created=False). `uses` have the DESIGN.md §2 shape of each use's term."""
    cleaned = _clean_uses(uses)
    existing = (
        TermVersion.objects.filter(
            talent=talent,
            signed_as=TermVersion.SignedAs.PAPER,
            effective_from=effective_from,
            document_ref=document_ref,
        )
        .select_related("talent")
        .first()
    )
    if existing is not None:
        probe = TermVersion(
            talent=talent,
            number=existing.number,
            effective_from=existing.effective_from,
            is_revocation=is_revocation,
        )
        if _digest(probe, cleaned) != existing.sha256:
            raise DomainError(
                "paper_version_differs",
                f"Differs from version {existing.number}, already imported from {document_ref!r}; signed "
                "versions never change: give the new paper form its own document_ref.",
                status=409,
            )
        return existing, False
    draft = TermVersion.objects.create(
        talent=talent,
        effective_from=effective_from,
        is_revocation=is_revocation,
        note=note or f"Imported from {document_ref}",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Term.objects.bulk_create([Term(version=draft, use=use, **values) for use, values in cleaned.items()])
    ctx = consent_signing.SignatureContext(
        actor=None,
        signed_as=TermVersion.SignedAs.PAPER,
        signer_name=talent.legal_name or talent.stage_name,
        text_shown=plain_text(draft),
        document_ref=document_ref,
    )
    return consent_signing.sign_version(draft, ctx), True


def start_registry_import(
    *, source: str, actor=None, file_name: str = "", file_sha256: str
) -> RegistryImport:
    """Log one run of the importer (command or staff page); `finish_registry_import` stores its changes."""
    return RegistryImport.objects.create(
        source=source,
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
        file_name=file_name[:200],
        file_sha256=file_sha256,
    )


def finish_registry_import(record: RegistryImport, *, summary: dict) -> RegistryImport:
    record.summary = summary
    record.save(update_fields=["summary"])
    return record
