"""Nearest face descriptors: exact search with numpy, an approximate (HNSW) index past a size limit.

`new_index()` gives an index that searches exactly (numpy, every descriptor compared) while it holds at
most `LIKENESS_EXACT_MAX` descriptors (default 200,000: a query then reads 100 MB, ~40 ms) and switches
itself, once, to usearch's HNSW graph when an `add` takes it past the limit. Both grow incrementally: `add`
appends new descriptors (ids increasing, so a caller can add "everything above `max_id`"), no rebuild.
Distances are Euclidean, like `faces.distance`. docs/likeness.md gives the figures at 1,000,000 descriptors.

This module only searches vectors; which descriptors may be searched (consent in force) is the caller's rule.
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np
from django.conf import settings
from usearch.index import Index

DIMENSIONS = 128
DEFAULT_EXACT_MAX = 200_000
# HNSW parameters, tuned on clustered synthetic descriptors (bench/likeness.py, docs/likeness.md). A wide
# search (expansion_search) costs milliseconds, which the one-second budget of an evidence image can afford.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 1024
_MIN_CAPACITY = 1_024


class DescriptorIndex(Protocol):
    max_id: int

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    def search(self, vector: np.ndarray, k: int = 10) -> list[tuple[int, float]]: ...

    def __len__(self) -> int: ...


def exact_max() -> int:
    """LIKENESS_EXACT_MAX from the Django settings when they are configured (the environment otherwise)."""
    if settings.configured:
        return int(getattr(settings, "LIKENESS_EXACT_MAX", DEFAULT_EXACT_MAX))
    return int(os.environ.get("LIKENESS_EXACT_MAX", DEFAULT_EXACT_MAX))


def _as_batch(ids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, DIMENSIONS)
    if len(ids) != len(vectors):
        raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
    if len(ids) and (ids.min() < 0 or np.any(np.diff(ids) <= 0)):
        raise ValueError("ids must be non-negative and increasing")
    return ids, vectors


def _as_query(vector: np.ndarray) -> np.ndarray:
    return np.asarray(vector, dtype=np.float32).reshape(DIMENSIONS)


class ExactIndex:
    """Every descriptor in one contiguous float32 matrix; a query is one matrix-vector product.

    The matrix grows geometrically (x1.5): appending is amortised O(1) per descriptor, not a copy per add.
    """

    kind = "exact"

    def __init__(self, capacity: int = 0) -> None:
        capacity = max(int(capacity), _MIN_CAPACITY)
        self._vectors = np.empty((capacity, DIMENSIONS), dtype=np.float32)
        self._norms = np.empty(capacity, dtype=np.float32)  # squared norms, for ||a||² - 2ab + ||b||²
        self._ids = np.empty(capacity, dtype=np.int64)
        self._size = 0
        self.max_id = 0

    def __len__(self) -> int:
        return self._size

    @property
    def vectors(self) -> np.ndarray:
        return self._vectors[: self._size]

    @property
    def ids(self) -> np.ndarray:
        return self._ids[: self._size]

    def memory_usage(self) -> int:
        return self._vectors.nbytes + self._norms.nbytes + self._ids.nbytes

    def _reserve(self, needed: int) -> None:
        capacity = len(self._ids)
        if needed <= capacity:
            return
        capacity = max(needed, capacity + capacity // 2)
        for name in ("_vectors", "_norms", "_ids"):
            old = getattr(self, name)
            new = np.empty((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: self._size] = old[: self._size]
            setattr(self, name, new)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids, vectors = _as_batch(ids, vectors)
        if not len(ids):
            return
        if self._size and ids[0] <= self.max_id:
            raise ValueError(f"ids must increase: {ids[0]} after {self.max_id}")
        start, end = self._size, self._size + len(ids)
        self._reserve(end)
        self._vectors[start:end] = vectors
        self._norms[start:end] = np.einsum("ij,ij->i", vectors, vectors)
        self._ids[start:end] = ids
        self._size = end
        self.max_id = int(ids[-1])

    def search(self, vector: np.ndarray, k: int = 10) -> list[tuple[int, float]]:
        k = min(int(k), self._size)
        if k <= 0:
            return []
        query = _as_query(vector)
        # einsum, not `@`: a matrix-vector product in BLAS spreads over threads that, on a busy machine,
        # wait for each other (20 ms instead of 2 at 20,000 descriptors, measured); this stays on one core.
        squared = self._norms[: self._size] - 2.0 * np.einsum("ij,j->i", self.vectors, query)
        nearest = np.argpartition(squared, k - 1)[:k] if k < self._size else np.arange(self._size)
        # The expanded form picks the candidates; their distances are computed directly (no cancellation).
        distances = np.linalg.norm(self._vectors[nearest] - query, axis=1)
        order = np.argsort(distances, kind="stable")
        return [(int(self._ids[nearest[i]]), float(distances[i])) for i in order]


class ApproximateIndex:
    """usearch's HNSW graph (squared-L2 metric; distances are returned as Euclidean)."""

    kind = "approximate"

    def __init__(
        self,
        connectivity: int = CONNECTIVITY,
        expansion_add: int = EXPANSION_ADD,
        expansion_search: int = EXPANSION_SEARCH,
        threads: int = 0,
    ) -> None:
        self._index = Index(
            ndim=DIMENSIONS,
            metric="l2sq",
            dtype="f32",
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )
        self._threads = threads  # 0: every core (building); searches use one
        self.max_id = 0

    def __len__(self) -> int:
        return len(self._index)

    def memory_usage(self) -> int:
        return int(self._index.memory_usage)

    @property
    def expansion_search(self) -> int:
        return self._index.expansion_search

    @expansion_search.setter
    def expansion_search(self, value: int) -> None:
        self._index.expansion_search = value

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids, vectors = _as_batch(ids, vectors)
        if not len(ids):
            return
        if len(self) and ids[0] <= self.max_id:
            raise ValueError(f"ids must increase: {ids[0]} after {self.max_id}")
        self._index.add(ids.astype(np.uint64), vectors, threads=self._threads)
        self.max_id = int(ids[-1])

    def search(self, vector: np.ndarray, k: int = 10) -> list[tuple[int, float]]:
        k = min(int(k), len(self))
        if k <= 0:
            return []
        matches = self._index.search(_as_query(vector), k, threads=1)
        distances = np.sqrt(np.maximum(np.asarray(matches.distances, dtype=np.float64), 0.0))
        return [(int(key), float(d)) for key, d in zip(matches.keys, distances, strict=True)]


class SwitchingIndex:
    """Exact up to `limit` descriptors; past it, an HNSW index built once from the exact one's data."""

    def __init__(self, limit: int, expected_size: int = 0) -> None:
        self.limit = limit
        if expected_size > limit:
            self._index: ExactIndex | ApproximateIndex = ApproximateIndex()
        else:
            self._index = ExactIndex(capacity=expected_size)

    @property
    def kind(self) -> str:
        return self._index.kind

    @property
    def max_id(self) -> int:
        return self._index.max_id

    def __len__(self) -> int:
        return len(self._index)

    def memory_usage(self) -> int:
        return self._index.memory_usage()

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids, vectors = _as_batch(ids, vectors)
        current = self._index
        if isinstance(current, ExactIndex) and len(current) + len(ids) > self.limit:
            if len(current) and len(ids) and ids[0] <= current.max_id:
                raise ValueError(f"ids must increase: {ids[0]} after {current.max_id}")
            approximate = ApproximateIndex()
            approximate.add(current.ids, current.vectors)
            self._index = approximate
        self._index.add(ids, vectors)

    def search(self, vector: np.ndarray, k: int = 10) -> list[tuple[int, float]]:
        return self._index.search(vector, k)


def new_index(expected_size: int = 0, limit: int | None = None) -> SwitchingIndex:
    """An empty index for about `expected_size` descriptors, exact up to `limit` (LIKENESS_EXACT_MAX)."""
    return SwitchingIndex(limit=exact_max() if limit is None else limit, expected_size=expected_size)
