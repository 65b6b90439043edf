"""The permission evaluator: the one place that decides a check by the rules of product.md §3.

Checks are evaluated in batches: the facts (talent, signed versions with their terms, the caller's licenses)
are loaded for the whole batch at once by `registry.checks.facts`, from the cache or with a fixed number of
queries whatever the batch size; a single check is a batch of one.

When a check ends in `license_required` under rule 7, `basis.reason` names one cause, the broadest first —
the one that no change of the request could cure (`RULE7_REASONS`):
`license_term` (the term asks for a license), `unverified_profile` (staff have not verified the profile:
no standing permission for anyone), `organization_not_named` (the term is limited to other organizations:
no request of this caller), `outside_conditions` (another modality, territory, channel or date might be).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils import timezone

from registry.checks import facts
from registry.consent import vocab
from registry.consent.categories import canonical_category
from registry.consent.selectors import in_effect_among
from registry.consent.vocab import MINOR_PROTECTED_CATEGORIES, Decision, Outcome, Use
from registry.core import labels
from registry.core.errors import DomainError
from registry.core.values import parse_iso_date, parse_slug
from registry.talent.registry_ids import canonical_registry_id

# The fields of a check (product.md §5); any other is a 400 unknown_field, never silently ignored.
CHECK_FIELDS = ("talent", "use", "modality", "territory", "channel", "date", "product_category")
REQUIRED_FIELDS = ("talent", "use", "modality", "territory", "channel")


class Reason(models.TextChoices):
    """Values of `basis.reason`."""

    NO_SIGNED_TERMS = "no_signed_terms", "No signed terms in effect on the date (rule 3)"
    NO_TERM_FOR_USE = "no_term_for_use", "The terms in effect say nothing about this use (rule 3)"
    MINOR_PROTECTED = "minor_protected", "A minor, and a category never used with minors (rule 1b)"
    EXCLUDED_CATEGORY = "excluded_category", "The term excludes the product category (rule 5)"
    LICENSE_TERM = "license_term", "The term's decision is license (rule 7)"
    UNVERIFIED_PROFILE = "unverified_profile", "Staff have not verified the profile (rule 7)"
    ORGANIZATION_NOT_NAMED = "organization_not_named", "The term names other organizations (rule 7)"
    OUTSIDE_CONDITIONS = "outside_conditions", "Outside the term's modalities, territories, channels or dates"


RULE7_REASONS = (
    Reason.LICENSE_TERM,
    Reason.UNVERIFIED_PROFILE,
    Reason.ORGANIZATION_NOT_NAMED,
    Reason.OUTSIDE_CONDITIONS,
)


@dataclass(frozen=True)
class CheckRequest:
    talent: str
    use: str
    modality: str
    territory: str
    channel: str
    date: date
    product_category: str = ""


@dataclass
class CheckResult:
    talent: str
    decision: str
    basis: dict | None
    conditions: dict
    valid_until: date | None
    evaluated_as_of: date
    verified: bool = False
    talent_pk: int | None = None
    request: CheckRequest | None = field(default=None, repr=False)
    # For the web page's wording only (not in the API answer): the conditions of an allow term that the
    # request lies outside of, as (field, asked, allowed) with allowed a list (a date: [from, until]).
    outside: tuple = field(default=(), repr=False)

    def as_dict(self) -> dict:
        return {
            "talent": self.talent,
            "verified": self.verified,
            "decision": self.decision,
            "basis": self.basis,
            "conditions": self.conditions,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "evaluated_as_of": self.evaluated_as_of.isoformat(),
        }


def _refuse_unknown_fields(data: Mapping) -> None:
    unknown = sorted((str(k) for k in data if k not in CHECK_FIELDS), key=str)
    if unknown:
        detail = (
            f"Unknown field(s) {', '.join(repr(k) for k in unknown)}: a check takes only "
            f"{', '.join(CHECK_FIELDS)}."
        )
        raise vocab.VocabularyError(
            "unknown_field", detail, unknown[0], fields={k: [f"Unknown field {k!r}."] for k in unknown}
        )


def parse_check(
    data: Mapping, *, today: date | None = None, categories: Mapping[str, str] | None = None
) -> CheckRequest:
    """Validate one check's fields and vocabulary. Raises vocab.VocabularyError (a 400 with a stable code).

    The registry ID is read as Crockford decoding reads it; the product category as people type it
    (`categories` is a `category_table()` read once for a batch).
    """
    if not isinstance(data, Mapping):
        raise vocab.VocabularyError("invalid", "Each check must be a JSON object.", "non_field_errors")
    _refuse_unknown_fields(data)
    missing = [f for f in REQUIRED_FIELDS if data.get(f) in (None, "")]
    if missing:
        raise vocab.VocabularyError(
            "required", f"Missing required field(s): {', '.join(missing)}.", missing[0]
        )
    for name in CHECK_FIELDS:
        if data.get(name) is not None and not isinstance(data.get(name), str):
            raise vocab.VocabularyError("invalid", f"Field {name!r} must be a string.", name)
    try:
        as_of = parse_iso_date(data.get("date"), "date", required=False) or today or timezone.localdate()
        typed = canonical_category(data.get("product_category") or "", table=categories)
        category = parse_slug(typed, "product_category")
    except DomainError as exc:  # one error type for the whole check: callers catch VocabularyError
        raise vocab.VocabularyError(exc.code, exc.detail, exc.field) from exc
    typed_id = data["talent"].strip()
    return CheckRequest(
        talent=canonical_registry_id(typed_id) or typed_id[:40],
        use=vocab.check_use(data["use"]),
        modality=vocab.check_modality(data["modality"]),
        territory=vocab.check_territory(data["territory"]),
        channel=vocab.check_channel(data["channel"]),
        date=as_of,
        product_category=category,
    )


def evaluate(request: CheckRequest, *, organization_id: int | None = None) -> CheckResult:
    return evaluate_many([request], organization_id=organization_id)[0]


def evaluate_many(
    requests: Iterable[CheckRequest], *, organization_id: int | None = None
) -> list[CheckResult]:
    requests = list(requests)
    if not requests:
        return []
    keys = [canonical_registry_id(r.talent) for r in requests]
    found = facts.load({k for k in keys if k}, organization_id)
    return [
        _decide(r, key or r.talent, found.talents.get(key), found.versions, found.licenses, organization_id)
        for r, key in zip(requests, keys, strict=True)
    ]


def _license_covers(lic, r: CheckRequest) -> bool:
    if lic.terminated_at is not None and timezone.localtime(lic.terminated_at).date() <= r.date:
        return False
    return (
        lic.use == r.use
        and r.modality in lic.modalities
        and (r.territory in lic.territories or vocab.WORLDWIDE in lic.territories)
        and r.channel in lic.channels
        and lic.valid_from <= r.date <= lic.valid_until
        and (not lic.product_category or lic.product_category == r.product_category)
    )


def license_conditions(lic) -> dict:
    """The duties a license carries (product.md §3): what a check it permits answers with."""
    return {"attribution": lic.attribution, "ai_disclosure": lic.ai_disclosure}


def term_conditions(term, *, include_excluded: bool) -> dict:
    conditions: dict = {"attribution": term.attribution, "ai_disclosure": term.ai_disclosure}
    if term.min_fee_amount is not None:
        conditions["min_fee"] = {"amount": f"{term.min_fee_amount:.2f}", "currency": term.min_fee_currency}
    if include_excluded and term.excluded_categories:
        conditions["excluded_categories"] = list(term.excluded_categories)
    return conditions


def _with_excluded(conditions: dict, extra: Iterable[str]) -> dict:
    """The term's excluded categories first, then those a minor's protection adds (rule 1b)."""
    extra = [c for c in extra if c not in conditions.get("excluded_categories", ())]
    if extra:
        conditions["excluded_categories"] = [*conditions.get("excluded_categories", ()), *extra]
    return conditions


def _outside(term, r: CheckRequest) -> tuple:
    """The conditions of the term that the request lies outside of (empty: inside all of them)."""
    outside = []
    if r.modality not in term.modalities:
        outside.append(("modality", r.modality, list(term.modalities)))
    if r.territory not in term.territories and vocab.WORLDWIDE not in term.territories:
        outside.append(("territory", r.territory, list(term.territories)))
    if r.channel not in term.channels:
        outside.append(("channel", r.channel, list(term.channels)))
    if (term.valid_from is not None and r.date < term.valid_from) or (
        term.valid_until is not None and r.date > term.valid_until
    ):
        outside.append(("date", r.date, [term.valid_from, term.valid_until]))
    return tuple(outside)


def _names(term, organization_id: int | None) -> bool:
    """Whether the term covers the caller: it names no organization, or names the caller's."""
    named = {str(o) for o in term.organizations or ()}
    return not named or (organization_id is not None and str(organization_id) in named)


def _rule7_reason(term, r: CheckRequest, talent, organization_id: int | None) -> tuple[str | None, tuple]:
    """(None, ()) when rule 6 permits; otherwise the first reason of RULE7_REASONS that applies."""
    outside = _outside(term, r) if term.decision == Decision.ALLOW else ()
    if term.decision != Decision.ALLOW:
        return Reason.LICENSE_TERM, outside
    if not talent.is_verified:
        return Reason.UNVERIFIED_PROFILE, outside
    if not _names(term, organization_id):
        return Reason.ORGANIZATION_NOT_NAMED, outside
    if outside:
        return Reason.OUTSIDE_CONDITIONS, outside
    return None, ()


def _decide(
    r: CheckRequest, key: str, talent, versions: dict, licenses: dict, organization_id: int | None
) -> CheckResult:
    registered = talent is not None and talent.is_registered

    def result(decision, basis=None, conditions=None, valid_until=None, outside=()):
        return CheckResult(
            talent=key,
            decision=str(decision),
            basis=basis,
            conditions=conditions or {},
            valid_until=valid_until,
            evaluated_as_of=r.date,
            verified=bool(registered and talent.is_verified),
            talent_pk=talent.pk if talent else None,
            request=r,
            outside=outside,
        )

    # Rule 1: unknown or withdrawn talent.
    if not registered:
        return result(Outcome.NOT_REGISTERED)

    # Rule 1b: a minor on the date is never used for the protected categories, whatever terms or licenses
    # say; with no category named, those categories are returned among the excluded ones.
    minor = talent.is_minor(r.date)
    if minor and r.product_category in MINOR_PROTECTED_CATEGORIES:
        return result(Outcome.DENIED, {"kind": "default", "reason": Reason.MINOR_PROTECTED.value})
    protected = sorted(MINOR_PROTECTED_CATEGORIES) if minor and not r.product_category else []

    # Rule 2: a license of the calling organization covers the request.
    for lic in licenses.get((talent.pk, r.use), ()):
        if _license_covers(lic, r):
            basis = {"kind": "license", "license_id": lic.license_id}
            conditions = _with_excluded(license_conditions(lic), protected)
            return result(Outcome.PERMITTED, basis, conditions, lic.valid_until)

    # Rule 3: the terms version in effect on the date; no version or no term → license (ai_training: denied).
    default = Outcome.DENIED if r.use == Use.AI_TRAINING else Outcome.LICENSE_REQUIRED
    version = in_effect_among(versions.get(talent.pk, []), r.date)
    if version is None:
        basis = {"kind": "default", "reason": Reason.NO_SIGNED_TERMS.value}
        return result(default, basis, _with_excluded({}, protected))
    basis = {"kind": "terms", "version": version.number, "sha256": version.sha256}
    term = next((t for t in version.terms if t.use == r.use), None)
    if term is None:
        basis = {**basis, "reason": Reason.NO_TERM_FOR_USE.value}
        return result(default, basis, _with_excluded({}, protected))

    conditions = _with_excluded(term_conditions(term, include_excluded=not r.product_category), protected)
    # Rule 4: deny.
    if term.decision == Decision.DENY:
        return result(Outcome.DENIED, basis, conditions, term.valid_until)
    # Rule 5: excluded product category (skipped when the check names none).
    if r.product_category and r.product_category in term.excluded_categories:
        basis = {**basis, "reason": Reason.EXCLUDED_CATEGORY.value}
        return result(Outcome.DENIED, basis, conditions, term.valid_until)
    # Rule 6: allow, inside its conditions, for a named caller, on a verified profile.
    reason, outside = _rule7_reason(term, r, talent, organization_id)
    if reason is None:
        return result(Outcome.PERMITTED, basis, conditions, term.valid_until)
    # Rule 7: license, or allow outside its conditions, for another caller, or on an unverified profile.
    basis = {**basis, "reason": reason.value}
    return result(Outcome.LICENSE_REQUIRED, basis, conditions, term.valid_until, outside)


labels.register("reason", Reason)
