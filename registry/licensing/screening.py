"""License offers screened against the talent's terms in effect: refusals, the license's duties, comparisons.

product.md §3 "License requests": a request the terms already answer with `denied` is refused with that
reason's code (`minor_protected`, `use_denied`, `excluded_category`), and so is a fee below the term's
minimum (`below_min_fee`); a license carries `ai_disclosure` (always for replica creation, replica use and
digital alteration, and when a term requires it) and `attribution` (when a term requires it).

Which terms: those in effect on *every day* of the requested period — the version in effect on valid_from
and every later version that takes effect on or before valid_until. A license runs for its whole period, so a
deny (or a duty) signed for any day of it applies; screening only the first day would let a request run into
a period she has already refused. With no term for the use there is nothing she has refused (the registry's
default, even AI training's `deny`, is not her answer), so the request goes to her.

Minimum fee: the offer must be in the term's currency and at least its amount. A fee in another currency is
refused as `below_min_fee` (the registry keeps no exchange rates, and she set the minimum in her currency).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from registry.consent import selectors as consent_selectors
from registry.consent import vocab
from registry.consent.categories import canonical_category
from registry.consent.models import Term, TermVersion
from registry.consent.vocab import (
    DEFAULT_EXCLUDED_CATEGORIES,
    MINOR_PROTECTED_CATEGORIES,
    Decision,
    Use,
    check_use,
)
from registry.core import labels
from registry.core.errors import DomainError
from registry.core.values import Money, parse_iso_date, parse_money
from registry.licensing.offers import Offer, clean_category

# Uses whose content is AI-generated or altered by nature: the license always carries the AI-disclosure duty.
USE_LABELS = dict(Use.choices)
# The order in which refusals are reported (product.md §3: rule 1b first, then the term's own answers).
REFUSAL_ORDER = ("minor_protected", "use_denied", "excluded_category", "below_min_fee")


@dataclass(frozen=True)
class Finding:
    """One thing the terms say about an offer: a refusal (`code` set) or a note for the brand (`code` "")."""

    code: str
    field: str
    detail: str


@dataclass
class Comparison:
    """One offer of a thread set against the terms in effect over its period (the talent's request page)."""

    kind: str
    use: str
    category: str
    fee: str
    min_fee: str
    ai_disclosure: bool
    ai_disclosure_required: bool
    attribution: bool
    attribution_required: bool
    warnings: list[str] = field(default_factory=list)


def load_versions(talent) -> list[TermVersion]:
    """The talent's signed versions with their terms (loaded once, screened for any period)."""
    return list(consent_selectors.signed_versions(talent))


def terms_over(versions: list[TermVersion], use: str, valid_from: date, valid_until: date) -> list[Term]:
    """The terms for `use` in effect on some day of [valid_from, valid_until]."""
    first = consent_selectors.in_effect_among(versions, valid_from)
    later = sorted(
        (v for v in versions if valid_from < v.effective_from <= valid_until),
        key=lambda v: (v.effective_from, v.number or 0),
    )
    chosen = ([first] if first else []) + later
    return [t for v in chosen for t in v.terms.all() if t.use == use]


def category_label(slug: str) -> str:
    return DEFAULT_EXCLUDED_CATEGORIES.get(slug) or slug.replace("_", " ").replace("-", " ").capitalize()


def use_label(use: str) -> str:
    label = USE_LABELS.get(use, use)
    return labels.in_sentence(label)


def _excluded(term: Term) -> set[str]:
    return {canonical_category(c) or c for c in term.excluded_categories or []}


def _min_fee(term: Term) -> Money | None:
    if term.decision == Decision.DENY or term.min_fee_amount is None:
        return None
    return Money(term.min_fee_amount, term.min_fee_currency or "USD")


def _below(fee: Money, minimum: Money) -> bool:
    return fee.currency != minimum.currency or fee.amount < minimum.amount


def required_conditions(use: str, terms: list[Term]) -> tuple[bool, bool]:
    """(ai_disclosure, attribution) a license for `use` must carry under these terms."""
    ai_disclosure = use in vocab.AI_DISCLOSURE_USES or any(t.ai_disclosure for t in terms)
    return ai_disclosure, any(t.attribution for t in terms)


def findings(
    talent,
    *,
    use: str,
    valid_from: date,
    valid_until: date,
    product_category: str = "",
    fee: Money | None = None,
    versions: list[TermVersion] | None = None,
) -> list[Finding]:
    """Everything the terms in effect say about an offer: refusals first (in REFUSAL_ORDER), then notes."""
    versions = load_versions(talent) if versions is None else versions
    terms = terms_over(versions, use, valid_from, valid_until)
    name, label = talent.stage_name, use_label(use)
    found: list[Finding] = []
    if product_category in MINOR_PROTECTED_CATEGORIES and talent.is_minor(valid_from):
        found.append(
            Finding(
                "minor_protected",
                "product_category",
                f"{name} is under 18: {category_label(product_category)} is never allowed for a minor.",
            )
        )
    if any(t.decision == Decision.DENY for t in terms):
        found.append(Finding("use_denied", "use", f"{name} does not allow {label}."))
    if product_category and any(product_category in _excluded(t) for t in terms):
        found.append(
            Finding(
                "excluded_category",
                "product_category",
                f"{category_label(product_category)} is excluded by {name}'s terms for {label}.",
            )
        )
    for minimum in dict.fromkeys(m for m in map(_min_fee, terms) if m is not None):
        text = f"{name}'s minimum fee for {label} is {minimum.currency} {minimum.amount:.2f}."
        if fee is not None and _below(fee, minimum):
            if fee.currency != minimum.currency:
                text += f" Offer the fee in {minimum.currency}."
            found.append(Finding("below_min_fee", "fee", text))
        else:
            found.append(Finding("", "fee", text))
    ai_disclosure, attribution = required_conditions(use, terms)
    if ai_disclosure:
        found.append(Finding("", "ai_disclosure", "The content must be labelled as AI-generated or altered."))
    if attribution:
        found.append(Finding("", "attribution", f"{name} must be credited (attribution)."))
    found.sort(key=lambda f: REFUSAL_ORDER.index(f.code) if f.code else len(REFUSAL_ORDER))
    return found


def _offer_findings(talent, offer: Offer, versions=None) -> list[Finding]:
    return findings(
        talent,
        use=offer.use,
        valid_from=offer.valid_from,
        valid_until=offer.valid_until,
        product_category=offer.product_category,
        fee=Money(offer.fee_amount, offer.fee_currency),
        versions=versions,
    )


def screen(talent, offer: Offer, *, only_absolute: bool = False) -> Offer:
    """The offer with the duties the terms require, or a DomainError with the first refusal's code.

    `only_absolute`: screen only what nobody may agree to (a minor's protected category) — for the talent
    side's own counter-offers, which may go below her minimum or past her own exclusions if she wishes.
    """
    versions = load_versions(talent)
    refusals = [f for f in _offer_findings(talent, offer, versions) if f.code]
    if only_absolute:
        refusals = [f for f in refusals if f.code == "minor_protected"]
    if refusals:
        raise DomainError(refusals[0].code, refusals[0].detail, refusals[0].field)
    terms = terms_over(versions, offer.use, offer.valid_from, offer.valid_until)
    ai_disclosure, attribution = required_conditions(offer.use, terms)
    # A duty the brand asked for stays; one the terms require is added (never dropped).
    return replace(
        offer,
        ai_disclosure=offer.ai_disclosure or ai_disclosure,
        attribution=offer.attribution or attribution,
    )


def license_duties(request) -> tuple[bool, bool]:
    """The duties of the license a request becomes: what was agreed, plus what the terms require on issue."""
    terms = terms_over(load_versions(request.talent), request.use, request.valid_from, request.valid_until)
    ai_disclosure, attribution = required_conditions(request.use, terms)
    return request.ai_disclosure or ai_disclosure, request.attribution or attribution


def precheck(talent, data) -> list[Finding]:
    """What the terms say about a request being typed (the web form's pre-check): partial input is fine,
    a missing or unreadable field is simply not screened (the form reports it on submit)."""
    try:
        use = check_use(data.get("use"))
    except DomainError:
        return []
    today = timezone.localdate()
    valid_from = _day(data.get("valid_from")) or today
    valid_until = max(_day(data.get("valid_until")) or valid_from, valid_from)
    try:
        category = clean_category(data.get("product_category"))
    except DomainError:
        category = ""
    try:
        fee = parse_money({"amount": data.get("fee_amount"), "currency": data.get("fee_currency")})
    except DomainError:
        fee = None
    return findings(
        talent,
        use=use,
        valid_from=valid_from,
        valid_until=valid_until,
        product_category=category,
        fee=fee,
    )


def _day(value) -> date | None:
    try:
        return parse_iso_date(value, "date", required=False)
    except DomainError:
        return None


def _parse_fee(terms: dict) -> Money | None:
    fee = terms.get("fee") or {}
    try:
        return Money(Decimal(str(fee["amount"])), str(fee["currency"]))
    except (KeyError, TypeError, InvalidOperation):
        return None


def compare_thread(request, offers) -> list[Comparison]:
    """Each request or counter-offer of the thread compared with the terms in effect over its period."""
    versions = load_versions(request.talent)
    rows = []
    for offer in offers:
        data = offer.terms or {}
        fee = _parse_fee(data)
        try:
            valid_from = date.fromisoformat(data["valid_from"])
            valid_until = date.fromisoformat(data["valid_until"])
        except (KeyError, TypeError, ValueError):
            continue
        use = data.get("use") or request.use
        category = data.get("product_category") or ""
        found = findings(
            request.talent,
            use=use,
            valid_from=valid_from,
            valid_until=valid_until,
            product_category=category,
            fee=fee,
            versions=versions,
        )
        terms = terms_over(versions, use, valid_from, valid_until)
        minimums = [m for m in map(_min_fee, terms) if m is not None]
        ai_required, attribution_required = required_conditions(use, terms)
        rows.append(
            Comparison(
                kind=offer.get_kind_display(),
                use=USE_LABELS.get(use, use),
                category=category_label(category) if category else "",
                fee=f"{fee.currency} {fee.amount:.2f}" if fee else "",
                min_fee=", ".join(f"{m.currency} {m.amount:.2f}" for m in minimums),
                ai_disclosure=bool(data.get("ai_disclosure")),
                ai_disclosure_required=ai_required,
                attribution=bool(data.get("attribution")),
                attribution_required=attribution_required,
                warnings=[f.detail for f in found if f.code]
                + _missing_duties(data, ai_required, attribution_required),
            )
        )
    return rows


def _missing_duties(data: dict, ai_required: bool, attribution_required: bool) -> list[str]:
    missing = []
    if ai_required and not data.get("ai_disclosure"):
        missing.append("The terms require AI disclosure: the license will carry it.")
    if attribution_required and not data.get("attribution"):
        missing.append("The terms require attribution: the license will carry it.")
    return missing
