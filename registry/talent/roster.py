"""The union roster import: create or update member profiles from a CSV in one transaction, inviting new
members; a file with any bad row changes nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, grant_role
from accounts.services import get_or_invite_user, send_invitation
from registry.core.errors import DomainError
from registry.core.values import parse_iso_date
from registry.talent.models import TalentProfile
from registry.talent.profiles import clean_disciplines
from registry.talent.verification import require_staff

ROSTER_COLUMNS = ("stage_name", "legal_name", "email", "membership_number", "date_of_birth", "disciplines")
ROSTER_REQUIRED = ("stage_name", "email")
MAX_ROSTER_BYTES = 5 * 1024 * 1024
MAX_ROSTER_ROWS = 20_000


@dataclass
class RosterResult:
    created: list[str] = field(default_factory=list)  # stage names
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)  # emails
    errors: list[str] = field(default_factory=list)  # "line N: …"
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class RosterError(ValidationError):
    def __init__(self, errors: list[str]):
        self.errors_list = errors
        super().__init__(errors)


class _Rollback(Exception):
    pass


def _decode_roster(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw
    if len(raw) > MAX_ROSTER_BYTES:
        raise RosterError([f"The file is too large: the limit is {MAX_ROSTER_BYTES // (1024 * 1024)} MB."])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(["The file is not text (save the spreadsheet as CSV, UTF-8)."])


def _parse_roster(text: str) -> tuple[list[tuple[int, dict]], list[str]]:
    """Rows as (line number, cleaned dict) and every error, each naming its line."""
    errors: list[str] = []
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        return [], [f"line 1: not a readable CSV file ({exc})."]
    if not header:
        return [], ["line 1: the file is empty; the first line must name the columns."]
    missing = [c for c in ROSTER_REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in ROSTER_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        return [], [f"line 1: {'; '.join(parts)}. Expected columns: {', '.join(ROSTER_COLUMNS)}."]
    reader.fieldnames = header
    rows: list[tuple[int, dict]] = []
    seen_email: dict[str, int] = {}
    seen_number: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if len(rows) >= MAX_ROSTER_ROWS:
                errors.append(f"line {line}: too many rows (the limit is {MAX_ROSTER_ROWS:,}).")
                break
            if None in record:
                errors.append(f"line {line}: more values than columns (quote values that contain commas).")
                continue
            values = {k: (v or "").strip() for k, v in record.items() if k}
            if not any(values.values()):
                continue  # blank line
            problems = []
            if not values.get("stage_name"):
                problems.append("stage_name is empty")
            email = values.get("email", "").lower()
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"email {email!r} is not a valid address" if email else "email is empty")
            dob = None
            if values.get("date_of_birth"):
                try:
                    dob = parse_iso_date(values["date_of_birth"], "date_of_birth")
                    if dob > timezone.localdate():
                        problems.append("date_of_birth is in the future")
                except DomainError:
                    problems.append(f"date_of_birth {values['date_of_birth']!r} is not a date (YYYY-MM-DD)")
            disciplines = []
            if values.get("disciplines"):
                parts = values["disciplines"].replace("|", ";").replace(",", ";").split(";")
                try:
                    disciplines = clean_disciplines(parts)
                except ValidationError as exc:
                    problems.append(exc.message_dict["disciplines"][0].rstrip("."))
            number = values.get("membership_number", "")
            if len(number) > 40:
                problems.append("membership_number is longer than 40 characters")
            if email and email in seen_email:
                problems.append(f"email {email} also appears on line {seen_email[email]}")
            if number and number in seen_number:
                problems.append(f"membership_number {number} also appears on line {seen_number[number]}")
            if problems:
                errors.append(f"line {line}: " + "; ".join(problems) + ".")
                continue
            seen_email[email] = line
            if number:
                seen_number[number] = line
            row = {
                "stage_name": " ".join(values["stage_name"].split())[:150],
                "email": email,
                "membership_number": number,
            }
            if "legal_name" in values:
                row["legal_name"] = values["legal_name"][:200]
            if values.get("date_of_birth"):
                row["date_of_birth"] = dob
            if values.get("disciplines"):
                row["disciplines"] = disciplines
            rows.append((line, row))
    except csv.Error as exc:
        errors.append(f"line {reader.line_num}: not readable as CSV ({exc}).")
    if not rows and not errors:
        errors.append("line 2: the file has no member rows.")
    return rows, errors


def _match_profile(row: dict) -> TalentProfile | None:
    if row["membership_number"]:
        found = TalentProfile.objects.filter(membership_number=row["membership_number"]).first()
        if found is not None:
            return found
    found = TalentProfile.objects.filter(email__iexact=row["email"]).first()
    if found is not None:
        return found
    return TalentProfile.objects.filter(user__email__iexact=row["email"]).first()


def import_roster(raw: bytes | str, *, actor, dry_run: bool = False) -> RosterResult:
    """Create or update profiles from a union roster CSV in one transaction, inviting new members.

    A file with any bad row changes nothing and every bad row is reported with its line number
    (RosterError). `dry_run` reports what would change and rolls back.
    """
    require_staff(actor)
    text = _decode_roster(raw)
    rows, errors = _parse_roster(text)
    if errors:
        raise RosterError(errors)
    result = RosterResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            for line, row in rows:
                _import_row(line, row, actor=actor, result=result)
            if result.errors:
                raise RosterError(result.errors)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _import_row(line: int, row: dict, *, actor, result: RosterResult) -> None:
    talent = _match_profile(row)
    if talent is not None and talent.user_id and talent.user.email.lower() != row["email"]:
        other = User.objects.filter(email__iexact=row["email"]).exclude(pk=talent.user_id).first()
        if other is not None:
            result.errors.append(
                f"line {line}: {row['email']} belongs to another account than this member's."
            )
            return
    if talent is None:
        owner = User.objects.filter(email__iexact=row["email"]).first()
        if owner is not None and TalentProfile.objects.filter(user=owner).exists():
            result.errors.append(f"line {line}: {row['email']} already has a different talent profile.")
            return
        talent = TalentProfile(**row)
        user, invited = (
            (owner, False) if owner is not None else get_or_invite_user(row["email"], name=row["stage_name"])
        )
        talent.user = user
        talent._history_user = actor
        talent.save()
        grant_role(user, Role.TALENT)
        result.created.append(row["stage_name"])
        if invited:
            result.invited.append(user.email)
            send_invitation(
                user,
                subject="Your union has registered you on the Likeness Registry",
                intro=(
                    f"Your union has created your profile on the Likeness Registry as {talent.stage_name} "
                    f"(registry ID {talent.registry_id}). There you decide how brands and AI developers may "
                    "use your likeness — images, video and voice — and see who checks your permissions."
                ),
            )
        return
    changed = [
        k for k, v in row.items() if getattr(talent, k) != v and not (k == "membership_number" and not v)
    ]
    if not changed:
        result.unchanged.append(talent.stage_name)
        return
    for key in changed:
        setattr(talent, key, row[key])
    talent._history_user = actor
    talent.save()
    result.updated.append(talent.stage_name)
