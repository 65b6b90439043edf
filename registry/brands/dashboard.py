"""The brands app's section of the talent dashboard: who checked this talent's permissions (product.md §3)."""

from registry.brands.selectors import checks_about

TEMPLATE = "brands/_talent_checks.html"


def talent_checks(request, talent, acting) -> dict:
    return {"checks": checks_about(talent, limit=10)}
