"""Performing permission checks: parse, evaluate and log one check or a bulk of up to MAX_BULK_CHECKS.

The web form, the API and the demo data all call these; the log rows are written by the brands app, which
owns the check log.
"""

from __future__ import annotations

import secrets

from registry.brands import services as brand_services
from registry.brands.models import ApiKey, Organization, PermissionCheck
from registry.checks.evaluator import CheckResult, evaluate_many, parse_check
from registry.consent.vocab import VocabularyError

MAX_BULK_CHECKS = 1000


def new_check_id() -> str:
    return "chk_" + secrets.token_hex(12)


def check_error(exc: VocabularyError) -> dict:
    return {"code": exc.code, "detail": exc.detail, "fields": {exc.field: [exc.detail]}}


def check_response(check_id: str, result: CheckResult) -> dict:
    """The DESIGN.md §5 response shape."""
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
        talent_registry_id=req.talent,
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


def run_bulk_checks(
    items: list, *, organization: Organization, api_key: ApiKey | None = None, actor=None
) -> list[dict]:
    """Evaluate up to MAX_BULK_CHECKS checks in order; a bad item gets its own error, the rest are decided.

    A fixed number of queries whatever the size: the evaluator's batch plus one INSERT of the log.
    """
    outputs: list[dict | None] = [None] * len(items)
    parsed = []
    for index, item in enumerate(items):
        try:
            parsed.append((index, parse_check(item)))
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
