"""The shape of a term: its fields, validation of one use's term, and the canonical document of a version."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from registry.consent import organizations as term_organizations
from registry.consent import vocab
from registry.consent.models import ProductCategory, Term, TermVersion
from registry.consent.vocab import PERSONAL_CONSENT_USES, Decision
from registry.core.errors import DomainError
from registry.core.values import parse_iso_date

TERM_FIELDS = (
    "decision",
    "modalities",
    "territories",
    "channels",
    "valid_from",
    "valid_until",
    "min_fee_amount",
    "min_fee_currency",
    "attribution",
    "ai_disclosure",
    "excluded_categories",
    "organizations",
    "consent_description",
    "consent_duration",
    "consent_pay",
    "represented_by",
    "separate_consent",
)


# The keys a use may carry in the product.md §2 document (imports, drafts).
TERM_INPUT_KEYS = frozenset({f for f in TERM_FIELDS if not f.startswith("min_fee")} | {"min_fee"})


def known_categories() -> frozenset[str]:
    return frozenset(ProductCategory.objects.values_list("slug", flat=True)) | frozenset(
        vocab.DEFAULT_EXCLUDED_CATEGORIES
    )


def _min_fee(fee) -> tuple[Decimal | None, str]:
    """A minimum fee {"amount", "currency"}, or (None, "") when none is given; ValueError when malformed."""
    if fee in (None, {}):
        return None, ""
    try:
        amount = Decimal(str(fee["amount"]))
        currency = str(fee.get("currency", "")).upper()
    except (KeyError, TypeError, AttributeError, InvalidOperation) as exc:
        raise ValueError from exc
    if not amount.is_finite() or amount < 0 or currency not in vocab.CURRENCIES:
        raise ValueError
    return amount.quantize(Decimal("0.01")), currency


def _organizations(use: str, data: dict, decision: str, errors: dict[str, str]) -> list[int]:
    """Organization ids an `allow` is limited to; an unknown id is an error naming it."""
    values = data.get("organizations") or []
    key = f"{use}.organizations"
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        errors[key] = "Must be a list of organization ids."
        return []
    if values and decision != Decision.ALLOW:
        errors[key] = "Only an allowed use is limited to named organizations."
        return []
    unknown = term_organizations.unknown_ids(values)
    if unknown:
        errors[key] = f"Unknown organization id(s): {', '.join(map(str, unknown))}."
    return sorted(set(values))


def clean_term(use: str, data: dict, *, categories: frozenset[str] | None = None) -> dict:
    """Validate one use's term (product.md §2 shape, as in the import format) into model field values."""
    try:
        vocab.check_use(use)
    except vocab.VocabularyError as exc:
        raise ValidationError({"use": exc.detail})
    if not isinstance(data, dict):
        raise ValidationError({use: "Each use must map to an object with at least a decision."})
    decision = data.get("decision")
    if decision not in Decision.values:
        raise ValidationError({f"{use}.decision": f"Decision must be one of {', '.join(Decision.values)}."})
    errors: dict[str, str] = {}
    for key in sorted(set(data) - TERM_INPUT_KEYS, key=str):
        errors[f"{use}.{key}"] = f"Unknown field {key!r}."

    def listed(name, check, **kw):
        values = data.get(name) or []
        if not isinstance(values, list):
            errors[f"{use}.{name}"] = "Must be a list."
            return []
        out, bad = [], []
        for v in values:
            try:
                out.append(check(v, **kw))
            except vocab.VocabularyError as exc:
                bad.append(exc.detail)
        if bad:
            errors[f"{use}.{name}"] = " ".join(bad)
        return sorted(set(out))

    def text(name, limit):
        value = data.get(name, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            errors[f"{use}.{name}"] = "Must be text."
            return ""
        value = value.strip()
        if len(value) > limit:
            errors[f"{use}.{name}"] = f"At most {limit} characters."
        return value

    def flag(name):
        value = data.get(name, False)
        if not isinstance(value, bool):
            errors[f"{use}.{name}"] = "Must be true or false."
        return value is True

    def day(name):
        try:
            return parse_iso_date(data.get(name), f"{use}.{name}", required=False)
        except DomainError as exc:
            errors[exc.field] = f"{data.get(name)!r} is not a date in YYYY-MM-DD form."
            return None

    categories = categories if categories is not None else known_categories()
    cleaned = {
        "decision": decision,
        "modalities": listed("modalities", vocab.check_modality),
        "territories": listed("territories", vocab.check_territory, allow_worldwide=True),
        "channels": listed("channels", vocab.check_channel),
        "excluded_categories": listed("excluded_categories", lambda v: vocab.check_category(v, categories)),
        "attribution": flag("attribution"),
        "ai_disclosure": flag("ai_disclosure"),
        "consent_description": text("consent_description", 2000),
        "consent_duration": text("consent_duration", 200),
        "consent_pay": text("consent_pay", 200),
        "represented_by": text("represented_by", 200),
        "separate_consent": flag("separate_consent"),
        "valid_from": day("valid_from"),
        "valid_until": day("valid_until"),
    }
    cleaned["organizations"] = _organizations(use, data, decision, errors)
    if cleaned["valid_from"] and cleaned["valid_until"] and cleaned["valid_from"] > cleaned["valid_until"]:
        errors[f"{use}.valid_until"] = "The validity window ends before it starts."
    try:
        cleaned["min_fee_amount"], cleaned["min_fee_currency"] = _min_fee(data.get("min_fee"))
    except ValueError:
        cleaned["min_fee_amount"], cleaned["min_fee_currency"] = None, ""
        errors[f"{use}.min_fee"] = 'Minimum fee must look like {"amount": "500.00", "currency": "USD"}.'
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_uses(uses: dict[str, dict]) -> dict[str, dict]:
    """Validate every use's term; one ValidationError naming every bad field."""
    categories = known_categories()
    cleaned, errors = {}, {}
    for use, data in uses.items():
        try:
            cleaned[use] = clean_term(use, data, categories=categories)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def canonical_document(version: TermVersion, terms: list[Term] | None = None) -> str:
    """The canonical JSON of a version: sorted keys, no whitespace; its SHA-256 is the signed digest."""
    terms = terms if terms is not None else list(version.terms.all())

    def term_doc(t: Term) -> dict:
        doc = {f: getattr(t, f) for f in TERM_FIELDS}
        doc["min_fee"] = (
            {"amount": f"{t.min_fee_amount:.2f}", "currency": t.min_fee_currency}
            if t.min_fee_amount is not None
            else None
        )
        del doc["min_fee_amount"], doc["min_fee_currency"]
        for k in ("valid_from", "valid_until"):
            doc[k] = doc[k].isoformat() if doc[k] else None
        if t.use not in PERSONAL_CONSENT_USES:
            del doc["separate_consent"]
        # Names, so the signed document says who she consented to; absent when any caller may use it
        # (documents signed before terms could name organizations keep their digest).
        del doc["organizations"]
        if t.organizations:
            names = term_organizations.names_by_id(t.organizations)
            doc["organizations"] = [{"id": i, "name": names.get(i, "")} for i in sorted(t.organizations)]
        return doc

    document = {
        "registry_id": version.talent.registry_id,
        "version": version.number,
        "effective_from": version.effective_from.isoformat(),
        "is_revocation": version.is_revocation,
        "uses": {t.use: term_doc(t) for t in sorted(terms, key=lambda t: t.use)},
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def term_as_document(term: Term) -> dict:
    """A term's values in the product.md §2 input shape (for carrying it into a new draft)."""
    doc = {f: getattr(term, f) for f in TERM_FIELDS}
    amount, currency = doc.pop("min_fee_amount"), doc.pop("min_fee_currency")
    doc["min_fee"] = {"amount": str(amount), "currency": currency} if amount is not None else None
    return doc


def same_term(a: Term, b: Term) -> bool:
    """The same grant (the separate-consent record aside)."""
    return all(getattr(a, f) == getattr(b, f) for f in TERM_FIELDS if f != "separate_consent")


def previous_terms(version: TermVersion) -> dict[str, Term]:
    """The terms of the signed version this one follows (in effect on its effective_from), by use."""
    base = (
        TermVersion.objects.filter(
            talent_id=version.talent_id,
            status=TermVersion.Status.SIGNED,
            effective_from__lte=version.effective_from,
        )
        .exclude(pk=version.pk)
        .order_by("-effective_from", "-number")
        .prefetch_related("terms")
        .first()
    )
    return {t.use: t for t in base.terms.all()} if base else {}
