"""Talent profiles: creating one's own profile and editing it (public and private fields, disciplines)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role, grant_role
from registry.talent.models import Discipline, TalentProfile

PUBLIC_FIELDS = ("stage_name", "disciplines", "representation", "bio")
PRIVATE_FIELDS = ("legal_name", "date_of_birth", "email", "phone", "address", "membership_number")
PROFILE_FIELDS = PUBLIC_FIELDS + PRIVATE_FIELDS


class AuthorityError(ValidationError):
    """The user may not do this for this talent (a ValidationError: the forms show it like any other)."""


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
def create_profile(*, actor, data: dict) -> TalentProfile:
    """A talent creates their own profile (once)."""
    if TalentProfile.objects.filter(user=actor).exists():
        raise ValidationError("You already have a talent profile.")
    cleaned = _clean_profile_data(data)
    if not cleaned.get("stage_name"):
        raise ValidationError({"stage_name": "Enter the name you work under."})
    cleaned.setdefault("email", actor.email)
    talent = TalentProfile(user=actor, **cleaned)
    talent._history_user = actor
    talent.save()
    grant_role(actor, Role.TALENT)
    return talent


@transaction.atomic
def update_profile(talent: TalentProfile, *, data: dict, actor) -> TalentProfile:
    """Edit public and private fields; simple_history records who changed what."""
    if not actor.has_perm("talent.edit_profile", talent):
        raise AuthorityError("You cannot edit this profile.")
    cleaned = _clean_profile_data(data)
    changed = [k for k, v in cleaned.items() if getattr(talent, k) != v]
    if not changed:
        return talent
    for key in changed:
        setattr(talent, key, cleaned[key])
    talent._history_user = actor
    talent.save()
    return talent
