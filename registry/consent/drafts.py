"""Drafts of terms: create, edit, discard, and the preview of what signing one now would record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from registry.consent.models import FrozenRecordError, Term, TermVersion
from registry.consent.signing import (
    carry_separate_consent,
    new_personal_grants,
    next_number,
    separate_consent_required,
    unrepresented,
)
from registry.consent.summaries import review_text
from registry.consent.terms import canonical_document, clean_uses, previous_terms


@transaction.atomic
def create_draft(
    *,
    talent,
    effective_from: date,
    uses: dict[str, dict],
    actor=None,
    note: str = "",
    is_revocation: bool = False,
) -> TermVersion:
    cleaned = clean_uses(uses)
    version = TermVersion.objects.create(
        talent=talent,
        effective_from=effective_from,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
        is_revocation=is_revocation,
    )
    Term.objects.bulk_create([Term(version=version, use=use, **values) for use, values in cleaned.items()])
    return version


@transaction.atomic
def update_draft(
    version: TermVersion, *, effective_from: date, uses: dict[str, dict], note: str = ""
) -> TermVersion:
    """Replace a draft's terms (drafts are freely editable until signed)."""
    version = TermVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_signed:
        raise FrozenRecordError("Signed terms are immutable: create a new version instead.")
    cleaned = clean_uses(uses)
    version.effective_from = effective_from
    version.note = note
    version.save(update_fields=["effective_from", "note"])
    version.terms.all().delete()
    Term.objects.bulk_create([Term(version=version, use=use, **values) for use, values in cleaned.items()])
    return version


@transaction.atomic
def discard_draft(version: TermVersion) -> None:
    version = TermVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_signed:
        raise FrozenRecordError("Signed terms cannot be deleted.")
    version.delete()


@dataclass
class Preview:
    """What a draft will be when signed now: its terms, canonical document, SHA-256 and the text shown, and
    its new replica/AI-training grants (`grants`) with those that need their own separate consent."""

    terms: list[Term]
    document: str
    sha256: str
    text: str
    number: int
    grants: list[Term] = field(default_factory=list)
    separate: list[Term] = field(default_factory=list)
    # Separate consents without a lawyer or the union: the AB 2602 warning, and a tick each to sign anyway.
    unrepresented: list[Term] = field(default_factory=list)


def preview(version: TermVersion) -> Preview:
    """The canonical document a draft will have when signed now (with its prospective number).

    New replica/AI-training grants are shown as separately consented: signing requires that consent.
    """
    terms = list(version.terms.all())
    previous = previous_terms(version)
    carry_separate_consent(terms, previous)
    separate = separate_consent_required(terms, previous)
    for t in separate:
        t.separate_consent = True
    number = next_number(version.talent_id)
    version.number = number
    try:
        document = canonical_document(version, terms)
    finally:
        version.number = None
    sha256 = hashlib.sha256(document.encode()).hexdigest()
    alone = unrepresented(separate)
    text = review_text(version, terms, document, sha256, alone)
    return Preview(
        terms, document, sha256, text, number, new_personal_grants(terms, previous), separate, alone
    )
