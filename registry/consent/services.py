"""State changes of likeness-use terms: drafting, signing (freezes a version), revoking, paper imports."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from registry.consent import vocab
from registry.consent.models import ProductCategory, Term, TermVersion
from registry.consent.vocab import PERSONAL_CONSENT_USES, Decision

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
    "consent_description",
    "consent_duration",
    "consent_pay",
    "represented_by",
)


def known_categories() -> frozenset[str]:
    return frozenset(ProductCategory.objects.values_list("slug", flat=True)) | frozenset(
        vocab.DEFAULT_EXCLUDED_CATEGORIES
    )


def _date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: f"{value!r} is not a date in YYYY-MM-DD form."})


def clean_term(use: str, data: dict, *, categories: frozenset[str] | None = None) -> dict:
    """Validate one use's term (DESIGN.md §2 shape, as in the import format) into model field values."""
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

    def listed(name, check, **kw):
        values = data.get(name) or []
        if not isinstance(values, list):
            errors[f"{use}.{name}"] = "Must be a list."
            return []
        out = []
        for v in values:
            try:
                out.append(check(v, **kw))
            except vocab.VocabularyError as exc:
                errors[f"{use}.{name}"] = exc.detail
        return sorted(set(out))

    categories = categories if categories is not None else known_categories()
    cleaned = {
        "decision": decision,
        "modalities": listed("modalities", vocab.check_modality),
        "territories": listed("territories", vocab.check_territory, allow_worldwide=True),
        "channels": listed("channels", vocab.check_channel),
        "excluded_categories": listed("excluded_categories", lambda v: vocab.check_category(v, categories)),
        "attribution": bool(data.get("attribution", False)),
        "ai_disclosure": bool(data.get("ai_disclosure", False)),
        "consent_description": str(data.get("consent_description", "") or "").strip(),
        "consent_duration": str(data.get("consent_duration", "") or "").strip(),
        "consent_pay": str(data.get("consent_pay", "") or "").strip(),
        "represented_by": str(data.get("represented_by", "") or "").strip(),
    }
    try:
        cleaned["valid_from"] = _date(data.get("valid_from"), f"{use}.valid_from")
        cleaned["valid_until"] = _date(data.get("valid_until"), f"{use}.valid_until")
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    else:
        if (
            cleaned["valid_from"]
            and cleaned["valid_until"]
            and cleaned["valid_from"] > cleaned["valid_until"]
        ):
            errors[f"{use}.valid_until"] = "The validity window ends before it starts."
    fee = data.get("min_fee")
    cleaned["min_fee_amount"], cleaned["min_fee_currency"] = None, ""
    if fee not in (None, {}):
        try:
            amount = Decimal(str(fee["amount"]))
            currency = str(fee.get("currency", "")).upper()
            if amount < 0 or currency not in vocab.CURRENCIES:
                raise ValueError
            cleaned["min_fee_amount"], cleaned["min_fee_currency"] = (
                amount.quantize(Decimal("0.01")),
                currency,
            )
        except (KeyError, TypeError, ValueError, InvalidOperation):
            errors[f"{use}.min_fee"] = 'Minimum fee must look like {"amount": "500.00", "currency": "USD"}.'
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
        return doc

    document = {
        "registry_id": version.talent.registry_id,
        "version": version.number,
        "effective_from": version.effective_from.isoformat(),
        "is_revocation": version.is_revocation,
        "uses": {t.use: term_doc(t) for t in sorted(terms, key=lambda t: t.use)},
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@transaction.atomic
def create_draft(
    *,
    talent,
    effective_from: date,
    uses: dict[str, dict],
    created_by=None,
    note: str = "",
    is_revocation=False,
) -> TermVersion:
    categories = known_categories()
    cleaned = {use: clean_term(use, data, categories=categories) for use, data in uses.items()}
    version = TermVersion.objects.create(
        talent=talent,
        effective_from=effective_from,
        created_by=created_by,
        note=note,
        is_revocation=is_revocation,
    )
    Term.objects.bulk_create([Term(version=version, use=use, **values) for use, values in cleaned.items()])
    return version


@dataclass(frozen=True)
class SignatureContext:
    """Who signs, for whom, from where, and the text they were shown."""

    user: object | None
    signed_as: str
    signer_name: str
    ip: str | None = None
    user_agent: str = ""
    text_shown: str = ""
    document_ref: str = ""


def check_personal_consent(version: TermVersion, terms: list[Term], signed_as: str) -> None:
    """Replica creation/use and AI training need the talent (or guardian/estate) in person, with specifics."""
    personal = [t for t in terms if t.use in PERSONAL_CONSENT_USES and t.decision != Decision.DENY]
    if not personal:
        return
    if signed_as == TermVersion.SignedAs.REPRESENTATIVE:
        raise PermissionDenied(
            "A representative cannot consent to digital replicas or AI training: the talent signs in person."
        )
    for t in personal:
        if signed_as == TermVersion.SignedAs.PAPER:
            continue
        missing = [
            label
            for label, value in (
                ("a description of the intended use", t.consent_description),
                ("its duration", t.consent_duration),
                ("the pay", t.consent_pay),
            )
            if not value or (label.startswith("a description") and len(value) < 20)
        ]
        if missing:
            raise ValidationError(
                {t.use: f"Consent to {t.get_use_display().lower()} must state {', '.join(missing)}."}
            )


@transaction.atomic
def sign_version(version: TermVersion, ctx: SignatureContext) -> TermVersion:
    """Freeze a draft: number it, record the signature and the SHA-256 of its canonical document."""
    version = TermVersion.objects.select_for_update().select_related("talent").get(pk=version.pk)
    if version.is_signed:
        raise ValidationError("This version is already signed.")
    terms = list(version.terms.all())
    check_personal_consent(version, terms, ctx.signed_as)
    # Lock the talent row so two signatures cannot take the same number.
    type(version.talent).objects.select_for_update().filter(pk=version.talent_id).first()
    last = TermVersion.objects.filter(talent_id=version.talent_id).aggregate(n=Max("number"))["n"] or 0
    version.number = last + 1
    document = canonical_document(version, terms)
    version.canonical_json = document
    version.sha256 = hashlib.sha256(document.encode()).hexdigest()
    version.status = TermVersion.Status.SIGNED
    version.signed_at = timezone.now()
    version.signed_by = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    version.signed_as = ctx.signed_as
    version.signer_name = ctx.signer_name
    version.signer_ip = ctx.ip
    version.signer_user_agent = (ctx.user_agent or "")[:400]
    version.text_shown = ctx.text_shown or document
    version.document_ref = ctx.document_ref
    version._signing = True
    version.save()
    version._signing = False
    return version


def current_version(talent, on: date | None = None) -> TermVersion | None:
    on = on or timezone.localdate()
    return (
        TermVersion.objects.filter(talent=talent, status=TermVersion.Status.SIGNED, effective_from__lte=on)
        .order_by("-effective_from", "-number")
        .prefetch_related("terms")
        .first()
    )


@transaction.atomic
def revoke(
    *, talent, uses: list[str] | None, effective_from: date, ctx: SignatureContext, note: str = ""
) -> TermVersion:
    """Revoke some uses (or all): a new signed version where they are `deny` (ai_training) or `license`.

    History is kept: earlier versions still decide checks dated before `effective_from`.
    """
    base = current_version(talent, effective_from)
    carried = {}
    for term in base.terms.all() if base else []:
        carried[term.use] = {f: getattr(term, f) for f in TERM_FIELDS}
    targets = set(uses) if uses else set(carried) | set(vocab.USES)
    for use in targets:
        vocab.check_use(use)
        carried[use] = {"decision": Decision.DENY}
    draft_uses = {}
    for use, values in carried.items():
        if use in targets:
            draft_uses[use] = values
            continue
        doc = dict(values)
        amount = doc.pop("min_fee_amount")
        currency = doc.pop("min_fee_currency")
        doc["min_fee"] = {"amount": str(amount), "currency": currency} if amount is not None else None
        draft_uses[use] = doc
    draft = create_draft(
        talent=talent,
        effective_from=effective_from,
        uses=draft_uses,
        created_by=ctx.user if getattr(ctx.user, "is_authenticated", False) else None,
        note=note or "Revocation",
        is_revocation=True,
    )
    return sign_version(draft, ctx)
