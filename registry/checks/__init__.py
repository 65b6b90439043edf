"""The permission check: the evaluator of DESIGN.md §3, the check service (single, bulk), the check pages."""
