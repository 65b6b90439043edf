"""Core's part of a data export (recorded access to the talent's records) and of a closure (mail kept for
the closed account's addresses is purged). Runs last: the other apps name the records and addresses."""

from __future__ import annotations

from django.db.models import Q

from registry.core.models import AuditEvent, OutboxMessage
from registry.core.personal_data import Closure, Export, who

EXPORT_ORDER = 90
ERASE_ORDER = 90


def export(talent, context: Export) -> dict:
    """Recorded access to the records the other apps named (who, what, when)."""
    about = Q(pk__in=[])
    for object_type, ids in context.audited.items():
        if ids:
            about |= Q(object_type=object_type, object_id__in=ids)
    events = AuditEvent.objects.filter(about).select_related("actor").order_by("at", "pk")
    return {
        "audit_events": [
            {
                "at": e.at,
                "who": "you" if e.actor_id and e.actor_id == talent.user_id else (who(e.actor) or "system"),
                "action": e.action,
                "object": e.object_type,
                "detail": e.detail,
            }
            for e in events
        ]
    }


def erase(talent, *, actor, closure: Closure) -> dict:
    return {"mail_purged": purge_mail_to(closure.addresses)}


def purge_mail_to(addresses: set[str]) -> int:
    """Emails to the closed account kept by the outbox: copies of delivered ones (bodies, receipts) and any
    not yet sent (nothing more goes to a closed account)."""
    addresses = {a for a in addresses if a}
    if not addresses:
        return 0
    q = Q()
    for address in addresses:
        q |= Q(payload__icontains=address)
    candidates = OutboxMessage.objects.filter(q, handler="registry.core.mail.deliver").only("pk", "payload")
    ids = [m.pk for m in candidates if addresses & {str(a).lower() for a in (m.payload or {}).get("to", [])}]
    deleted, _ = OutboxMessage.objects.filter(pk__in=ids).delete()
    return deleted
