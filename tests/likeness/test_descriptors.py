"""Descriptors exist only with biometric consent: none without it (database and storage), computed after
signing and after an upload, once per photo, deleted with the photo, the consent and the account."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from PIL import Image

from registry.likeness import consent as consent_service
from registry.likeness import descriptors, faces
from registry.likeness.models import BiometricConsent, Descriptor
from registry.privacy.closure import close_account
from registry.privacy.export import export_data
from registry.talent.reference_media import delete_reference_media
from tests.factories import TalentFactory
from tests.likeness.biometric_helpers import (
    add_photo,
    astronaut,
    media_file_names,
    media_files,
    no_face,
    sign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(talent_user):
    return TalentFactory(user=talent_user, legal_name="Eileen Marie Collins")


def test_without_consent_an_upload_computes_nothing_in_the_database_or_the_storage(
    talent, talent_user, django_capture_on_commit_callbacks
):
    before = media_files()
    media = add_photo(talent, talent_user, capture=django_capture_on_commit_callbacks)
    assert not Descriptor.objects.exists()
    # Storage: the upload wrote the photo's own files (original, display copy, thumbnail), nothing else.
    assert media_files() - before == media_file_names(media)
    # And the worker, asked anyway, computes nothing without a consent in force.
    assert descriptors.compute_for_talent(talent_id=talent.pk) == 0
    assert not Descriptor.objects.exists()


def test_signing_computes_the_existing_photos_once_and_writes_no_file(
    talent, talent_user, django_capture_on_commit_callbacks
):
    media = add_photo(talent, talent_user, capture=django_capture_on_commit_callbacks)
    blank = add_photo(talent, talent_user, no_face(), capture=django_capture_on_commit_callbacks)
    before = media_files()
    consent = sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    descriptor = Descriptor.objects.get()
    assert descriptor.talent == talent and descriptor.consent == consent
    assert descriptor.reference_media == media and descriptor.reference_media != blank
    assert descriptor.model_name == faces.MODEL_NAME and descriptor.model_version == faces.MODEL_VERSION
    assert faces.from_bytes(bytes(descriptor.vector)).shape == (128,)
    box = descriptor.region
    assert 0 <= box["left"] < box["right"] <= 512 and 0 <= box["top"] < box["bottom"] <= 512
    assert media_files() == before  # descriptors live only in the database table
    # Idempotent: a re-run (a retried message, the on-demand task) adds nothing.
    assert descriptors.compute_for_talent(talent_id=talent.pk) == 0
    assert Descriptor.objects.count() == 1


def test_an_upload_after_consent_computes_and_a_deleted_photo_takes_its_descriptor(
    talent, talent_user, django_capture_on_commit_callbacks
):
    sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    assert not Descriptor.objects.exists()
    media = add_photo(talent, talent_user, capture=django_capture_on_commit_callbacks)
    assert Descriptor.objects.filter(reference_media=media).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        delete_reference_media(media, actor=talent_user)
    assert not Descriptor.objects.exists()
    assert BiometricConsent.objects.get().in_force  # the consent stays; only that photo's descriptor goes


def test_only_the_largest_face_of_a_photo_is_kept(talent, talent_user, django_capture_on_commit_callbacks):
    big = Image.open(io.BytesIO(astronaut())).convert("RGB")
    canvas = Image.new("RGB", (900, 600), "white")
    canvas.paste(big, (0, 0))
    canvas.paste(big.resize((256, 256)), (620, 300))
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=90)
    assert len(faces.find_faces(out.getvalue())) == 2
    sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    add_photo(talent, talent_user, out.getvalue(), capture=django_capture_on_commit_callbacks)
    descriptor = Descriptor.objects.get()
    assert descriptor.region["right"] <= 512  # the face of the full-size copy, on the left


def test_withdrawal_deletes_every_descriptor_in_its_transaction(
    talent, talent_user, django_capture_on_commit_callbacks
):
    add_photo(talent, talent_user, capture=django_capture_on_commit_callbacks)
    sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    assert Descriptor.objects.count() == 1
    assert consent_service.withdraw_consent(talent, actor=talent_user) == 1
    assert not Descriptor.objects.exists()
    # A computation queued before the withdrawal finds no consent: nothing comes back.
    assert descriptors.compute_for_talent(talent_id=talent.pk) == 0
    assert not Descriptor.objects.exists()


def test_account_closure_deletes_the_descriptors_and_withdraws_the_consent(
    talent, talent_user, django_capture_on_commit_callbacks
):
    add_photo(talent, talent_user, capture=django_capture_on_commit_callbacks)
    sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        closure = close_account(talent, actor=talent_user)
    assert closure.erased["biometric_descriptors_deleted"] == 1
    assert not Descriptor.objects.exists()
    assert BiometricConsent.objects.get().withdrawn_at is not None


def test_the_export_has_the_consent_record_and_never_a_vector(
    talent, talent_user, django_capture_on_commit_callbacks
):
    add_photo(talent, talent_user, capture=django_capture_on_commit_callbacks)
    sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    vector = faces.from_bytes(bytes(Descriptor.objects.get().vector))
    data = export_data(talent, actor=talent_user)
    part = data["biometric_consent"]
    assert part["descriptors_held"] == 1
    (record,) = part["consents"]
    assert record["text_version"] and record["signed_by"] == "you" and record["signer_capacity"] == "self"
    text = json.dumps(data, cls=DjangoJSONEncoder)
    assert "vector" not in text and "region" not in text
    assert f"{float(vector[0]):.5f}"[:7] not in text


def test_descriptors_are_not_in_the_admin():
    assert Descriptor not in admin.site._registry
    assert BiometricConsent in admin.site._registry
