"""Representatives, guardians and estates: authorising someone to act for a talent, and ending it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role, grant_role
from accounts.services import get_or_invite_user, send_invitation
from registry.core.mail import send_email
from registry.core.uploads import process_image, sniff_pdf
from registry.talent.models import Representative, TalentProfile
from registry.talent.profiles import AuthorityError

NEEDS_VERIFIED_AUTHORITY = (Representative.Kind.GUARDIAN, Representative.Kind.ESTATE)


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
    if rep.kind in NEEDS_VERIFIED_AUTHORITY:
        intro += (
            " Your authority counts once union staff have verified it: upload a document that shows it "
            "(a birth certificate or court order for a guardian, letters testamentary for an estate) "
            f"from {settings.SITE_URL}/talent/me/."
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


def _document_bytes(upload) -> tuple[bytes, str]:
    """A PDF or a photo/scan (JPEG, PNG, WebP), validated by content like reference media: (data, ext)."""
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return sniff_pdf(upload), "pdf"
    image = process_image(upload)  # raises "not a readable image" for anything else
    return image.original, {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[image.mime]


@transaction.atomic
def upload_authority_document(rep: Representative, *, upload, actor) -> Representative:
    """The guardian or estate (or the talent's own account, or staff) gives the document staff verify.

    A new document replaces the old one and needs verifying again: until then the authority does not count."""
    rep = Representative.objects.select_for_update().select_related("talent").get(pk=rep.pk)
    if not actor.has_perm("talent.upload_authority_document", rep):
        raise AuthorityError("You cannot give a document for this authority.")
    if rep.kind not in NEEDS_VERIFIED_AUTHORITY:
        raise ValidationError("Only a guardian's or an estate's authority needs a document.")
    if rep.revoked_at is not None:
        raise ValidationError("This authority was revoked.")
    try:
        data, ext = _document_bytes(upload)
    except ValidationError as exc:
        raise ValidationError({"document": "Upload a PDF, JPEG, PNG or WebP file. " + exc.messages[0]})
    old = rep.authority_document.name if rep.authority_document else None
    rep.authority_document.save(f"{rep.talent.registry_id}-{rep.pk}.{ext}", ContentFile(data), save=False)
    rep.authority_verified_at = None
    rep.authority_verified_by = None
    rep.save(update_fields=["authority_document", "authority_verified_at", "authority_verified_by"])
    if old and old != rep.authority_document.name:
        storage = rep.authority_document.storage
        transaction.on_commit(lambda: storage.delete(old))
    return rep


@transaction.atomic
def confirm_coming_of_age(talent: TalentProfile, *, actor) -> int:
    """She has turned 18 and confirms her terms (or has re-signed them): the ended guardianship is closed and
    her dashboard stops asking. Returns how many guardian records were closed."""
    if talent.user_id is None or talent.user_id != getattr(actor, "pk", None):
        raise AuthorityError("Only the talent herself confirms her terms on coming of age.")
    if talent.is_minor(timezone.localdate()):
        raise ValidationError("A guardian still acts for a talent under 18.")
    return Representative.objects.filter(
        talent=talent, kind=Representative.Kind.GUARDIAN, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by=actor)
