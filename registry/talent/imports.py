"""Talent profiles recorded from a union's registry file: matched by registry ID or email, created without an
account, updated field by field (the importer, registry.importer, validates the file first)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from registry.core.errors import DomainError
from registry.talent.models import NameWord, TalentProfile, VerificationMethod
from registry.talent.search import normalize_name

# The profile fields a registry file may carry, in the order the importer reads them.
IMPORTABLE_FIELDS = (
    "stage_name",
    "legal_name",
    "email",
    "date_of_birth",
    "date_of_death",
    "membership_number",
    "disciplines",
    "phone",
    "address",
    "representation",
    "bio",
)


# How a profile from the union's own records is verified (product.md §2: imports are verified unless a row
# says otherwise).
IMPORT_VERIFICATION = f"{VerificationMethod.UNION_RECORDS}: imported from the union's records"
IMPORT_UNVERIFIED = "marked unverified in the union's records"


def _record_verification(talent: TalentProfile, verified: bool, actor) -> None:
    talent.is_verified = verified
    talent.verified_at = timezone.now()
    talent.verified_by = actor if getattr(actor, "is_authenticated", False) else None
    talent.verification_method = IMPORT_VERIFICATION if verified else IMPORT_UNVERIFIED


def _record_death(talent: TalentProfile, died: date | None) -> None:
    """A date of death marks the performer deceased (estates consent, AB 1836); no date changes nothing."""
    talent.date_of_death = died
    if died is not None:
        talent.is_deceased = True


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
    talent = queryset.filter(registry_id=registry_id).first() if registry_id else None
    return _decide_match(registry_id, email, talent, by_email)


def match_imported_profiles(
    rows: list[tuple[str | None, str | None]],
) -> list[TalentProfile | DomainError | None]:
    """`match_imported_profile` for many (registry_id, email) rows in two indexed queries (registry ID, and
    UPPER(email) on the talent_email_upper index), each profile locked; a refusal comes back as its error.

    Rows whose email is not plain ASCII are matched one by one (Python's and the database's upper-casing
    could differ for them)."""
    queryset = TalentProfile.objects.select_for_update()
    ids = {registry_id for registry_id, _ in rows if registry_id}
    emails = {email.upper() for _, email in rows if email and email.isascii()}
    by_id = {t.registry_id: t for t in queryset.filter(registry_id__in=ids)} if ids else {}
    by_email: dict[str, list[TalentProfile]] = defaultdict(list)
    if emails:
        for talent in queryset.annotate(email_upper=Upper("email")).filter(email_upper__in=emails):
            by_email[talent.email_upper].append(talent)
    results: list[TalentProfile | DomainError | None] = []
    for registry_id, email in rows:
        try:
            if email and not email.isascii():
                results.append(match_imported_profile(registry_id=registry_id, email=email))
                continue
            found = by_email.get(email.upper(), [])[:2] if email else []
            talent = by_id.get(registry_id) if registry_id else None
            results.append(_decide_match(registry_id, email, talent, found))
        except DomainError as exc:
            results.append(exc)
    return results


def _decide_match(registry_id, email, talent, by_email) -> TalentProfile | None:
    if registry_id:
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
def create_imported_profile(
    *, fields: dict, registry_id: str | None = None, actor=None, verified: bool = True
) -> TalentProfile:
    """A profile from the union's records, with no user account yet; `registry_id` keeps an existing ID.

    It is verified (recorded as "imported from the union's records") unless `verified` is False."""
    _check_fields(fields)
    if not fields.get("stage_name"):
        raise DomainError("required", "Required for a new talent.", "stage_name")
    fields = dict(fields)
    died = fields.pop("date_of_death", None)
    talent = TalentProfile(**fields)
    _record_death(talent, died)
    _record_verification(talent, verified, actor)
    if registry_id:
        talent.registry_id = registry_id
    talent._history_user = actor if getattr(actor, "is_authenticated", False) else None
    talent.save()
    return talent


def update_imported_profile(
    talent: TalentProfile, *, fields: dict, actor=None, verified: bool | None = None
) -> list[str]:
    """Write the fields that differ (simple_history records them); returns their names, empty if none.

    `verified` changes the verification only when the row says so (None: as staff left it), so re-importing
    a file never undoes a later staff decision it does not mention."""
    _check_fields(fields)
    changed = [name for name, value in fields.items() if getattr(talent, name) != value]
    if verified is not None and verified != talent.is_verified:
        changed.append("verified")
    if not changed:
        return changed  # (no transaction either: an import of many unchanged rows spends no savepoints)
    with transaction.atomic():
        for name in changed:
            if name == "date_of_death":
                _record_death(talent, fields[name])
            elif name == "verified":
                _record_verification(talent, verified, actor)
            else:
                setattr(talent, name, fields[name])
        talent._history_user = actor if getattr(actor, "is_authenticated", False) else None
        talent.save()
    return changed


def create_imported_profiles(rows: list[dict], *, actor=None) -> list[TalentProfile | DomainError]:
    """`create_imported_profile` for many rows at once (each `{"fields", "registry_id", "verified"}`): the
    same checks per row, then one bulk insert with its history rows. A refused row comes back as its error.

    A bulk insert sends no `post_save`: the caller replaces the new talent's cached facts (and forgets any
    registry ID a check remembered as unknown) itself."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    results: list[TalentProfile | DomainError] = []
    for row in rows:
        fields = row["fields"]
        try:
            _check_fields(fields)
            if not fields.get("stage_name"):
                raise DomainError("required", "Required for a new talent.", "stage_name")
        except DomainError as exc:
            results.append(exc)
            continue
        fields = dict(fields)
        died = fields.pop("date_of_death", None)
        talent = TalentProfile(**fields)
        _record_death(talent, died)
        verified = row.get("verified")
        _record_verification(talent, True if verified is None else verified, actor)
        if row.get("registry_id"):
            talent.registry_id = row["registry_id"]
        talent.search_name = normalize_name(talent.stage_name)  # what save() would compute
        results.append(talent)
    fresh = [t for t in results if isinstance(t, TalentProfile)]
    if fresh:
        bulk_create_with_history(fresh, TalentProfile, batch_size=1000, default_user=user)
        NameWord.remember([t.search_name for t in fresh])
    return results
