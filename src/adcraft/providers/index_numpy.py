"""An exact in-memory vector index in numpy: for tests, benchmarks and tiny banks.

One matrix product per search; with 100 000 512-d vectors that is about 50 M multiply-adds.
Nothing is persisted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from adcraft.imagery.bank.ports import IndexHit, Vectors


class _Collection:
    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.row: dict[int, int] = {}
        self.ids: list[int] = []
        self.payloads: list[dict[str, Any]] = []
        self.matrix = np.zeros((0, dim), np.float32)


class NumpyIndex:
    """A ``VectorIndex`` held in numpy arrays (exact cosine on unit vectors)."""

    name = "numpy"

    def __init__(self) -> None:
        self._cols: dict[str, _Collection] = {}

    def ensure(self, collection: str, dim: int) -> None:
        """Create the collection if missing; refuse a different dimension."""
        col = self._cols.get(collection)
        if col is None:
            self._cols[collection] = _Collection(dim)
        elif col.dim != dim:
            raise ValueError(f"collection {collection!r} holds {col.dim}-d vectors, not {dim}-d")

    def upsert(
        self,
        collection: str,
        ids: Sequence[int],
        vectors: Vectors,
        payloads: Sequence[Mapping[str, Any]],
    ) -> None:
        """Insert or replace points."""
        col = self._cols[collection]
        vecs = np.asarray(vectors, np.float32)
        vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        new_rows: list[np.ndarray[Any, Any]] = []
        for pid, vec, payload in zip(ids, vecs, payloads, strict=True):
            at = col.row.get(int(pid))
            if at is None:
                col.row[int(pid)] = len(col.ids) + len(new_rows)
                new_rows.append(vec)
                col.payloads.append(dict(payload))
            else:
                col.matrix[at] = vec
                col.payloads[at] = dict(payload)
        col.ids = list(col.row)
        if new_rows:
            col.matrix = np.concatenate([col.matrix, np.stack(new_rows)])

    def search(self, collection: str, vector: Vectors, limit: int) -> list[IndexHit]:
        """Exact top ``limit`` by cosine."""
        col = self._cols.get(collection)
        if col is None or not col.ids:
            return []
        scores = col.matrix @ np.asarray(vector, np.float32).ravel()
        k = min(limit, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [IndexHit(col.ids[i], float(scores[i]), col.payloads[i]) for i in top]

    def vectors(self, collection: str, ids: Sequence[int]) -> dict[int, Vectors]:
        """Stored vectors by id."""
        col = self._cols.get(collection)
        if col is None:
            return {}
        return {int(i): col.matrix[col.row[int(i)]] for i in ids if int(i) in col.row}

    def delete(self, collection: str, ids: Sequence[int]) -> None:
        """Remove points by id (missing ones are ignored)."""
        col = self._cols.get(collection)
        if col is None:
            return
        gone = {int(i) for i in ids} & set(col.row)
        if not gone:
            return
        keep = [r for r, pid in enumerate(col.ids) if pid not in gone]
        col.ids = [col.ids[r] for r in keep]
        col.payloads = [col.payloads[r] for r in keep]
        col.matrix = col.matrix[keep]
        col.row = {pid: r for r, pid in enumerate(col.ids)}

    def count(self, collection: str) -> int:
        """Points in the collection."""
        col = self._cols.get(collection)
        return 0 if col is None else len(col.ids)

    def drop(self, collection: str) -> None:
        """Forget the collection."""
        self._cols.pop(collection, None)

    def close(self) -> None:
        """Nothing to release."""
