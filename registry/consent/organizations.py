"""Organizations a term is limited to (product.md §2): ids checked on input, names shown and signed."""

from __future__ import annotations

from collections.abc import Iterable

from registry.brands.models import Organization


def choices() -> list[tuple[int, str]]:
    """Registered organizations, by name, for the drafting form."""
    return list(Organization.objects.order_by("name").values_list("pk", "name"))


def unknown_ids(ids: Iterable[int]) -> list[int]:
    ids = set(ids)
    known = set(Organization.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    return sorted(ids - known)


def names_by_id(ids: Iterable[int]) -> dict[int, str]:
    ids = set(ids)
    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def attach_names(terms: Iterable) -> None:
    """Give every term its `organization_names` (sorted) with one query, for summaries and documents."""
    terms = [t for t in terms if t is not None]
    names = names_by_id(i for t in terms for i in (t.organizations or []))
    for t in terms:
        t.organization_names = sorted(
            (names.get(i, f"organization #{i}") for i in t.organizations or []), key=str.lower
        )


def organization_names(term) -> list[str]:
    """The names of the organizations a term is limited to (empty: any caller)."""
    if not term.organizations:
        return []
    if getattr(term, "organization_names", None) is None:
        attach_names([term])
    return term.organization_names
