"""The impostor story: a self-registered profile with a verified member's legal name and birth date starts
unverified; the staff page lists the duplicate (and near-identical photos), and verifying needs the tick."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image, ImageDraw

from accounts.roles import Role
from registry.talent import profiles, reference_media, verification
from registry.talent.duplicates import likely_duplicates
from tests.conftest import make_user
from tests.factories import TalentFactory
from tests.talent.conftest import upload

pytestmark = pytest.mark.django_db


def _portrait(shift: int = 0) -> bytes:
    image = Image.new("RGB", (200, 240), (40, 40, 40))
    draw = ImageDraw.Draw(image)
    draw.ellipse([50 + shift, 30, 150 + shift, 150], fill=(230, 200, 170))
    draw.rectangle([0, 0, 40, 240], fill=(250, 250, 250))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _other_picture() -> bytes:
    image = Image.new("RGB", (200, 240), (250, 250, 250))
    ImageDraw.Draw(image).rectangle([100, 120, 200, 240], fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def real_ana(staff_user):
    ana = TalentFactory(stage_name="Ana Reyes", legal_name="Ana María Reyes", date_of_birth=date(1996, 4, 2))
    verification.verify_talent(ana, actor=staff_user, method="id_in_person", note="passport")
    return ana


@pytest.fixture
def impostor():
    user = make_user("not-ana@example.org", Role.TALENT)
    return profiles.create_profile(
        actor=user,
        data={
            "stage_name": "Ana Reyes Official",
            "legal_name": "ANA MARIA REYES",  # other case, no accent: still the same name
            "date_of_birth": date(1996, 4, 2),
            "disciplines": ["model"],
        },
    )


def _verify(client, talent, **extra):
    data = {"identity_verified": "on", "membership_status": "active", "method": "id_video_call", **extra}
    return client.post(reverse("talent_staff:verify", args=[talent.registry_id]), data)


def test_self_registered_profile_starts_unverified(impostor, client, api_client):
    assert impostor.is_verified is False and impostor.verified_at is None
    assert "Not verified yet" in client.get(f"/talent/{impostor.registry_id}/").content.decode()
    assert api_client.get(f"/api/v1/talent/{impostor.registry_id}/").json()["verified"] is False


def test_staff_page_lists_the_duplicate_and_verifying_needs_the_tick(client, staff_user, real_ana, impostor):
    client.force_login(staff_user)
    page = client.get(reverse("talent_staff:detail", args=[impostor.registry_id])).content.decode()
    assert "Likely duplicates" in page and "same legal name and date of birth" in page
    assert reverse("talent_staff:detail", args=[real_ana.registry_id]) in page  # linked
    # Without "I checked the duplicates": refused, nothing recorded.
    response = _verify(client, impostor)
    assert response.status_code == 400 and "likely duplicates" in response.content.decode()
    impostor.refresh_from_db()
    assert not impostor.is_verified and impostor.verified_at is None
    # With the tick: recorded, with who, when and how.
    assert _verify(client, impostor, duplicates_checked="on", note="called Ana: it is her").status_code == 302
    impostor.refresh_from_db()
    assert impostor.is_verified and impostor.verified_by == staff_user
    assert impostor.verification_method == "id_video_call: called Ana: it is her"
    page = client.get(reverse("talent_staff:detail", args=[impostor.registry_id])).content.decode()
    assert "Identity document seen on a video call: called Ana: it is her" in page


def test_the_duplicate_is_listed_both_ways_and_staff_can_refuse_the_badge(staff_user, real_ana, impostor):
    assert [d.talent for d in likely_duplicates(real_ana)] == [impostor]
    assert [d.talent for d in likely_duplicates(impostor)] == [real_ana]
    with pytest.raises(ValidationError) as exc:
        verification.verify_talent(impostor, actor=staff_user, method="union_records")
    assert "duplicates_checked" in exc.value.message_dict
    # Recording a check that did NOT verify her needs no tick (the badge is not granted).
    verification.verify_talent(impostor, actor=staff_user, method="union_records", identity_verified=False)
    impostor.refresh_from_db()
    assert not impostor.is_verified and impostor.verified_by == staff_user


def test_other_names_or_birth_dates_are_not_duplicates(staff_user, real_ana):
    other = TalentFactory(legal_name="Ana María Reyes", date_of_birth=date(1996, 4, 3))
    namesake = TalentFactory(legal_name="Ana Reyes", date_of_birth=date(1996, 4, 2))
    assert likely_duplicates(other) == [] and likely_duplicates(namesake) == []
    verification.verify_talent(other, actor=staff_user, method="id_in_person")


def test_near_identical_reference_photos_are_duplicates(client, staff_user, talent_user):
    first = TalentFactory(stage_name="First", legal_name="Someone")
    second = TalentFactory(stage_name="Second", legal_name="Someone Else")
    third = TalentFactory(stage_name="Third", legal_name="Nobody")
    for talent, data in ((first, _portrait()), (second, _portrait(shift=2)), (third, _other_picture())):
        reference_media.add_reference_media(
            talent, upload=upload("p.png", data), kind="photo", actor=staff_user
        )
    found = likely_duplicates(second)
    assert [d.talent for d in found] == [first]
    assert found[0].photo_distance <= 10 and "near-identical reference photo" in found[0].reasons[0]
    client.force_login(staff_user)
    page = client.get(reverse("talent_staff:detail", args=[second.registry_id])).content.decode()
    assert "near-identical reference photo" in page and first.registry_id in page
    assert _verify(client, second).status_code == 400
    assert _verify(client, second, duplicates_checked="on").status_code == 302
