"""Reference media of a talent: photos and voice samples, validated by content, stored privately."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from registry.core.uploads import process_image, sha256_hex, sniff_audio
from registry.talent.models import ReferenceMedia, TalentProfile
from registry.talent.profiles import AuthorityError


def _safe_name(name: str, default: str) -> str:
    base = (name or default).rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    keep = "".join(c if c.isalnum() or c in "._-" else "_" for c in base)
    return keep[-60:] or default


@transaction.atomic
def add_reference_media(
    talent: TalentProfile, *, upload, kind: str, caption: str = "", actor
) -> ReferenceMedia:
    """Validate by content and store: original untouched (private), stripped display copy + thumbnail."""
    if not actor.has_perm("talent.edit_profile", talent):
        raise AuthorityError("You cannot add reference media to this profile.")
    if kind not in ReferenceMedia.Kind.values:
        raise ValidationError({"kind": "Choose photo or voice sample."})
    name = _safe_name(getattr(upload, "name", ""), "upload")
    media = ReferenceMedia(talent=talent, kind=kind, caption=(caption or "").strip()[:200], uploaded_by=actor)
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
def delete_reference_media(media: ReferenceMedia, *, actor) -> None:
    if not actor.has_perm("talent.edit_profile", media.talent):
        raise AuthorityError("You cannot delete this reference media.")
    files = [(f.storage, f.name) for f in (media.original, media.display, media.thumbnail) if f]
    media.delete()

    def remove():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove)
