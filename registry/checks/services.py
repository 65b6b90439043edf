"""Performing permission checks: parse, evaluate and log one check or a bulk of up to MAX_BULK_CHECKS.

The web form, the API and the demo data all call these; the log rows are written by the brands app, which
owns the check log.
"""

from __future__ import annotations

import secrets

from registry.brands import services as brand_services
from registry.brands.models import ApiKey, Organization, PermissionCheck
from registry.checks.evaluator import CheckResult, evaluate_many, parse_check
from registry.consent.categories import category_table
from registry.consent.vocab import VocabularyError
from registry.core.errors import DomainError

MAX_BULK_CHECKS = 1000
BULK_FIELDS = ("checks",)


def new_check_id() -> str:
    return "chk_" + secrets.token_hex(12)


def check_error(exc: VocabularyError) -> dict:
    return {"code": exc.code, "detail": exc.detail, "fields": exc.fields}


def check_response(check_id: str, result: CheckResult) -> dict:
    """The product.md §5 response shape."""
    return {"check_id": check_id, **result.as_dict()}


def _log_row(
    result: CheckResult, *, check_id: str, organization, api_key, actor, source: str
) -> PermissionCheck:
    req = result.request
    return PermissionCheck(
        check_id=check_id,
        organization=organization,
        api_key=api_key,
        user=actor if getattr(actor, "is_authenticated", False) else None,
        talent_id=result.talent_pk,
        talent_registry_id=result.talent,
        use=req.use,
        modality=req.modality,
        territory=req.territory,
        channel=req.channel,
        product_category=req.product_category,
        as_of=req.date,
        decision=result.decision,
        basis=result.basis or {},
        conditions=result.conditions,
        valid_until=result.valid_until,
        source=source,
    )


def run_check(
    data,
    *,
    organization: Organization,
    api_key: ApiKey | None = None,
    actor=None,
    source: str = PermissionCheck.Source.API,
) -> tuple[dict, CheckResult]:
    """Parse, evaluate and log one check. Raises VocabularyError for bad vocabulary (a 400)."""
    request = parse_check(data)
    result = evaluate_many([request], organization_id=organization.pk)[0]
    check_id = new_check_id()
    row = _log_row(
        result, check_id=check_id, organization=organization, api_key=api_key, actor=actor, source=source
    )
    brand_services.record_checks([row])
    return check_response(check_id, result), result


def bulk_items(body) -> list:
    """The checks of a bulk body `{"checks": [...]}`; a 400 for another shape, another field or too many."""
    if not isinstance(body, dict):
        raise DomainError(
            "invalid", "The body must be a JSON object.", fields={"non_field_errors": ["Expected an object."]}
        )
    unknown = sorted((str(k) for k in body if k not in BULK_FIELDS), key=str)
    if unknown:
        raise DomainError(
            "unknown_field",
            f"Unknown field(s) {', '.join(repr(k) for k in unknown)}: a bulk check takes only 'checks'.",
            unknown[0],
            fields={k: [f"Unknown field {k!r}."] for k in unknown},
        )
    checks = body.get("checks")
    if not isinstance(checks, list):
        raise DomainError(
            "invalid",
            "Send {'checks': [...]}: a list of checks.",
            fields={"checks": ["Expected a list of checks."]},
        )
    if len(checks) > MAX_BULK_CHECKS:
        raise DomainError(
            "too_many_checks",
            f"At most {MAX_BULK_CHECKS:,} checks per call (got {len(checks):,}).",
            fields={"checks": [f"At most {MAX_BULK_CHECKS} items."]},
        )
    return checks


def _names_a_category(item) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("product_category"), str)
        and bool(item["product_category"].strip())
    )


def run_bulk_checks(
    items: list, *, organization: Organization, api_key: ApiKey | None = None, actor=None
) -> list[dict]:
    """Evaluate up to MAX_BULK_CHECKS checks in order; a bad item gets its own error, the rest are decided.

    A fixed number of queries whatever the size: the category names, the evaluator's batch and one INSERT
    of the log.
    """
    outputs: list[dict | None] = [None] * len(items)
    parsed = []
    # The category names are read once for the whole bulk, and only when an item names a category.
    categories = category_table() if any(_names_a_category(item) for item in items) else {}
    for index, item in enumerate(items):
        try:
            parsed.append((index, parse_check(item, categories=categories)))
        except VocabularyError as exc:
            outputs[index] = {"index": index, "error": check_error(exc)}
    results = evaluate_many([req for _, req in parsed], organization_id=organization.pk)
    rows = []
    for (index, _), result in zip(parsed, results, strict=True):
        check_id = new_check_id()
        rows.append(
            _log_row(
                result,
                check_id=check_id,
                organization=organization,
                api_key=api_key,
                actor=actor,
                source=PermissionCheck.Source.BULK,
            )
        )
        outputs[index] = check_response(check_id, result)
    brand_services.record_checks(rows)
    return outputs
