"""The descriptor index: exact search equals brute force; the HNSW index finds nearly every true neighbour."""

import numpy as np
import pytest
from django.test import override_settings

from registry.likeness.index import ApproximateIndex, ExactIndex, exact_max, new_index


def clustered(n: int, per_identity: int = 5, seed: int = 0) -> np.ndarray:
    """Descriptors like dlib's: a shared mean, identities ~0.73 apart (variance falling off across directions,
    as in real descriptors), photos of one identity ~0.3 apart."""
    rng = np.random.default_rng(seed)
    mean = rng.normal(size=128)
    mean *= 1.3 / np.linalg.norm(mean)
    basis = np.linalg.qr(np.random.default_rng(99).normal(size=(128, 128)))[0]
    spread = 1 / (np.arange(128) + 8.0)
    spread *= 128 * 0.046**2 / spread.sum()
    centres = mean + (rng.normal(size=(n // per_identity + 1, 128)) * np.sqrt(spread)) @ basis.T
    photos = np.repeat(centres, per_identity, axis=0)[:n] + rng.normal(scale=0.019, size=(n, 128))
    return photos.astype(np.float32)


def brute_force(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    distances = np.linalg.norm(vectors.astype(np.float64) - query, axis=1)
    order = np.argsort(distances, kind="stable")[:k]
    return [(int(ids[i]), float(distances[i])) for i in order]


def test_exact_search_equals_brute_force_across_many_adds():
    vectors = clustered(3_000)
    ids = np.arange(1, 3_001) * 3  # ids increase but are not positions
    index = ExactIndex()
    for start in range(0, 3_000, 250):  # grown in several steps, past its initial capacity
        index.add(ids[start : start + 250], vectors[start : start + 250])
    assert len(index) == 3_000 and index.max_id == 9_000
    queries = clustered(20, seed=1)
    for query in (*queries, vectors[17]):
        found = index.search(query, k=10)
        expected = brute_force(vectors, ids, query, 10)
        assert [i for i, _ in found] == [i for i, _ in expected]
        assert np.allclose([d for _, d in found], [d for _, d in expected], atol=1e-5)
    assert index.search(vectors[17], k=1) == [(int(ids[17]), pytest.approx(0.0, abs=1e-6))]


def test_empty_index_and_k_past_its_size():
    for index in (new_index(), ExactIndex(), ApproximateIndex()):
        assert len(index) == 0 and index.max_id == 0
        assert index.search(np.zeros(128, dtype=np.float32)) == []
    vectors = clustered(4)
    for index in (new_index(), ApproximateIndex()):
        index.add(np.array([5, 6, 7, 8]), vectors)
        found = index.search(vectors[2], k=10)
        assert [i for i, _ in found][0] == 7 and sorted(i for i, _ in found) == [5, 6, 7, 8]
        assert [d for _, d in found] == sorted(d for _, d in found)
        assert index.search(vectors[2], k=0) == []


def test_ids_must_increase():
    index = new_index()
    index.add(np.array([1, 2]), clustered(2))
    with pytest.raises(ValueError, match="increase"):
        index.add(np.array([2, 3]), clustered(2, seed=1))
    with pytest.raises(ValueError):
        index.add(np.array([4]), clustered(2))  # one id for two vectors
    index.add(np.array([], dtype=np.int64), np.empty((0, 128), dtype=np.float32))
    assert len(index) == 2 and index.max_id == 2


def recall_at_10(index, vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray) -> float:
    hits = 0
    for query in queries:
        expected = {i for i, _ in brute_force(vectors, ids, query, 10)}
        hits += len(expected & {i for i, _ in index.search(query, k=10)})
    return hits / (10 * len(queries))


def test_approximate_index_recall_and_distances_on_clustered_descriptors():
    vectors = clustered(20_000)
    ids = np.arange(1, 20_001)
    index = new_index(limit=1_000)  # forced approximate: 20,000 > the limit
    index.add(ids[:500], vectors[:500])
    assert index.kind == "exact"
    for start in range(500, 20_000, 5_000):
        index.add(ids[start : start + 5_000], vectors[start : start + 5_000])
    assert index.kind == "approximate" and len(index) == 20_000 and index.max_id == 20_000
    # New photos of registered identities, and faces of people who are not registered.
    rng = np.random.default_rng(2)
    queries = np.concatenate(
        [vectors[::200] + rng.normal(scale=0.019, size=(100, 128)), clustered(50, seed=3)]
    )
    assert recall_at_10(index, vectors, ids, queries.astype(np.float32)) >= 0.95
    (nearest, distance), *_ = index.search(vectors[1234], k=10)
    assert nearest == 1235 and distance == pytest.approx(0.0, abs=1e-3)
    found = index.search(queries[0], k=5)
    assert np.allclose(
        [d for _, d in found],
        np.linalg.norm(vectors[[i - 1 for i, _ in found]] - queries[0], axis=1),
        atol=1e-4,
    )


def test_incremental_add_keeps_earlier_results():
    vectors = clustered(6_000)
    ids = np.arange(1, 6_001)
    wanted = list(range(1, 3_001, 100))
    for index in (new_index(), new_index(limit=100)):
        index.add(ids[:3_000], vectors[:3_000])
        before = [index.search(vectors[i], k=1)[0][0] for i in range(0, 3_000, 100)]
        index.add(ids[3_000:], vectors[3_000:])
        after = [index.search(vectors[i], k=1)[0][0] for i in range(0, 3_000, 100)]
        if index.kind == "exact":
            assert before == after == wanted
        else:  # HNSW is approximate (its graph is built by several threads): nearly every point finds itself
            assert sum(a == w for a, w in zip(after, wanted, strict=True)) >= 0.9 * len(wanted), after
            assert sum(b == w for b, w in zip(before, wanted, strict=True)) >= 0.9 * len(wanted), before
        assert index.search(vectors[5_999], k=1)[0][0] == 6_000


def test_switches_once_past_the_limit():
    vectors = clustered(300)
    ids = np.arange(1, 301)
    index = new_index(limit=200)
    index.add(ids[:200], vectors[:200])
    assert index.kind == "exact" and len(index) == 200  # at the limit: still exact
    exact_answer = index.search(vectors[50], k=5)
    index.add(ids[200:201], vectors[200:201])
    assert index.kind == "approximate" and len(index) == 201 and index.max_id == 201
    assert [i for i, _ in index.search(vectors[50], k=5)] == [i for i, _ in exact_answer]
    assert index.search(vectors[200], k=1)[0][0] == 201
    assert new_index(expected_size=201, limit=200).kind == "approximate"
    assert index.memory_usage() > 0


def test_the_limit_is_a_setting():
    assert exact_max() == 200_000
    with override_settings(LIKENESS_EXACT_MAX=10):
        assert exact_max() == 10 and new_index().limit == 10
