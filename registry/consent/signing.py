"""Signing a version: who may sign, the separate personal consent for replicas and AI training, freezing the
version (number, canonical document, SHA-256) and, for online signatures, the receipt."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from registry.consent import published, specificity, vocab
from registry.consent.models import Term, TermVersion
from registry.consent.terms import canonical_document, previous_terms, same_term
from registry.consent.vocab import PERSONAL_CONSENT_USES, Decision
from registry.core.outbox import dispatch


@dataclass(frozen=True)
class SignatureContext:
    """Who signs (`actor`: the signed-in user, None for paper), as whom, from where, and the text shown."""

    actor: object | None
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
    # Uses she ticked "I want to sign without representation" for, after the AB 2602 warning (web signatures).
    unrepresented_uses: frozenset[str] = frozenset()


def normalised_name(name: str) -> str:
    """A typed name as it is compared: Unicode-normalised (NFKC), case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def typed_name_matches(typed: str, legal_name: str) -> bool:
    """An online signature is the signer's full legal name, typed: it must be the name on file, whatever the
    case or spacing (issue 18). An empty legal name on file matches nothing."""
    expected = normalised_name(legal_name)
    return bool(expected) and normalised_name(typed) == expected


MISSING_LEGAL_NAME = (
    "Your signature is your full legal name, and your profile has none yet: add it under Private details of "
    "your profile (Edit profile), then come back to sign."
)


def signature_legal_name(talent, acting: str) -> str | None:
    """The name a typed signature must match: the talent's legal name when she signs herself (`acting` is
    "talent"); None when a guardian, estate or representative signs with their own full name, not on file."""
    return talent.legal_name if acting == "talent" else None


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
        new_allow = t.decision == Decision.ALLOW and not (before is not None and same_term(t, before))
        opened_to_licenses = t.decision == Decision.LICENSE and _OPENNESS[before_decision] < 1
        if new_allow or opened_to_licenses:
            grants.append(t)
    return grants


def check_personal_consent(
    version: TermVersion, terms: list[Term], signed_as: str, previous: dict[str, Term] | None = None
) -> None:
    """Replica creation/use and AI training need the talent in person (a guardian for a minor, the estate of a
    deceased performer), and an `allow` must state the intended use reasonably specifically, its duration
    and pay: the test license requests pass (`consent.specificity`), on paper as online, so a vague consent
    ("any and all uses in perpetuity") never becomes `permitted`.

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
    for t in granted:
        if t.decision == Decision.ALLOW:
            specificity.check_personal_consent(
                t.use,
                description=t.consent_description,
                duration=t.consent_duration,
                pay=t.consent_pay,
                represented_by=t.represented_by,
            )


def check_signer(version: TermVersion, signed_as: str) -> None:
    """A minor's terms are signed by a parent or guardian (product.md §2)."""
    if signed_as == TermVersion.SignedAs.TALENT and version.talent.is_minor(timezone.localdate()):
        raise PermissionDenied("The talent is a minor: a parent or guardian signs their terms.")


def separate_consent_required(terms: list[Term], previous: dict[str, Term]) -> list[Term]:
    """The new or changed `allow` grants of replica creation/use or AI training: each needs its own tick."""
    return [t for t in new_personal_grants(terms, previous) if t.decision == Decision.ALLOW]


def carry_separate_consent(terms: list[Term], previous: dict[str, Term]) -> list[Term]:
    """Unchanged replica/AI terms keep the separate consent recorded with the version they come from."""
    carried = []
    for t in terms:
        before = previous.get(t.use)
        if (
            t.use in PERSONAL_CONSENT_USES
            and before is not None
            and before.separate_consent
            and not t.separate_consent
            and same_term(t, before)
        ):
            t.separate_consent = True
            carried.append(t)
    return carried


def unrepresented(terms: list[Term]) -> list[Term]:
    """Separate consents signed without a lawyer or the union (California AB 2602): each is warned about."""
    return [t for t in terms if not (t.represented_by or "").strip()]


def _record_separate_consent(
    terms: list[Term], previous: dict[str, Term], confirmed: frozenset[str], unrepresented_ok: frozenset[str]
) -> None:
    required = separate_consent_required(terms, previous)
    warned = [t for t in unrepresented(required) if t.use not in unrepresented_ok]
    if warned:
        raise ValidationError(
            {
                t.use: f"{t.get_use_display()}: nobody represented you. Ask the union for help first, or "
                "tick “I want to sign without representation”."
                for t in warned
            }
        )
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


def next_number(talent_id: int) -> int:
    return (TermVersion.objects.filter(talent_id=talent_id).aggregate(n=Max("number"))["n"] or 0) + 1


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
    carried = carry_separate_consent(terms, previous)
    if carried:
        Term.objects.filter(pk__in=[t.pk for t in carried]).update(separate_consent=True)
    if ctx.confirmed_uses is not None:
        _record_separate_consent(terms, previous, ctx.confirmed_uses, ctx.unrepresented_uses)
    version.number = next_number(version.talent_id)
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
    version.signed_by = ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None
    version.signed_as = ctx.signed_as
    version.signer_name = ctx.signer_name
    version.signer_ip = ctx.ip
    version.signer_user_agent = (ctx.user_agent or "")[:400]
    version.text_shown = ctx.text_shown or document
    version.document_ref = ctx.document_ref
    version._signing = True
    version.save()
    version._signing = False
    published.terms_changed()  # /.well-known/tdmrep.json is rebuilt after commit
    return version


def check_online_date(effective_from: date) -> None:
    if effective_from < timezone.localdate():
        raise ValidationError(
            {"effective_from": "Terms signed online take effect today or later, never in the past."}
        )


def send_receipt_later(version: TermVersion) -> None:
    dispatch("registry.consent.receipts.send_receipt", version_id=version.pk)


@transaction.atomic
def sign_online(version: TermVersion, ctx: SignatureContext) -> TermVersion:
    """A signature given on this site: not back-dated, and the signer gets a receipt (email with a PDF)."""
    check_online_date(version.effective_from)
    if ctx.confirmed_uses is None:
        ctx = replace(ctx, confirmed_uses=frozenset())
    signed = sign_version(version, ctx)
    send_receipt_later(signed)
    return signed
