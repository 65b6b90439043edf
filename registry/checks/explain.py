"""Plain-language wording of a permission-check result for the web form (the API returns the raw shape)."""

from __future__ import annotations

from registry.consent.vocab import DEFAULT_EXCLUDED_CATEGORIES, Outcome, Use

HEADLINES = {
    Outcome.PERMITTED: "Permitted",
    Outcome.LICENSE_REQUIRED: "License required",
    Outcome.DENIED: "Denied",
    Outcome.NOT_REGISTERED: "Not registered",
}


def _use_label(use: str) -> str:
    try:
        return Use(use).label.lower()
    except ValueError:
        return use


def explain(result: dict) -> dict:
    """{headline, summary, basis, conditions: [sentences]} for a check result (DESIGN.md §5 shape)."""
    decision = result["decision"]
    basis = result.get("basis") or {}
    conditions = result.get("conditions") or {}
    use = _use_label((result.get("request") or {}).get("use", ""))
    kind = basis.get("kind")

    if decision == Outcome.NOT_REGISTERED:
        summary = (
            "No active profile has this registry ID. The person may not be registered, or has withdrawn: "
            "that does not make a use allowed."
        )
    elif decision == Outcome.PERMITTED and kind == "license":
        summary = f"Your organization holds license {basis.get('license_id')}, which covers this {use}."
    elif decision == Outcome.PERMITTED:
        summary = f"The talent's signed terms allow this {use} under the conditions below, without a license."
    elif decision == Outcome.DENIED and basis.get("reason") == "excluded_category":
        summary = "The talent excludes this product category: the use is not allowed."
    elif decision == Outcome.DENIED and kind == "default":
        summary = "With no signed terms, AI training is not allowed."
    elif decision == Outcome.DENIED:
        summary = f"The talent does not allow {use}."
    elif kind == "default":
        summary = "The talent has signed no terms in effect on that date: every use needs a license."
    elif basis.get("reason") == "no_term_for_use":
        summary = f"The talent's terms say nothing about {use}: it needs a license the talent approves."
    else:
        summary = (
            "The talent's terms do not allow this use as asked (it needs a license, or lies outside the "
            "allowed modalities, territories, channels or dates): request a license."
        )

    if kind == "terms":
        basis_text = (
            f"Signed terms, version {basis.get('version')} (SHA-256 {str(basis.get('sha256', ''))[:12]}…)"
        )
    elif kind == "license":
        basis_text = f"License {basis.get('license_id')}"
    elif kind == "default":
        basis_text = "No signed terms: the registry's defaults"
    else:
        basis_text = "—"

    sentences = []
    if conditions.get("attribution"):
        sentences.append("Credit the talent by name (attribution required).")
    if conditions.get("ai_disclosure"):
        sentences.append("Label the content as AI-generated or digitally altered (AI disclosure required).")
    if conditions.get("min_fee"):
        fee = conditions["min_fee"]
        sentences.append(f"Pay at least {fee['amount']} {fee['currency']}.")
    if conditions.get("excluded_categories"):
        names = ", ".join(
            DEFAULT_EXCLUDED_CATEGORIES.get(c, c).lower() for c in conditions["excluded_categories"]
        )
        sentences.append(f"Not for these product categories: {names}.")
    if result.get("valid_until") and decision == Outcome.PERMITTED:
        sentences.append(f"Valid until {result['valid_until']}.")
    return {
        "headline": HEADLINES.get(decision, decision),
        "summary": summary,
        "basis": basis_text,
        "conditions": sentences,
    }
