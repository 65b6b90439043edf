"""Plain-language wording of terms: what each use and choice means, and the text a signer is shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from registry.consent import vocab
from registry.consent.organizations import attach_names, organization_names
from registry.consent.vocab import PERSONAL_CONSENT_USES, Decision, Use

USE_ORDER = [u.value for u in Use]

USE_EXPLANATIONS = {
    Use.ADVERTISING: "Ads that show your recorded photos, video or voice (for example a billboard, a social "
    "media ad or a TV spot).",
    Use.EDITORIAL: "News, magazines, documentaries and other editorial pieces that show your recorded "
    "likeness.",
    Use.DIGITAL_ALTERATION: "Changing your recorded face, body or voice in a way that goes beyond ordinary "
    "retouching (for example changing what you appear to say or do).",
    Use.REPLICA_CREATION: "Making a digital copy of you: an avatar, a face model or a voice clone that can "
    "produce new images, video or speech.",
    Use.REPLICA_USE: "Using an existing digital copy of you to make new content you never performed.",
    Use.AI_TRAINING: "Using your photos, video or voice to train or fine-tune artificial-intelligence "
    "(machine-learning) models.",
}

# What each choice means, per use, in the words of the person signing.
CHOICE_EXPLANATIONS = {
    Decision.ALLOW: "Allowed within my conditions: anyone may do this without asking me first, but only "
    "within the conditions I set below (where, how, how long, minimum fee, labelling). Anything outside "
    "them needs a license from me.",
    Decision.LICENSE: "Only with a license I approve: every brand must ask me first. I see each request "
    "and can approve, decline or make a counter-offer.",
    Decision.DENY: "Not allowed: nobody may do this, and brands cannot even ask for a license.",
}

PERSONAL_CHOICE_NOTE = (
    "Because this creates or uses a copy of you, or feeds your likeness into AI, allowing it is a separate "
    "consent that only you can give (a parent or guardian for a minor) — never an agent. You must describe "
    "the intended use, how long it lasts and what you are paid."
)

DEFAULT_TEXT = {
    Decision.LICENSE: "No term signed: brands need a license you approve.",
    Decision.DENY: "No term signed: not allowed (AI training is never assumed).",
}

# The same, for someone reading a talent's public page (a brand, the public): third person, no jargon.
PUBLIC_DECISION_LABELS = {
    Decision.ALLOW: "Allowed within {name}’s conditions",
    Decision.LICENSE: "Needs a license from {name}",
    Decision.DENY: "Not allowed",
}
PUBLIC_DEFAULT_TEXT = {
    Decision.LICENSE: "{name} has signed no terms for this use: ask {name} for a license.",
    Decision.DENY: "Not allowed: AI training is never assumed without {name}’s signed consent.",
}
PUBLIC_DEFAULT_NOTE = "nothing signed for this use"

DECISION_ONLY_TEXT = {
    Decision.ALLOW: "Allowed, with no further conditions.",
    Decision.LICENSE: "Brands must ask for a license first.",
    Decision.DENY: "Nobody may do this.",
}

FIELD_LABELS = {
    "decision": "Decision",
    "modalities": "Media (image, video, voice)",
    "territories": "Countries",
    "channels": "Channels",
    "valid_from": "Valid from",
    "valid_until": "Valid until",
    "min_fee_amount": "Minimum fee",
    "min_fee_currency": "Fee currency",
    "attribution": "Credit required",
    "ai_disclosure": "AI label required",
    "excluded_categories": "Excluded product categories",
    "organizations": "Only for these organizations",
    "consent_description": "Intended use (separate consent)",
    "consent_duration": "Duration (separate consent)",
    "consent_pay": "Pay (separate consent)",
    "represented_by": "Represented by (lawyer or union)",
    "separate_consent": "Separate consent given",
}

MODALITY_LABELS = dict(vocab.Modality.choices)
CHANNEL_LABELS = dict(vocab.Channel.choices)
USE_LABELS = dict(Use.choices)


def default_decision(use: str) -> str:
    """product.md §2: with no signed term every use needs a license; AI training defaults to deny."""
    return Decision.DENY if use == Use.AI_TRAINING else Decision.LICENSE


def _join(values, labels=None) -> str:
    values = [labels.get(v, v) if labels else v for v in values]
    if not values:
        return "none"
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " and " + values[-1]


def territories_text(territories) -> str:
    if vocab.WORLDWIDE in territories:
        return "worldwide"
    return _join(list(territories))


def category_label(slug: str) -> str:
    return vocab.DEFAULT_EXCLUDED_CATEGORIES.get(slug, slug.replace("_", " ").replace("-", " ").capitalize())


def public_conditions(term) -> list[str]:
    """The conditions anyone may read (never the consent pay, description or representation)."""
    lines = []
    if term.decision == Decision.ALLOW:
        lines.append(f"Media: {_join(term.modalities, MODALITY_LABELS)}.")
        lines.append(f"Countries: {territories_text(term.territories)}.")
        lines.append(f"Channels: {_join(term.channels, CHANNEL_LABELS)}.")
        names = organization_names(term)
        lines.append(
            f"Only for: {_join(names)} (no other organization may rely on this permission)."
            if names
            else "For any organization."
        )
    if term.valid_from and term.valid_until:
        lines.append(f"Valid from {term.valid_from.isoformat()} to {term.valid_until.isoformat()}.")
    elif term.valid_until:
        lines.append(f"Valid until {term.valid_until.isoformat()}.")
    elif term.valid_from:
        lines.append(f"Valid from {term.valid_from.isoformat()}.")
    if term.min_fee_amount is not None:
        lines.append(f"Minimum fee: {term.min_fee_amount:.2f} {term.min_fee_currency}.")
    if term.attribution:
        lines.append("Credit required: the talent must be named.")
    if term.ai_disclosure:
        lines.append("AI label required: content must be labelled as AI-generated or altered.")
    if term.excluded_categories:
        lines.append(
            "Never for: "
            + _join([category_label(c) for c in term.excluded_categories]).lower()
            + " products."
        )
    return lines


def private_conditions(term) -> list[str]:
    """The separate-consent record: shown to the talent, their representatives and staff only."""
    if term.use not in PERSONAL_CONSENT_USES or term.decision != Decision.ALLOW:
        return []
    represented = term.represented_by or "not represented by a lawyer or union"
    return [
        f"Intended use: {term.consent_description or '—'}",
        f"Duration: {term.consent_duration or '—'}",
        f"Pay: {term.consent_pay or '—'}",
        f"Represented by: {represented}",
        "Separate consent: " + ("given" if term.separate_consent else "not recorded"),
    ]


@dataclass
class UseSummary:
    use: str
    label: str
    decision: str
    decision_label: str
    is_default: bool
    conditions: list[str]
    private: list[str]
    term: object | None
    default_note: str = "registry default"


def summarize(
    version, *, include_private: bool = False, terms=None, reader_of: str | None = None
) -> list[UseSummary]:
    """One row per known use (in a fixed order), with the registry default where the version has no term.

    `terms` overrides the version's stored terms (a review shows the in-memory preview). `reader_of`: the
    talent's name when someone else reads her public page (third person: "Needs a license from Ana")."""
    if terms is None:
        terms = list(version.terms.all()) if version is not None else []
    terms = {t.use: t for t in terms}
    attach_names(terms.values())
    rows = []
    for use in USE_ORDER:
        term = terms.get(use)
        decision = term.decision if term else default_decision(use)
        if reader_of:
            label = PUBLIC_DECISION_LABELS[Decision(decision)].format(name=reader_of)
            default = PUBLIC_DEFAULT_TEXT.get(Decision(decision), "").format(name=reader_of)
        else:
            label, default = Decision(decision).label, DEFAULT_TEXT.get(Decision(decision), "")
        rows.append(
            UseSummary(
                use=use,
                label=USE_LABELS[use],
                decision=decision,
                decision_label=label,
                is_default=term is None,
                conditions=(public_conditions(term) or [DECISION_ONLY_TEXT[Decision(decision)]])
                if term
                else [default],
                private=private_conditions(term) if (term and include_private) else [],
                term=term,
                default_note=PUBLIC_DEFAULT_NOTE if reader_of else "registry default",
            )
        )
    return rows


def plain_text(version, terms=None) -> str:
    """The plain-language statement of a version, as shown before signing and recorded with the signature."""
    by_use = {t.use: t for t in (terms if terms is not None else version.terms.all())}
    attach_names(by_use.values())
    talent = version.talent
    kind = "revocation" if version.is_revocation else "likeness-use terms"
    lines = [
        f"{kind.capitalize()} of {talent.stage_name} ({talent.registry_id}), "
        f"in effect from {version.effective_from.isoformat()}.",
        "",
    ]
    for use in USE_ORDER:
        term = by_use.get(use)
        label = USE_LABELS[use]
        if term is None:
            lines.append(f"- {label}: {DEFAULT_TEXT[Decision(default_decision(use))]}")
            continue
        lines.append(f"- {label}: {Decision(term.decision).label}.")
        lines.extend(f"    {line}" for line in public_conditions(term))
        lines.extend(f"    {line}" for line in private_conditions(term))
    lines += [
        "",
        "Earlier versions stay on record and still decide uses dated before this version takes effect. "
        "Licenses already granted stay valid to their own end.",
    ]
    return "\n".join(lines)


def union_help() -> dict[str, str]:
    """Who helps a talent before she signs a replica or AI consent alone (the union's desk)."""
    return {"name": settings.CASES_UNION_NAME, "email": settings.CASES_CONTACT_EMAIL}


def representation_warning(terms) -> str:
    """The California AB 2602 warning for separate consents signed without a lawyer or the union, or ""."""
    uses = [USE_LABELS[t.use].lower() for t in terms]
    if not uses:
        return ""
    union = union_help()
    return (
        f"Warning (California AB 2602): nobody represented you for {_join(uses)}. A digital-replica or "
        "AI-training consent signed without a lawyer or the union may leave you unprotected. "
        f"{union['name']} can review it with you first: write to {union['email']}. "
        "By signing you confirm that you chose to sign without representation."
    )


def review_text(version, terms, document: str, sha256: str, unrepresented=()) -> str:
    """Exactly what the signer reads on the review page and what is stored as `text_shown`."""
    warning = representation_warning(unrepresented)
    return (
        plain_text(version, terms)
        + (f"\n\n{warning}" if warning else "")
        + "\n\nCanonical terms document (JSON), SHA-256 "
        + sha256
        + ":\n"
        + document
    )
