"""Which registered faces a face in an image resembles: candidates among the talent whose consent is in force.

A process-level index (registry.likeness.index: exact below LIKENESS_EXACT_MAX descriptors, approximate
above) holds every face descriptor of the current model. It is kept fresh incrementally: each call loads the
rows added since (one query: id > the highest id indexed). Deletions are not applied to the index; instead
the nearest neighbours found are **confirmed** in one query (the descriptor still exists and its consent is
still in force) and their distances recomputed from the stored vectors, so a withdrawal stops matching at
once even while this process's index is stale. The index is rebuilt from scratch when too many of its
entries turned out gone, when the model version changes, when the highest row it knows comes back with
another vector (ids reused after a rollback), and every LIKENESS_INDEX_REBUILD_SECONDS (a row committed
out of id order is picked up then).

Distances are Euclidean between 128-d dlib descriptors: at most LIKENESS_MATCH_THRESHOLD (0.5) is a
candidate, at most LIKENESS_STRONG_MATCH (0.4) a strong one. See docs/likeness.md for the measured rates.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Q

from registry.likeness import faces
from registry.likeness.index import DescriptorIndex, new_index
from registry.likeness.models import Descriptor, Modality

# A rebuild is due when this fraction of the indexed descriptors turned out deleted (consent withdrawn).
STALE_FRACTION = 0.2
# Neighbours looked at per face: k candidates (one per talent) need a few more descriptors.
NEIGHBOURS_PER_CANDIDATE = 4
MAX_NEIGHBOURS = 200


@dataclass(frozen=True)
class Candidate:
    talent_id: int
    descriptor_id: int
    reference_media_id: int
    region: dict
    distance: float
    strong: bool


@dataclass(frozen=True)
class FaceCandidates:
    """One face found in the image (box: left, top, right, bottom) and the talent it may be, nearest first."""

    box: tuple[int, int, int, int]
    candidates: list[Candidate] = field(default_factory=list)


def threshold() -> float:
    return float(getattr(settings, "LIKENESS_MATCH_THRESHOLD", 0.5))


def strong_threshold() -> float:
    return float(getattr(settings, "LIKENESS_STRONG_MATCH", 0.4))


def in_force() -> Q:
    """Descriptors that may be matched: face modality, the current model, consent not withdrawn."""
    return Q(
        modality=Modality.FACE,
        model_name=faces.MODEL_NAME,
        model_version=faces.MODEL_VERSION,
        consent__withdrawn_at__isnull=True,
        consent__modality=Modality.FACE,
    )


class _State:
    def __init__(self) -> None:
        self.index: DescriptorIndex = new_index()
        self.model = (faces.MODEL_NAME, faces.MODEL_VERSION)
        self.top: tuple[int, bytes] | None = None  # (id, vector) of the highest row indexed
        self.gone: set[int] = set()  # indexed ids found deleted or withdrawn
        self.built_at = time.monotonic()
        self.loaded = False


_state: _State | None = None
_lock = threading.Lock()


def reset() -> None:
    """Forget the in-process index (tests; the next call rebuilds it)."""
    global _state
    with _lock:
        _state = None


def _add(state: _State, rows: list[tuple[int, bytes]]) -> None:
    if not rows:
        return
    ids = np.fromiter((pk for pk, _ in rows), dtype=np.int64, count=len(rows))
    vectors = np.vstack([faces.from_bytes(bytes(vector)) for _, vector in rows]).astype(np.float32)
    state.index.add(ids, vectors)
    top = max(rows, key=lambda row: row[0])
    state.top = (top[0], bytes(top[1]))


def _refresh() -> _State:
    """The index with every descriptor in force added (one query when nothing forces a rebuild)."""
    global _state
    state = _state
    age = float(getattr(settings, "LIKENESS_INDEX_REBUILD_SECONDS", 600))
    if (
        state is None
        or state.model != (faces.MODEL_NAME, faces.MODEL_VERSION)
        or time.monotonic() - state.built_at > age
        or (state.gone and len(state.gone) > STALE_FRACTION * len(state.index))
    ):
        state = _State()
    since = state.top[0] if state.top else 0
    rows = list(
        Descriptor.objects.filter(in_force(), pk__gte=since)
        .order_by("pk")
        .values_list("pk", "vector")
        .iterator(chunk_size=10_000)
    )
    if state.top is not None:
        if rows and rows[0][0] == state.top[0]:
            if bytes(rows[0][1]) != state.top[1]:
                # The same id with another vector: the table went back (a rolled-back transaction reused
                # ids); nothing indexed can be trusted.
                state = _State()
                rows = list(
                    Descriptor.objects.filter(in_force())
                    .order_by("pk")
                    .values_list("pk", "vector")
                    .iterator(chunk_size=10_000)
                )
            else:
                rows = rows[1:]
        else:
            state.gone.add(state.top[0])  # the highest row indexed was deleted (consent withdrawn)
    if not state.loaded and rows:
        state.index = new_index(expected_size=len(rows))
    _add(state, rows)
    state.loaded = True
    _state = state
    return state


def indexed_count() -> int:
    """How many descriptors in force the index holds (refreshed): 0 means no face can match anything."""
    with _lock:
        state = _refresh()
        return len(state.index) - len(state.gone)


def _confirm(ids: set[int], talent_id: int | None) -> dict[int, tuple]:
    """The candidates that still exist with consent in force (one query): id → (talent, media, region,
    vector)."""
    if not ids:
        return {}
    rows = Descriptor.objects.filter(in_force(), pk__in=sorted(ids))
    if talent_id is not None:
        rows = rows.filter(talent_id=talent_id)
    return {
        pk: (talent, media, region, faces.from_bytes(bytes(vector)))
        for pk, talent, media, region, vector in rows.values_list(
            "pk", "talent_id", "reference_media_id", "region", "vector"
        )
    }


def _candidates(
    descriptor: np.ndarray, neighbours: list[int], confirmed: dict[int, tuple], k: int
) -> list[Candidate]:
    limit, strong = threshold(), strong_threshold()
    best: dict[int, Candidate] = {}
    for pk in neighbours:
        if pk not in confirmed:
            continue
        talent, media, region, vector = confirmed[pk]
        distance = faces.distance(descriptor, vector)
        if distance > limit:
            continue
        if talent not in best or distance < best[talent].distance:
            best[talent] = Candidate(
                talent_id=talent,
                descriptor_id=pk,
                reference_media_id=media,
                region=dict(region or {}),
                distance=round(distance, 4),
                strong=distance <= strong,
            )
    return sorted(best.values(), key=lambda c: (c.distance, c.descriptor_id))[:k]


def match_found_faces(
    found: list[faces.Face], *, talent_id: int | None = None, k: int = 5
) -> list[FaceCandidates]:
    """Candidates for faces already found (faces.find_faces): a refresh query (for all talent) and one
    confirming query, whatever the number of faces and descriptors."""
    if not found:
        return []
    if talent_id is not None:
        # One talent checking an image of her own: her few descriptors, compared exactly.
        confirmed = _confirm(
            set(Descriptor.objects.filter(in_force(), talent_id=talent_id).values_list("pk", flat=True)),
            talent_id,
        )
        neighbours = [list(confirmed)] * len(found)
    else:
        with _lock:
            state = _refresh()
            size = len(state.index)
            wanted = min(size, k * NEIGHBOURS_PER_CANDIDATE + min(len(state.gone), MAX_NEIGHBOURS))
            neighbours = []
            for face in found:
                hits = state.index.search(face.descriptor, k=wanted) if wanted else []
                # Within the threshold only (a little slack: approximate distances), gone ones left out.
                neighbours.append(
                    [int(pk) for pk, d in hits if d <= threshold() + 0.05 and int(pk) not in state.gone]
                )
            asked = {pk for ids in neighbours for pk in ids}
        confirmed = _confirm(asked, None)
        with _lock:
            if _state is state:
                state.gone.update(asked - set(confirmed))
    return [
        FaceCandidates(box=face.box, candidates=_candidates(face.descriptor, ids, confirmed, k))
        for face, ids in zip(found, neighbours, strict=True)
    ]


def match_faces(image, *, talent_id: int | None = None, k: int = 5) -> list[FaceCandidates]:
    """Every face in an image (bytes or a PIL image) with its candidates among the talent whose consent is
    in force (only `talent_id`'s descriptors when given). No face, or no image: []."""
    return match_found_faces(faces.find_faces(image), talent_id=talent_id, k=k)
