"""What an import changed (or, previewed, would change): the lists the command prints and the page shows."""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = (
    ("talent_created", "Talent created"),
    ("talent_updated", "Talent updated"),
    ("talent_unchanged", "Talent unchanged"),
    ("versions_added", "Term versions added"),
    ("versions_unchanged", "Term versions already imported"),
    ("licenses_added", "Licenses added"),
    ("licenses_unchanged", "Licenses already imported"),
    ("organizations_created", "Organizations created"),
)


@dataclass
class ImportReport:
    talent_created: list[str] = field(default_factory=list)
    talent_updated: list[str] = field(default_factory=list)
    talent_unchanged: list[str] = field(default_factory=list)
    versions_added: list[str] = field(default_factory=list)
    versions_unchanged: list[str] = field(default_factory=list)
    licenses_added: list[str] = field(default_factory=list)
    licenses_unchanged: list[str] = field(default_factory=list)
    organizations_created: list[str] = field(default_factory=list)
    dry_run: bool = False
    # Organizations already looked up in this run, by UPPER(name) (as `ensure_organization` matches them).
    organization_cache: dict = field(default_factory=dict, repr=False)

    @property
    def changed(self) -> bool:
        return bool(
            self.talent_created
            or self.talent_updated
            or self.versions_added
            or self.licenses_added
            or self.organizations_created
        )

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("dry_run", "organization_cache")}

    def lines(self) -> list[str]:
        out = []
        for attr, label in LABELS:
            items = getattr(self, attr)
            out.append(f"{label}: {len(items)}")
            out.extend(f"  - {item}" for item in items)
        return out
