"""Reads of terms that carry rules: history, the version in effect on a date, diffs between versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from registry.consent.models import Term, TermVersion
from registry.consent.summaries import FIELD_LABELS, USE_LABELS, USE_ORDER, default_decision
from registry.consent.terms import TERM_FIELDS


def signed_versions(talent) -> QuerySet[TermVersion]:
    """Every signed version of a talent, newest first, with their terms (a fixed number of queries)."""
    return (
        TermVersion.objects.filter(talent=talent, status=TermVersion.Status.SIGNED)
        .select_related("signed_by", "talent")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("use")))
        .order_by("-number")
    )


def drafts(talent) -> QuerySet[TermVersion]:
    return (
        TermVersion.objects.filter(talent=talent, status=TermVersion.Status.DRAFT)
        .select_related("created_by")
        .order_by("-created_at")
    )


def version_in_effect(talent, on: date | None = None) -> TermVersion | None:
    """The latest signed version whose effective_from is on or before `on` (product.md §3, rule 3)."""
    on = on or timezone.localdate()
    return (
        TermVersion.objects.filter(talent=talent, status=TermVersion.Status.SIGNED, effective_from__lte=on)
        .select_related("talent")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("use")))
        .order_by("-effective_from", "-number")
        .first()
    )


def in_effect_among(versions: list[TermVersion], on: date) -> TermVersion | None:
    """The same rule over an already loaded list (any order)."""
    in_effect = [v for v in versions if v.effective_from <= on]
    return max(in_effect, key=lambda v: (v.effective_from, v.number or 0), default=None)


def signed_version(talent, number: int) -> TermVersion | None:
    return (
        TermVersion.objects.filter(talent=talent, status=TermVersion.Status.SIGNED, number=number)
        .select_related("talent", "signed_by")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("use")))
        .first()
    )


@dataclass
class FieldChange:
    field: str
    label: str
    before: object
    after: object


@dataclass
class UseDiff:
    use: str
    label: str
    status: str  # "added", "removed", "changed", "unchanged"
    changes: list[FieldChange] = field(default_factory=list)


def _term_values(term: Term | None, use: str) -> dict:
    if term is None:
        # A missing term means the registry default decision with no conditions.
        return {"decision": default_decision(use)}
    return {f: getattr(term, f) for f in TERM_FIELDS}


def diff(older: TermVersion, newer: TermVersion) -> list[UseDiff]:
    """Per use, which fields changed from `older` to `newer` (terms must be prefetched or are loaded)."""
    return diff_terms({t.use: t for t in older.terms.all()}, {t.use: t for t in newer.terms.all()})


def diff_terms(a: dict[str, Term], b: dict[str, Term]) -> list[UseDiff]:
    """The same over terms by use (a draft's previewed terms, or the version a draft follows)."""
    result = []
    for use in USE_ORDER:
        if use not in a and use not in b:
            continue
        before, after = _term_values(a.get(use), use), _term_values(b.get(use), use)
        changes = [
            FieldChange(f, FIELD_LABELS.get(f, f), before.get(f), after.get(f))
            for f in TERM_FIELDS
            if _normal(before.get(f)) != _normal(after.get(f))
        ]
        if use not in a:
            status = "added"
        elif use not in b:
            status = "removed"
        else:
            status = "changed" if changes else "unchanged"
        result.append(UseDiff(use, USE_LABELS[use], status, changes))
    return result


def _normal(value):
    """Missing, empty and False compare equal (an absent term has no conditions)."""
    if value in (None, "", [], False):
        return None
    return value


def signed_versions_by_talent(talent_pks: list[int], up_to: date) -> dict[int, list[TermVersion]]:
    """Signed versions effective by `up_to` for many talent at once (two queries), by talent pk."""
    by_talent: dict[int, list[TermVersion]] = {}
    qs = (
        TermVersion.objects.filter(
            talent_id__in=talent_pks, status=TermVersion.Status.SIGNED, effective_from__lte=up_to
        )
        .only("pk", "talent_id", "number", "effective_from", "sha256")
        .prefetch_related("terms")
        .order_by("talent_id", "effective_from", "number")
    )
    for version in qs:
        by_talent.setdefault(version.talent_id, []).append(version)
    return by_talent
