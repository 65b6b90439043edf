"""Staff decisions on a profile: verifying identity and membership (and a guardian's or estate's authority),
recording a death, withdrawing and reinstating it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registry.talent.duplicates import likely_duplicates
from registry.talent.models import Representative, TalentProfile, VerificationMethod
from registry.talent.profiles import AuthorityError


def require_staff(actor) -> None:
    if not actor.has_perm("accounts.access_staff_desk"):
        raise AuthorityError("Only union staff can do this.")


@transaction.atomic
def verify_talent(
    talent: TalentProfile,
    *,
    actor,
    method: str,
    note: str = "",
    duplicates_checked: bool = False,
    identity_verified: bool = True,
    membership_status: str | None = None,
    membership_number: str | None = None,
) -> TalentProfile:
    """Record a staff check of identity and membership: who, when, how (one of VerificationMethod + a note).

    Granting the verified badge to a profile with likely duplicates (same legal name and birth date, a
    near-identical reference photo) needs `duplicates_checked`: an impostor must not be verified unseen."""
    require_staff(actor)
    method = (method or "").strip()
    if method not in VerificationMethod.values:
        raise ValidationError(
            {
                "method": "Say how identity and membership were checked: "
                + ", ".join(VerificationMethod.labels)
            }
        )
    note = " ".join((note or "").split())
    if identity_verified and not duplicates_checked and likely_duplicates(talent):
        raise ValidationError(
            {"duplicates_checked": "This profile has likely duplicates: check them, then tick the box."}
        )
    if membership_status is not None and membership_status not in TalentProfile.Membership.values:
        raise ValidationError({"membership_status": "Unknown membership status."})
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    talent.is_verified = bool(identity_verified)
    talent.verified_by = actor
    talent.verified_at = timezone.now()
    talent.verification_method = (f"{method}: {note}" if note else method)[:200]
    if membership_status is not None:
        talent.membership_status = membership_status
    if membership_number is not None and membership_number.strip():
        talent.membership_number = membership_number.strip()[:40]
    talent._history_user = actor
    talent.save()
    return talent


@transaction.atomic
def withdraw_profile(talent: TalentProfile, *, actor, reason: str) -> TalentProfile:
    """Withdraw from the public registry (checks answer not_registered); history and data are kept."""
    require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the withdrawal."})
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    if talent.status == TalentProfile.Status.WITHDRAWN:
        return talent
    talent.status = TalentProfile.Status.WITHDRAWN
    talent.withdrawn_at = timezone.now()
    talent.withdrawal_reason = reason[:300]
    talent._history_user = actor
    talent.save()
    return talent


@transaction.atomic
def reinstate_profile(talent: TalentProfile, *, actor) -> TalentProfile:
    require_staff(actor)
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    if talent.status == TalentProfile.Status.ACTIVE:
        return talent
    if talent.closed_at is not None:
        # Its personal data is erased; reinstating would revive the old signed terms under no one's account.
        raise ValidationError("This account was closed by the talent and cannot be reinstated.")
    talent.status = TalentProfile.Status.ACTIVE
    talent.withdrawn_at = None
    talent.withdrawal_reason = ""
    talent._history_user = actor
    talent.save()
    return talent


@transaction.atomic
def record_death(talent: TalentProfile, *, actor, date_of_death) -> TalentProfile:
    """Staff record that a performer has died: from then on only a verified estate acts for her (AB 1836)."""
    require_staff(actor)
    if date_of_death is None:
        raise ValidationError({"date_of_death": "Give the date of death."})
    if date_of_death > timezone.localdate():
        raise ValidationError({"date_of_death": "The date of death cannot be in the future."})
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    if talent.date_of_birth is not None and date_of_death < talent.date_of_birth:
        raise ValidationError({"date_of_death": "The date of death is before the date of birth."})
    talent.is_deceased = True
    talent.date_of_death = date_of_death
    talent._history_user = actor
    talent.save()
    return talent


@transaction.atomic
def verify_authority(rep: Representative, *, actor) -> Representative:
    """Staff confirm a guardian's or an estate's authority from its document; it counts from now on."""
    require_staff(actor)
    rep = Representative.objects.select_for_update().select_related("talent").get(pk=rep.pk)
    if rep.kind not in (Representative.Kind.GUARDIAN, Representative.Kind.ESTATE):
        raise ValidationError("Only a guardian's or an estate's authority is verified by staff.")
    if rep.revoked_at is not None:
        raise ValidationError("This authority was revoked.")
    if not rep.authority_document:
        raise ValidationError("No document of authority has been uploaded yet.")
    if rep.kind == Representative.Kind.ESTATE and not rep.talent.is_deceased:
        raise ValidationError("Record the date of death before verifying an estate.")
    if rep.authority_verified_at is None:
        rep.authority_verified_at = timezone.now()
        rep.authority_verified_by = actor
        rep.save(update_fields=["authority_verified_at", "authority_verified_by"])
    return rep
