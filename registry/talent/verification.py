"""Staff decisions on a profile: verifying identity and membership, withdrawing and reinstating it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registry.talent.models import TalentProfile
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
    identity_verified: bool = True,
    membership_status: str | None = None,
    membership_number: str | None = None,
) -> TalentProfile:
    """Record a staff check of identity and membership: who, when, how."""
    require_staff(actor)
    method = (method or "").strip()
    if not method:
        raise ValidationError({"method": "Say how identity and membership were checked."})
    if membership_status is not None and membership_status not in TalentProfile.Membership.values:
        raise ValidationError({"membership_status": "Unknown membership status."})
    talent = TalentProfile.objects.select_for_update().get(pk=talent.pk)
    talent.is_verified = bool(identity_verified)
    talent.verified_by = actor
    talent.verified_at = timezone.now()
    talent.verification_method = method[:200]
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
