"""Revocation: a new signed version in which some uses go back to the registry default (or are denied).

What is signed is what was shown: `preview` gives the text of every version a revocation writes, the revoke
page shows it with its digest, and `revoke` records exactly that text on each version (or refuses when the
terms changed meanwhile). Every version it writes gets its own receipt when signed online.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from registry.consent import selectors, vocab
from registry.consent.drafts import create_draft
from registry.consent.models import Term, TermVersion
from registry.consent.signing import SignatureContext, check_online_date, send_receipt_later, sign_version
from registry.consent.summaries import plain_text
from registry.consent.terms import clean_uses, term_as_document
from registry.consent.vocab import Decision


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


def statement(talent, uses: list[str] | None, effective_from: date, decision: str | None) -> str:
    """The signer's own words at the top of a revocation."""
    what = "all uses" if not uses else ", ".join(uses)
    becomes = "not allowed" if decision == Decision.DENY else "subject to a license"
    return (
        f"I revoke {what} of {talent.stage_name}'s likeness from {effective_from:%Y-%m-%d}; "
        f"revoked uses become {becomes}."
    )


@dataclass(frozen=True)
class Step:
    """One version a revocation writes: its date, its terms (product.md §2 shape) and the text signed."""

    effective_from: date
    uses: dict[str, dict]
    text: str


def _targets(uses: list[str] | None, decision: str | None) -> set[str]:
    targets = set(uses) if uses else set(vocab.USES)
    for use in targets:
        vocab.check_use(use)
    if decision not in (None, Decision.DENY, Decision.LICENSE):
        raise ValidationError({"decision": "A revocation makes a use need a license, or denies it."})
    return targets


def preview(
    *, talent, uses: list[str] | None, effective_from: date, preamble: str = "", decision: str | None = None
) -> list[Step]:
    """Every version the revocation would write now: on its date, and on the date of each version already
    signed for later (so a revoked use stays revoked), each with the exact text its signer is shown."""
    targets = _targets(uses, decision)
    later = list(
        TermVersion.objects.filter(
            talent=talent, status=TermVersion.Status.SIGNED, effective_from__gt=effective_from
        )
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .distinct()
    )
    steps = []
    for on in [effective_from, *later]:
        step_uses = _revocation_uses(selectors.version_in_effect(talent, on), targets, decision)
        probe = TermVersion(talent=talent, effective_from=on, is_revocation=True)
        terms = [Term(version=probe, use=use, **values) for use, values in clean_uses(step_uses).items()]
        text = "\n\n".join(filter(None, [preamble, plain_text(probe, terms)]))
        steps.append(Step(on, step_uses, text))
    return steps


def digest(steps: list[Step]) -> str:
    """The SHA-256 of the texts shown for a revocation (the page sends it back with the signature)."""
    return hashlib.sha256("\n\f\n".join(s.text for s in steps).encode()).hexdigest()


@transaction.atomic
def revoke_all(
    *,
    talent,
    uses: list[str] | None,
    effective_from: date,
    ctx: SignatureContext,
    note: str = "",
    decision: str | None = None,
) -> list[TermVersion]:
    """Revoke some uses (or all, `uses=None`): new signed versions from `effective_from` in which they are
    back to the registry default (`license`; `ai_training`: `deny`), or `deny` when asked.

    `ctx.text_shown` is the signer's statement; each version records it with that version's resulting terms,
    exactly as `preview` gives them. With `ctx.expected_sha256` (the digest of the texts the page showed),
    anything different is refused. History is kept: earlier versions still decide earlier dates.
    """
    _targets(uses, decision)
    type(talent).objects.select_for_update().filter(pk=talent.pk).first()
    steps = preview(
        talent=talent, uses=uses, effective_from=effective_from, preamble=ctx.text_shown, decision=decision
    )
    if ctx.expected_sha256 and ctx.expected_sha256 != digest(steps):
        raise ValidationError(
            "The resulting terms changed since they were shown (another version was signed meanwhile, or the "
            "revocation was changed): read them again before signing."
        )
    signed = []
    for step in steps:
        draft = create_draft(
            talent=talent,
            effective_from=step.effective_from,
            uses=step.uses,
            actor=ctx.actor,
            note=note or "Revocation",
            is_revocation=True,
        )
        signed.append(sign_version(draft, replace(ctx, text_shown=step.text, expected_sha256="")))
    return signed


def revoke(
    *,
    talent,
    uses: list[str] | None,
    effective_from: date,
    ctx: SignatureContext,
    note: str = "",
    decision: str | None = None,
) -> TermVersion:
    """`revoke_all`, answering the version that takes effect on the revocation's own date."""
    return revoke_all(
        talent=talent, uses=uses, effective_from=effective_from, ctx=ctx, note=note, decision=decision
    )[0]


@transaction.atomic
def revoke_online(
    *,
    talent,
    uses: list[str] | None,
    effective_from: date,
    ctx: SignatureContext,
    decision: str | None = None,
) -> TermVersion:
    """A revocation signed on this site: not back-dated, and every version it writes gets its own receipt."""
    check_online_date(effective_from)
    versions = revoke_all(talent=talent, uses=uses, effective_from=effective_from, ctx=ctx, decision=decision)
    for version in versions:
        send_receipt_later(version)
    return versions[0]
