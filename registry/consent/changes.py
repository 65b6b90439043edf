"""What a new version changes, in words, for the person about to sign it (or comparing two signed versions):
"Advertising: now also never for adult and political products." Built on selectors.diff_terms."""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.consent import selectors
from registry.consent.models import Term, TermVersion
from registry.consent.organizations import attach_names, names_by_id
from registry.consent.summaries import (
    CHANNEL_LABELS,
    MODALITY_LABELS,
    _join,
    category_label,
    public_conditions,
    territories_text,
)
from registry.consent.terms import clean_uses
from registry.consent.vocab import WORLDWIDE, Decision

# The decision in the signer's words (she reads her own terms).
DECISION_WORDS = {
    Decision.ALLOW: "allowed within your conditions",
    Decision.LICENSE: "only with a license you approve",
    Decision.DENY: "not allowed",
}

LIST_NOUNS = {
    "modalities": ("media", MODALITY_LABELS),
    "channels": ("channels", CHANNEL_LABELS),
}

TEXT_FIELDS = {
    "consent_description": "intended use",
    "consent_duration": "duration",
    "consent_pay": "pay",
    "represented_by": "represented by",
}


@dataclass
class UseChange:
    use: str
    label: str
    status: str  # "added", "removed", "changed"
    phrases: list[str]

    @property
    def text(self) -> str:
        return f"{self.label}: " + "; ".join(self.phrases) + "."


@dataclass
class Changes:
    """The changes from `base` (the signed version compared with; None: the registry defaults)."""

    base: TermVersion | None
    items: list[UseChange] = field(default_factory=list)

    @property
    def uses(self) -> frozenset[str]:
        return frozenset(item.use for item in self.items)


def _money(amount, currency) -> str:
    return f"{amount:.2f} {currency}".strip() if amount is not None else ""


def _set_phrases(name: str, before, after, org_names: dict) -> list[str]:
    before, after = list(before or []), list(after or [])
    added = [v for v in after if v not in before]
    removed = [v for v in before if v not in after]
    if name == "excluded_categories":
        phrases = []
        if added:
            phrases.append(f"now also never for {_join([category_label(c) for c in added]).lower()} products")
        if removed:
            phrases.append(f"no longer excluded: {_join([category_label(c) for c in removed]).lower()}")
        return phrases
    if name == "territories":
        if WORLDWIDE in after or WORLDWIDE in before or not before:
            return [f"countries now {territories_text(after)} (was {territories_text(before)})"]
        phrases = [f"now also in {_join(added)}"] if added else []
        return phrases + ([f"no longer in {_join(removed)}"] if removed else [])
    if name == "organizations":
        if not after:
            return ["now for any organization"]
        names = _join(sorted(org_names.get(i, f"organization #{i}") for i in after))
        return [f"now only for {names}"]
    noun, labels = LIST_NOUNS[name]
    phrases = [f"{noun}: now also {_join(added, labels).lower()}"] if added else []
    return phrases + ([f"{noun}: no longer {_join(removed, labels).lower()}"] if removed else [])


def _date_phrase(name: str, before, after) -> str:
    word = "valid from" if name == "valid_from" else "valid until"
    if after is None:
        return f"no {'start' if name == 'valid_from' else 'end'} date now (was {word} {before.isoformat()})"
    was = (
        f"was {before.isoformat()}"
        if before
        else f"no {'start' if name == 'valid_from' else 'end'} date before"
    )
    return f"{word} {after.isoformat()} ({was})"


def _flag_phrase(name: str, after) -> str:
    what = "credit" if name == "attribution" else "an AI label"
    return f"{what} now required" if after else f"{what} no longer required"


def _phrases(diff: selectors.UseDiff, after_term, org_names: dict) -> list[str]:
    by_field = {c.field: c for c in diff.changes}
    phrases = []
    decision = by_field.pop("decision", None)
    if decision is not None:
        now, was = DECISION_WORDS[Decision(decision.after)], DECISION_WORDS[Decision(decision.before)]
        phrases.append(f"now {now} (was {was})")
        if decision.after == Decision.ALLOW and after_term is not None:
            return phrases + [line.rstrip(".") for line in public_conditions(after_term)]
        if decision.after != Decision.ALLOW:
            by_field = {k: v for k, v in by_field.items() if k == "excluded_categories"}
    fee = [by_field.pop(k, None) for k in ("min_fee_amount", "min_fee_currency")]
    for name, change in by_field.items():
        if name in ("modalities", "territories", "channels", "excluded_categories", "organizations"):
            phrases += _set_phrases(name, change.before, change.after, org_names)
        elif name in ("valid_from", "valid_until"):
            phrases.append(_date_phrase(name, change.before, change.after))
        elif name in ("attribution", "ai_disclosure"):
            phrases.append(_flag_phrase(name, change.after))
        elif name in TEXT_FIELDS:
            phrases.append(f"{TEXT_FIELDS[name]} now “{change.after or '—'}”")
    if any(fee):
        amount, currency = (
            (c.before if c else getattr(after_term, k, None))
            for c, k in zip(fee, ("min_fee_amount", "min_fee_currency"), strict=True)
        )
        before_fee = _money(amount, currency or "")
        after_fee = _money(
            getattr(after_term, "min_fee_amount", None), getattr(after_term, "min_fee_currency", "")
        )
        phrases.append(f"minimum fee now {after_fee or 'none'} (was {before_fee or 'none'})")
    return phrases


def describe(before_terms: dict, after_terms: dict) -> list[UseChange]:
    """Per changed use, what differs, in words (unchanged uses are left out)."""
    diffs = selectors.diff_terms(before_terms, after_terms)
    attach_names(after_terms.values())
    org_ids = {i for t in after_terms.values() for i in (t.organizations or [])}
    org_names = names_by_id(org_ids)
    items = []
    for d in diffs:
        if not d.changes:
            continue
        phrases = _phrases(d, after_terms.get(d.use), org_names) or ["changed"]
        items.append(UseChange(d.use, d.label, d.status, phrases))
    return items


def for_draft(draft: TermVersion, terms) -> Changes:
    """What signing `draft` (with its previewed `terms`) changes from the version it follows."""
    base = selectors.version_in_effect(draft.talent, draft.effective_from)
    before = {t.use: t for t in base.terms.all()} if base else {}
    return Changes(base, describe(before, {t.use: t for t in terms}))


def between(older: TermVersion, newer: TermVersion) -> Changes:
    return Changes(
        older, describe({t.use: t for t in older.terms.all()}, {t.use: t for t in newer.terms.all()})
    )


def for_uses(talent, effective_from, uses: dict[str, dict]) -> Changes:
    """What a version with these uses (product.md §2 shape; a revocation's step) changes from the version in
    effect on its date."""
    base = selectors.version_in_effect(talent, effective_from)
    before = {t.use: t for t in base.terms.all()} if base else {}
    probe = TermVersion(talent=talent, effective_from=effective_from, is_revocation=True)
    after = {use: Term(version=probe, use=use, **values) for use, values in clean_uses(uses).items()}
    return Changes(base, describe(before, after))
