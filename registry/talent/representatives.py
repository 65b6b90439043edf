"""Representatives, guardians and estates: authorising someone to act for a talent, and ending it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role, grant_role
from accounts.services import get_or_invite_user, send_invitation
from registry.core.mail import send_email
from registry.talent.models import Representative, TalentProfile
from registry.talent.profiles import AuthorityError


def _check_authority(talent: TalentProfile, email: str, kind: str, actor) -> str:
    """The cleaned email of the person to authorise, or a ValidationError saying what is wrong."""
    if kind not in Representative.Kind.values:
        raise ValidationError({"kind": "Choose agent or guardian."})
    if kind == Representative.Kind.ESTATE and not (
        actor.has_perm("accounts.access_staff_desk") or talent.is_deceased
    ):
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
    return email


def _tell(rep: Representative, *, created: bool, can_manage_terms: bool, can_answer_requests: bool) -> None:
    talent, user = rep.talent, rep.user
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
    subject = f"You represent {talent.stage_name} on the Likeness Registry"
    if created:
        send_invitation(user, subject=subject, intro=intro)
    else:
        send_email(
            subject=subject,
            body=f"{intro}\n\nSign in at {settings.SITE_URL}/talent/me/ to see the talent you represent.",
            to=[user.email],
        )


@transaction.atomic
def authorise_representative(
    talent: TalentProfile,
    *,
    email: str,
    kind: str = Representative.Kind.AGENT,
    agency: str = "",
    can_manage_terms: bool = True,
    can_answer_requests: bool = True,
    actor,
) -> Representative:
    """The talent (or their guardian, or staff) authorises someone to act for them; invites new users."""
    if not actor.has_perm("talent.edit_profile", talent):
        raise AuthorityError("Only the talent, their guardian or staff can authorise a representative.")
    email = _check_authority(talent, email, kind, actor)
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
        granted_by=actor,
    )
    grant_role(user, Role.REPRESENTATIVE)
    _tell(rep, created=created, can_manage_terms=can_manage_terms, can_answer_requests=can_answer_requests)
    return rep


@transaction.atomic
def revoke_representative(rep: Representative, *, actor) -> Representative:
    """End an authority: by the talent, their guardian, staff, or the representative stepping down."""
    rep = Representative.objects.select_for_update().select_related("talent").get(pk=rep.pk)
    if not actor.has_perm("talent.revoke_representative", rep):
        raise AuthorityError("You cannot revoke this authority.")
    if rep.revoked_at is not None:
        return rep
    rep.revoked_at = timezone.now()
    rep.revoked_by = actor
    rep.save(update_fields=["revoked_at", "revoked_by"])
    return rep
