"""An in-process search accelerator for Qdrant's embedded local mode.

Local mode keeps every point in memory but scores in a Python loop: 0.5-1.4 s a query at
100 000 points. Qdrant stays the store of record (points, payloads, persistence); this module
keeps a mirror of each local collection (a float32 matrix, the point ids and payloads) and
answers ``search`` and ``vectors`` from it:

- ``exact`` (default): one BLAS matrix-vector product over the mirror. Exact by construction.
- ``hnsw``: a faiss HNSW graph proposes candidates, which are re-scored exactly against the
  float32 rows, so scores equal the exact cosine; only recall can differ (see the benchmark:
  at a top 900 it needs a large ``ef`` and is not faster than ``exact`` at 100 000 points).
  Without faiss installed it falls back to ``exact`` with a warning.

The mirror is saved beside the Qdrant folder (``<path>/accel/<collection>/``) so a process
start reads two arrays instead of re-reading 100 000 points from Qdrant. It is reused only
when it matches Qdrant: same point count and same storage-file stamp (size and mtime of the
collection's sqlite files, taken before the client opened them and again after it closed).
Anything else (a crash, a write by a process without the accelerator) rebuilds it from Qdrant.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from adcraft.imagery.bank.ports import IndexHit, Vectors

log = logging.getLogger(__name__)

Accelerator = Literal["exact", "hnsw", "off"]
ACCELERATORS: tuple[str, ...] = ("exact", "hnsw", "off")
_FORMAT = 1
HNSW_M = 32
"""Graph degree of the optional HNSW graph."""
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_FACTOR = 3
"""efSearch = factor x limit: a top 900 asks the graph for a 2 700-wide beam."""
HNSW_EF_MIN = 128
"""Smallest beam: small limits still get a beam wide enough to find their true top."""

Loader = Callable[[], Iterable[tuple[int, Sequence[float], Mapping[str, Any]]]]
"""Yields (id, vector, payload) for every point of one Qdrant collection."""


def file_stamp(folder: Path) -> list[list[Any]]:
    """Size and mtime of a collection's storage files: changes whenever Qdrant wrote them."""
    if not folder.is_dir():
        return []
    return sorted(
        [p.name, p.stat().st_size, p.stat().st_mtime_ns]
        for p in folder.iterdir()
        if p.name.startswith("storage.sqlite")
    )


def beam(limit: int, ef_factor: int) -> int:
    """HNSW efSearch (and candidate count) for a top ``limit``."""
    return max(limit * ef_factor, HNSW_EF_MIN)


@functools.cache
def _blas_controller() -> Any | None:
    try:
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
    except ImportError:
        return None
    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run a matrix-vector product on one BLAS thread.

    OpenBLAS splits every sgemv over all cores; on a busy 2-core machine its threads wait for
    each other: 12 ms instead of 0.3 ms for 3 400 x 512, p99 40 ms instead of 23 ms at
    100 000. One thread is memory-bound and steady. Without threadpoolctl: BLAS defaults.
    """
    controller = _blas_controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield


def faiss_module() -> Any | None:
    """faiss when installed, else None (the caller warns and falls back)."""
    try:
        import faiss
    except ImportError:
        return None
    return faiss


@dataclass
class Mirror:
    """One collection's points in memory: rows of a growing float32 matrix."""

    dim: int
    ids: list[int] = field(default_factory=list)
    row: dict[int, int] = field(default_factory=dict)
    payloads: list[dict[str, Any]] = field(default_factory=list)
    data: np.ndarray[Any, np.dtype[np.float32]] = field(
        default_factory=lambda: np.zeros((0, 0), np.float32)
    )
    graph: Any = None
    dirty: bool = False

    def __post_init__(self) -> None:
        if self.data.shape[1] != self.dim:
            self.data = np.zeros((0, self.dim), np.float32)

    @property
    def matrix(self) -> np.ndarray[Any, np.dtype[np.float32]]:
        """The live rows (the buffer grows by doubling, so it has spare rows at the end)."""
        return self.data[: len(self.ids)]

    def _reserve(self, extra: int) -> None:
        need = len(self.ids) + extra
        if need <= self.data.shape[0]:
            return
        grown = np.zeros((max(need, 2 * self.data.shape[0], 1024), self.dim), np.float32)
        grown[: len(self.ids)] = self.matrix
        self.data = grown

    def upsert(
        self, ids: Sequence[int], vectors: Vectors, payloads: Sequence[Mapping[str, Any]]
    ) -> None:
        """Insert new points, replace known ones (vectors normalised as Qdrant's cosine does)."""
        vecs = np.asarray(vectors, np.float32).reshape(len(ids), self.dim)
        vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        self._reserve(len(ids))
        for pid, vec, payload in zip(ids, vecs, payloads, strict=True):
            at = self.row.get(int(pid))
            if at is None:
                at = len(self.ids)
                self.row[int(pid)] = at
                self.ids.append(int(pid))
                self.payloads.append(dict(payload))
            else:
                self.payloads[at] = dict(payload)
                self.graph = None  # a moved point sits at its old place in the graph
            self.data[at] = vec
        self.dirty = True

    def delete(self, ids: Sequence[int]) -> None:
        """Remove points: the last row moves into each freed row, so the matrix stays dense."""
        for pid in ids:
            at = self.row.pop(int(pid), None)
            if at is None:
                continue
            last = len(self.ids) - 1
            if at != last:
                moved = self.ids[last]
                self.ids[at] = moved
                self.payloads[at] = self.payloads[last]
                self.data[at] = self.data[last]
                self.row[moved] = at
            self.ids.pop()
            self.payloads.pop()
            self.graph = None  # graph labels are row numbers, and rows moved
            self.dirty = True

    def vectors(self, ids: Sequence[int]) -> dict[int, Vectors]:
        """Stored rows by id (copies: callers may keep them)."""
        return {int(i): self.data[self.row[int(i)]].copy() for i in ids if int(i) in self.row}

    def top(self, vector: Vectors, limit: int, candidates: np.ndarray | None) -> list[IndexHit]:
        """Exact cosine ranking of all rows, or of the candidate rows when given."""
        if not self.ids or limit < 1:
            return []
        q = np.asarray(vector, np.float32).ravel()
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        rows = np.arange(len(self.ids)) if candidates is None else candidates
        with one_blas_thread():
            scores = self.matrix @ q if candidates is None else self.data[rows] @ q
        k = min(limit, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [
            IndexHit(self.ids[r], float(s), self.payloads[r])
            for r, s in zip(rows[best].tolist(), scores[best].tolist(), strict=True)
        ]


class HnswGraph:
    """A faiss HNSW graph over a mirror's rows (graph label = row number)."""

    def __init__(self, faiss: Any, dim: int, m: int = HNSW_M) -> None:
        self.faiss = faiss
        self.index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION

    @property
    def size(self) -> int:
        """Rows in the graph."""
        return int(self.index.ntotal)

    def extend(self, mirror: Mirror) -> None:
        """Add the mirror's rows the graph does not hold yet (rows are only ever appended)."""
        if self.size < len(mirror.ids):
            self.index.add(np.ascontiguousarray(mirror.matrix[self.size :]))

    def candidates(self, vector: Vectors, limit: int, ef_factor: int) -> np.ndarray:
        """Row numbers of the graph's ``limit * ef_factor`` best guesses."""
        want = min(self.size, beam(limit, ef_factor))
        self.index.hnsw.efSearch = want
        q = np.asarray(vector, np.float32).reshape(1, -1)
        _, labels = self.index.search(q, want)
        rows = labels[0]
        return np.asarray(rows[rows >= 0], np.int64)

    def save(self, path: Path) -> None:
        """Write the graph (faiss format)."""
        self.faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, faiss: Any, path: Path) -> HnswGraph:
        """Read a graph written by ``save``."""
        graph = cls.__new__(cls)
        graph.faiss = faiss
        graph.index = faiss.read_index(str(path))
        return graph


class LocalAccelerator:
    """Mirrors of the local collections, loaded lazily, saved on ``save``."""

    def __init__(
        self,
        root: Path,
        qdrant_path: Path,
        *,
        kind: Accelerator = "exact",
        ef_factor: int = HNSW_EF_FACTOR,
    ) -> None:
        self.root = root
        self.qdrant_path = qdrant_path
        self.faiss = faiss_module() if kind == "hnsw" else None
        if kind == "hnsw" and self.faiss is None:
            msg = (
                "ADCRAFT_INDEX_ACCELERATOR=hnsw needs faiss-cpu (pip install 'adcraft[bank]'); "
                "searching the bank with the exact in-memory scan instead"
            )
            warnings.warn(msg, RuntimeWarning, stacklevel=3)
            log.warning(msg)
        self.kind: Accelerator = "hnsw" if self.faiss is not None else "exact"
        self.ef_factor = ef_factor
        self._mirrors: dict[str, Mirror] = {}
        self._opened_stamps = {
            name: file_stamp(self._storage(name)) for name in self._stored_collections()
        }

    # --- files ----------------------------------------------------------------------------

    def _storage(self, name: str) -> Path:
        return self.qdrant_path / "collection" / name

    def _folder(self, name: str) -> Path:
        return self.root / name

    def _stored_collections(self) -> list[str]:
        folder = self.qdrant_path / "collection"
        return [p.name for p in folder.iterdir()] if folder.is_dir() else []

    # --- mirrors --------------------------------------------------------------------------

    def cached(self, name: str) -> Mirror | None:
        """The collection's mirror when it is in memory already."""
        return self._mirrors.get(name)

    def mirror(self, name: str, dim: int, count: int, loader: Loader) -> Mirror:
        """The collection's mirror: in memory, else from disk when current, else rebuilt."""
        found = self._mirrors.get(name)
        if found is None:
            found = self._load(name, dim, count) or self._rebuild(name, dim, loader)
            self._mirrors[name] = found
        return found

    def _load(self, name: str, dim: int, count: int) -> Mirror | None:
        """The saved mirror when its stamp and count match what Qdrant holds; else None."""
        folder = self._folder(name)
        try:
            meta = json.loads((folder / "meta.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        current = {
            "format": _FORMAT,
            "dim": dim,
            "count": count,
            "stamp": self._opened_stamps.get(name, []),
        }
        if any(meta.get(k) != v for k, v in current.items()):
            log.info("bank index mirror %s is stale (%s vs %s): rebuilding", name, meta, current)
            return None
        try:
            ids = np.load(folder / "ids.npy")
            data = np.load(folder / "vectors.npy")
            payloads = json.loads((folder / "payloads.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("bank index mirror %s is unreadable (%s): rebuilding", name, exc)
            return None
        if not (len(ids) == len(data) == len(payloads) == count) or data.shape[1:] != (dim,):
            return None
        id_list = [int(i) for i in ids.tolist()]
        mirror = Mirror(dim, id_list, {pid: r for r, pid in enumerate(id_list)}, payloads, data)
        mirror.graph = self._load_graph(folder, count)
        return mirror

    def _load_graph(self, folder: Path, count: int) -> HnswGraph | None:
        path = folder / "hnsw.faiss"
        if self.faiss is None or not path.exists():
            return None
        try:
            graph = HnswGraph.load(self.faiss, path)
        except RuntimeError:
            return None
        return graph if graph.size == count else None

    def _rebuild(self, name: str, dim: int, loader: Loader) -> Mirror:
        """Read every point back from Qdrant (the store of record)."""
        mirror = Mirror(dim)
        batch: list[tuple[int, Sequence[float], Mapping[str, Any]]] = []
        for point in loader():
            batch.append(point)
            if len(batch) >= 4096:
                self._append(mirror, batch)
                batch = []
        self._append(mirror, batch)
        mirror.dirty = True
        if mirror.ids:
            log.info("rebuilt bank index mirror %s from Qdrant: %d points", name, len(mirror.ids))
        return mirror

    @staticmethod
    def _append(
        mirror: Mirror, batch: list[tuple[int, Sequence[float], Mapping[str, Any]]]
    ) -> None:
        if batch:
            vecs = np.asarray([v for _, v, _ in batch], np.float32)
            mirror.upsert([i for i, _, _ in batch], vecs, [p for _, _, p in batch])

    def drop(self, name: str) -> None:
        """Forget a collection and delete its saved mirror."""
        self._mirrors.pop(name, None)
        shutil.rmtree(self._folder(name), ignore_errors=True)

    # --- queries --------------------------------------------------------------------------

    def search(self, mirror: Mirror, vector: Vectors, limit: int) -> list[IndexHit]:
        """Top ``limit`` by exact cosine (HNSW only narrows the rows that get scored)."""
        if self.faiss is None or len(mirror.ids) <= beam(limit, self.ef_factor):
            return mirror.top(vector, limit, None)
        if mirror.graph is None:
            mirror.graph = HnswGraph(self.faiss, mirror.dim)
            mirror.dirty = True
        if mirror.graph.size < len(mirror.ids):
            mirror.graph.extend(mirror)
            mirror.dirty = True
        rows = mirror.graph.candidates(vector, limit, self.ef_factor)
        return mirror.top(vector, limit, rows)

    # --- persistence ----------------------------------------------------------------------

    def save(self) -> None:
        """Write changed mirrors, stamped with the storage files as Qdrant left them.

        Call after the Qdrant client closed (its last write reached the files). The meta file
        is removed first and written last, so a save cut short is seen as stale, not trusted.
        """
        for name, mirror in self._mirrors.items():
            stamp = file_stamp(self._storage(name))
            if not mirror.dirty and stamp == self._opened_stamps.get(name):
                continue
            try:
                self._write(name, mirror, stamp)
            except OSError as exc:
                log.warning(
                    "could not save bank index mirror %s (%s): rebuilt next time", name, exc
                )

    def _write(self, name: str, mirror: Mirror, stamp: list[list[Any]]) -> None:
        folder = self._folder(name)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "meta.json").unlink(missing_ok=True)
        np.save(folder / "ids.npy", np.asarray(mirror.ids, np.int64))
        np.save(folder / "vectors.npy", mirror.matrix)
        (folder / "payloads.json").write_text(json.dumps(mirror.payloads), "utf-8")
        graph_path = folder / "hnsw.faiss"
        if isinstance(mirror.graph, HnswGraph) and mirror.graph.size == len(mirror.ids):
            mirror.graph.save(graph_path)
        else:
            graph_path.unlink(missing_ok=True)
        meta = {
            "format": _FORMAT,
            "dim": mirror.dim,
            "count": len(mirror.ids),
            "stamp": stamp,
            "kind": self.kind,
        }
        tmp = folder / "meta.json.tmp"
        tmp.write_text(json.dumps(meta), "utf-8")
        os.replace(tmp, folder / "meta.json")
        mirror.dirty = False
