"""The talent's self-check: faces of a suspicious image against her own descriptors, consent first, nothing
stored, rate-limited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry.likeness import consent as consent_service
from registry.likeness.models import Descriptor
from tests.factories import TalentFactory
from tests.likeness.biometric_helpers import (
    add_photo,
    astronaut_copy,
    media_files,
    no_face,
    sign,
    upload,
)
from tests.security.bad_input.files import REFUSED_IMAGES, bombs_expected, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(talent_user):
    return TalentFactory(user=talent_user, legal_name="Eileen Marie Collins")


@pytest.fixture
def consenting(talent, talent_user, django_capture_on_commit_callbacks):
    add_photo(talent, talent_user, capture=django_capture_on_commit_callbacks)
    sign(talent, talent_user, capture=django_capture_on_commit_callbacks)
    assert Descriptor.objects.filter(talent=talent).count() == 1
    return talent


def _url(talent) -> str:
    return reverse("likeness:self-check", args=[talent.registry_id])


def test_without_consent_the_page_explains_and_links_to_the_consent(client, talent, talent_user):
    client.force_login(talent_user)
    page = client.get(_url(talent)).content.decode()
    assert 'id="needs-consent"' in page
    assert reverse("likeness:consent", args=[talent.registry_id]) in page
    refused = client.post(_url(talent), {"image": upload(astronaut_copy())})
    assert refused.status_code == 403 and 'id="self-check-result"' not in refused.content.decode()


def test_her_transformed_face_is_likely_her_and_nothing_is_stored(
    client, consenting, talent_user, settings, django_assert_max_num_queries
):
    settings.LIKENESS_MATCH_THRESHOLD = 0.5
    client.force_login(talent_user)
    before = media_files()
    with django_assert_max_num_queries(12):
        response = client.post(_url(consenting), {"image": upload(astronaut_copy(), "found.jpg")})
    assert response.status_code == 200
    result = response.context["result"]
    (face,) = result.faces
    assert face.likely_you and face.distance < 0.5 and result.threshold == 0.5
    assert face.found_crop.startswith("data:image/png;base64,") and face.own_crop.startswith("data:image/png")
    page = response.content.decode()
    assert "Likely you" in page and f"{face.distance:.3f}" in page
    assert media_files() == before  # neither the image nor a crop was written anywhere


def test_a_strict_threshold_says_probably_not_and_an_image_without_a_face_says_so(
    client, consenting, talent_user, settings
):
    settings.LIKENESS_MATCH_THRESHOLD = 0.05
    client.force_login(talent_user)
    response = client.post(_url(consenting), {"image": upload(astronaut_copy())})
    assert "Probably not you" in response.content.decode()
    empty = client.post(_url(consenting), {"image": upload(no_face())})
    assert empty.status_code == 200 and 'id="no-face"' in empty.content.decode()


def test_uploads_are_validated_like_every_upload(client, consenting, talent_user):
    """Every hostile file the reference-media upload refuses (HTML, SVG, bombs, …) is refused here too."""
    client.force_login(talent_user)
    before = media_files()
    for name, make, content_type, message in REFUSED_IMAGES.values():
        with bombs_expected():
            response = client.post(_url(consenting), {"image": upload_file(name, make(), content_type)})
        assert response.status_code == 400, name
        errors = " ".join(response.context["form"].errors.get("image", []))
        assert message.lower() in errors.lower(), errors
    assert media_files() == before


def test_after_withdrawal_the_self_check_refuses(client, consenting, talent_user):
    consent_service.withdraw_consent(consenting, actor=talent_user)
    client.force_login(talent_user)
    response = client.post(_url(consenting), {"image": upload(astronaut_copy())})
    assert response.status_code == 403 and 'id="needs-consent"' in response.content.decode()


def test_the_self_check_is_rate_limited(client, consenting, talent_user, settings):
    settings.LIKENESS_SELF_CHECK_RATE = "1/hour"
    client.force_login(talent_user)
    assert client.post(_url(consenting), {"image": upload(no_face())}).status_code == 200
    limited = client.post(_url(consenting), {"image": upload(no_face())})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_only_she_checks_her_face(client, consenting, other_talent_user, representative_user, staff_user):
    for user in (other_talent_user, representative_user, staff_user):
        client.force_login(user)
        assert client.get(_url(consenting)).status_code == 403
