"""State changes of likeness-use terms: drafting, signing (freezes a version), revoking, paper imports."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from registry.consent import vocab
from registry.consent.models import FrozenRecordError, ProductCategory, Term, TermVersion
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
    "separate_consent",
)


# The keys a use may carry in the DESIGN.md §2 document (imports, drafts).
TERM_INPUT_KEYS = frozenset({f for f in TERM_FIELDS if not f.startswith("min_fee")} | {"min_fee"})


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
        if t.use not in PERSONAL_CONSENT_USES:
            del doc["separate_consent"]
        return doc

    document = {
        "registry_id": version.talent.registry_id,
        "version": version.number,
        "effective_from": version.effective_from.isoformat(),
        "is_revocation": version.is_revocation,
        "uses": {t.use: term_doc(t) for t in sorted(terms, key=lambda t: t.use)},
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _clean_uses(uses: dict[str, dict]) -> dict[str, dict]:
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
    cleaned = _clean_uses(uses)
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
    # The digest the signer reviewed: signing fails if the document would differ (changed draft, new number).
    expected_sha256: str = ""
    # Uses the signer ticked a separate consent for. None: not a web signature (factories, paper imports).
    confirmed_uses: frozenset[str] | None = None


def _same_term(a: Term, b: Term) -> bool:
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


_OPENNESS = {Decision.DENY: 0, Decision.LICENSE: 1, Decision.ALLOW: 2}


def new_personal_grants(terms: list[Term], previous: dict[str, Term]) -> list[Term]:
    """Replica/AI-training terms that grant something new: an `allow` not carried forward unchanged, or a
    `license` where the use was denied before. Narrowing a grant (allow → license → deny) grants nothing."""
    grants = []
    for t in terms:
        if t.use not in PERSONAL_CONSENT_USES or t.decision == Decision.DENY:
            continue
        before = previous.get(t.use)
        before_decision = (
            before.decision
            if before
            else (Decision.DENY if t.use == vocab.Use.AI_TRAINING else Decision.LICENSE)
        )
        new_allow = t.decision == Decision.ALLOW and not (before is not None and _same_term(t, before))
        opened_to_licenses = t.decision == Decision.LICENSE and _OPENNESS[before_decision] < 1
        if new_allow or opened_to_licenses:
            grants.append(t)
    return grants


def check_personal_consent(
    version: TermVersion, terms: list[Term], signed_as: str, previous: dict[str, Term] | None = None
) -> None:
    """Replica creation/use and AI training need the talent in person (a guardian for a minor, the estate of a
    deceased performer), and an `allow` must state the intended use, its duration and pay.

    A term carried forward unchanged from the version this one follows is not a new grant: a representative
    may sign a version (e.g. a revocation of advertising) that keeps a consent the talent gave in person.
    """
    previous = previous_terms(version) if previous is None else previous
    granted = new_personal_grants(terms, previous)
    if not granted:
        return
    talent = version.talent
    personal = {
        TermVersion.SignedAs.TALENT: not talent.is_minor(timezone.localdate()),
        TermVersion.SignedAs.GUARDIAN: talent.is_minor(timezone.localdate()),
        TermVersion.SignedAs.ESTATE: talent.is_deceased,
        TermVersion.SignedAs.PAPER: True,
    }
    if not personal.get(signed_as, False):
        who = {
            TermVersion.SignedAs.REPRESENTATIVE: "A representative",
            TermVersion.SignedAs.GUARDIAN: "A guardian (for an adult)",
            TermVersion.SignedAs.ESTATE: "An estate (for a living performer)",
            TermVersion.SignedAs.TALENT: "A minor",
        }.get(signed_as, "This signer")
        raise PermissionDenied(
            f"{who} cannot consent to digital replicas or AI training: the talent signs in person "
            "(a parent or guardian for a minor)."
        )
    if signed_as == TermVersion.SignedAs.PAPER:
        return
    for t in granted:
        if t.decision != Decision.ALLOW:
            continue
        missing = [
            label
            for label, value in (
                ("a description of the intended use (at least 20 characters)", t.consent_description),
                ("its duration", t.consent_duration),
                ("the pay", t.consent_pay),
            )
            if not value or (label.startswith("a description") and len(value) < 20)
        ]
        if missing:
            raise ValidationError(
                {t.use: f"Consent to {t.get_use_display().lower()} must state {', '.join(missing)}."}
            )


def check_signer(version: TermVersion, signed_as: str) -> None:
    """A minor's terms are signed by a parent or guardian (DESIGN.md §2)."""
    if signed_as == TermVersion.SignedAs.TALENT and version.talent.is_minor(timezone.localdate()):
        raise PermissionDenied("The talent is a minor: a parent or guardian signs their terms.")


@transaction.atomic
def sign_version(version: TermVersion, ctx: SignatureContext) -> TermVersion:
    """Freeze a draft: number it, record the signature and the SHA-256 of its canonical document."""
    version = TermVersion.objects.select_for_update().select_related("talent").get(pk=version.pk)
    if version.is_signed:
        raise ValidationError("This version is already signed.")
    # Lock the talent row so two signatures cannot take the same number.
    type(version.talent).objects.select_for_update().filter(pk=version.talent_id).first()
    terms = list(version.terms.all())
    check_signer(version, ctx.signed_as)
    previous = previous_terms(version)
    check_personal_consent(version, terms, ctx.signed_as, previous)
    carried = _carried_separate_consent(terms, previous)
    if carried:
        Term.objects.filter(pk__in=[t.pk for t in carried]).update(separate_consent=True)
    if ctx.confirmed_uses is not None:
        _record_separate_consent(terms, previous, ctx.confirmed_uses)
    version.number = _next_number(version.talent_id)
    document = canonical_document(version, terms)
    sha256 = hashlib.sha256(document.encode()).hexdigest()
    if ctx.expected_sha256 and ctx.expected_sha256 != sha256:
        raise ValidationError(
            "These terms changed since they were reviewed (or another version was signed meanwhile): "
            "review them again before signing."
        )
    version.canonical_json = document
    version.sha256 = sha256
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


def _next_number(talent_id: int) -> int:
    return (TermVersion.objects.filter(talent_id=talent_id).aggregate(n=Max("number"))["n"] or 0) + 1


def separate_consent_required(terms: list[Term], previous: dict[str, Term]) -> list[Term]:
    """The new or changed `allow` grants of replica creation/use or AI training: each needs its own tick."""
    return [t for t in new_personal_grants(terms, previous) if t.decision == Decision.ALLOW]


def _carried_separate_consent(terms: list[Term], previous: dict[str, Term]) -> list[Term]:
    """Unchanged replica/AI terms keep the separate consent recorded with the version they come from."""
    carried = []
    for t in terms:
        before = previous.get(t.use)
        if (
            t.use in PERSONAL_CONSENT_USES
            and before is not None
            and before.separate_consent
            and not t.separate_consent
            and _same_term(t, before)
        ):
            t.separate_consent = True
            carried.append(t)
    return carried


def _record_separate_consent(terms: list[Term], previous: dict[str, Term], confirmed: frozenset[str]) -> None:
    required = separate_consent_required(terms, previous)
    missing = [t for t in required if t.use not in confirmed]
    if missing:
        raise ValidationError(
            {
                t.use: f"{t.get_use_display()} needs its own, separate consent: tick the box for it to sign."
                for t in missing
            }
        )
    ids = [t.pk for t in required]
    if ids:
        Term.objects.filter(pk__in=ids).update(separate_consent=True)
        for t in required:
            t.separate_consent = True


@dataclass
class Preview:
    """What a draft will be when signed now: its terms, canonical document, SHA-256 and the text shown."""

    terms: list[Term]
    document: str
    sha256: str
    text: str
    number: int


def preview(version: TermVersion) -> Preview:
    """The canonical document a draft will have when signed now (with its prospective number).

    New replica/AI-training grants are shown as separately consented: signing requires that consent.
    """
    from registry.consent.summaries import review_text

    terms = list(version.terms.all())
    previous = previous_terms(version)
    _carried_separate_consent(terms, previous)
    for t in separate_consent_required(terms, previous):
        t.separate_consent = True
    number = _next_number(version.talent_id)
    version.number = number
    try:
        document = canonical_document(version, terms)
    finally:
        version.number = None
    sha256 = hashlib.sha256(document.encode()).hexdigest()
    return Preview(terms, document, sha256, review_text(version, terms, document, sha256), number)


def check_online_date(effective_from: date) -> None:
    if effective_from < timezone.localdate():
        raise ValidationError(
            {"effective_from": "Terms signed online take effect today or later, never in the past."}
        )


@transaction.atomic
def sign_online(version: TermVersion, ctx: SignatureContext) -> TermVersion:
    """A signature given on this site: not back-dated, and the signer gets a receipt (email with a PDF)."""
    check_online_date(version.effective_from)
    if ctx.confirmed_uses is None:
        ctx = replace(ctx, confirmed_uses=frozenset())
    signed = sign_version(version, ctx)
    send_receipt_later(signed)
    return signed


def send_receipt_later(version: TermVersion) -> None:
    from registry.core.outbox import dispatch

    dispatch("registry.consent.receipts.send_receipt", version_id=version.pk)


def term_as_document(term: Term) -> dict:
    """A term's values in the DESIGN.md §2 input shape (for carrying it into a new draft)."""
    doc = {f: getattr(term, f) for f in TERM_FIELDS}
    amount, currency = doc.pop("min_fee_amount"), doc.pop("min_fee_currency")
    doc["min_fee"] = {"amount": str(amount), "currency": currency} if amount is not None else None
    return doc


def revoked_decision(use: str, current: str | None, requested: str | None = None) -> str:
    """What a revoked use becomes: the registry default (a license; AI training: deny) or the requested
    stricter decision. A revocation never loosens: a `deny` stays `deny`."""
    if current == Decision.DENY:
        return Decision.DENY
    if requested in (Decision.DENY, Decision.LICENSE):
        return requested
    return Decision.DENY if use == vocab.Use.AI_TRAINING else Decision.LICENSE


def _revocation_uses(base: TermVersion | None, targets: set[str], decision: str | None) -> dict[str, dict]:
    current = {t.use: t for t in base.terms.all()} if base else {}
    uses = {use: term_as_document(term) for use, term in current.items() if use not in targets}
    for use in targets:
        uses[use] = {"decision": revoked_decision(use, getattr(current.get(use), "decision", None), decision)}
    return uses


@transaction.atomic
def revoke(
    *,
    talent,
    uses: list[str] | None,
    effective_from: date,
    ctx: SignatureContext,
    note: str = "",
    decision: str | None = None,
) -> TermVersion:
    """Revoke some uses (or all, `uses=None`): a new signed version from `effective_from` in which they are
    back to the registry default (`license`; `ai_training`: `deny`), or `deny` when asked.

    History is kept: earlier versions still decide checks dated before `effective_from`. Versions already
    signed for a later date get a revocation of their own on their date, so a revoked use stays revoked.
    """
    targets = set(uses) if uses else set(vocab.USES)
    for use in targets:
        vocab.check_use(use)
    if decision not in (None, Decision.DENY, Decision.LICENSE):
        raise ValidationError({"decision": "A revocation makes a use need a license, or denies it."})
    type(talent).objects.select_for_update().filter(pk=talent.pk).first()
    later = list(
        TermVersion.objects.filter(
            talent=talent, status=TermVersion.Status.SIGNED, effective_from__gt=effective_from
        )
        .order_by("effective_from", "number")
        .values_list("effective_from", flat=True)
        .distinct()
    )
    user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    first = None
    from registry.consent import selectors  # selectors imports this module

    for on in [effective_from, *later]:
        base = selectors.version_in_effect(talent, on)
        draft = create_draft(
            talent=talent,
            effective_from=on,
            uses=_revocation_uses(base, targets, decision),
            created_by=user,
            note=note or "Revocation",
            is_revocation=True,
        )
        from registry.consent.summaries import plain_text

        text = "\n\n".join(filter(None, [ctx.text_shown, plain_text(draft)]))
        signed = sign_version(draft, replace(ctx, text_shown=text, expected_sha256=""))
        first = first or signed
    return first


@transaction.atomic
def revoke_online(
    *,
    talent,
    uses: list[str] | None,
    effective_from: date,
    ctx: SignatureContext,
    decision: str | None = None,
) -> TermVersion:
    check_online_date(effective_from)
    version = revoke(talent=talent, uses=uses, effective_from=effective_from, ctx=ctx, decision=decision)
    send_receipt_later(version)
    return version


@transaction.atomic
def update_draft(
    version: TermVersion, *, effective_from: date, uses: dict[str, dict], note: str = ""
) -> TermVersion:
    """Replace a draft's terms (drafts are freely editable until signed)."""
    version = TermVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_signed:
        raise FrozenRecordError("Signed terms are immutable: create a new version instead.")
    cleaned = _clean_uses(uses)
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
