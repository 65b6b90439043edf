"""How specific a described use must be: license requests and personal consents share this one test
(product.md §2, §6: "a reasonably specific description of the intended use", its duration and pay)."""

from __future__ import annotations

import re

from registry.core.errors import DomainError

MIN_DESCRIPTION_LENGTH = 40
MIN_DESCRIPTION_WORDS = 4
# Blanket grants are the opposite of "a reasonably specific description of the intended use".
BLANKET_PHRASES = (
    "any and all",
    "any purpose",
    "all purposes",
    "any use",
    "all uses",
    "any media",
    "all media",
    "in perpetuity",
    "without limitation",
    "to be determined",
    "tbd",
    "lorem ipsum",
    "whatever",
)
STOPWORDS = frozenset(
    "the and for with our your their from into that this these those will are was were any all use uses "
    "using used some other etc also can may might per via".split()
)
# A duration that names no end is no duration.
OPEN_ENDED_DURATIONS = (
    "perpetuity",
    "perpetual",
    "perpetually",
    "forever",
    "indefinite",
    "indefinitely",
    "unlimited",
    "no end",
    "no limit",
    "tbd",
    "to be determined",
    "whatever",
)
VAGUE_PAY = ("tbd", "tba", "to be determined", "to be agreed", "negotiable", "later", "whatever")
# "No pay" written the ways people write it.
NO_PAY = re.compile(
    r"^\s*(none|nothing|unpaid|free|no pay|no fee|not paid|n/?a|-+|[$€£]?\s*0+([.,]0+)?"
    r"(\s*[a-z]{3})?|[a-z]{3}\s*0+([.,]0+)?)\s*\.?\s*$",
    re.IGNORECASE,
)


def _has(text: str, phrases) -> str | None:
    lowered = f" {text.lower()} "
    return next((p for p in phrases if re.search(rf"\b{re.escape(p)}\b", lowered)), None)


def check_description(description, field: str = "description") -> str:
    """A reasonably specific description of the intended use (product.md §2, §6): long enough, concrete words,
    and no blanket grant ("any and all uses", "in perpetuity")."""
    if description is not None and not isinstance(description, str):
        raise DomainError("invalid", f"Field {field!r} must be a string.", field)
    text = " ".join((description or "").split())
    words = {w for w in re.findall(r"[a-zA-Z\u00C0-\u024F]{3,}", text.lower()) if w not in STOPWORDS}
    blanket = _has(text, BLANKET_PHRASES)
    if len(text) < MIN_DESCRIPTION_LENGTH or len(words) < MIN_DESCRIPTION_WORDS or blanket:
        reason = (
            f"it uses a blanket phrase ({blanket!r})"
            if blanket
            else f"it needs at least {MIN_DESCRIPTION_LENGTH} characters"
        )
        raise DomainError(
            "description_too_vague",
            "Describe the intended use reasonably specifically — what will be made, for which campaign or "
            f"product, and where it will run; {reason}.",
            field,
        )
    return text[:4000]


def check_duration(duration, field: str = "consent_duration") -> str:
    """How long a personal consent lasts: given, and with an end ("12 months", "until 2027-05-31")."""
    text = " ".join(str(duration or "").split())
    if not text:
        raise DomainError("duration_required", "Say how long this consent lasts.", field)
    open_ended = _has(text, OPEN_ENDED_DURATIONS)
    if open_ended:
        raise DomainError(
            "duration_too_vague",
            f"A consent needs an end: {open_ended!r} names none (e.g. “12 months from signing”).",
            field,
        )
    return text


def is_unpaid(pay) -> bool:
    return bool(NO_PAY.match(str(pay or "")))


def check_pay(pay, represented_by: str = "", field: str = "consent_pay") -> str:
    """What the talent is paid: given and definite. No pay is accepted only when a lawyer or the union
    represented her (California AB 2602, SAG-AFTRA: consent with pay), never on her own."""
    text = " ".join(str(pay or "").split())
    if not text:
        raise DomainError("pay_required", "Say what you are paid for this consent.", field)
    vague = _has(text, VAGUE_PAY)
    if vague:
        raise DomainError("pay_too_vague", f"Say what you are paid, not {vague!r}.", field)
    if is_unpaid(text) and not (represented_by or "").strip():
        raise DomainError(
            "unpaid_without_representation",
            "An unpaid consent to a digital replica or AI training is accepted only when a lawyer or the "
            "union represented you: ask the union for help first.",
            field,
        )
    return text


def check_personal_consent(use: str, *, description, duration, pay, represented_by: str = "") -> None:
    """The written record of a replica/AI-training consent: specific use, an end, definite pay (first fault
    raised, its field named `use.field` like the drafting form's keys)."""
    check_description(description, f"{use}.consent_description")
    check_duration(duration, f"{use}.consent_duration")
    check_pay(pay, represented_by, f"{use}.consent_pay")
