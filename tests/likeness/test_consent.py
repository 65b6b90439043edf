"""Biometric consent: the text, who signs (talent, guardian for a minor, estate for a deceased performer),
the receipt, withdrawal, and the staff line (issue 19)."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from registry.core import labels
from registry.core.errors import Conflict, DomainError, NotAllowed
from registry.likeness import consent as consent_service
from registry.likeness.models import BiometricConsent, Descriptor
from registry.likeness.text import CONSENT_TEXT, CONSENT_TEXT_SHA256, CONSENT_TEXT_VERSION
from registry.talent.models import Representative
from tests.conftest import make_user
from tests.factories import TalentFactory
from tests.likeness.biometric_helpers import MINOR_BIRTH_DATE, sign, verified_representative

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(talent_user):
    return TalentFactory(user=talent_user, legal_name="Eileen Marie Collins", stage_name="Eileen C")


def test_the_text_says_what_why_who_retention_and_withdrawal():
    assert hashlib.sha256(CONSENT_TEXT.encode()).hexdigest() == CONSENT_TEXT_SHA256
    for words in (
        "128 numbers",
        "dlib",
        "dlib_face_recognition_resnet_model_v1",
        "Why",
        "Union staff working on the case desk, only",
        "never sent through the registry's API",
        "deleted within minutes",
        "never sold",
        "How to withdraw",
    ):
        assert words in CONSENT_TEXT
    assert CONSENT_TEXT_VERSION in CONSENT_TEXT


def test_the_talent_signs_with_her_legal_name_and_gets_a_receipt(
    client, talent, talent_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(talent_user)
    url = reverse("likeness:consent", args=[talent.registry_id])
    page = client.get(url)
    assert page.status_code == 200
    assert CONSENT_TEXT_SHA256 in page.content.decode() and 'id="sign-form"' in page.content.decode()

    wrong = client.post(url, {"text_version": CONSENT_TEXT_VERSION, "signer_name": "Eileen C", "agree": "on"})
    assert wrong.status_code == 400 and "not the legal name on your profile" in wrong.content.decode()
    unticked = client.post(
        url, {"text_version": CONSENT_TEXT_VERSION, "signer_name": "eileen  marie collins"}
    )
    assert unticked.status_code == 400 and "Tick this box" in unticked.content.decode()
    assert 'class="error-summary"' in unticked.content.decode()
    assert not BiometricConsent.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"text_version": CONSENT_TEXT_VERSION, "signer_name": "eileen  marie collins", "agree": "on"}
        )
    consent = BiometricConsent.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("likeness:receipt", args=[talent.registry_id, consent.pk])
    assert consent.in_force and consent.signer_capacity == "self" and consent.signed_by == talent_user
    assert consent.text_version == CONSENT_TEXT_VERSION and consent.text_sha256 == CONSENT_TEXT_SHA256
    assert consent.signature_name == "eileen marie collins"
    assert [m.to for m in mailoutbox] == [[talent_user.email]]
    assert CONSENT_TEXT_SHA256 in mailoutbox[0].body and "receipt" in mailoutbox[0].subject

    receipt = client.get(response.url).content.decode()
    for shown in (
        CONSENT_TEXT_VERSION,
        CONSENT_TEXT_SHA256,
        "eileen marie collins",
        "The talent",
        "In force",
    ):
        assert shown in receipt


def test_a_changed_text_or_a_second_signature_is_refused(
    talent, talent_user, django_capture_on_commit_callbacks
):
    with pytest.raises(DomainError, match="consent text changed"):
        consent_service.sign_consent(
            talent, actor=talent_user, signature_name=talent.legal_name, text_version="2020-01"
        )
    sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    with pytest.raises(Conflict):
        consent_service.sign_consent(talent, actor=talent_user, signature_name=talent.legal_name)


def test_a_guardian_signs_for_a_minor_and_the_minor_herself_cannot(
    client, talent_user, mailoutbox, django_capture_on_commit_callbacks
):
    minor = TalentFactory(user=talent_user, date_of_birth=MINOR_BIRTH_DATE, legal_name="Mia Minor")
    guardian = make_user("guardian@example.org", Role.REPRESENTATIVE, name="Gina Guardian")
    with pytest.raises(NotAllowed, match="parent or guardian"):
        consent_service.sign_consent(minor, actor=talent_user, signature_name="Mia Minor")
    client.force_login(talent_user)
    url = reverse("likeness:consent", args=[minor.registry_id])
    assert "a parent or guardian signs this consent" in client.get(url).content.decode()
    refused = client.post(
        url, {"text_version": CONSENT_TEXT_VERSION, "signer_name": "Mia Minor", "agree": "on"}
    )
    assert refused.status_code == 403

    # An unverified guardian does not act yet; once staff verified the authority, she signs.
    rep = Representative.objects.create(talent=minor, user=guardian, kind=Representative.Kind.GUARDIAN)
    with pytest.raises(NotAllowed):
        consent_service.sign_consent(minor, actor=guardian, signature_name="Gina Guardian")
    rep.delete()
    verified_representative(minor, guardian, Representative.Kind.GUARDIAN)
    client.force_login(guardian)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"text_version": CONSENT_TEXT_VERSION, "signer_name": "Gina Guardian", "agree": "on"}
        )
    assert response.status_code == 302
    consent = BiometricConsent.objects.get(talent=minor)
    assert consent.signer_capacity == "guardian" and consent.signed_by == guardian
    assert sorted(m.to[0] for m in mailoutbox) == sorted([guardian.email, talent_user.email])
    # The minor may still withdraw it herself.
    consent_service.withdraw_consent(minor, actor=talent_user)
    assert not BiometricConsent.objects.get(pk=consent.pk).in_force


def test_an_estate_signs_for_a_deceased_performer(talent, talent_user, django_capture_on_commit_callbacks):
    estate = make_user("estate@example.org", Role.REPRESENTATIVE, name="Estate Executor")
    talent.is_deceased = True
    talent.save()
    with pytest.raises(NotAllowed, match="estate signs"):
        consent_service.sign_consent(talent, actor=talent_user, signature_name=talent.legal_name)
    verified_representative(talent, estate, Representative.Kind.ESTATE)
    consent = sign(talent, estate, capture=django_capture_on_commit_callbacks, name="Executor of the Estate")
    assert consent.signer_capacity == "estate" and consent.signed_by == estate


def test_an_agent_cannot_sign_or_withdraw(talent, talent_user, representative_user, client):
    Representative.objects.create(talent=talent, user=representative_user, kind=Representative.Kind.AGENT)
    with pytest.raises(NotAllowed, match="representative cannot sign"):
        consent_service.sign_consent(talent, actor=representative_user, signature_name="Agent Person")
    client.force_login(representative_user)
    page = client.get(reverse("likeness:consent", args=[talent.registry_id]))
    assert page.status_code == 200 and 'id="blocker"' in page.content.decode()
    assert client.get(reverse("likeness:withdraw", args=[talent.registry_id])).status_code == 403


def test_withdrawal_confirms_then_deletes_every_descriptor_and_keeps_the_record(
    client, talent, talent_user, django_capture_on_commit_callbacks
):
    consent = sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    client.force_login(talent_user)
    url = reverse("likeness:withdraw", args=[talent.registry_id])
    assert "Withdraw and delete" in client.get(url).content.decode()
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400 and BiometricConsent.objects.get().in_force
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == talent_user
    assert not Descriptor.objects.filter(talent=talent).exists()
    page = client.get(reverse("likeness:consent", args=[talent.registry_id])).content.decode()
    assert 'id="consent-none"' in page and 'id="sign-form"' in page  # she may sign again later
    with pytest.raises(DomainError, match="no biometric consent in force"):
        consent_service.withdraw_consent(talent, actor=talent_user)


def test_labels_and_the_staff_line(
    client, talent, talent_user, staff_user, django_capture_on_commit_callbacks
):
    assert labels.label("guardian", "signer_capacity") == "Parent or legal guardian"
    assert labels.label("face", "biometric_modality") == "Face"
    client.force_login(staff_user)
    url = reverse("talent_staff:detail", args=[talent.registry_id])
    assert "Biometric consent (face):</strong> not given" in client.get(url).content.decode()
    sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    page = client.get(url).content.decode()
    assert "Biometric consent (face):</strong> in force since" in page and "The talent" in page
    # Staff never get the consent pages themselves (nor the vectors anywhere).
    assert client.get(reverse("likeness:consent", args=[talent.registry_id])).status_code == 403


def test_the_profile_page_links_to_the_consent(client, talent, talent_user):
    client.force_login(talent_user)
    page = client.get(reverse("talent:me")).content.decode()
    assert reverse("likeness:consent", args=[talent.registry_id]) in page
    home = client.get(reverse("site:dashboard")).content.decode()
    assert reverse("likeness:self-check", args=[talent.registry_id]) in home


def test_the_docs_hold_the_current_text_and_its_digest():
    doc = (settings.BASE_DIR / "docs" / "biometric-consent.md").read_text()
    assert CONSENT_TEXT in doc and CONSENT_TEXT_SHA256 in doc
