"""Who may download or close a talent's data: the talent, or a guardian for a minor; everyone else gets 404
(staff accounts cannot be closed here: 403)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from registry.core.models import AuditEvent
from registry.talent.models import Representative
from tests.conftest import PASSWORD, make_user
from tests.factories import TalentFactory
from tests.privacy.helpers import PRIVATE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "other talent", "agent", "brand member", "staff", "supervisor"])
def test_only_the_talent_or_guardian_can_download(client, world, who, request):
    users = {
        "other talent": "other_talent_user",
        "agent": "representative_user",
        "brand member": "brand_user",
        "staff": "staff_user",
        "supervisor": "supervisor_user",
    }
    talent = world["talent"]
    user = request.getfixturevalue(users[who]) if who != "anonymous" else None
    urls = [
        reverse("privacy:data-export"),
        reverse("privacy:manage-data-export", args=[talent.registry_id]),
        reverse("privacy:close"),
        reverse("privacy:manage-close", args=[talent.registry_id]),
    ]
    if user is not None:
        client.force_login(user)  # the agent acts for this talent, yet is no guardian: not found either
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        elif who == "other talent" and "/me/" in url:
            # /me/ is always the signed-in talent's own: B gets B's data and closure page, never A's.
            assert response.status_code == 200 and world["other"].registry_id in body
            assert talent.registry_id not in body
        else:
            assert response.status_code == 404, (who, url)
        assert PRIVATE["legal_name"] not in body
    assert not AuditEvent.objects.filter(action="talent.data_export", object_id=str(talent.pk)).exists()


def test_a_guardian_downloads_and_closes_for_a_minor(client, db, django_capture_on_commit_callbacks):
    parent = make_user("parent@example.org", Role.REPRESENTATIVE, name="Parent")
    kid_user = make_user("kid@example.org", Role.TALENT, name="Kid")
    minor = TalentFactory(user=kid_user, stage_name="Young Star", date_of_birth=date(2014, 2, 2))
    Representative.objects.create(
        talent=minor, user=parent, kind=Representative.Kind.GUARDIAN, authority_verified_at=timezone.now()
    )
    client.force_login(parent)
    response = client.get(reverse("privacy:manage-data-export", args=[minor.registry_id]))
    assert response.status_code == 200 and response.json()["requested_by"] == "guardian"
    assert response.json()["profile"]["private"]["date_of_birth"] == "2014-02-02"
    assert (
        client.get(reverse("talent:manage", args=[minor.registry_id]))
        .content.decode()
        .count(f"/talent/manage/{minor.registry_id}/data.json")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:manage-close", args=[minor.registry_id]),
            {"confirmation": minor.registry_id.lower(), "password": PASSWORD},
        )
    assert response.status_code == 302 and response["Location"] == reverse("talent:me")
    minor.refresh_from_db()
    kid_user.refresh_from_db()
    assert minor.closed_at is not None and minor.date_of_birth is None and not kid_user.is_active
    assert int(client.session[SESSION_KEY]) == parent.pk  # the guardian stays signed in
    assert not Representative.objects.filter(talent=minor, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="talent.account_closed")
    assert event.actor == parent and "guardian" in event.detail


def test_staff_cannot_close_themselves_here_and_brand_members_get_404(client, db, brand_user):
    staff_talent = make_user("staff-talent@example.org", Role.STAFF, Role.TALENT, mfa=True)
    profile = TalentFactory(user=staff_talent)
    client.force_login(staff_talent)
    assert client.get(reverse("privacy:close")).status_code == 403
    response = client.post(
        reverse("privacy:close"), {"confirmation": profile.registry_id, "password": PASSWORD}
    )
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.closed_at is None
    client.force_login(brand_user)
    assert client.get(reverse("privacy:close")).status_code == 404
    assert client.post(reverse("privacy:close"), {"password": PASSWORD}).status_code == 404
    assert client.get(reverse("privacy:data-export")).status_code == 404
