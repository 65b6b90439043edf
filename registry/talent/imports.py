"""Talent profiles recorded from a union's registry file: matched by registry ID or email, created without an
account, updated field by field (the importer, registry.importer, validates the file first)."""

from __future__ import annotations

from django.db import transaction

from registry.core.errors import DomainError
from registry.talent.models import TalentProfile

# The profile fields a registry file may carry, in the order the importer reads them.
IMPORTABLE_FIELDS = (
    "stage_name",
    "legal_name",
    "email",
    "date_of_birth",
    "membership_number",
    "disciplines",
    "phone",
    "address",
    "representation",
    "bio",
)


def _check_fields(fields: dict) -> None:
    unknown = sorted(set(fields) - set(IMPORTABLE_FIELDS))
    if unknown:
        raise DomainError("unknown_field", f"Not an importable profile field: {', '.join(unknown)}.")


def match_imported_profile(*, registry_id: str | None, email: str | None) -> TalentProfile | None:
    """The profile a file row means (locked for the import's transaction): its registry ID, else its email.

    An email that belongs to another registry ID, or to several profiles, is refused rather than guessed.
    """
    queryset = TalentProfile.objects.select_for_update()
    by_email = list(queryset.filter(email__iexact=email)[:2]) if email else []
    if registry_id:
        talent = queryset.filter(registry_id=registry_id).first()
        others = [t for t in by_email if talent is None or t.pk != talent.pk]
        if others:
            raise DomainError(
                "email_taken", f"{email} belongs to {others[0].registry_id}, not {registry_id}.", "email"
            )
        return talent
    if len(by_email) > 1:
        raise DomainError("email_ambiguous", f"Several talent have {email}: give the registry_id.", "email")
    return by_email[0] if by_email else None


@transaction.atomic
def create_imported_profile(*, fields: dict, registry_id: str | None = None, actor=None) -> TalentProfile:
    """A profile from the union's records, with no user account yet; `registry_id` keeps an existing ID."""
    _check_fields(fields)
    if not fields.get("stage_name"):
        raise DomainError("required", "Required for a new talent.", "stage_name")
    talent = TalentProfile(**fields)
    if registry_id:
        talent.registry_id = registry_id
    talent._history_user = actor if getattr(actor, "is_authenticated", False) else None
    talent.save()
    return talent


@transaction.atomic
def update_imported_profile(talent: TalentProfile, *, fields: dict, actor=None) -> list[str]:
    """Write the fields that differ (simple_history records them); returns their names, empty if none."""
    _check_fields(fields)
    changed = [name for name, value in fields.items() if getattr(talent, name) != value]
    if changed:
        for name in changed:
            setattr(talent, name, fields[name])
        talent._history_user = actor if getattr(actor, "is_authenticated", False) else None
        talent.save()
    return changed
