"""Refusals shared by every case service: a merged case is read-only (product.md §4)."""

from __future__ import annotations

from registry.cases.errors import CaseError
from registry.cases.models import Case


def merged_detail(case: Case) -> str:
    return f"This case was merged into {case.duplicate_of.reference}; work on that case."


def ensure_not_merged(case: Case) -> None:
    """Refuse (409 `case_merged`) any new work on a case merged into another; the detail names the target."""
    if case.duplicate_of_id:
        raise CaseError("case_merged", merged_detail(case), None, status=409)
