"""Privacy: a talent downloads everything we hold about them and can close their account (erase personal data,
keep signed consent, licenses and cases); the audit log cannot be edited through the admin."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from registry.brands import services as brand_services
from registry.brands.models import PermissionCheck
from registry.cases import services as case_services
from registry.cases.models import Case, Evidence, EvidenceMatch, MisuseReport, Note
from registry.consent.models import TermVersion
from registry.core.audit import record_access
from registry.core.models import AuditEvent, OutboxMessage
from registry.licensing import requests as licensing
from registry.licensing.models import License, LicenseOffer, LicenseRequest
from registry.talent import privacy, profiles, verification
from registry.talent.models import ReferenceMedia, Representative, TalentProfile
from tests.brands.helpers import bearer, key_from_command
from tests.cases.helpers import add_reference_photo, file_report, photo, resized_copy, upload
from tests.conftest import PASSWORD, make_user
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

PRIVATE = {
    "legal_name": "Marisol Quintero-Vance",
    "email": "marisol.private@example.org",
    "phone": "+1 555 0142",
    "address": "17 Orchard Row, Springfield",
    "membership_number": "U-777123",
    "bio": "Runway and print since 2015.",
    "representation": "Northlight Models",
}
OTHER_SECRET = "Zebulon-Other-Talent-Legal"
INTERNAL_NOTE = "INTERNAL-NOTE-never-to-the-talent"
OTHER_REPORTER = ("Rufus Whistleblower", "rufus.reporter@example.net")
TODAY = timezone.localdate()


def _request_body(talent, **overrides):
    body = {
        "use": "advertising",
        "modalities": ["image"],
        "territories": ["US"],
        "channels": ["online"],
        "valid_from": (TODAY + timedelta(days=7)).isoformat(),
        "valid_until": (TODAY + timedelta(days=90)).isoformat(),
        "fee": {"amount": "1500.00", "currency": "USD"},
        "product_category": "apparel",
        "description": "Autumn knitwear campaign: studio photos for our online shop in the United States.",
    }
    body.update(overrides)
    return body


def _check(org, brand_user, talent, use="advertising"):
    brand_services.run_check(
        {
            "talent": talent.registry_id,
            "use": use,
            "modality": "image",
            "territory": "US",
            "channel": "online",
            "date": TODAY.isoformat(),
        },
        organization=org,
        user=brand_user,
        source="web",
    )


def _populate(talent, *, user, org, brand_user, staff_user, capture, seed: int) -> dict:
    """Several of everything: history, representatives, media, terms, requests, licenses, checks, cases."""
    profiles.update_profile(talent, data={"bio": "Old bio"}, actor=user)
    profiles.update_profile(talent, data={"bio": PRIVATE["bio"] if seed != 2 else "Bio 2"}, actor=user)
    ref = add_reference_photo(talent, photo(seed))
    add_reference_photo(talent, photo(seed + 50))
    v1 = sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, effective_from=date(2026, 1, 1), user=user)
    v2 = sign_terms(
        talent,
        {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}},
        effective_from=date(2026, 6, 1),
        user=user,
    )
    requests = [
        licensing.request_license(
            organization=org,
            actor=brand_user,
            talent_registry_id=talent.registry_id,
            data=_request_body(talent),
        )
        for _ in range(3)
    ]
    license = licensing.approve(request_id=requests[0].pk, actor=user, message="Happy to.")
    licensing.counter(
        request_id=requests[1].pk, actor=user, data={"fee": {"amount": "2500.00", "currency": "USD"}}
    )
    for use in ("advertising", "editorial", "ai_training"):
        _check(org, brand_user, talent, use)
    # A case reported by someone else (evidence matching a reference photo), and one by the talent.
    report, _ = file_report(
        capture,
        urls=[f"https://ads.example.com/fake-{seed}"],
        talent=talent.registry_id,
        reporter_name=OTHER_REPORTER[0],
        reporter_email=OTHER_REPORTER[1],
        files=[upload(resized_copy(photo(seed)), "copy.jpg")],
    )
    case = Case.objects.get(pk=report.case_id)
    case_services.add_note(case.pk, actor=staff_user, body=INTERNAL_NOTE)
    case_services.message_reporter(case.pk, actor=staff_user, body=f"Public update {seed}: notice drafted.")
    own_report, _ = file_report(
        capture,
        urls=[f"https://video.example.com/clone-{seed}"],
        talent=talent.registry_id,
        relationship="self",
        reporter=user,
        description="A voice clone of me sells supplements.",
    )
    record_access(request=None, actor=staff_user, action="talent.view_private", obj=talent, detail="desk")
    record_access(request=None, actor=staff_user, action="talent.media.display", obj=ref, detail="photo")
    return {
        "versions": [v1, v2],
        "requests": requests,
        "license": license,
        "case": case,
        "own_case": Case.objects.get(pk=own_report.case_id),
        "reference": ref,
    }


@pytest.fixture
def org(brand_user):
    return brand_services.create_organization(name="Acme Apparel", owner=brand_user)


@pytest.fixture
def world(talent_user, other_talent_user, representative_user, brand_user, staff_user, org,
          django_capture_on_commit_callbacks):  # fmt: skip
    talent = TalentFactory(
        user=talent_user, stage_name="Marisol Vance", date_of_birth=date(1994, 3, 8), **PRIVATE
    )
    Representative.objects.create(talent=talent, user=representative_user, agency="Northlight")
    other = TalentFactory(user=other_talent_user, stage_name="Other Person", legal_name=OTHER_SECRET)
    data = _populate(
        talent,
        user=talent_user,
        org=org,
        brand_user=brand_user,
        staff_user=staff_user,
        capture=django_capture_on_commit_callbacks,
        seed=1,
    )
    _populate(
        other,
        user=other_talent_user,
        org=org,
        brand_user=brand_user,
        staff_user=staff_user,
        capture=django_capture_on_commit_callbacks,
        seed=2,
    )
    return {"talent": talent, "other": other, **data}


def _download(client, user, url=None):
    client.force_login(user)
    return client.get(url or reverse("talent:data-export"))


# --- export ------------------------------------------------------------------------------------------------


def test_export_holds_every_category_and_nothing_of_another_talent(client, world, talent_user, staff_user):
    talent = world["talent"]
    response = _download(client, talent_user)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="likeness-registry-{talent.registry_id}'
    )
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    data = json.loads(text)

    assert data["profile"]["registry_id"] == talent.registry_id
    private = data["profile"]["private"]
    for name in ("legal_name", "email", "phone", "address", "membership_number"):
        assert private[name] == PRIVATE[name]
    assert private["date_of_birth"] == "1994-03-08"
    assert data["profile"]["public"]["bio"] == PRIVATE["bio"]
    assert data["account"]["email"] == talent_user.email
    assert [e["email"] for e in data["account"]["email_addresses"]] == [talent_user.email]
    # Edit history: creation plus the two edits, each with the values it recorded.
    history = data["profile_history"]
    assert [h["change"] for h in history] == ["created", "changed", "changed"]
    assert history[-1]["by"] == "you" and history[0]["values"]["legal_name"] == PRIVATE["legal_name"]
    assert [(r["email"], r["kind"], r["agency"]) for r in data["representatives"]] == [
        ("agent@example.org", "agent", "Northlight")
    ]
    media = data["reference_media"]
    assert len(media) == 2 and {m["sha256"] for m in media} == set(
        ReferenceMedia.objects.filter(talent=talent).values_list("sha256", flat=True)
    )
    assert all(len(m["phash"]) == 16 and m["kind"] == "photo" for m in media)
    assert "original" not in media[0] and "/private/" not in text  # metadata only, no file bytes or paths

    versions = data["term_versions"]
    assert [v["number"] for v in versions] == [1, 2]
    signed = versions[1]["signature"]
    v2 = world["versions"][1]
    assert signed["sha256"] == v2.sha256 and signed["canonical_json"] == v2.canonical_json
    assert signed["signed_as"] == "talent" and signed["signer_ip"] == "127.0.0.1"
    assert signed["signed_by"] == str(talent_user) and "signer_user_agent" in signed
    assert {t["use"] for t in versions[1]["terms"]} == {"advertising", "ai_training"}

    requests = {r["id"]: r for r in data["license_requests"]}
    assert set(requests) == {r.pk for r in world["requests"]}
    approved = requests[world["requests"][0].pk]
    assert approved["status"] == "approved" and [o["kind"] for o in approved["offers"]] == [
        "request",
        "approve",
    ]
    assert approved["offers"][1]["by"] == "you" and approved["offers"][1]["message"] == "Happy to."
    assert requests[world["requests"][1].pk]["offers"][-1]["kind"] == "counter"
    assert [lic["license_id"] for lic in data["licenses"]] == [world["license"].license_id]
    assert data["licenses"][0]["certificate"]["payload"]["license_id"] == world["license"].license_id

    checks = data["permission_checks"]
    assert sorted(c["use"] for c in checks) == ["advertising", "ai_training", "editorial"]
    assert {c["organization"] for c in checks} == {"Acme Apparel"}
    assert all(c["decision"] for c in checks)

    cases = {c["reference"]: c for c in data["cases"]}
    assert world["case"].reference in cases
    about = cases[world["case"].reference]
    assert about["messages"][0]["body"] == "Public update 1: notice drafted."
    assert about["urls"][0]["url"] == "https://ads.example.com/fake-1"
    assert [r["description"] for r in data["reports_filed"]] == ["A voice clone of me sells supplements."]
    assert data["reports_filed"][0]["case"] == world["own_case"].reference

    audit = data["audit_events"]
    actions = [(e["action"], e["who"]) for e in audit]
    assert ("talent.view_private", str(staff_user)) in actions
    assert ("talent.media.display", str(staff_user)) in actions
    assert ("talent.data_export", "you") in actions  # this very download

    # Never: internal notes, other reporters' identity, anything of the other talent.
    for secret in (INTERNAL_NOTE, *OTHER_REPORTER, OTHER_SECRET, world["other"].registry_id, "fake-2"):
        assert secret not in text, secret


def test_export_is_audited(client, world, talent_user):
    _download(client, talent_user)
    event = AuditEvent.objects.get(action="talent.data_export")
    assert event.actor == talent_user and event.object_id == str(world["talent"].pk)
    assert event.ip_address == "127.0.0.1"


def test_export_runs_a_bounded_number_of_queries(client, world, talent_user, django_assert_max_num_queries):
    client.force_login(talent_user)
    client.get(reverse("talent:me"))  # warm the session and role caches
    with django_assert_max_num_queries(30):
        response = client.get(reverse("talent:data-export"))
    assert response.status_code == 200
    data = response.json()
    assert len(data["license_requests"]) == 3 and len(data["term_versions"]) == 2


def test_export_query_count_does_not_grow_with_the_data(
    world,
    talent_user,
    org,
    brand_user,
    staff_user,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    talent = world["talent"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        privacy.export_data(talent, actor=talent_user)
    _populate(
        talent,
        user=talent_user,
        org=org,
        brand_user=brand_user,
        staff_user=staff_user,
        capture=django_capture_on_commit_callbacks,
        seed=3,
    )
    with django_assert_num_queries(len(before.captured_queries)):
        data = privacy.export_data(talent, actor=talent_user)
    assert len(data["license_requests"]) == 6 and len(data["reference_media"]) == 4


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
        reverse("talent:data-export"),
        reverse("talent:manage-data-export", args=[talent.registry_id]),
        reverse("talent:close"),
        reverse("talent:manage-close", args=[talent.registry_id]),
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
    Representative.objects.create(talent=minor, user=parent, kind=Representative.Kind.GUARDIAN)
    client.force_login(parent)
    response = client.get(reverse("talent:manage-data-export", args=[minor.registry_id]))
    assert response.status_code == 200 and response.json()["requested_by"] == "guardian"
    assert response.json()["profile"]["private"]["date_of_birth"] == "2014-02-02"
    assert (
        client.get(reverse("talent:manage", args=[minor.registry_id]))
        .content.decode()
        .count(f"/talent/manage/{minor.registry_id}/data.json")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("talent:manage-close", args=[minor.registry_id]),
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


# --- closure -----------------------------------------------------------------------------------------------


def _close(client, user, talent, *, confirmation=None, password=PASSWORD, capture=None):
    client.force_login(user)
    data = {"confirmation": confirmation or talent.registry_id, "password": password}
    if capture is None:
        return client.post(reverse("talent:close"), data)
    with capture(execute=True):
        return client.post(reverse("talent:close"), data)


def test_confirmation_page_explains_and_refuses_wrong_confirmation_or_password(client, world, talent_user):
    talent = world["talent"]
    client.force_login(talent_user)
    page = client.get(reverse("talent:close"))
    assert page.status_code == 200
    body = page.content.decode()
    assert talent.registry_id in body and "2 signed terms versions" in body and "1 license" in body
    dashboard = client.get(reverse("talent:me")).content.decode()
    assert reverse("talent:close") in dashboard and reverse("talent:data-export") in dashboard

    wrong_id = _close(client, talent_user, talent, confirmation="TR-0000-0000")
    assert wrong_id.status_code == 400 and "exactly to confirm" in wrong_id.content.decode()
    wrong_password = _close(client, talent_user, talent, password="not-my-password")
    assert wrong_password.status_code == 400 and "not your password" in wrong_password.content.decode()
    talent.refresh_from_db()
    assert talent.closed_at is None and talent.legal_name == PRIVATE["legal_name"]
    assert client.get(reverse("talent:close")).status_code == 200  # still signed in, nothing changed


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
        assert LicenseOffer.objects.filter(
            request=req, kind="decline", message=privacy.CLOSURE_MESSAGE
        ).exists()
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
    with pytest.raises(privacy.ValidationError):
        verification.reinstate_profile(talent, actor=staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("talent_staff:reinstate", args=[talent.registry_id]), follow=True)
    assert response.status_code == 200 and "cannot be reinstated" in response.content.decode()
    talent.refresh_from_db()
    assert talent.status == TalentProfile.Status.WITHDRAWN


def test_closing_twice_and_by_others_is_refused(world, talent_user, representative_user, staff_user):
    talent = world["talent"]
    for actor in (representative_user, staff_user):
        with pytest.raises(privacy.ClosureError):
            privacy.close_account(talent, actor=actor)
    privacy.close_account(talent, actor=talent_user)
    with pytest.raises(privacy.ClosureError):
        privacy.close_account(talent, actor=talent_user)


def test_a_failed_closure_changes_nothing(world, talent_user, monkeypatch):
    talent = world["talent"]
    files = [(m.original.storage, m.original.name) for m in ReferenceMedia.objects.filter(talent=talent)]

    def broken(*args, **kwargs):
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(privacy, "_purge_mail_to", broken)
    with pytest.raises(RuntimeError):
        privacy.close_account(talent, actor=talent_user)
    talent.refresh_from_db()
    talent_user.refresh_from_db()
    assert talent.legal_name == PRIVATE["legal_name"] and talent.closed_at is None and talent_user.is_active
    assert ReferenceMedia.objects.filter(talent=talent).count() == 2
    assert all(storage.exists(name) for storage, name in files)
    assert TalentProfile.history.filter(id=talent.pk).count() == 3
    assert LicenseRequest.objects.filter(talent=talent, status="pending").exists()


def test_staff_cannot_close_themselves_here_and_brand_members_get_404(client, db, brand_user):
    staff_talent = make_user("staff-talent@example.org", Role.STAFF, Role.TALENT, mfa=True)
    profile = TalentFactory(user=staff_talent)
    client.force_login(staff_talent)
    assert client.get(reverse("talent:close")).status_code == 403
    response = client.post(
        reverse("talent:close"), {"confirmation": profile.registry_id, "password": PASSWORD}
    )
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.closed_at is None
    client.force_login(brand_user)
    assert client.get(reverse("talent:close")).status_code == 404
    assert client.post(reverse("talent:close"), {"password": PASSWORD}).status_code == 404
    assert client.get(reverse("talent:data-export")).status_code == 404


# --- the audit log ------------------------------------------------------------------------------------------


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
