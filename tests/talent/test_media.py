"""Reference media: content validation, EXIF/GPS stripping, private originals, who may see them, audit."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from registry.core.models import AuditEvent
from registry.talent import reference_media
from registry.talent.models import ReferenceMedia, Representative
from tests.factories import TalentFactory
from tests.talent.conftest import gif_bytes, jpeg_with_gps, png_bytes, upload, wav_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(talent_user):
    return TalentFactory(user=talent_user, stage_name="Ana Reyes")


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_upload_photo_strips_gps_and_keeps_original(client, talent, talent_user, private_media):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test file really has GPS
    client.force_login(talent_user)
    response = client.post(
        reverse("talent:upload-media"),
        {"kind": "photo", "caption": "Headshot", "file": upload("me.jpg", original, "image/jpeg")},
    )
    assert response.status_code == 302
    media = ReferenceMedia.objects.get(talent=talent)
    assert media.mime == "image/jpeg" and media.size == len(original)
    assert len(media.sha256) == 64 and media.phash and (media.width, media.height) == (64, 48)
    assert media.uploaded_by == talent_user

    got_original = _read(client.get(reverse("talent:media", args=[media.pk, "original"])))
    assert got_original == original  # byte-identical
    display_response = client.get(reverse("talent:media", args=[media.pk, "display"]))
    assert display_response["Content-Type"] == "image/jpeg"
    assert "no-store" in display_response["Cache-Control"]
    for variant in ("display", "thumbnail"):
        data = _read(client.get(reverse("talent:media", args=[media.pk, variant])))
        image = Image.open(io.BytesIO(data))
        exif = image.getexif()
        assert not exif.get_ifd(0x8825), variant  # no GPS
        assert len(exif) == 0, variant  # no EXIF at all
        assert b"Test Camera" not in data
    # Stored privately: under the private storage root, never a public URL.
    assert str(private_media) in media.original.path
    with pytest.raises(ValueError):
        media.original.url  # noqa: B018


def test_upload_voice_sample(client, talent, talent_user):
    client.force_login(talent_user)
    data = wav_bytes()
    response = client.post(
        reverse("talent:upload-media"), {"kind": "voice", "file": upload("voice.mp3", data)}
    )
    assert response.status_code == 302
    media = ReferenceMedia.objects.get(talent=talent)
    assert media.mime == "audio/wav" and not media.display and not media.phash
    got = client.get(reverse("talent:media", args=[media.pk, "display"]))
    assert got["Content-Type"] == "audio/wav" and _read(got) == data


@pytest.mark.parametrize(
    "kind,name,data,message",
    [
        ("photo", "real.jpg", gif_bytes(), "Only JPEG, PNG or WebP"),
        ("photo", "fake.jpg", b"\xff\xd8\xff not really a JPEG", "not a readable JPEG, PNG or WebP"),
        ("photo", "empty.jpg", b"", "empty"),
        ("voice", "song.wav", png_bytes(), "Only WAV, MP3 or Ogg"),
        ("photo", "voice.jpg", wav_bytes(), "not a readable JPEG, PNG or WebP"),
    ],
)
def test_bad_files_get_a_form_error_and_nothing_is_saved(
    client, talent, talent_user, private_media, kind, name, data, message
):
    client.force_login(talent_user)
    response = client.post(reverse("talent:upload-media"), {"kind": kind, "file": upload(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReferenceMedia.objects.exists()
    assert _files(private_media) == []


def test_same_file_twice_is_refused(client, talent, talent_user, private_media):
    client.force_login(talent_user)
    data = png_bytes()
    client.post(reverse("talent:upload-media"), {"kind": "photo", "file": upload("a.png", data)})
    before = _files(private_media)
    response = client.post(reverse("talent:upload-media"), {"kind": "photo", "file": upload("b.png", data)})
    assert response.status_code == 400 and "already among the reference media" in response.content.decode()
    assert ReferenceMedia.objects.count() == 1 and _files(private_media) == before


def test_failed_insert_leaves_no_files(talent, talent_user, private_media, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ReferenceMedia, "save", boom)
    with pytest.raises(RuntimeError):
        reference_media.add_reference_media(
            talent, upload=upload("a.jpg", jpeg_with_gps()), kind="photo", actor=talent_user
        )
    assert _files(private_media) == []


def test_media_access_by_role(
    client,
    talent,
    talent_user,
    other_talent_user,
    representative_user,
    brand_user,
    staff_user,
    supervisor_user,
):
    media = reference_media.add_reference_media(
        talent, upload=upload("a.jpg", jpeg_with_gps()), kind="photo", actor=talent_user
    )
    other_agent = __import__("tests.conftest", fromlist=["make_user"]).make_user("agent2@example.org")
    Representative.objects.create(talent=talent, user=representative_user)
    Representative.objects.create(talent=TalentFactory(), user=other_agent)  # represents someone else
    urls = [reverse("talent:media", args=[media.pk, v]) for v in ("thumbnail", "display", "original")]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous → login
    for user in (other_talent_user, brand_user, other_agent):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    for user in (talent_user, representative_user, staff_user, supervisor_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)


def test_staff_media_views_are_audited_but_the_talents_are_not(client, talent, talent_user, staff_user):
    media = reference_media.add_reference_media(
        talent, upload=upload("a.png", png_bytes()), kind="photo", actor=talent_user
    )
    client.force_login(talent_user)
    client.get(reverse("talent:media", args=[media.pk, "display"]))
    assert not AuditEvent.objects.exists()
    client.force_login(staff_user)
    client.get(reverse("talent:media", args=[media.pk, "original"]))
    client.get(reverse("talent:media", args=[media.pk, "thumbnail"]))
    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.action for e in events] == ["talent.media.original", "talent.media.thumbnail"]
    assert all(e.actor == staff_user and e.object_id == str(media.pk) for e in events)
    assert events[0].object_type == "talent.referencemedia"


def test_delete_media(
    client, talent, talent_user, representative_user, private_media, django_capture_on_commit_callbacks
):
    media = reference_media.add_reference_media(
        talent, upload=upload("a.png", png_bytes()), kind="photo", actor=talent_user
    )
    assert len(_files(private_media)) == 3  # original, display, thumbnail
    Representative.objects.create(talent=talent, user=representative_user)
    client.force_login(representative_user)  # an agent may look, not delete
    assert client.post(reverse("talent:delete-media", args=[media.pk])).status_code == 403
    client.force_login(talent_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("talent:delete-media", args=[media.pk])).status_code == 302
    assert not ReferenceMedia.objects.exists()
    assert _files(private_media) == []


def test_dashboard_lists_media_with_thumbnails(client, talent, talent_user):
    media = reference_media.add_reference_media(
        talent, upload=upload("a.png", png_bytes()), kind="photo", caption="Profile", actor=talent_user
    )
    client.force_login(talent_user)
    html = client.get(reverse("talent:me")).content.decode()
    assert reverse("talent:media", args=[media.pk, "thumbnail"]) in html
    assert 'alt="Reference photo: Profile"' in html
