"""Face matching against the descriptors of talent whose biometric consent is in force (issue 19).

The reference photo is scikit-image's `astronaut`; the probe a cropped, enlarged, brightened, bannered
JPEG-q40 copy of it. Faces are found once per process (tests/likeness/face_images.py); descriptor rows are
written directly, as likeness-core's service would after consent.
"""

import numpy as np
import pytest
from django.utils import timezone

from registry.likeness import faces, matching
from registry.likeness.models import Descriptor
from tests.cases.conftest import private_media  # noqa: F401  (reference photos in a per-test folder)
from tests.cases.helpers import add_reference_photo
from tests.factories import TalentFactory
from tests.likeness import face_images as fi

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(private_media):  # noqa: F811
    """Astra (consent in force, a descriptor of her face in the astronaut photo)."""
    talent = TalentFactory(stage_name="Astra Nautica")
    media = add_reference_photo(talent, fi.astronaut())
    fi.consent(talent)
    row = fi.descriptor(talent, media, fi.astronaut_faces()[0])
    return talent, media, row


def only_face(found):
    assert len(found) == 1
    return found[0]


def test_a_transformed_copy_matches_strongly_and_a_different_face_does_not(registered):
    talent, media, row = registered
    match = only_face(matching.match_found_faces(list(fi.transformed_copy_faces())))
    assert [c.talent_id for c in match.candidates] == [talent.pk]
    candidate = match.candidates[0]
    assert candidate.descriptor_id == row.pk and candidate.reference_media_id == media.pk
    assert candidate.distance < matching.threshold() and candidate.strong
    assert candidate.region == row.region
    assert candidate.distance == pytest.approx(
        faces.distance(fi.transformed_copy_faces()[0].descriptor, fi.astronaut_faces()[0].descriptor),
        abs=1e-3,
    )
    other = only_face(matching.match_found_faces(list(fi.other_face_faces())))
    assert other.candidates == []


def test_an_image_without_a_face_has_no_candidates(registered):
    assert matching.match_faces(fi.coffee()) == []
    assert matching.match_faces(b"not an image at all") == []


def test_a_talent_without_consent_in_force_never_matches(private_media):  # noqa: F811
    talent = TalentFactory(stage_name="Withdrawn Wanda")
    media = add_reference_photo(talent, fi.astronaut())
    # a row left behind under a withdrawn consent (the service deletes them; the query must not rely on it)
    fi.descriptor(talent, media, fi.astronaut_faces()[0], consent_row=fi.consent(talent, withdrawn=True))
    assert matching.indexed_count() == 0
    assert only_face(matching.match_found_faces(list(fi.transformed_copy_faces()))).candidates == []
    assert (
        only_face(
            matching.match_found_faces(list(fi.transformed_copy_faces()), talent_id=talent.pk)
        ).candidates
        == []
    )


def test_withdrawal_stops_matching_at_once_even_with_a_warm_index(registered):
    talent, _, _ = registered
    probe = list(fi.transformed_copy_faces())
    assert only_face(matching.match_found_faces(probe)).candidates  # the index now holds her descriptor
    Descriptor.objects.filter(talent=talent).delete()
    talent.biometric_consents.update(withdrawn_at=timezone.now())
    assert only_face(matching.match_found_faces(probe)).candidates == []
    assert matching.indexed_count() == 0  # the deleted row is known gone


def test_a_new_descriptor_is_found_without_a_rebuild(registered, private_media):  # noqa: F811
    probe = list(fi.transformed_copy_faces())
    matching.match_found_faces(probe)
    other = TalentFactory(stage_name="Second Sight")
    fi.consent(other)
    fi.descriptor(other, add_reference_photo(other, fi.astronaut()), fi.astronaut_faces()[0])
    found = only_face(matching.match_found_faces(probe))
    assert {c.talent_id for c in found.candidates} == {registered[0].pk, other.pk}


def test_one_talent_checking_an_image_sees_only_her_own_matches(registered, private_media):  # noqa: F811
    talent, _, _ = registered
    other = TalentFactory(stage_name="Second Sight")
    fi.consent(other)
    fi.descriptor(other, add_reference_photo(other, fi.astronaut()), fi.astronaut_faces()[0])
    probe = list(fi.transformed_copy_faces())
    mine = only_face(matching.match_found_faces(probe, talent_id=talent.pk))
    assert [c.talent_id for c in mine.candidates] == [talent.pk]


def test_descriptors_of_another_model_version_are_not_compared(registered):
    talent, media, _ = registered
    Descriptor.objects.update(model_version="dlib-0.0-old")
    assert only_face(matching.match_found_faces(list(fi.transformed_copy_faces()))).candidates == []


def test_queries_do_not_grow_with_the_number_of_descriptors(registered, django_assert_num_queries):
    """Two queries per image whatever the size of the registry: load the new rows, confirm the candidates."""
    talent, media, _ = registered
    probe = list(fi.transformed_copy_faces())
    rng = np.random.default_rng(19)
    consent = talent.biometric_consents.get()
    for n in (1, 50, 500):
        Descriptor.objects.bulk_create(
            Descriptor(
                talent=talent,
                consent=consent,
                reference_media=media,
                region={"left": 0, "top": 0, "right": 10, "bottom": 10},
                vector=faces.to_bytes(rng.normal(0, 0.1, 128).astype(np.float32)),
                model_name=faces.MODEL_NAME,
                model_version=faces.MODEL_VERSION,
            )
            for _ in range(n)
        )
        with django_assert_num_queries(2):
            found = only_face(matching.match_found_faces(probe))
        assert [c.talent_id for c in found.candidates] == [talent.pk]
    assert matching.indexed_count() == 1 + 1 + 50 + 500


def test_past_the_exact_limit_the_approximate_index_matches_and_confirms_too(registered, settings):
    """LIKENESS_EXACT_MAX lowered: the same answers from the HNSW index, withdrawal included."""
    settings.LIKENESS_EXACT_MAX = 50
    talent, media, _ = registered
    rng = np.random.default_rng(7)
    consent = talent.biometric_consents.get()
    Descriptor.objects.bulk_create(
        Descriptor(
            talent=talent,
            consent=consent,
            reference_media=media,
            region={"left": 0, "top": 0, "right": 10, "bottom": 10},
            vector=faces.to_bytes(rng.normal(0, 0.1, 128).astype(np.float32)),
            model_name=faces.MODEL_NAME,
            model_version=faces.MODEL_VERSION,
        )
        for _ in range(200)
    )
    probe = list(fi.transformed_copy_faces())
    assert [c.talent_id for c in only_face(matching.match_found_faces(probe)).candidates] == [talent.pk]
    assert matching._state.index.kind == "approximate"
    talent.biometric_consents.update(withdrawn_at=timezone.now())  # rows not even deleted yet
    assert only_face(matching.match_found_faces(probe)).candidates == []
