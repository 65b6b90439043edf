"""Plain-language wording of a permission-check result for the web form (the API returns the raw shape)."""

from __future__ import annotations

from datetime import date

from registry.checks.evaluator import Reason
from registry.checks.territories import country_name
from registry.consent.vocab import DEFAULT_EXCLUDED_CATEGORIES, Channel, Modality, Outcome, Use
from registry.core import labels

HEADLINES = {
    Outcome.PERMITTED: "Permitted",
    Outcome.LICENSE_REQUIRED: "License required",
    Outcome.DENIED: "Denied",
    Outcome.NOT_REGISTERED: "Not registered",
}


def _label(choices, value: str) -> str:
    """The label in running text: lower case, except acronyms ("AI training", not "ai training")."""
    try:
        label = choices(value).label
    except ValueError:
        return value.replace("_", " ")
    return labels.in_sentence(label)


def _category(slug: str) -> str:
    return DEFAULT_EXCLUDED_CATEGORIES.get(slug, slug.replace("_", " ")).lower()


def _and(items: list[str]) -> str:
    items = [str(i) for i in items]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _window(start: date | None, end: date | None) -> str:
    if start and end:
        return f"run from {start.isoformat()} to {end.isoformat()}"
    return f"run from {start.isoformat()}" if start else f"run until {end.isoformat()}"


def outside_words(outside) -> list[str]:
    """Each condition the request lies outside of, in words: "not in Germany: the terms cover US and CA"."""
    words = []
    for name, asked, allowed in outside:
        if name == "territory":
            words.append(f"not in {country_name(asked)}: the terms cover {_and(allowed)}")
        elif name == "modality":
            names = [_label(Modality, m) for m in allowed]
            words.append(f"not for {_label(Modality, asked)}: the terms cover {_and(names)}")
        elif name == "channel":
            names = [_label(Channel, c) for c in allowed]
            words.append(f"not on {_label(Channel, asked)}: the terms cover {_and(names)}")
        elif name == "date":
            words.append(f"not on {asked.isoformat()}: the terms {_window(*allowed)}")
    return words


def _reason(decision: str, basis: dict, request: dict, outside) -> str:
    """Why the answer is what it is, in words (empty when the summary says it all)."""
    reason = basis.get("reason")
    if reason == Reason.MINOR_PROTECTED:
        return f"The talent is a minor: never for {_category(request.get('product_category', ''))}."
    if reason == Reason.EXCLUDED_CATEGORY:
        return f"The talent's terms exclude {_category(request.get('product_category', ''))}."
    if reason == Reason.LICENSE_TERM:
        return "The talent's terms allow this use only with a license the talent approves."
    if reason == Reason.UNVERIFIED_PROFILE:
        return (
            "The talent's profile is not yet verified by the union: its terms grant no standing permission "
            "until staff have checked who signed them."
        )
    if reason == Reason.ORGANIZATION_NOT_NAMED:
        return "The terms allow this only for the organizations the talent named; yours is not one of them."
    if reason == Reason.OUTSIDE_CONDITIONS and outside:
        words = "; ".join(outside_words(outside))
        return f"{words[:1].upper()}{words[1:]}."
    return ""


def _summary(decision: str, basis: dict, use: str, why: str, outside) -> str:
    kind, reason = basis.get("kind"), basis.get("reason")
    if decision == Outcome.NOT_REGISTERED:
        return (
            "No active profile has this registry ID. The person may not be registered, or has withdrawn: "
            "that does not make a use allowed."
        )
    if decision == Outcome.PERMITTED and kind == "license":
        return f"Your organization holds license {basis.get('license_id')}, which covers this {use}."
    if decision == Outcome.PERMITTED:
        return f"The talent's signed terms allow this {use} under the conditions below, without a license."
    if decision == Outcome.DENIED and reason in (Reason.MINOR_PROTECTED, Reason.EXCLUDED_CATEGORY):
        return f"{why} The use is not allowed, and no license can be requested for it."
    if decision == Outcome.DENIED and kind == "default":
        return "With no signed terms, AI training is not allowed."
    if decision == Outcome.DENIED:
        return f"The talent does not allow {use}."
    if kind == "default":
        return "The talent has signed no terms in effect on that date: every use needs a license."
    if reason == Reason.NO_TERM_FOR_USE:
        return f"The talent's terms say nothing about {use}: it needs a license the talent approves."
    if reason == Reason.OUTSIDE_CONDITIONS and outside:
        words = "; ".join(outside_words(outside))
        return f"The terms do not allow this as asked ({words}): request a license, or stay inside them."
    if why:
        return f"{why} To go ahead, request a license."
    return "The talent's terms do not allow this use as asked: request a license."


def _basis_text(basis: dict) -> str:
    kind = basis.get("kind")
    if kind == "terms":
        return f"Signed terms, version {basis.get('version')} (SHA-256 {str(basis.get('sha256', ''))[:12]}…)"
    if kind == "license":
        return f"License {basis.get('license_id')}"
    if basis.get("reason") == Reason.MINOR_PROTECTED:
        return "The registry's protection of minors"
    if kind == "default":
        return "No signed terms: the registry's defaults"
    return "—"


def _conditions(result: dict) -> list[str]:
    conditions = result.get("conditions") or {}
    sentences = []
    if conditions.get("attribution"):
        sentences.append("Credit the talent by name (attribution required).")
    if conditions.get("ai_disclosure"):
        sentences.append("Label the content as AI-generated or digitally altered (AI disclosure required).")
    if conditions.get("min_fee"):
        fee = conditions["min_fee"]
        sentences.append(f"Pay at least {fee['amount']} {fee['currency']}.")
    if conditions.get("excluded_categories"):
        names = ", ".join(_category(c) for c in conditions["excluded_categories"])
        sentences.append(f"Not for these product categories: {names}.")
    if result.get("valid_until") and result["decision"] == Outcome.PERMITTED:
        sentences.append(f"Valid until {result['valid_until']}.")
    return sentences


def explain(result: dict, *, outside=()) -> dict:
    """{headline, summary, reason, basis, conditions: [sentences]} for a check result (product.md §5 shape).

    `outside` is the evaluator's list of conditions the request lies outside of (CheckResult.outside).
    """
    decision = result["decision"]
    basis = result.get("basis") or {}
    request = result.get("request") or {}
    use = _label(Use, request.get("use", ""))
    why = _reason(decision, basis, request, outside)
    return {
        "headline": HEADLINES.get(decision, decision),
        "summary": _summary(decision, basis, use, why, outside),
        "reason": why,
        "basis": _basis_text(basis),
        "conditions": _conditions(result),
    }
