"""Brands' part of a data export: who checked the talent's permissions. The check log is kept on closure."""

from __future__ import annotations

from registry.brands.models import PermissionCheck
from registry.core.personal_data import Export
from registry.talent.models import TalentProfile

EXPORT_ORDER = 40
CHECK_COLUMNS = ("check_id", "organization__name", "use", "modality", "territory", "channel",
                 "product_category", "as_of", "decision", "checked_at")  # fmt: skip
CHECK_FIELDS = tuple(c.replace("organization__name", "organization") for c in CHECK_COLUMNS)


def export(talent: TalentProfile, context: Export) -> dict:
    """The organization's name, never its staff or API key."""
    rows = (
        PermissionCheck.objects.filter(talent=talent).order_by("checked_at", "pk").values_list(*CHECK_COLUMNS)
    )
    return {"permission_checks": [dict(zip(CHECK_FIELDS, row, strict=True)) for row in rows]}
