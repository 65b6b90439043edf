"""Page-number pagination that never counts a whole table: the count is bounded."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_PAGE = 1_000_000  # far past any real list; keeps LIMIT/OFFSET inside PostgreSQL's bigint


def page_number(value, default: int = 1) -> int:
    """The page asked for (the paginator validates it; this only reads it for the count's bound)."""
    try:
        return min(MAX_PAGE, max(1, int(value)))
    except (TypeError, ValueError):
        return default


class BoundedPaginator(Paginator):
    """Counts at most `look_ahead` pages past the page asked for (and never fewer than `min_count` rows):
    `SELECT COUNT(*) FROM (SELECT id … LIMIT n)`, which an index scan answers without reading the whole set.

    When the set is larger, `count` is that bound and `count_is_lower_bound` is true ("1,000+ cases", "page 3
    of 40+"); the next pages stay reachable because each page asked for moves the bound along.
    """

    def __init__(
        self, object_list, per_page, *, page_hint=1, look_ahead: int = 10, min_count: int = 1000, **kw
    ):
        super().__init__(object_list, per_page, **kw)
        self.page_hint = page_number(page_hint)
        self.look_ahead = look_ahead
        self.min_count = min_count
        self.count_is_lower_bound = False

    @cached_property
    def count(self) -> int:
        bound = max(self.min_count, (self.page_hint + self.look_ahead) * int(self.per_page))
        found = self.object_list.order_by().values("pk")[: bound + 1].count()
        self.count_is_lower_bound = found > bound
        return min(found, bound)
