"""Talent's part of a data export and of an account closure (found by registry.privacy; see docs/privacy.md).

Exports the profile, the login, the profile history, representatives and reference media; a closure deletes
the media, revokes representatives, anonymises the profile, purges its history and closes the login.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import Q

from registry.core.personal_data import Closure, Export, who
from registry.talent.models import ReferenceMedia, Representative, TalentProfile

EXPORT_ORDER = 10
# Last but mail: licensing must decline open requests while the actor still holds the talent's authority.
ERASE_ORDER = 40
CLOSED_EMAIL_DOMAIN = "closed.invalid"  # RFC 2606: never routable

HISTORY_FIELDS = (
    "stage_name",
    "disciplines",
    "representation",
    "bio",
    "is_verified",
    "status",
    "legal_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "membership_number",
    "membership_status",
    "verification_method",
    "withdrawal_reason",
)


def closed_stage_name(talent: TalentProfile) -> str:
    return f"Closed account {talent.registry_id}"


def closed_email(user) -> str:
    return f"closed-{user.pk}@{CLOSED_EMAIL_DOMAIN}"


# --- export -----------------------------------------------------------------------------------------------


def export(talent: TalentProfile, context: Export) -> dict:
    talent = (
        TalentProfile.objects.select_related("user", "verified_by")
        .prefetch_related("user__emailaddress_set", "user__groups")
        .get(pk=talent.pk)
    )
    media = list(
        ReferenceMedia.objects.filter(talent=talent)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )
    context.include_access_to("talent.talentprofile", [talent.pk])
    context.include_access_to("talent.referencemedia", [m.pk for m in media])
    return {
        "profile": _profile(talent),
        "account": _account(talent),
        "profile_history": _history(talent),
        "representatives": _representatives(talent),
        "reference_media": _media(media),
    }


def _profile(talent: TalentProfile) -> dict:
    return {
        "registry_id": talent.registry_id,
        "public": {
            "stage_name": talent.stage_name,
            "disciplines": list(talent.disciplines or []),
            "representation": talent.representation,
            "bio": talent.bio,
            "is_verified": talent.is_verified,
            "status": talent.status,
        },
        "private": {
            "legal_name": talent.legal_name,
            "date_of_birth": talent.date_of_birth,
            "email": talent.email,
            "phone": talent.phone,
            "address": talent.address,
            "membership_number": talent.membership_number,
            "membership_status": talent.membership_status,
            "is_deceased": talent.is_deceased,
        },
        "verification": {
            "verified_at": talent.verified_at,
            "verified_by": who(talent.verified_by),
            "method": talent.verification_method,
        },
        "withdrawn_at": talent.withdrawn_at,
        "withdrawal_reason": talent.withdrawal_reason,
        "closed_at": talent.closed_at,
        "created_at": talent.created_at,
        "updated_at": talent.updated_at,
    }


def _history(talent: TalentProfile) -> list[dict]:
    records = (
        TalentProfile.history.filter(id=talent.pk).select_related("history_user").order_by("history_date")
    )
    return [
        {
            "at": h.history_date,
            "change": {"+": "created", "~": "changed", "-": "deleted"}.get(h.history_type, h.history_type),
            "by": "you" if h.history_user_id and h.history_user_id == talent.user_id else who(h.history_user),
            "values": {name: getattr(h, name) for name in HISTORY_FIELDS},
        }
        for h in records
    ]


def _account(talent: TalentProfile) -> dict | None:
    user = talent.user
    if user is None:
        return None
    return {
        "email": user.email,
        "display_name": user.display_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in user.emailaddress_set.all()
        ],
        "roles": sorted(g.name for g in user.groups.all()),
    }


def _representatives(talent: TalentProfile) -> list[dict]:
    reps = (
        Representative.objects.filter(talent=talent)
        .select_related("user", "granted_by", "revoked_by")
        .order_by("granted_at", "pk")
    )
    return [
        {
            "person": who(r.user),
            "email": r.user.email,
            "kind": r.kind,
            "agency": r.agency,
            "can_manage_terms": r.can_manage_terms,
            "can_answer_requests": r.can_answer_requests,
            "granted_at": r.granted_at,
            "granted_by": "you" if r.granted_by_id == talent.user_id else who(r.granted_by),
            "revoked_at": r.revoked_at,
            "revoked_by": ("you" if r.revoked_by_id == talent.user_id else who(r.revoked_by))
            if r.revoked_at
            else None,
        }
        for r in reps
    ]


def _media(media: list[ReferenceMedia]) -> list[dict]:
    return [
        {
            "id": m.pk,
            "kind": m.kind,
            "caption": m.caption,
            "original_name": m.original_name,
            "mime": m.mime,
            "size": m.size,
            "width": m.width,
            "height": m.height,
            "sha256": m.sha256,
            "phash": m.phash,
            "uploaded_at": m.uploaded_at,
            "uploaded_by": who(m.uploaded_by),
        }
        for m in media
    ]


# --- closure ----------------------------------------------------------------------------------------------


def preview(talent: TalentProfile) -> dict:
    return {
        "media": ReferenceMedia.objects.filter(talent=talent).count(),
        "representatives": Representative.objects.filter(talent=talent, revoked_at__isnull=True).count(),
    }


def erase(talent: TalentProfile, *, actor, closure: Closure) -> dict:
    if talent.email:
        closure.addresses.add(talent.email.lower())
    media_deleted = _delete_media(talent)
    revoked = _revoke_representatives(talent, actor=actor, now=closure.now)
    _anonymise_profile(talent, capacity=closure.capacity, now=closure.now)
    history_purged, _ = TalentProfile.history.filter(id=talent.pk).delete()
    if talent.user_id is not None:
        _close_user(talent.user, addresses=closure.addresses)
    return {
        "media_deleted": media_deleted,
        "representatives_revoked": revoked,
        "history_rows_purged": history_purged,
        "user_closed": talent.user_id is not None,
    }


def _delete_media(talent: TalentProfile) -> int:
    media = list(ReferenceMedia.objects.filter(talent=talent))
    files = [(f.storage, f.name) for m in media for f in (m.original, m.display, m.thumbnail) if f]
    # Perceptual-hash matches against these photos go with them (EvidenceMatch cascades); evidence stays.
    ReferenceMedia.objects.filter(pk__in=[m.pk for m in media]).delete()

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)  # a rolled-back closure keeps its files
    return len(media)


def _revoke_representatives(talent: TalentProfile, *, actor, now) -> int:
    q = Q(talent=talent)
    if talent.user_id is not None:
        q |= Q(user_id=talent.user_id)  # the closed account no longer acts for anyone either
    return Representative.objects.filter(q, revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor)


def _anonymise_profile(talent: TalentProfile, *, capacity: str, now) -> None:
    talent.stage_name = closed_stage_name(talent)
    talent.disciplines = []
    talent.representation = ""
    talent.bio = ""
    talent.legal_name = ""
    talent.date_of_birth = None
    talent.email = ""
    talent.phone = ""
    talent.address = ""
    talent.membership_number = ""
    talent.membership_status = TalentProfile.Membership.UNKNOWN
    talent.verification_method = ""
    talent.status = TalentProfile.Status.WITHDRAWN
    talent.withdrawn_at = now
    talent.withdrawal_reason = f"Account closed by the {capacity} on {now:%Y-%m-%d}."
    talent.closed_at = now
    talent.skip_history_when_saving = True  # the history is purged next; write no new copy
    talent.save()
    del talent.skip_history_when_saving


def _close_user(user, *, addresses: set[str]) -> None:
    addresses.add(user.email.lower())
    addresses.update(
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = closed_email(user)
    user.display_name = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    # A new password hash also changes the session auth hash: every open session of the account ends.
    user.set_unusable_password()
    user.save()
