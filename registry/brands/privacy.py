"""Brands' part of a data export: who checked the talent's permissions (each check of the detail period, then
daily counts). The check log is kept on closure."""

from __future__ import annotations

from registry.brands.models import PermissionCheck, PermissionCheckDay
from registry.core.personal_data import Export
from registry.talent.models import TalentProfile

EXPORT_ORDER = 40
CHECK_COLUMNS = ("check_id", "organization__name", "use", "modality", "territory", "channel",
                 "product_category", "as_of", "decision", "checked_at")  # fmt: skip
CHECK_FIELDS = tuple(c.replace("organization__name", "organization") for c in CHECK_COLUMNS)
DAY_COLUMNS = ("day", "organization__name", "use", "decision", "count")
DAY_FIELDS = tuple(c.replace("organization__name", "organization") for c in DAY_COLUMNS)


def export(talent: TalentProfile, context: Export) -> dict:
    """The organization's name, never its staff or API key."""
    rows = (
        PermissionCheck.objects.filter(talent=talent).order_by("checked_at", "pk").values_list(*CHECK_COLUMNS)
    )
    days = PermissionCheckDay.objects.filter(talent=talent).order_by("day", "pk").values_list(*DAY_COLUMNS)
    return {
        "permission_checks": [dict(zip(CHECK_FIELDS, row, strict=True)) for row in rows],
        # Checks past the detail period, as daily counts (docs/privacy.md, "Permission-check log").
        "permission_check_days": [dict(zip(DAY_FIELDS, row, strict=True)) for row in days],
    }
