"""Term versions signed on paper, recorded by a registry import (product.md §2), and the log of those imports.

A paper form is recorded once: the same form (talent, effective_from, document_ref) with the same terms is the
version already recorded; with different terms it is refused, since signed versions never change.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from registry.consent import terms as consent_terms
from registry.consent.models import RegistryImport
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
