"""Faces in case evidence against the registered faces of consenting talent (issue 19): flagged with their
distance on the staff desk, never anywhere else; withdrawal of consent stops matching and hides her face.

dlib takes ~0.3 s an image: the images and the reference faces are made once per process
(tests/likeness/face_images.py) and each test files as few reports as it can.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.cases import enrichment, evidence, messaging
from registry.cases.models import Case, Evidence, FaceMatch, FaceScan, Priority, Status
from registry.likeness import faces, matching
from registry.likeness.models import Descriptor
from tests.cases.helpers import add_reference_photo, file_report, upload
from tests.factories import TalentFactory
from tests.likeness import face_images as fi

pytestmark = pytest.mark.django_db

NAME = "Astra Nautica"


@pytest.fixture
def astra(db):
    """A talent who gave biometric consent; her descriptor is the face of the astronaut photo."""
    talent = TalentFactory(stage_name=NAME)
    media = add_reference_photo(talent, fi.astronaut())
    fi.consent(talent)
    fi.descriptor(talent, media, fi.astronaut_faces()[0])
    return talent


def crop_url(match, side):
    return reverse("cases_staff:face-crop", args=[match.pk, side])


def test_a_transformed_copy_in_a_public_report_is_flagged_with_its_distance(
    client, api_client, astra, staff_user, supervisor_user, mailoutbox, django_capture_on_commit_callbacks
):
    """Acceptance 1: the copy is flagged (distance under the threshold, strong), a different face and a
    coffee cup are not; the unnamed case gets her as suggested talent and a high priority."""
    report, code = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://ads.example.com/spring"],
        reporter_email="fan@example.org",
        files=[
            upload(fi.transformed_copy(), "banner.jpg"),
            upload(fi.other_face(), "someone-else.jpg"),
            upload(fi.coffee(), "coffee.jpg"),
        ],
    )
    case = Case.objects.get(pk=report.case_id)
    assert case.talent_id is None
    copy, other, cup = (
        Evidence.objects.get(case=case, original_name=n)
        for n in ("banner.jpg", "someone-else.jpg", "coffee.jpg")
    )
    match = FaceMatch.objects.get()
    assert match.evidence == copy and match.talent == astra and match.face == 0
    assert match.distance < 0.3 and match.strong and match.threshold == matching.threshold() == 0.5
    assert (match.model_name, match.model_version) == (faces.MODEL_NAME, faces.MODEL_VERSION)
    assert set(match.box) == {"left", "top", "right", "bottom"}
    assert (copy.face_scan, copy.face_count) == (FaceScan.FACES, 1)
    assert (other.face_scan, other.face_count) == (FaceScan.FACES, 1)  # a face, not hers
    assert (cup.face_scan, cup.face_count) == (FaceScan.NO_FACE, 0)
    assert case.status == Status.NEW and case.priority == case.suggested_priority == Priority.HIGH

    # idempotent: enrichment again, a re-enrichment after an edit, new-evidence matching: nothing new
    checked = copy.faces_checked_at
    enrichment.enrich_report(report.pk)
    enrichment.reenrich_case(case.pk)
    enrichment.match_new_evidence(case.pk)
    assert FaceMatch.objects.count() == 1
    copy.refresh_from_db()
    assert copy.faces_checked_at == checked

    # the staff desk: the panel, both faces, one action to set her as the case's talent
    client.force_login(staff_user)
    page = client.get(reverse("cases_staff:detail", args=[case.pk])).content.decode()
    assert 'id="face-matches"' in page and "Strong match" in page and 'id="face-suggestion"' in page
    assert f"{match.distance:.2f}" in page and "threshold 0.50" in page
    assert reverse("talent_staff:detail", args=[astra.registry_id]) in page
    assert "No face found" in page.replace("no face found", "No face found")
    for side in ("evidence", "reference"):
        assert crop_url(match, side) in page
        response = client.get(crop_url(match, side))
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, no-store"
        assert response.content.startswith(b"\x89PNG")
    assert client.get(reverse("cases_staff:face-crop", args=[match.pk, "other"])).status_code == 404

    # matches never leave the desk: tracking page and API, the case API, the CSV export, emails
    client.logout()
    leaks = [NAME, astra.registry_id]
    outside = [
        client.get(reverse("cases:track", args=[code])),
        client.get(reverse("v1:reports-track", args=[code])),
    ]
    api_client.force_authenticate(staff_user)
    outside += [
        api_client.get(reverse("v1:cases-detail", args=[case.pk])),
        api_client.get(reverse("v1:cases-list"), {"status": ""}),
    ]
    client.force_login(supervisor_user)
    export = client.get(reverse("cases_staff:export"), {"status": ""})
    assert export.status_code == 200
    outside.append(export)
    for response in outside:
        assert response.status_code == 200, response
        text = b"".join(response.streaming_content) if response.streaming else response.content
        for leak in [*leaks, "face_", "face match", "faces_checked"]:
            assert leak.lower() not in text.decode().lower(), (response.request["PATH_INFO"], leak)
    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_reporter(case.pk, actor=staff_user, body="We are looking into it.")
    assert mailoutbox
    for message in mailoutbox:
        assert not any(leak in message.subject + message.body for leak in leaks)

    # one action: the suggested talent becomes the case's talent (the ordinary facts edit)
    client.force_login(staff_user)
    case.refresh_from_db()
    response = client.post(
        reverse("cases_staff:face-talent", args=[case.pk]), {"match": match.pk, "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.talent == astra
    assert case.timeline.filter(kind="edit", data__talent=astra.pk).exists()


def test_withdrawal_keeps_the_history_hides_her_face_and_stops_matching(
    client, astra, staff_user, django_capture_on_commit_callbacks
):
    """Acceptance 2: after her descriptors are deleted and her consent withdrawn, the match stays as case
    history without her face, and the same image in a new report matches nobody."""
    bystander = TalentFactory(stage_name="Bystander")  # someone still consenting: images are still looked at
    fi.consent(bystander)
    fi.descriptor(bystander, add_reference_photo(bystander, fi.other_face()), fi.other_face_faces()[0])
    first, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://ads.example.com/one"],
        files=[upload(fi.transformed_copy(), "banner.jpg")],
    )
    match = FaceMatch.objects.get(talent=astra)
    client.force_login(staff_user)
    assert client.get(crop_url(match, "reference")).status_code == 200

    Descriptor.objects.filter(talent=astra).delete()  # what likeness-core's withdrawal does
    astra.biometric_consents.update(withdrawn_at=timezone.now())

    match.refresh_from_db()
    assert match.talent == astra and match.distance < 0.5  # history
    assert client.get(crop_url(match, "reference")).status_code == 404
    assert client.get(crop_url(match, "evidence")).status_code == 200
    page = client.get(reverse("cases_staff:detail", args=[first.case_id])).content.decode()
    assert "The reference face is no longer kept." in page and crop_url(match, "reference") not in page

    second, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://ads.example.com/two"],
        files=[upload(fi.transformed_copy(), "banner-again.jpg")],
    )
    again = Evidence.objects.get(case_id=second.case_id)
    assert again.face_scan == FaceScan.FACES
    assert not FaceMatch.objects.filter(evidence=again).exists()
    assert Case.objects.get(pk=second.case_id).suggested_priority != Priority.HIGH


def test_a_frame_the_reporter_adds_later_is_matched(astra, django_capture_on_commit_callbacks):
    report, _ = file_report(django_capture_on_commit_callbacks, urls=["https://video.example.com/v/9"])
    case = Case.objects.get(pk=report.case_id)
    assert case.priority != Priority.HIGH
    with django_capture_on_commit_callbacks(execute=True):
        evidence.reporter_reply(
            report, body="A frame of the video.", files=[upload(fi.transformed_copy(), "frame.jpg")]
        )
    match = FaceMatch.objects.get()
    assert match.evidence.original_name == "frame.jpg" and match.talent == astra
    case.refresh_from_db()
    assert case.priority == Priority.HIGH  # a strong match raises the new case's priority


def test_confidential_face_matches_follow_the_case_visibility(
    client, astra, staff_user, supervisor_user, brand_user, talent_user, django_capture_on_commit_callbacks
):
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://adult.example.com/x"],
        sensitive=True,
        files=[upload(fi.transformed_copy(), "frame.jpg")],
    )
    case = Case.objects.get(pk=report.case_id)
    assert case.confidential and case.assignee_id is None
    match = FaceMatch.objects.get()
    urls = [crop_url(match, "evidence"), crop_url(match, "reference")]
    apply = reverse("cases_staff:face-talent", args=[case.pk])
    for user, status in ((staff_user, 404), (brand_user, 403), (talent_user, 403)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
        assert client.post(apply, {"match": match.pk, "version": case.version}).status_code == status
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the login page
    case.refresh_from_db()
    assert case.talent_id is None
    client.force_login(supervisor_user)
    assert all(client.get(url).status_code == 200 for url in urls)


def test_without_any_descriptor_no_image_is_looked_at(talent, django_capture_on_commit_callbacks):
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://x.example.com/1"],
        files=[upload(fi.coffee(), "c.jpg")],
    )
    item = Evidence.objects.get(report=report)
    assert item.face_scan == "" and item.faces_checked_at is None  # pending: looked at once someone consents


def test_an_image_over_the_pixel_limit_is_skipped(astra, settings, django_capture_on_commit_callbacks):
    settings.LIKENESS_MATCH_MAX_PIXELS = 100 * 100
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://x.example.com/2"],
        files=[upload(fi.transformed_copy(), "big.jpg")],
    )
    item = Evidence.objects.get(report=report)
    assert item.face_scan == FaceScan.TOO_LARGE and not FaceMatch.objects.exists()
