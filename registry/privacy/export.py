"""A talent's data export ("download my data"): one JSON document composed of every app's part, audited."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from registry.core.audit import record_access
from registry.core.errors import NotAllowed
from registry.core.personal_data import Export
from registry.privacy import hooks
from registry.privacy.access import privacy_capacity
from registry.talent.models import TalentProfile

EXPORT_FORMAT = "likeness-registry.talent-data-export"
EXPORT_VERSION = 1
NOTES = (
    "Everything the Likeness Registry holds about this talent. Reference media are listed by their "
    "fingerprints (SHA-256 and perceptual hash); download the files themselves from your registry "
    "page. Internal staff notes and the identity of other people who reported misuse are left out."
)


def export_data(talent: TalentProfile, *, actor, request=None) -> dict:
    """Everything the registry holds about one talent, as a JSON-ready dict (a bounded number of queries).

    Refuses anyone but the talent or their guardian. The export is audited before the apps' parts are read,
    so its own audit event is in it.
    """
    capacity = privacy_capacity(actor, talent)
    if capacity is None:
        raise NotAllowed("not_allowed", "Only the talent or their guardian can download this data.")
    record_access(
        request=request,
        actor=actor,
        action="talent.data_export",
        obj=talent,
        detail=f"Data export downloaded by the {capacity}",
    )
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.now(),
        "requested_by": capacity,
        "notes": NOTES,
    }
    context = Export(talent=talent)
    for hook in hooks.exporters():
        document.update(hook.export(talent, context))
    return document


def export_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def export_filename(talent: TalentProfile) -> str:
    return f"likeness-registry-{talent.registry_id}-{timezone.localdate():%Y-%m-%d}.json"
