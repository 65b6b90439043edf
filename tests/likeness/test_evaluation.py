"""The evaluation set: transformed copies of a face match it, other people and non-face images do not, and
docs/likeness.md shows exactly what the code measures (regenerate: python -m registry.likeness.evaluation)."""

from pathlib import Path

import pytest

from registry.likeness import evaluation

DOCS = Path(__file__).resolve().parents[2] / "docs" / "likeness.md"


@pytest.fixture(scope="module")
def result() -> dict:
    return evaluation.evaluate(evaluation.THRESHOLD)  # measures once (cached for the other tests)


def test_every_transformed_copy_with_a_face_found_matches(result):
    assert result["genuine_detected"] >= 15
    for probe in result["genuine"]:
        assert probe.distance is None or probe.distance <= evaluation.THRESHOLD, probe
    assert result["true_match_rate"] == result["genuine_matched"] / result["genuine_probes"]


def test_no_other_persons_face_matches_the_astronaut(result):
    assert result["impostors"] >= 80  # dlib finds most of the 100 upscaled LFW crops
    assert result["impostor_matched"] == 0 and result["false_match_rate"] == 0.0
    assert result["distances"]["impostor"]["min"] > evaluation.THRESHOLD


def test_non_face_images_never_match(result):
    assert len(result["non_face"]) == len(evaluation.NON_FACE_IMAGES)
    assert result["non_face_matched"] == 0
    for probe in result["non_face"]:
        assert probe.distance is None or probe.distance > evaluation.THRESHOLD, probe


def test_rates_move_with_the_threshold(result):
    loose, strict = evaluation.evaluate(0.6), evaluation.evaluate(0.4)
    assert strict["genuine_matched"] <= result["genuine_matched"] <= loose["genuine_matched"]
    assert strict["lfw_pairs_matched"] <= result["lfw_pairs_matched"] <= loose["lfw_pairs_matched"]


def test_the_docs_give_the_figures_the_code_measures(result):
    assert evaluation.markdown() in DOCS.read_text(), (
        "docs/likeness.md is stale: paste the output of `python -m registry.likeness.evaluation`"
    )
