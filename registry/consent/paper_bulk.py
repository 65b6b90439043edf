"""Paper versions of talent a registry import has just created, written set-based (registry.importer).

`record_paper_version` signs one version at a time (about ten queries: the draft, its terms, locks, the
previous version, the next number, the signature). A talent created by the same import has no version in
the database, so every fact that signing reads from it — the previous version, the next number, a paper form
recorded before — comes from the versions before it in the file. Here each version goes through the same
checks and the same canonical document as `sign_version`, in memory, and is written in four statements per
batch: versions inserted as drafts, their terms (the immutability triggers of registry.consent.dbguard
allow terms only on drafts), then the drafts marked signed (an update of a draft, which the triggers allow).

Bulk writes send no `post_save`: the caller records the change feed (`terms_signed` / `terms_revoked`) and
replaces the talent's cached facts itself, in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from registry.consent import published
from registry.consent.models import Term, TermVersion
from registry.consent.paper import _clean_uses
from registry.consent.signing import carry_separate_consent, check_personal_consent, check_signer
from registry.consent.summaries import plain_text
from registry.consent.terms import canonical_document, known_categories
from registry.core.errors import DomainError


@dataclass
class NewPaperVersion:
    """One version of a new talent as read from the file (the same arguments as `record_paper_version`)."""

    talent: object
    effective_from: date
    document_ref: str
    uses: dict[str, dict]
    is_revocation: bool = False
    note: str = ""
    version: TermVersion | None = None  # set when recorded
    created: bool = False
    terms: list[Term] = field(default_factory=list)


def _signed_in_memory(entry: NewPaperVersion, cleaned, earlier: list[NewPaperVersion], actor, now):
    talent = entry.talent
    draft = TermVersion(
        talent=talent,
        effective_from=entry.effective_from,
        is_revocation=entry.is_revocation,
        note=entry.note or f"Imported from {entry.document_ref}",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    terms = [Term(version=draft, use=use, **values) for use, values in cleaned.items()]
    text_shown = plain_text(draft, terms)
    # The signed version this one follows: in effect on its effective_from (latest date, then number).
    before = [e for e in earlier if e.effective_from <= entry.effective_from]
    base = max(before, key=lambda e: (e.effective_from, e.version.number)) if before else None
    previous = {t.use: t for t in base.terms} if base else {}
    check_signer(draft, TermVersion.SignedAs.PAPER)
    check_personal_consent(draft, terms, TermVersion.SignedAs.PAPER, previous)
    carry_separate_consent(terms, previous)
    draft.number = len(earlier) + 1
    document = canonical_document(draft, terms)
    draft.canonical_json = document
    draft.sha256 = hashlib.sha256(document.encode()).hexdigest()
    draft.signed_at = now
    draft.signed_as = TermVersion.SignedAs.PAPER
    draft.signer_name = talent.legal_name or talent.stage_name
    draft.text_shown = text_shown or document
    draft.document_ref = entry.document_ref
    return draft, terms


def record_new_paper_versions(entries: list[NewPaperVersion], *, actor=None) -> list[DomainError | None]:
    """Record the versions of talent created by this import, in file order: each entry gets its `version`
    (`created` False when the same form appeared earlier in the file with the same terms), or its refusal
    (the same DomainErrors as `record_paper_version`) in the returned list, None where it was recorded."""
    now = timezone.now()
    categories = known_categories() if entries else None
    outcomes: list[DomainError | None] = []
    signed_by_talent: dict[int, list[NewPaperVersion]] = {}
    by_form: dict[tuple, NewPaperVersion] = {}
    to_write: list[NewPaperVersion] = []
    for entry in entries:
        try:
            cleaned = _clean_uses(entry.uses, categories)
            earlier = signed_by_talent.setdefault(entry.talent.pk, [])
            form = (entry.talent.pk, entry.effective_from, entry.document_ref)
            draft, terms = _signed_in_memory(entry, cleaned, earlier, actor, now)
        except DomainError as exc:
            outcomes.append(exc)
            continue
        same = by_form.get(form)
        if same is not None:  # the same paper form twice in the file: one version, or a refusal
            probe = canonical_document(
                TermVersion(
                    talent=entry.talent,
                    number=same.version.number,
                    effective_from=entry.effective_from,
                    is_revocation=entry.is_revocation,
                ),
                terms,
            )
            if hashlib.sha256(probe.encode()).hexdigest() != same.version.sha256:
                outcomes.append(
                    DomainError(
                        "paper_version_differs",
                        f"Differs from version {same.version.number}, already imported from "
                        f"{entry.document_ref!r}; signed versions never change: give the new paper form its "
                        "own document_ref.",
                        status=409,
                    )
                )
                continue
            entry.version, entry.created, entry.terms = same.version, False, same.terms
            outcomes.append(None)
            continue
        entry.version, entry.created, entry.terms = draft, True, terms
        earlier.append(entry)
        by_form[form] = entry
        to_write.append(entry)
        outcomes.append(None)
    if to_write:
        _write(to_write)
    return outcomes


def _write(entries: list[NewPaperVersion]) -> None:
    versions = [e.version for e in entries]
    for v in versions:
        v.status = TermVersion.Status.DRAFT  # terms may only be added to a draft (dbguard triggers)
    TermVersion.objects.bulk_create(versions, batch_size=1000)
    terms = []
    for e in entries:
        for t in e.terms:
            t.version = e.version
            terms.append(t)
    Term.objects.bulk_create(terms, batch_size=2000)
    TermVersion.objects.filter(pk__in=[v.pk for v in versions]).update(status=TermVersion.Status.SIGNED)
    for v in versions:
        v.status = TermVersion.Status.SIGNED
    published.terms_changed()  # /.well-known/tdmrep.json is rebuilt after commit
