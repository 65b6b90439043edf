"""A talent's own data: the full export ("download my data") and closing the account (erase what we may).

Who may use these: the talent themself, or a parent/guardian acting for a minor (`acting_as`). Both are
audited (registry.core.audit). What is erased and what is kept, and why, is documented in docs/privacy.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.roles import is_staff_member
from registry.consent import terms as consent_terms
from registry.core.audit import record_access
from registry.talent import selectors
from registry.talent.models import ReferenceMedia, Representative, TalentProfile

EXPORT_FORMAT = "likeness-registry.talent-data-export"
EXPORT_VERSION = 1
# Who may download or close: the talent, or a guardian for a minor. Agents never; staff have their own pages.
PRIVACY_CAPACITIES = ("talent", "guardian")
CLOSED_EMAIL_DOMAIN = "closed.invalid"  # RFC 2606: never routable


class ClosureError(ValidationError):
    """This account cannot be closed here (or not by this user)."""


def privacy_capacity(user, talent: TalentProfile | None) -> str | None:
    """ "talent" or "guardian" when the user may export or close this talent's data; None otherwise."""
    if talent is None:
        return None
    acting = selectors.acting_as(user, talent)
    return acting if acting in PRIVACY_CAPACITIES else None


def closed_stage_name(talent: TalentProfile) -> str:
    return f"Closed account {talent.registry_id}"


def closed_email(user) -> str:
    return f"closed-{user.pk}@{CLOSED_EMAIL_DOMAIN}"


# --- export -----------------------------------------------------------------------------------------------


def _who(user) -> str | None:
    return str(user) if user is not None else None


def _user_label(user_id, talent: TalentProfile, users: dict) -> str | None:
    if user_id is None:
        return None
    if user_id == talent.user_id:
        return "you"
    return _who(users.get(user_id))


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
            "verified_by": _who(talent.verified_by),
            "method": talent.verification_method,
        },
        "withdrawn_at": talent.withdrawn_at,
        "withdrawal_reason": talent.withdrawal_reason,
        "closed_at": talent.closed_at,
        "created_at": talent.created_at,
        "updated_at": talent.updated_at,
    }


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


def _history(talent: TalentProfile) -> list[dict]:
    records = (
        TalentProfile.history.filter(id=talent.pk).select_related("history_user").order_by("history_date")
    )
    return [
        {
            "at": h.history_date,
            "change": {"+": "created", "~": "changed", "-": "deleted"}.get(h.history_type, h.history_type),
            "by": "you"
            if h.history_user_id and h.history_user_id == talent.user_id
            else _who(h.history_user),
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
            "person": _who(r.user),
            "email": r.user.email,
            "kind": r.kind,
            "agency": r.agency,
            "can_manage_terms": r.can_manage_terms,
            "can_answer_requests": r.can_answer_requests,
            "granted_at": r.granted_at,
            "granted_by": "you" if r.granted_by_id == talent.user_id else _who(r.granted_by),
            "revoked_at": r.revoked_at,
            "revoked_by": ("you" if r.revoked_by_id == talent.user_id else _who(r.revoked_by))
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
            "uploaded_by": _who(m.uploaded_by),
        }
        for m in media
    ]


TERM_FIELDS = ("use", *consent_terms.TERM_FIELDS)


def _term_versions(talent: TalentProfile) -> list[dict]:
    from registry.consent.models import Term, TermVersion

    versions = (
        TermVersion.objects.filter(talent=talent)
        .select_related("signed_by", "created_by")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("use")))
        .order_by("created_at", "pk")
    )
    out = []
    for v in versions:
        signature = None
        if v.is_signed:
            signature = {
                "signed_at": v.signed_at,
                "signed_by": _who(v.signed_by),
                "signed_as": v.signed_as,
                "signer_name": v.signer_name,
                "signer_ip": v.signer_ip,
                "signer_user_agent": v.signer_user_agent,
                "sha256": v.sha256,
                "canonical_json": v.canonical_json,
                "text_shown": v.text_shown,
                "document_ref": v.document_ref,
            }
        out.append(
            {
                "number": v.number,
                "status": v.status,
                "effective_from": v.effective_from,
                "is_revocation": v.is_revocation,
                "note": v.note,
                "created_at": v.created_at,
                "created_by": _who(v.created_by),
                "terms": [{name: getattr(t, name) for name in TERM_FIELDS} for t in v.terms.all()],
                "signature": signature,
            }
        )
    return out


def _license_requests(talent: TalentProfile) -> list[dict]:
    from registry.licensing.models import LicenseOffer, LicenseRequest

    requests = (
        LicenseRequest.objects.filter(talent=talent)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "offers", queryset=LicenseOffer.objects.select_related("author").order_by("created_at", "pk")
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": r.pk,
            "organization": r.organization.name,
            "status": r.status,
            "use": r.use,
            "modalities": r.modalities,
            "territories": r.territories,
            "channels": r.channels,
            "product_category": r.product_category,
            "valid_from": r.valid_from,
            "valid_until": r.valid_until,
            "fee": {"amount": r.fee_amount, "currency": r.fee_currency},
            "description": r.description,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
            "offers": [
                {
                    "kind": o.kind,
                    "at": o.created_at,
                    "by": "you" if o.author_id and o.author_id == talent.user_id else _who(o.author),
                    "terms": o.terms,
                    "message": o.message,
                }
                for o in r.offers.all()
            ],
        }
        for r in requests
    ]


def _licenses(talent: TalentProfile) -> list[dict]:
    from registry.licensing.models import License

    licenses = (
        License.objects.filter(talent=talent)
        .select_related("organization", "approved_by", "terminated_by")
        .order_by("created_at", "pk")
    )
    return [
        {
            "license_id": lic.license_id,
            "organization": lic.organization.name,
            "request_id": lic.request_id,
            "use": lic.use,
            "modalities": lic.modalities,
            "territories": lic.territories,
            "channels": lic.channels,
            "product_category": lic.product_category,
            "valid_from": lic.valid_from,
            "valid_until": lic.valid_until,
            "fee": {"amount": lic.fee_amount, "currency": lic.fee_currency}
            if lic.fee_amount is not None
            else None,
            "description": lic.description,
            "approved_at": lic.approved_at,
            "approved_by": "you" if lic.approved_by_id == talent.user_id else _who(lic.approved_by),
            "document_ref": lic.document_ref,
            "terminated_at": lic.terminated_at,
            "termination_reason": lic.termination_reason,
            "certificate": json.loads(lic.certificate) if lic.certificate else None,
        }
        for lic in licenses
    ]


CHECK_COLUMNS = ("check_id", "organization__name", "use", "modality", "territory", "channel",
                 "product_category", "as_of", "decision", "checked_at")  # fmt: skip
CHECK_FIELDS = tuple(c.replace("organization__name", "organization") for c in CHECK_COLUMNS)


def _permission_checks(talent: TalentProfile) -> list[dict]:
    """Who checked the talent's permissions: the organization's name, never its staff or API key."""
    from registry.brands.models import PermissionCheck

    rows = (
        PermissionCheck.objects.filter(talent=talent).order_by("checked_at", "pk").values_list(*CHECK_COLUMNS)
    )
    return [dict(zip(CHECK_FIELDS, row, strict=True)) for row in rows]


def _cases(talent: TalentProfile) -> list:
    """Cases about the talent: status, dates and public messages. Never internal notes, evidence, the
    timeline or who reported it."""
    from registry.cases.models import Case, Message, ReportedURL

    return list(
        Case.objects.filter(talent=talent)
        .select_related("duplicate_of")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.order_by("created_at", "pk")),
            Prefetch("urls", queryset=ReportedURL.objects.order_by("created_at", "pk")),
        )
        .order_by("created_at", "pk")
    )


def _case_doc(case) -> dict:
    from registry.cases.selectors import PUBLIC_STATUS

    return {
        "reference": case.reference,
        "status": case.status,
        "status_label": PUBLIC_STATUS.get(case.status, case.get_status_display()),
        "platform": case.platform,
        "use": case.use,
        "seen_on": case.seen_on,
        "opened_at": case.created_at,
        "closed_at": case.closed_at,
        "outcome": case.outcome,
        "merged_into": case.duplicate_of.reference if case.duplicate_of_id else None,
        "urls": [
            {"url": u.url, "status": u.status, "last_checked_at": u.last_checked_at} for u in case.urls.all()
        ],
        "messages": [{"at": m.created_at, "body": m.body} for m in case.messages.all()],
    }


def _reports_filed(talent: TalentProfile) -> list[dict]:
    """Misuse reports the talent filed themself (about anyone): what they wrote, and the case's status."""
    from registry.cases.models import MisuseReport
    from registry.cases.selectors import PUBLIC_STATUS

    if talent.user_id is None:
        return []
    reports = (
        MisuseReport.objects.filter(reporter_id=talent.user_id)
        .select_related("case__duplicate_of")
        .order_by("created_at", "pk")
    )
    return [
        {
            "filed_at": r.created_at,
            "reporter_name": r.reporter_name,
            "reporter_email": r.reporter_email,
            "relationship": r.relationship,
            "talent": r.talent_text,
            "organization": r.organization_text,
            "platform": r.platform,
            "use": r.use,
            "territory": r.territory,
            "seen_on": r.seen_on,
            "description": r.description,
            "urls": r.urls,
            "submitted_ip": r.submitted_ip,
            "case": _public_case(r).reference if r.case_id else None,
            "case_status": PUBLIC_STATUS[_public_case(r).status if r.case_id else "received"],
        }
        for r in reports
    ]


def _public_case(report):
    """The case a reporter follows: the case itself, or the one it was merged into."""
    case = report.case
    return case.duplicate_of if case.duplicate_of_id else case


def _audit_events(talent: TalentProfile, media_ids: list[int], case_ids: list[int]) -> list[dict]:
    """Recorded access to the talent's profile, reference media and cases (who, what, when)."""
    from registry.core.models import AuditEvent

    about = Q(object_type="talent.talentprofile", object_id=str(talent.pk))
    if media_ids:
        about |= Q(object_type="talent.referencemedia", object_id__in=[str(i) for i in media_ids])
    if case_ids:
        about |= Q(object_type="cases.case", object_id__in=[str(i) for i in case_ids])
    events = AuditEvent.objects.filter(about).select_related("actor").order_by("at", "pk")
    return [
        {
            "at": e.at,
            "who": "you" if e.actor_id and e.actor_id == talent.user_id else (_who(e.actor) or "system"),
            "action": e.action,
            "object": e.object_type,
            "detail": e.detail,
        }
        for e in events
    ]


def export_data(talent: TalentProfile, *, actor, request=None) -> dict:
    """Everything the registry holds about one talent, as a JSON-ready dict (a bounded number of queries).

    Refuses anyone but the talent or their guardian (ValidationError). The export is audited; its audit
    event shows up in the next export.
    """
    capacity = privacy_capacity(actor, talent)
    if capacity is None:
        raise ValidationError("Only the talent or their guardian can download this data.")
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
    cases = _cases(talent)
    record_access(
        request=request,
        actor=actor,
        action="talent.data_export",
        obj=talent,
        detail=f"Data export downloaded by the {capacity}",
    )
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.now(),
        "requested_by": capacity,
        "notes": (
            "Everything the Likeness Registry holds about this talent. Reference media are listed by their "
            "fingerprints (SHA-256 and perceptual hash); download the files themselves from your registry "
            "page. Internal staff notes and the identity of other people who reported misuse are left out."
        ),
        "profile": _profile(talent),
        "account": _account(talent),
        "profile_history": _history(talent),
        "representatives": _representatives(talent),
        "reference_media": _media(media),
        "term_versions": _term_versions(talent),
        "license_requests": _license_requests(talent),
        "licenses": _licenses(talent),
        "permission_checks": _permission_checks(talent),
        "cases": [_case_doc(c) for c in cases],
        "reports_filed": _reports_filed(talent),
        "audit_events": _audit_events(talent, [m.pk for m in media], [c.pk for c in cases]),
    }


def export_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def export_filename(talent: TalentProfile) -> str:
    return f"likeness-registry-{talent.registry_id}-{timezone.localdate():%Y-%m-%d}.json"


# --- closure ----------------------------------------------------------------------------------------------


@dataclass
class ClosureResult:
    talent: TalentProfile
    media_deleted: int = 0
    requests_declined: list[int] = field(default_factory=list)
    representatives_revoked: int = 0
    history_rows_purged: int = 0
    user_closed: bool = False


@dataclass
class ClosurePreview:
    """What closing will erase and keep, counted for the confirmation page."""

    media: int
    representatives: int
    open_requests: int
    signed_versions: int
    licenses: int
    cases: int


def closure_preview(talent: TalentProfile) -> ClosurePreview:
    from registry.cases.models import Case
    from registry.consent.models import TermVersion
    from registry.licensing.models import License, LicenseRequest

    open_statuses = [LicenseRequest.Status.PENDING, LicenseRequest.Status.COUNTERED]
    return ClosurePreview(
        media=ReferenceMedia.objects.filter(talent=talent).count(),
        representatives=Representative.objects.filter(talent=talent, revoked_at__isnull=True).count(),
        open_requests=LicenseRequest.objects.filter(talent=talent, status__in=open_statuses).count(),
        signed_versions=TermVersion.objects.filter(talent=talent, status=TermVersion.Status.SIGNED).count(),
        licenses=License.objects.filter(talent=talent).count(),
        cases=Case.objects.filter(talent=talent).count(),
    )


CLOSURE_MESSAGE = "The talent closed their registry account; this request is declined."


def check_can_close(talent: TalentProfile, actor) -> str:
    """The capacity in which `actor` may close this account (raises ClosureError otherwise)."""
    capacity = privacy_capacity(actor, talent)
    if capacity is None:
        raise ClosureError("Only the talent or their guardian can close this account.")
    if talent.user_id is not None and (is_staff_member(talent.user) or talent.user.is_superuser):
        raise ClosureError("Staff and supervisor accounts cannot be closed here: ask a supervisor.")
    return capacity


def _decline_open_requests(talent: TalentProfile, actor) -> list[int]:
    from registry.licensing import requests as licensing
    from registry.licensing.models import LicenseRequest

    open_ids = list(
        LicenseRequest.objects.filter(
            talent=talent, status__in=[LicenseRequest.Status.PENDING, LicenseRequest.Status.COUNTERED]
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in open_ids:
        # The licensing service records the answer on the thread and tells the brand (after commit).
        licensing.decline(request_id=pk, actor=actor, message=CLOSURE_MESSAGE)
    return open_ids


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


def _revoke_representatives(talent: TalentProfile, actor, now) -> int:
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
    talent.skip_history_when_saving = True  # the history is purged below; write no new copy
    talent.save()
    del talent.skip_history_when_saving


def _close_user(user, *, addresses: set[str]) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

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


def _erase_reporter_contact(user) -> None:
    """Reports the talent filed stay with their cases, without the contact details of a closed account."""
    from registry.cases.models import MisuseReport

    MisuseReport.objects.filter(reporter=user).update(reporter_name="", reporter_email="", submitted_ip=None)


def _purge_mail_to(addresses: set[str]) -> None:
    """Emails to the closed account kept by the outbox: copies of delivered ones (bodies, receipts) and any
    not yet sent (nothing more goes to a closed account)."""
    from registry.core.models import OutboxMessage

    addresses = {a for a in addresses if a}
    if not addresses:
        return
    q = Q()
    for address in addresses:
        q |= Q(payload__icontains=address)
    candidates = OutboxMessage.objects.filter(q, handler="registry.core.mail.deliver").only("pk", "payload")
    ids = [m.pk for m in candidates if addresses & {str(a).lower() for a in (m.payload or {}).get("to", [])}]
    OutboxMessage.objects.filter(pk__in=ids).delete()


@transaction.atomic
def close_account(talent: TalentProfile, *, actor, request=None) -> ClosureResult:
    """Close a talent's account in one transaction: withdraw, erase personal data, keep legal records.

    Erased: profile personal fields, reference media (rows and files), profile history, the user account's
    identity (email, name, password, MFA, email addresses). Kept: signed term versions untouched (evidence of
    consent), licenses (contracts with third parties), cases (union records), permission-check log, audit log.
    """
    talent = TalentProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=talent.pk)
    if talent.closed_at is not None:
        raise ClosureError("This account is already closed.")
    capacity = check_can_close(talent, actor)
    now = timezone.now()
    result = ClosureResult(talent=talent)
    addresses = {talent.email.lower()} if talent.email else set()

    result.requests_declined = _decline_open_requests(talent, actor)
    result.media_deleted = _delete_media(talent)
    result.representatives_revoked = _revoke_representatives(talent, actor, now)

    from registry.consent.models import TermVersion

    # Unsigned drafts are not consent; signed versions are kept exactly as signed (see docs/privacy.md).
    TermVersion.objects.filter(talent=talent, status=TermVersion.Status.DRAFT).delete()

    _anonymise_profile(talent, capacity=capacity, now=now)
    result.history_rows_purged, _ = TalentProfile.history.filter(id=talent.pk).delete()

    if talent.user_id is not None:
        _erase_reporter_contact(talent.user)
        _close_user(talent.user, addresses=addresses)
        result.user_closed = True
    _purge_mail_to(addresses)

    record_access(
        request=request,
        actor=actor,
        action="talent.account_closed",
        obj=talent,
        detail=(
            f"Closed by the {capacity}: {result.media_deleted} reference media deleted, "
            f"{len(result.requests_declined)} open license request(s) declined, "
            f"{result.representatives_revoked} authority(ies) revoked."
        ),
    )
    return result
