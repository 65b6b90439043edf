"""A talent creates their registry profile and uploads a reference photo, in a real browser (with axe)."""

import pytest

from registry.talent.models import ReferenceMedia, TalentProfile
from tests.conftest import axe_violations, browser_login
from tests.talent.conftest import jpeg_with_gps, private_media  # noqa: F401 (autouse fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_talent_creates_profile_and_uploads_photo(page, talent_user, tmp_path):
    browser_login(page, talent_user.email)
    page.goto("/talent/me/")
    assert page.url.endswith("/talent/me/create/")
    assert [(v["id"], [n["html"][:200] for n in v["nodes"]]) for v in axe_violations(page)] == []
    page.get_by_label("Stage or professional name").fill("Zoë Çelik")
    page.get_by_label("Model").check()
    page.get_by_label("Legal name").fill("Zoë Ayşe Çelik")
    page.get_by_label("Date of birth").fill("1994-03-14")
    page.get_by_label("Union membership number").fill("U-555001")
    page.get_by_role("button", name="Create profile").click()
    page.wait_for_url("**/talent/me/")
    talent = TalentProfile.objects.get(user=talent_user)
    assert page.get_by_text(talent.registry_id).first.is_visible()
    assert page.locator("#profile-private").get_by_text("Zoë Ayşe Çelik").is_visible()

    photo = tmp_path / "headshot.jpg"
    photo.write_bytes(jpeg_with_gps(size=(200, 240)))
    page.locator("#media-form").get_by_label("File").set_input_files(str(photo))
    page.locator("#media-form").get_by_label("Caption (optional)").fill("Headshot")
    page.locator("#media-form").get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    thumb = page.get_by_alt_text("Reference photo: Headshot")
    assert thumb.is_visible()
    # The thumbnail really loaded (served through the authorised view).
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    assert ReferenceMedia.objects.filter(talent=talent).count() == 1
    assert [(v["id"], [n["html"][:200] for n in v["nodes"]]) for v in axe_violations(page)] == []

    # The public page shows the public part only.
    page.goto(f"/talent/{talent.registry_id}/")
    assert page.locator("h1").inner_text() == "Zoë Çelik"
    assert "Zoë Ayşe Çelik" not in page.content()
    assert [(v["id"], [n["html"][:200] for n in v["nodes"]]) for v in axe_violations(page)] == []


def test_public_search_is_accessible(page):
    from tests.factories import TalentFactory

    TalentFactory(stage_name="Zoë Çelik", disciplines=["model", "actor"])
    TalentFactory(stage_name="José Núñez", disciplines=["voice_artist"])
    page.goto("/talent/")
    page.get_by_label("Name").fill("zoe celik")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Zoë Çelik").is_visible()
    assert not page.get_by_role("link", name="José Núñez").is_visible()
    assert axe_violations(page) == []
