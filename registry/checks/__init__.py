"""The permission check: the evaluator of product.md §3, the check service (single, bulk), the check pages."""
