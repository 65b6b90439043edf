"""Paper versions recorded by a registry import (registry.importer), written set-based.

Signing one version at a time (`signing.sign_version`) takes about ten queries: the draft, its terms,
locks, the previous version, the next number, the signature. Here the facts that signing reads (the
previous version, the next number, a paper form recorded before) are loaded for a whole batch of talent at
once, their rows locked like `sign_version` locks one, then extended by the versions before it in the file.
Each version goes through the same checks and the same canonical document as `sign_version`, in memory, and
is written in four statements per batch: versions inserted as drafts, their terms (the immutability
triggers of registry.consent.dbguard allow terms only on drafts), then the drafts marked signed (an update
of a draft, which the triggers allow).

Bulk writes send no `post_save`: the caller records the change feed (`terms_signed` / `terms_revoked`) and
replaces the talent's cached facts itself, in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from registry.consent import published
from registry.consent.models import Term, TermVersion
from registry.consent.paper import _clean_uses
from registry.consent.signing import carry_separate_consent, check_personal_consent, check_signer
from registry.consent.summaries import plain_text
from registry.consent.terms import canonical_document, known_categories
from registry.core.errors import DomainError
from registry.talent.models import TalentProfile


@dataclass
class NewPaperVersion:
    """One version as read from the file (talent, date, paper form, uses), or one already
    signed (loaded by `_known`, `created` False)."""

    talent: object
    effective_from: date
    document_ref: str
    uses: dict[str, dict]
    is_revocation: bool = False
    note: str = ""
    version: TermVersion | None = None  # set when recorded
    created: bool = False
    terms: list[Term] = field(default_factory=list)


@dataclass
class _Known:
    """A talent's versions as signing sees them: the signed ones (in the database or earlier in the file),
    the highest number taken (drafts included) and the paper forms recorded, by (effective_from, ref)."""

    signed: list[NewPaperVersion] = field(default_factory=list)
    last_number: int = 0
    forms: dict[tuple, NewPaperVersion] = field(default_factory=dict)


def _known(talent_ids: set[int]) -> dict[int, _Known]:
    """Every version of these talent, in two queries, their profile rows locked (two imports never number
    the same version: see sign_version)."""
    known = {pk: _Known() for pk in talent_ids}
    if not talent_ids:
        return known
    list(TalentProfile.objects.select_for_update().filter(pk__in=talent_ids).values_list("pk", flat=True))
    versions = TermVersion.objects.filter(talent_id__in=talent_ids).prefetch_related(
        Prefetch("terms", queryset=Term.objects.order_by("use"))
    )
    for v in versions:
        k = known[v.talent_id]
        k.last_number = max(k.last_number, v.number or 0)
        if v.status != TermVersion.Status.SIGNED:
            continue
        entry = NewPaperVersion(
            talent=v.talent_id,
            effective_from=v.effective_from,
            document_ref=v.document_ref,
            uses={},
            is_revocation=v.is_revocation,
            version=v,
            terms=list(v.terms.all()),
        )
        k.signed.append(entry)
        if v.signed_as == TermVersion.SignedAs.PAPER:
            k.forms[(v.effective_from, v.document_ref)] = entry
    return known


def signed_versions(talent_ids: set[int]) -> dict[int, list[NewPaperVersion]]:
    """The signed versions of these talent with their terms (for the rules that read them, like a license's
    AI-disclosure condition), loaded in two queries."""
    return {pk: k.signed for pk, k in _known(talent_ids).items()}


def _signed_in_memory(entry: NewPaperVersion, cleaned, known: _Known, actor, now):
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
    before = [e for e in known.signed if e.effective_from <= entry.effective_from]
    base = max(before, key=lambda e: (e.effective_from, e.version.number)) if before else None
    previous = {t.use: t for t in base.terms} if base else {}
    check_signer(draft, TermVersion.SignedAs.PAPER)
    check_personal_consent(draft, terms, TermVersion.SignedAs.PAPER, previous)
    carry_separate_consent(terms, previous)
    draft.number = known.last_number + 1
    document = canonical_document(draft, terms)
    draft.canonical_json = document
    draft.sha256 = hashlib.sha256(document.encode()).hexdigest()
    draft.signed_at = now
    draft.signed_as = TermVersion.SignedAs.PAPER
    draft.signer_name = talent.legal_name or talent.stage_name
    draft.text_shown = text_shown or document
    draft.document_ref = entry.document_ref
    return draft, terms


def record_paper_versions(entries: list[NewPaperVersion], *, actor=None) -> list[DomainError | None]:
    """Record these versions in file order: each entry gets its `version` (`created` False when the same
    paper form was recorded before, in the database or earlier in the file, with the same terms), or its
    refusal in the returned list (a DomainError: invalid terms, a signer who cannot sign, a form that
    differs), None where recorded."""
    now = timezone.now()
    categories = known_categories() if entries else None
    known = _known({e.talent.pk for e in entries})
    outcomes: list[DomainError | None] = []
    to_write: list[NewPaperVersion] = []
    for entry in entries:
        talent_known = known[entry.talent.pk]
        form = (entry.effective_from, entry.document_ref)
        same = talent_known.forms.get(form)
        try:
            cleaned = _clean_uses(entry.uses, categories)
            if same is not None and not same.created:  # recorded by an earlier import: compared as uses
                terms = [Term(use=use, **values) for use, values in cleaned.items()]
            else:
                draft, terms = _signed_in_memory(entry, cleaned, talent_known, actor, now)
        except DomainError as exc:
            outcomes.append(exc)
            continue
        if same is not None:  # the same paper form again: the version recorded from it, or a refusal
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
        talent_known.signed.append(entry)
        talent_known.last_number = draft.number
        talent_known.forms[form] = entry
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
