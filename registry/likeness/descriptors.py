"""Face descriptors of reference photos: computed in a worker, only while the talent's consent is in force.

`compute_later` queues the work through the outbox (published after commit, retried); it is called after a
consent is signed and after a reference photo is uploaded (a post_save receiver connected in
LikenessConfig.ready: the talent app knows nothing of this one). `compute_for_talent` is idempotent: a photo
that already has its descriptor is skipped, so a re-run adds nothing. Descriptors live only in the
`Descriptor` table (no file is written); deleting a reference photo deletes its descriptor (FK cascade).
"""

from __future__ import annotations

import logging

from django.db import transaction

from registry.core.outbox import dispatch
from registry.likeness import faces
from registry.likeness.models import BiometricConsent, Descriptor, Modality
from registry.talent.models import ReferenceMedia

log = logging.getLogger(__name__)
HANDLER = "registry.likeness.descriptors.compute_for_talent"


def compute_later(talent_id: int, modality: str = Modality.FACE) -> None:
    """Queue the computation for after commit (nothing runs if the caller's transaction rolls back)."""
    dispatch(HANDLER, talent_id=talent_id, modality=modality)


def on_reference_media_saved(sender, instance: ReferenceMedia, created: bool, raw: bool = False, **kwargs):
    """post_save receiver: a new reference photo of a consenting talent gets its descriptor in a worker."""
    if raw or not created or instance.kind != ReferenceMedia.Kind.PHOTO:
        return
    in_force = BiometricConsent.objects.filter(
        talent_id=instance.talent_id, modality=Modality.FACE, withdrawn_at__isnull=True
    ).exists()
    if in_force:
        compute_later(instance.talent_id, Modality.FACE)


def _read(media: ReferenceMedia) -> bytes | None:
    try:
        with media.original.open("rb") as f:
            return f.read()
    except (FileNotFoundError, OSError, ValueError):
        log.warning("reference media %s: original file missing, no descriptor", media.pk)
        return None


def compute_for_talent(*, talent_id: int, modality: str = Modality.FACE) -> int:
    """Outbox handler: a descriptor of the largest face of each reference photo that has none yet.

    Returns how many descriptors were stored. Without a consent in force it computes nothing at all."""
    if modality != Modality.FACE:
        return 0  # voice is out of scope: speaker embeddings will have their own computation
    consent = BiometricConsent.objects.filter(
        talent_id=talent_id, modality=modality, withdrawn_at__isnull=True
    ).first()
    if consent is None:
        return 0
    done = set(
        Descriptor.objects.filter(talent_id=talent_id, modality=modality).values_list(
            "reference_media_id", flat=True
        )
    )
    pending = ReferenceMedia.objects.filter(talent_id=talent_id, kind=ReferenceMedia.Kind.PHOTO).exclude(
        pk__in=done
    )
    stored = 0
    for media in pending.order_by("pk"):
        data = _read(media)
        found = faces.find_faces(data, max_faces=1) if data else []
        if not found:
            continue  # no face in this photo: nothing to store (it is looked at again on the next run)
        stored += _store(consent.pk, media, found[0], modality)
    return stored


@transaction.atomic
def _store(consent_id: int, media: ReferenceMedia, face: faces.Face, modality: str) -> int:
    """Insert under the consent's row lock, if the consent is still in force and the photo still has no
    descriptor (a withdrawal locks the same row: it never leaves a descriptor behind)."""
    consent = (
        BiometricConsent.objects.select_for_update().filter(pk=consent_id, withdrawn_at__isnull=True).first()
    )
    if consent is None or not ReferenceMedia.objects.filter(pk=media.pk).exists():
        return 0
    if Descriptor.objects.filter(reference_media_id=media.pk, modality=modality).exists():
        return 0
    left, top, right, bottom = face.box
    Descriptor.objects.create(
        talent_id=consent.talent_id,
        consent=consent,
        reference_media_id=media.pk,
        modality=modality,
        region={"left": left, "top": top, "right": right, "bottom": bottom},
        vector=faces.to_bytes(face.descriptor),
        model_name=faces.MODEL_NAME,
        model_version=faces.MODEL_VERSION,
    )
    return 1
