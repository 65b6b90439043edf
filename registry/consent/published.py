"""Public documents whose size grows with the registry, built in the background and served as stored.

`/.well-known/tdmrep.json` (W3C TDMRep) is the one such document today. Its rules are a constant default —
every path of a talent (`/talent/*`, `/terms/policy/*`, `/api/v1/talent/*`) has TDM rights reserved — preceded
by exceptions for the talent whose terms leave mining and AI training open (`tdm-reservation: 0`): TDMRep
takes the first matching rule, and the tdm-policy of each talent travels in the headers and `<meta>` tags of
their pages, which TDMRep says supersede the file. So the file lists only the talent that need an exception.

It is rebuilt through the outbox when terms are signed or revoked (`terms_changed`, coalesced: one waiting
rebuild covers any number of changes) and hourly by beat (terms that take effect or end on a date).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date

from django.utils import timezone

from registry.consent.exports import stance_of
from registry.consent.models import PublishedDocument, TermVersion
from registry.consent.selectors import in_effect_among, signed_versions_by_talent
from registry.consent.vocab import Decision, Use
from registry.core.models import OutboxMessage
from registry.core.outbox import dispatch
from registry.talent.selectors import public_talent

TDMREP = "tdmrep.json"
REBUILD_HANDLER = "registry.consent.published.rebuild_tdmrep"
CHUNK = 500

# Every public path that belongs to a talent: the profile, the TDM policy page, the API (profile and terms).
TALENT_PATHS = ("/talent/{}/*", "/terms/policy/{}/*", "/api/v1/talent/{}/*")
DEFAULT_RULES = [
    {"location": "/talent/*", "tdm-reservation": 1},
    {"location": "/terms/policy/*", "tdm-reservation": 1},
    {"location": "/api/v1/talent/*", "tdm-reservation": 1},
]


def _open_candidates(on: date):
    """Public talent with a signed `allow` for AI training in effect by `on` (only they can be open)."""
    return (
        public_talent()
        .filter(
            term_versions__status=TermVersion.Status.SIGNED,
            term_versions__effective_from__lte=on,
            term_versions__terms__use=Use.AI_TRAINING,
            term_versions__terms__decision=Decision.ALLOW,
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def open_talent(on: date) -> Iterator[str]:
    """Registry IDs of talent whose mining is open on `on`, in chunks (memory bounded by CHUNK)."""
    pks = list(_open_candidates(on)[:CHUNK])
    last = 0
    while pks:
        talent = list(public_talent().filter(pk__in=pks).only("pk", "registry_id").order_by("registry_id"))
        versions = signed_versions_by_talent(pks, on)
        for t in talent:
            if stance_of(t, in_effect_among(versions.get(t.pk, []), on), on).mining_open:
                yield t.registry_id
        last = pks[-1]
        pks = list(_open_candidates(on).filter(pk__gt=last)[:CHUNK])


def tdmrep_rules(on: date | None = None) -> list[dict]:
    on = on or timezone.localdate()
    exceptions = [
        {"location": pattern.format(registry_id), "tdm-reservation": 0}
        for registry_id in open_talent(on)
        for pattern in TALENT_PATHS
    ]
    return exceptions + DEFAULT_RULES


def _etag(body: str) -> str:
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def rebuild_tdmrep() -> PublishedDocument:
    """Build and store /.well-known/tdmrep.json (an outbox handler; also run by beat)."""
    on = timezone.localdate()
    body = json.dumps(tdmrep_rules(on), ensure_ascii=False, indent=1) + "\n"
    document, _ = PublishedDocument.objects.update_or_create(
        name=TDMREP,
        defaults={
            "body": body,
            "content_type": "application/json",
            "etag": _etag(body),
            "built_at": timezone.now(),
            "built_for": on,
        },
    )
    return document


def terms_changed() -> None:
    """Signed terms changed: rebuild the published documents after commit, unless a rebuild is already
    waiting to start (it will read the new terms)."""
    waiting = OutboxMessage.objects.filter(handler=REBUILD_HANDLER, status=OutboxMessage.Status.PENDING)
    if not waiting.exists():
        dispatch(REBUILD_HANDLER)


def stored(name: str) -> PublishedDocument | None:
    fields = ("body", "content_type", "etag", "built_at")
    return PublishedDocument.objects.filter(name=name).only(*fields).first()


def fallback_tdmrep() -> str:
    """Served until the first build: the default rules alone (every talent path reserved)."""
    return json.dumps(DEFAULT_RULES, indent=1) + "\n"
