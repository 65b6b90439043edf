"""Every state change of the talent app: profiles, representatives, reference media, verification, roster.

Views, the API, admin, commands and demo data call these; each is transactional and validates its input.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, grant_role, is_staff_member
from accounts.services import get_or_invite_user, send_invitation
from registry.core.mail import send_email
from registry.core.uploads import process_image, sha256_hex, sniff_audio
from registry.talent import selectors
from registry.talent.models import Discipline, ReferenceMedia, Representative, TalentProfile

PUBLIC_FIELDS = ("stage_name", "disciplines", "representation", "bio")
PRIVATE_FIELDS = ("legal_name", "date_of_birth", "email", "phone", "address", "membership_number")
PROFILE_FIELDS = PUBLIC_FIELDS + PRIVATE_FIELDS


class AuthorityError(ValidationError):
    """The user may not do this for this talent."""


# --- profile -------------------------------------------------------------------------------------------


def clean_disciplines(values) -> list[str]:
    """Discipline slugs (or labels, any case) → known slugs in a stable order; unknown ones are an error."""
    by_name = {**{v: v for v in Discipline.values}, **{label.lower(): v for v, label in Discipline.choices}}
    cleaned, unknown = [], []
    for raw in values or []:
        value = str(raw).strip()
        if not value:
            continue
        slug = (
            by_name.get(value) or by_name.get(value.lower()) or by_name.get(value.lower().replace(" ", "_"))
        )
        if slug is None:
            unknown.append(value)
        elif slug not in cleaned:
            cleaned.append(slug)
    if unknown:
        raise ValidationError(
            {
                "disciplines": f"Unknown discipline(s): {', '.join(unknown)}. "
                f"Choose from: {', '.join(Discipline.values)}."
            }
        )
    return [v for v in Discipline.values if v in cleaned]


def _clean_profile_data(data: dict) -> dict:
    cleaned = {k: data[k] for k in PROFILE_FIELDS if k in data}
    errors = {}
    if "stage_name" in cleaned:
        cleaned["stage_name"] = " ".join(str(cleaned["stage_name"] or "").split())
        if not cleaned["stage_name"]:
            errors["stage_name"] = "Enter the name you work under."
    if "disciplines" in cleaned:
        try:
            cleaned["disciplines"] = clean_disciplines(cleaned["disciplines"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    dob = cleaned.get("date_of_birth")
    if dob is not None:
        today = timezone.localdate()
        if dob > today:
            errors["date_of_birth"] = "The date of birth cannot be in the future."
        elif dob.year < today.year - 130:
            errors["date_of_birth"] = "Check the year of the date of birth."
    for name in ("legal_name", "email", "phone", "address", "membership_number", "representation", "bio"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
        if name in cleaned:
            cleaned[name] = str(cleaned[name]).strip()
    if cleaned.get("email"):
        cleaned["email"] = cleaned["email"].lower()
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_profile(*, user, data: dict) -> TalentProfile:
    """A talent creates their own profile (once)."""
    if TalentProfile.objects.filter(user=user).exists():
        raise ValidationError("You already have a talent profile.")
    cleaned = _clean_profile_data(data)
    if not cleaned.get("stage_name"):
        raise ValidationError({"stage_name": "Enter the name you work under."})
    cleaned.setdefault("email", user.email)
    talent = TalentProfile(user=user, **cleaned)
    talent._history_user = user
    talent.save()
    grant_role(user, Role.TALENT)
    return talent


@transaction.atomic
def update_profile(talent: TalentProfile, *, data: dict, by) -> TalentProfile:
    """Edit public and private fields; simple_history records who changed what."""
    if not (selectors.can_manage_profile(by, talent) or is_staff_member(by)):
        raise AuthorityError("You cannot edit this profile.")
    cleaned = _clean_profile_data(data)
    changed = [k for k, v in cleaned.items() if getattr(talent, k) != v]
    if not changed:
        return talent
    for key in changed:
        setattr(talent, key, cleaned[key])
    talent._history_user = by
    talent.save()
    return talent


# --- representatives and guardians -------------------------------------------------------------------


@transaction.atomic
def authorise_representative(
    talent: TalentProfile,
    *,
    email: str,
    kind: str = Representative.Kind.AGENT,
    agency: str = "",
    can_manage_terms: bool = True,
    can_answer_requests: bool = True,
    granted_by,
) -> Representative:
    """The talent (or their guardian, or staff) authorises someone to act for them; invites new users."""
    if not (selectors.can_manage_profile(granted_by, talent) or is_staff_member(granted_by)):
        raise AuthorityError("Only the talent, their guardian or staff can authorise a representative.")
    if kind not in Representative.Kind.values:
        raise ValidationError({"kind": "Choose agent or guardian."})
    if kind == Representative.Kind.ESTATE and not (is_staff_member(granted_by) or talent.is_deceased):
        raise ValidationError({"kind": "An estate is recorded by staff for a deceased performer."})
    if kind == Representative.Kind.GUARDIAN and not talent.is_minor():
        raise ValidationError({"kind": "A guardian is only for a talent under 18 (check the date of birth)."})
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."})
    if talent.user_id and talent.user.email.lower() == email:
        raise ValidationError({"email": "That is the talent's own account."})
    if kind != Representative.Kind.AGENT:
        can_manage_terms = can_answer_requests = True
    if not (can_manage_terms or can_answer_requests):
        raise ValidationError("Give at least one authority: manage terms or answer license requests.")

    user, created = get_or_invite_user(email)
    existing = (
        Representative.objects.select_for_update()
        .filter(talent=talent, user=user, revoked_at__isnull=True)
        .first()
    )
    if existing is not None:
        raise ValidationError({"email": f"{email} already acts for {talent.stage_name}; revoke that first."})
    rep = Representative.objects.create(
        talent=talent,
        user=user,
        kind=kind,
        agency=agency.strip()[:200],
        can_manage_terms=can_manage_terms,
        can_answer_requests=can_answer_requests,
        granted_by=granted_by,
    )
    grant_role(user, Role.REPRESENTATIVE)
    scope = ", ".join(
        label
        for flag, label in (
            (can_manage_terms, "manage likeness terms"),
            (can_answer_requests, "answer license requests"),
        )
        if flag
    )
    intro = (
        f"{talent.stage_name} ({talent.registry_id}) has named you as their "
        f"{rep.get_kind_display().lower()} on the Likeness Registry. You may {scope} for them."
    )
    if created:
        send_invitation(
            user, subject=f"You represent {talent.stage_name} on the Likeness Registry", intro=intro
        )
    else:
        send_email(
            subject=f"You represent {talent.stage_name} on the Likeness Registry",
            body=f"{intro}\n\nSign in at {settings.SITE_URL}/talent/me/ to see the talent you represent.",
            to=[user.email],
        )
    return rep


@transaction.atomic
def revoke_representative(rep: Representative, *, by) -> Representative:
    """End an authority: by the talent, their guardian, staff, or the representative stepping down."""
    rep = Representative.objects.select_for_update().select_related("talent").get(pk=rep.pk)
    talent = rep.talent
    allowed = selectors.can_manage_profile(by, talent) or is_staff_member(by) or rep.user_id == by.pk
    if not allowed:
        raise AuthorityError("You cannot revoke this authority.")
    if rep.revoked_at is not None:
        return rep
    rep.revoked_at = timezone.now()
    rep.revoked_by = by
    rep.save(update_fields=["revoked_at", "revoked_by"])
    return rep


# --- reference media -------------------------------------------------------------------------------------


def _safe_name(name: str, default: str) -> str:
    base = (name or default).rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    keep = "".join(c if c.isalnum() or c in "._-" else "_" for c in base)
    return keep[-60:] or default


@transaction.atomic
def add_reference_media(
    talent: TalentProfile, *, upload, kind: str, caption: str = "", uploaded_by
) -> ReferenceMedia:
    """Validate by content and store: original untouched (private), stripped display copy + thumbnail."""
    if not (selectors.can_manage_profile(uploaded_by, talent) or is_staff_member(uploaded_by)):
        raise AuthorityError("You cannot add reference media to this profile.")
    if kind not in ReferenceMedia.Kind.values:
        raise ValidationError({"kind": "Choose photo or voice sample."})
    name = _safe_name(getattr(upload, "name", ""), "upload")
    media = ReferenceMedia(
        talent=talent, kind=kind, caption=(caption or "").strip()[:200], uploaded_by=uploaded_by
    )
    media.original_name = name[:200]
    if kind == ReferenceMedia.Kind.PHOTO:
        image = process_image(upload)  # raises ValidationError before anything is written
        data, media.mime = image.original, image.mime
        media.width, media.height, media.phash = image.width, image.height, image.phash
        media.sha256 = image.sha256
        files = [("display", image.display, "jpg"), ("thumbnail", image.thumbnail, "jpg")]
    else:
        data, media.mime = sniff_audio(upload)
        media.sha256 = sha256_hex(data)
        files = []
    if ReferenceMedia.objects.filter(talent=talent, sha256=media.sha256).exists():
        raise ValidationError({"file": "This exact file is already among the reference media."})
    media.size = len(data)
    saved: list = []
    try:
        media.original.save(name, ContentFile(data), save=False)
        saved.append(media.original)
        for attr, content, ext in files:
            getattr(media, attr).save(f"{media.sha256[:16]}.{ext}", content, save=False)
            saved.append(getattr(media, attr))
        media.save()
    except Exception:
        # Nothing half-saved: files written before a failed insert are removed again.
        for f in saved:
            f.storage.delete(f.name)
        raise
    return media


@transaction.atomic
def delete_reference_media(media: ReferenceMedia, *, by) -> None:
    if not (selectors.can_manage_profile(by, media.talent) or is_staff_member(by)):
        raise AuthorityError("You cannot delete this reference media.")
    files = [(f.storage, f.name) for f in (media.original, media.display, media.thumbnail) if f]
    media.delete()

    def remove():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove)


# --- staff: verification and withdrawal ---------------------------------------------------------------


def _require_staff(user) -> None:
    if not is_staff_member(user):
        raise AuthorityError("Only union staff can do this.")


@transaction.atomic
def verify_talent(
    talent: TalentProfile,
    *,
    by,
    method: str,
    identity_verified: bool = True,
    membership_status: str | None = None,
    membership_number: str | None = None,
) -> TalentProfile:
    """Record a staff check of identity and membership: who, when, how."""
    _require_staff(by)
    method = (method or "").strip()
    if not method:
        raise ValidationError({"method": "Say how identity and membership were checked."})
    if membership_status is not None and membership_status not in TalentProfile.Membership.values:
        raise ValidationError({"membership_status": "Unknown membership status."})
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    talent.is_verified = bool(identity_verified)
    talent.verified_by = by
    talent.verified_at = timezone.now()
    talent.verification_method = method[:200]
    if membership_status is not None:
        talent.membership_status = membership_status
    if membership_number is not None and membership_number.strip():
        talent.membership_number = membership_number.strip()[:40]
    talent._history_user = by
    talent.save()
    return talent


@transaction.atomic
def withdraw_profile(talent: TalentProfile, *, by, reason: str) -> TalentProfile:
    """Withdraw from the public registry (checks answer not_registered); history and data are kept."""
    _require_staff(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the withdrawal."})
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    if talent.status == TalentProfile.Status.WITHDRAWN:
        return talent
    talent.status = TalentProfile.Status.WITHDRAWN
    talent.withdrawn_at = timezone.now()
    talent.withdrawal_reason = reason[:300]
    talent._history_user = by
    talent.save()
    return talent


@transaction.atomic
def reinstate_profile(talent: TalentProfile, *, by) -> TalentProfile:
    _require_staff(by)
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    if talent.status == TalentProfile.Status.ACTIVE:
        return talent
    if talent.closed_at is not None:
        # Its personal data is erased; reinstating would revive the old signed terms under no one's account.
        raise ValidationError("This account was closed by the talent and cannot be reinstated.")
    talent.status = TalentProfile.Status.ACTIVE
    talent.withdrawn_at = None
    talent.withdrawal_reason = ""
    talent._history_user = by
    talent.save()
    return talent


# --- staff: roster import ------------------------------------------------------------------------------

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
                    dob = date.fromisoformat(values["date_of_birth"])
                    if dob > timezone.localdate():
                        problems.append("date_of_birth is in the future")
                except ValueError:
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


def import_roster(raw: bytes | str, *, by, dry_run: bool = False) -> RosterResult:
    """Create or update profiles from a union roster CSV in one transaction, inviting new members.

    A file with any bad row changes nothing and every bad row is reported with its line number
    (RosterError). `dry_run` reports what would change and rolls back.
    """
    _require_staff(by)
    text = _decode_roster(raw)
    rows, errors = _parse_roster(text)
    if errors:
        raise RosterError(errors)
    result = RosterResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            for line, row in rows:
                _import_row(line, row, by=by, result=result)
            if result.errors:
                raise RosterError(result.errors)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _import_row(line: int, row: dict, *, by, result: RosterResult) -> None:
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
        talent._history_user = by
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
    talent._history_user = by
    talent.save()
    result.updated.append(talent.stage_name)
