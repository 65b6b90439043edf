"""Revocation: a new signed version in which some uses go back to the registry default (or are denied)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from registry.consent import selectors, vocab
from registry.consent.drafts import create_draft
from registry.consent.models import TermVersion
from registry.consent.signing import SignatureContext, check_online_date, send_receipt_later, sign_version
from registry.consent.summaries import plain_text
from registry.consent.terms import term_as_document
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
    first = None
    for on in [effective_from, *later]:
        draft = create_draft(
            talent=talent,
            effective_from=on,
            uses=_revocation_uses(selectors.version_in_effect(talent, on), targets, decision),
            actor=ctx.actor,
            note=note or "Revocation",
            is_revocation=True,
        )
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
