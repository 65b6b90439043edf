"""The audit log cannot be edited or deleted, not even by supervisors or superusers through the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry.core.audit import record_access
from registry.core.models import AuditEvent
from tests.conftest import make_user
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


def test_audit_log_cannot_be_edited_or_deleted(client, supervisor_user, talent_user):
    talent = TalentFactory(user=talent_user)
    event = record_access(request=None, actor=supervisor_user, action="talent.view_private", obj=talent)
    root = make_user("root@example.org", mfa=True, is_superuser=True, is_staff=True)
    for user in (supervisor_user, root):
        client.force_login(user)
        change = reverse("admin:core_auditevent_change", args=[event.pk])
        delete = reverse("admin:core_auditevent_delete", args=[event.pk])
        assert client.post(change, {"action": "x", "detail": "rewritten"}).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert client.post(reverse("admin:core_auditevent_add"), {"action": "forged"}).status_code == 403
        client.post(
            reverse("admin:core_auditevent_changelist"),
            {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
        )
    event.refresh_from_db()
    assert event.action == "talent.view_private" and event.detail == ""
    assert AuditEvent.objects.count() == 1

    event.detail = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""
