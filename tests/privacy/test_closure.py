"""Closing an account: confirmation and password, then personal data erased and legal records kept, in one
transaction; closing twice, by others or half-way is refused or changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.brands.models import PermissionCheck
from registry.cases.models import Case, Evidence, EvidenceMatch, MisuseReport, Note
from registry.consent.models import TermVersion
from registry.core import privacy as core_privacy
from registry.core.models import AuditEvent, OutboxMessage
from registry.licensing.models import License, LicenseOffer, LicenseRequest
from registry.licensing.privacy import CLOSURE_MESSAGE
from registry.privacy import hooks
from registry.privacy.closure import ClosureError, close_account
from registry.talent import verification as talent_verification
from registry.talent.models import ReferenceMedia, Representative, TalentProfile
from tests.brands.helpers import bearer, key_from_command
from tests.conftest import PASSWORD
from tests.privacy.helpers import INTERNAL_NOTE, OTHER_SECRET, PRIVATE

pytestmark = pytest.mark.django_db


def _close(client, user, talent, *, confirmation=None, password=PASSWORD, capture=None):
    client.force_login(user)
    data = {"confirmation": confirmation or talent.registry_id, "password": password}
    if capture is None:
        return client.post(reverse("privacy:close"), data)
    with capture(execute=True):
        return client.post(reverse("privacy:close"), data)


def test_confirmation_page_explains_and_refuses_wrong_confirmation_or_password(client, world, talent_user):
    talent = world["talent"]
    client.force_login(talent_user)
    page = client.get(reverse("privacy:close"))
    assert page.status_code == 200
    body = page.content.decode()
    assert talent.registry_id in body and "2 signed terms versions" in body and "1 license" in body
    dashboard = client.get(reverse("talent:me")).content.decode()
    assert reverse("privacy:close") in dashboard and reverse("privacy:data-export") in dashboard

    wrong_id = _close(client, talent_user, talent, confirmation="TR-0000-0000")
    assert wrong_id.status_code == 400 and "exactly to confirm" in wrong_id.content.decode()
    wrong_password = _close(client, talent_user, talent, password="not-my-password")
    assert wrong_password.status_code == 400 and "not your password" in wrong_password.content.decode()
    talent.refresh_from_db()
    assert talent.closed_at is None and talent.legal_name == PRIVATE["legal_name"]
    assert client.get(reverse("privacy:close")).status_code == 200  # still signed in, nothing changed


def test_wrong_passwords_are_throttled(client, world, talent_user):
    talent = world["talent"]
    for _ in range(5):
        _close(client, talent_user, talent, password="guess")
    response = _close(client, talent_user, talent)  # even the right password now waits
    assert response.status_code == 400 and "Too many wrong passwords" in response.content.decode()
    talent.refresh_from_db()
    assert talent.closed_at is None


def test_closing_erases_personal_data_and_keeps_legal_records(
    client,
    world,
    talent_user,
    representative_user,
    brand_user,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    talent, other = world["talent"], world["other"]
    media = list(ReferenceMedia.objects.filter(talent=talent))
    files = [(f.storage, f.name) for m in media for f in (m.original, m.display, m.thumbnail)]
    assert len(files) == 6 and all(storage.exists(name) for storage, name in files)
    assert EvidenceMatch.objects.filter(reference_media__talent=talent).exists()
    signed_before = {
        v.pk: (v.sha256, v.canonical_json, v.signed_at, v.signer_ip, v.signer_name)
        for v in TermVersion.objects.filter(talent=talent)
    }
    draft = TermVersion.objects.create(talent=talent, effective_from=date(2027, 1, 1))
    assert TalentProfile.history.filter(id=talent.pk).count() == 3
    Authenticator.objects.create(user=talent_user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    other_files = [
        (f.storage, f.name)
        for m in ReferenceMedia.objects.filter(talent=other)
        for f in (m.original, m.display)
    ]
    second_session = client.__class__()
    second_session.force_login(talent_user)

    response = _close(client, talent_user, talent, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Your account is closed" in response.content.decode()
    assert SESSION_KEY not in client.session  # signed out here …
    assert second_session.get(reverse("talent:me")).status_code == 302  # … and everywhere else

    talent.refresh_from_db()
    for name in ("legal_name", "email", "phone", "address", "membership_number", "bio", "representation"):
        assert getattr(talent, name) == "", name
    assert talent.date_of_birth is None and talent.disciplines == [] and talent.verification_method == ""
    assert talent.stage_name == f"Closed account {talent.registry_id}"
    assert talent.status == TalentProfile.Status.WITHDRAWN and talent.closed_at is not None
    # History rows held every old value: all gone.
    assert not TalentProfile.history.filter(id=talent.pk).exists()
    # Media rows and every stored copy gone; their perceptual-hash matches too, the evidence stays.
    assert not ReferenceMedia.objects.filter(talent=talent).exists()
    assert not any(storage.exists(name) for storage, name in files)
    assert not EvidenceMatch.objects.filter(
        evidence__case=world["case"], reference_media__isnull=False
    ).exists()
    assert Evidence.objects.filter(case=world["case"]).exists()
    # Representatives revoked.
    assert not Representative.objects.filter(talent=talent, revoked_at__isnull=True).exists()
    assert Representative.objects.get(talent=talent, user=representative_user).revoked_by == talent_user
    # The account: deactivated, placeholder address, no password, no email rows, no MFA.
    talent_user.refresh_from_db()
    assert not talent_user.is_active and not talent_user.has_usable_password()
    assert talent_user.email == f"closed-{talent_user.pk}@closed.invalid" and talent_user.display_name == ""
    assert not EmailAddress.objects.filter(user=talent_user).exists()
    assert not Authenticator.objects.filter(user=talent_user).exists()
    # The talent's own report keeps its content, without their contact details.
    own = MisuseReport.objects.get(reporter=talent_user)
    assert own.reporter_email == "" and own.reporter_name == "" and own.submitted_ip is None
    assert own.description == "A voice clone of me sells supplements."
    # No email to the old addresses is kept in the outbox (delivered copies) or still sent (pending ones).
    assert not [
        m for m in OutboxMessage.objects.filter(handler="registry.core.mail.deliver")
        if "talent-a@example.org" in m.payload.get("to", []) or PRIVATE["email"] in m.payload.get("to", [])
    ]  # fmt: skip

    # Kept: signed versions byte for byte; the draft is gone.
    kept = {
        v.pk: (v.sha256, v.canonical_json, v.signed_at, v.signer_ip, v.signer_name)
        for v in TermVersion.objects.filter(talent=talent)
    }
    assert kept == signed_before and not TermVersion.objects.filter(pk=draft.pk).exists()
    # Kept: the license, still verifiable; open requests declined with a note; the brand told.
    license = License.objects.get(pk=world["license"].pk)
    assert license.talent_id == talent.pk and license.terminated_at is None
    verified = client.get(f"/api/v1/licenses/{license.license_id}/verify/").json()
    assert verified["status"] == "not_yet_valid" and verified["talent"]["registry_id"] == talent.registry_id
    for req in world["requests"][1:]:
        req.refresh_from_db()
        assert req.status == LicenseRequest.Status.DECLINED
        assert LicenseOffer.objects.filter(request=req, kind="decline", message=CLOSURE_MESSAGE).exists()
    assert any("declined" in m.subject.lower() and brand_user.email in m.to for m in mailoutbox)
    # Kept: cases, linked to the closed profile, with their internal notes for staff.
    assert Case.objects.get(pk=world["case"].pk).talent_id == talent.pk
    assert Note.objects.filter(case=world["case"], body=INTERNAL_NOTE).exists()
    assert PermissionCheck.objects.filter(talent=talent).count() == 3
    event = AuditEvent.objects.get(action="talent.account_closed")
    assert event.actor == talent_user and "2 reference media deleted" in event.detail

    # The other talent is untouched.
    other.refresh_from_db()
    assert other.legal_name == OTHER_SECRET and other.closed_at is None
    assert all(storage.exists(name) for storage, name in other_files)
    assert TalentProfile.history.filter(id=other.pk).exists()


def test_after_closing_checks_answer_not_registered_and_login_is_refused(
    client, api_client, world, talent_user, django_capture_on_commit_callbacks
):
    talent = world["talent"]
    key = key_from_command("Acme Apparel")
    body = {"talent": talent.registry_id, "use": "advertising", "modality": "image", "territory": "US",
            "channel": "online", "date": "2026-06-01"}  # fmt: skip
    before = api_client.post("/api/v1/permissions/check/", body, format="json", **bearer(key)).json()
    assert before["decision"] == "permitted"
    old_email = talent_user.email
    _close(client, talent_user, talent, capture=django_capture_on_commit_callbacks)

    after = api_client.post("/api/v1/permissions/check/", body, format="json", **bearer(key)).json()
    assert after["decision"] == "not_registered" and after["basis"] is None
    assert client.get(reverse("talent:profile", args=[talent.registry_id])).status_code == 404
    assert api_client.get(f"/api/v1/talent/{talent.registry_id}/").status_code == 404
    assert api_client.get("/api/v1/talent/?q=closed").json()["results"] == []
    for login in (old_email, f"closed-{talent_user.pk}@closed.invalid"):
        client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
        assert SESSION_KEY not in client.session, login
        assert client.get(reverse("talent:me")).status_code == 302


def test_a_closed_profile_cannot_be_reinstated_by_staff(client, world, talent_user, staff_user,
                                                      django_capture_on_commit_callbacks):  # fmt: skip
    talent = world["talent"]
    _close(client, talent_user, talent, capture=django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        talent_verification.reinstate_profile(talent, actor=staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("talent_staff:reinstate", args=[talent.registry_id]), follow=True)
    assert response.status_code == 200 and "cannot be reinstated" in response.content.decode()
    talent.refresh_from_db()
    assert talent.status == TalentProfile.Status.WITHDRAWN


def test_closing_twice_and_by_others_is_refused(world, talent_user, representative_user, staff_user):
    talent = world["talent"]
    for actor in (representative_user, staff_user):
        with pytest.raises(ClosureError):
            close_account(talent, actor=actor)
    close_account(talent, actor=talent_user)
    with pytest.raises(ClosureError):
        close_account(talent, actor=talent_user)


def test_a_failed_closure_changes_nothing(world, talent_user, monkeypatch):
    talent = world["talent"]
    files = [(m.original.storage, m.original.name) for m in ReferenceMedia.objects.filter(talent=talent)]

    def broken(*args, **kwargs):
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(core_privacy, "purge_mail_to", broken)  # the last step of a closure
    with pytest.raises(RuntimeError):
        close_account(talent, actor=talent_user)
    talent.refresh_from_db()
    talent_user.refresh_from_db()
    assert talent.legal_name == PRIVATE["legal_name"] and talent.closed_at is None and talent_user.is_active
    assert ReferenceMedia.objects.filter(talent=talent).count() == 2
    assert all(storage.exists(name) for storage, name in files)
    assert TalentProfile.history.filter(id=talent.pk).count() == 3
    assert LicenseRequest.objects.filter(talent=talent, status="pending").exists()


def test_every_app_erases_its_part_in_order():
    """Licensing declines open requests first (the actor still holds the talent's authority, which the
    talent's part revokes); core purges mail last (the other parts collect the addresses)."""
    assert [hook.__name__ for hook in hooks.erasers()] == [
        "registry.licensing.privacy",
        "registry.likeness.privacy",
        "registry.consent.privacy",
        "registry.cases.privacy",
        "registry.talent.privacy",
        "registry.core.privacy",
    ]
