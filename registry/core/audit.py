"""Recording sensitive access: every staff view of private data or media leaves an audit event."""

from django.http import HttpRequest

from registry.core.clientip import client_ip
from registry.core.models import AuditEvent


def record_access(*, request: HttpRequest | None, actor, action: str, obj, detail: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        detail=detail[:300],
        ip_address=client_ip(request) if request is not None else None,
    )
