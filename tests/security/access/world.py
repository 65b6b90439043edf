"""The small world every role is tested against: talent, an agent, two organizations, licenses, cases."""

from __future__ import annotations

import secrets as pysecrets
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from registry.brands import services as brand_services
from registry.brands.models import ApiKey, Invitation, Membership
from registry.cases import messaging as case_messaging
from registry.cases import workflow
from registry.cases.models import Case, Evidence, FaceMatch, NoticeTemplate, ReportedURL, SavedView
from registry.checks import services as check_services
from registry.consent import drafts as consent_drafts
from registry.licensing import requests as licensing_requests
from registry.likeness.models import BiometricConsent, Descriptor
from registry.likeness.text import CONSENT_TEXT_SHA256, CONSENT_TEXT_VERSION
from registry.talent.models import Representative, TalentProfile
from tests.brands.helpers import key_from_command
from tests.cases.helpers import add_reference_photo, file_report, photo, resized_copy, upload
from tests.cases.notice_helpers import send_confirmed_notice
from tests.conftest import make_user
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms
from tests.security.access.leaks import (
    A_LEGAL_NAME,
    A_PRIVATE_EMAIL,
    DRAFT_NOTE,
    INTERNAL_NOTE,
    LICENSE_FEE,
    PENDING_REQUEST,
    REPORTER_EMAIL,
)


def _license_body(description: str, **overrides) -> dict:
    today = timezone.localdate()
    body = {
        "use": "advertising",
        "modalities": ["image"],
        "territories": ["US"],
        "channels": ["online"],
        "valid_from": (today + timedelta(days=7)).isoformat(),
        "valid_until": (today + timedelta(days=120)).isoformat(),
        "fee": {"amount": "1500.00", "currency": "USD"},
        "product_category": "apparel",
        "description": description,
    }
    body.update(overrides)
    return body


def build_world(capture) -> tuple[dict, dict[str, User | None], dict[str, str]]:
    """The objects every role is tested against; returns (world ids, users by role, API keys by role)."""
    users: dict[str, User | None] = {
        "anon": None,
        "talent_a": make_user("matrix-a@example.org", Role.TALENT, name="Talent A"),
        "talent_b": make_user("matrix-b@example.org", Role.TALENT, name="Talent B"),
        "rep_a": make_user("matrix-agent@example.org", Role.REPRESENTATIVE, name="Agent of A"),
        "brand_x": make_user("matrix-x-member@example.org", Role.BRAND_MEMBER, name="X member"),
        "brand_y": make_user("matrix-y-owner@example.org", Role.BRAND_MEMBER, name="Y owner"),
        "staff": make_user("matrix-staff@example.org", Role.STAFF, mfa=True, name="Staff"),
        "supervisor": make_user("matrix-super@example.org", Role.SUPERVISOR, mfa=True, name="Super"),
    }
    x_owner = make_user("matrix-x-owner@example.org", Role.BRAND_MEMBER, name="X owner")

    # talent A (terms signed, a draft, a reference photo, an agent) and talent B
    a = TalentFactory(
        user=users["talent_a"], stage_name="Ana Matrix", legal_name=A_LEGAL_NAME, email=A_PRIVATE_EMAIL
    )
    TalentFactory(user=users["talent_b"], stage_name="Bea Matrix")
    sign_terms(a, {"advertising": ADVERTISING_ALLOW}, user=users["talent_a"])
    draft = consent_drafts.create_draft(
        talent=a,
        effective_from=timezone.localdate() + timedelta(days=30),
        uses={"advertising": {**ADVERTISING_ALLOW, "territories": ["US"]}},
        actor=users["talent_a"],
        note=DRAFT_NOTE,
    )
    rep = Representative.objects.create(
        talent=a,
        user=users["rep_a"],
        kind=Representative.Kind.AGENT,
        can_manage_terms=True,
        can_answer_requests=True,
    )
    reference_photo = photo(11)
    media = add_reference_photo(a, reference_photo)
    # A's biometric consent (recorded directly: her reference photo has no face to compute anyway)
    biometric = BiometricConsent.objects.create(
        talent=a,
        text_version=CONSENT_TEXT_VERSION,
        text_sha256=CONSENT_TEXT_SHA256,
        signature_name=A_LEGAL_NAME,
        signer_capacity="self",
        signed_by=users["talent_a"],
        signed_at=timezone.now(),
    )

    # organization X (an owner, and the member under test) and organization Y (its owner under test)
    x = brand_services.create_organization(name="Xylo Apparel", actor=x_owner)
    x_membership = Membership.objects.create(
        organization=x, user=users["brand_x"], role=Membership.Role.MEMBER
    )
    brand_services.create_organization(name="Yonder Media", actor=users["brand_y"])
    keys = {
        "brand_x": key_from_command("Xylo Apparel", scopes="check,licenses,reports"),
        "brand_y": key_from_command("Yonder Media", scopes="check,licenses,reports"),
    }
    x_key = ApiKey.objects.get(organization=x)
    token = pysecrets.token_urlsafe(32)
    Invitation.objects.create(
        organization=x,
        email="matrix-invitee@example.org",
        token_hash=brand_services._token_hash(token),
        invited_by=x_owner,
    )
    x_check, _ = check_services.run_check(
        {
            "talent": a.registry_id,
            "use": "advertising",
            "modality": "image",
            "territory": "US",
            "channel": "online",
        },
        organization=x,
        actor=users["brand_x"],
        source="web",
    )
    x_check_id = x_check["check_id"]
    pending = licensing_requests.request_license(
        organization=x, actor=x_owner, talent_registry_id=a.registry_id, data=_license_body(PENDING_REQUEST)
    )
    licensed = licensing_requests.request_license(
        organization=x,
        actor=x_owner,
        talent_registry_id=a.registry_id,
        data=_license_body(
            "Summer knitwear campaign: studio photos for the online shop in the United States.",
            fee={"amount": LICENSE_FEE, "currency": "USD"},
        ),
    )
    license = licensing_requests.approve(request_id=licensed.pk, actor=users["talent_a"])

    # a case about A: evidence matching A's reference photo, an internal note, a message and a notice
    report, code = file_report(
        capture,
        urls=["https://social.example.com/p/ad-123"],
        talent=a.registry_id,
        reporter_email=REPORTER_EMAIL,
        files=[upload(resized_copy(reference_photo), "copy.jpg")],
    )
    staff = users["staff"]
    case = Case.objects.get(pk=report.case_id)
    case_messaging.add_note(case.pk, actor=staff, body=INTERNAL_NOTE)
    case_messaging.message_reporter(case.pk, actor=staff, body="We are looking into it.")
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff, version=case.version)
    notice = send_confirmed_notice(
        case.pk,
        actor=staff,
        version=case.version,
        template_id=NoticeTemplate.objects.get(kind="takedown").pk,
        recipient_name="Platform Trust & Safety",
        recipient_email="takedown@platform.example",
    )
    # a confidential case (sensitive report), assigned to nobody: supervisors only
    conf_report, _ = file_report(
        capture,
        urls=["https://adult.example.com/v/42"],
        talent=a.registry_id,
        sensitive=True,
        files=[upload(photo(12), "other.jpg")],
    )
    conf_case = Case.objects.get(pk=conf_report.case_id)
    assert conf_case.confidential and conf_case.assignee_id is None
    assert Evidence.objects.filter(case=case).count() == 1
    assert case.evidence.get().matches.filter(reference_media=media).exists()

    face_match, conf_face_match = face_matches(a, media, case, conf_case)

    world = {
        "a_legal_name": A_LEGAL_NAME,
        "a_private_email": A_PRIVATE_EMAIL,
        "a_membership_number": a.membership_number,
        "draft_note": DRAFT_NOTE,
        "internal_note": INTERNAL_NOTE,
        "reporter_email": REPORTER_EMAIL,
        "pending_request": PENDING_REQUEST,
        "license_fee": LICENSE_FEE,
        "x_check_id": x_check_id,
        "x_key_prefix": x_key.prefix,
        "conf_case_ref": conf_case.reference,
        "a_id": a.registry_id,
        "b_id": TalentProfile.objects.get(user=users["talent_b"]).registry_id,
        "staff_pk": staff.pk,
        "case_version": Case.objects.get(pk=case.pk).version,
        "conf_case_version": conf_case.version,
        "rep_pk": rep.pk,
        "media_pk": media.pk,
        "draft_pk": draft.pk,
        "biometric_consent_pk": biometric.pk,
        "x_org_pk": x.pk,
        "x_member_membership_pk": x_membership.pk,
        "x_key_pk": x_key.pk,
        "invitation_token": token,
        "request_pk": pending.pk,
        "license_id": license.license_id,
        "tracking_code": code,
        "case_pk": case.pk,
        "conf_case_pk": conf_case.pk,
        "evidence_pk": case.evidence.get().pk,
        "conf_evidence_pk": conf_case.evidence.get().pk,
        "face_match_pk": face_match.pk,
        "conf_face_match_pk": conf_face_match.pk,
        "url_pk": ReportedURL.objects.filter(case=case).get().pk,
        "notice_pk": notice.pk,
        "template_pk": NoticeTemplate.objects.order_by("pk").first().pk,
        "saved_view_pk": SavedView.objects.create(user=staff, name="My open cases", query="status=open").pk,
    }
    return world, users, keys


def face_matches(talent, media, case: Case, conf_case: Case) -> tuple[FaceMatch, FaceMatch]:
    """A face match on each case's image with A's face in her reference photo (a descriptor under her
    biometric consent, written directly: nothing is matched, only the pages showing a match are walked)."""
    now = timezone.now()
    consent = BiometricConsent.objects.get(talent=talent, withdrawn_at__isnull=True)
    box = {"left": 40, "top": 40, "right": 120, "bottom": 120}
    descriptor = Descriptor.objects.create(
        talent=talent,
        consent=consent,
        reference_media=media,
        region=box,
        vector=bytes(512),
        model_name="matrix",
        model_version="matrix",
    )
    return tuple(
        FaceMatch.objects.create(
            evidence=c.evidence.get(),
            face=0,
            box=box,
            talent=talent,
            descriptor_id=descriptor.pk,
            reference_media_id=media.pk,
            distance=0.31,
            threshold=0.5,
            strong=True,
            model_name="matrix",
            model_version="matrix",
            created_at=now,
        )
        for c in (case, conf_case)
    )


def fill(values: dict | None, world: dict) -> dict:
    """Strings naming a world entry are replaced by it (also inside lists); everything else is literal."""

    def one(v):
        if isinstance(v, list):
            return [one(x) for x in v]
        return world.get(v, v) if isinstance(v, str) else v

    return {k: one(v) for k, v in (values or {}).items()}
