"""Closing a talent's account: every app erases its part in one transaction; legal records are kept."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from registry.core.audit import record_access
from registry.core.errors import DomainError
from registry.core.personal_data import Closure
from registry.privacy import hooks
from registry.privacy.access import privacy_capacity
from registry.talent.models import TalentProfile

NOT_THEIRS = "Only the talent or their guardian can close this account."
STAFF_ACCOUNT = "Staff and supervisor accounts cannot be closed here: ask a supervisor."


class ClosureError(DomainError):
    """This account cannot be closed here (or not by this user)."""


def closure_preview(talent: TalentProfile) -> dict[str, int]:
    """What closing will erase and keep, counted for the confirmation page (media, open_requests, …)."""
    counts: dict[str, int] = {}
    for hook in hooks.previewers():
        counts.update(hook.preview(talent))
    return counts


def check_can_close(talent: TalentProfile, actor) -> str:
    """The capacity in which `actor` may close this account (raises ClosureError otherwise)."""
    capacity = privacy_capacity(actor, talent)
    if capacity is None:
        raise ClosureError("not_allowed", NOT_THEIRS, status=403)
    if talent.user_id is not None and talent.user.has_perm("accounts.access_staff_desk"):
        raise ClosureError("staff_account", STAFF_ACCOUNT, status=403)
    return capacity


@transaction.atomic
def close_account(talent: TalentProfile, *, actor, request=None) -> Closure:
    """Close a talent's account in one transaction: withdraw, erase personal data, keep legal records.

    Erased: profile personal fields, reference media (rows and files), profile history, the user account's
    identity (email, name, password, MFA, email addresses), unsigned drafts, contact details on reports the
    talent filed, mail kept for their addresses. Kept: signed term versions untouched (evidence of consent),
    licenses (contracts with third parties), cases (union records), permission-check log, audit log.
    """
    talent = TalentProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=talent.pk)
    if talent.closed_at is not None:
        raise ClosureError("already_closed", "This account is already closed.", status=409)
    closure = Closure(talent=talent, actor=actor, capacity=check_can_close(talent, actor), now=timezone.now())
    for hook in hooks.erasers():
        closure.erased.update(hook.erase(talent, actor=actor, closure=closure))
    erased = closure.erased
    record_access(
        request=request,
        actor=actor,
        action="talent.account_closed",
        obj=talent,
        detail=(
            f"Closed by the {closure.capacity}: {erased['media_deleted']} reference media deleted, "
            f"{len(erased['requests_declined'])} open license request(s) declined, "
            f"{erased['representatives_revoked']} authority(ies) revoked."
        ),
    )
    return closure
