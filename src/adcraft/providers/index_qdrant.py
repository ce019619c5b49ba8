"""Qdrant as the bank's vector index: the embedded on-disk local mode by default, a Qdrant
server URL in production. The same calls serve both; only the client's construction differs.

Local mode scores by brute force in Python and is meant for small collections (Qdrant warns
above 20 000 points), so local-mode searches are answered by an in-process mirror of the
collection (``index_accel``; ``accelerator="off"`` restores the plain path). A server has its
own HNSW index and is always searched directly. See docs/benchmarks-imagery.md for latencies.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from adcraft.errors import ProviderUnavailable, SearchIndexError
from adcraft.imagery.bank.ports import IndexHit, Vectors
from adcraft.providers.index_accel import Accelerator, LocalAccelerator, Mirror

_BATCH = 512


def _client_module() -> Any:
    try:
        import qdrant_client
    except ImportError as exc:
        raise ProviderUnavailable(
            "the image bank's index needs qdrant-client: pip install 'adcraft[bank]'"
        ) from exc
    return qdrant_client


class QdrantIndex:
    """A ``VectorIndex`` over one Qdrant client (local folder or server)."""

    name = "qdrant"

    def __init__(
        self,
        *,
        path: str | Path | None = None,
        url: str | None = None,
        api_key: str | None = None,
        prefix: str = "",
        timeout_s: int = 30,
        accelerator: Accelerator = "exact",
    ) -> None:
        if (path is None) == (url is None):
            raise ValueError("give exactly one of path (local mode) or url (server)")
        qc = _client_module()
        self.prefix = prefix
        self.where = str(url or path)
        self._accel: LocalAccelerator | None = None
        self._server = url is not None
        try:
            if url is not None:
                self._client = qc.QdrantClient(url=url, api_key=api_key, timeout=timeout_s)
            else:
                Path(path or ".").mkdir(parents=True, exist_ok=True)
                if accelerator != "off":
                    # Before the client opens the files: their stamp says if a mirror is current.
                    local = Path(path or ".")
                    self._accel = LocalAccelerator(local / "accel", local, kind=accelerator)
                self._client = qc.QdrantClient(path=str(path))
                self._tune_local()
        except RuntimeError as exc:
            # Local mode locks its folder: a second process gets a RuntimeError.
            raise SearchIndexError(
                f"the bank index at {self.where} is in use by another process: "
                f"close it, or run a Qdrant server and set ADCRAFT_QDRANT_URL ({exc})"
            ) from exc
        self._models = qc.models

    def _name(self, collection: str) -> str:
        return f"{self.prefix}{collection}"

    @property
    def accelerator(self) -> str:
        """What answers searches: 'server', 'off' (local scan), 'exact' or 'hnsw' (mirror)."""
        if self._accel is not None:
            return self._accel.kind
        return "server" if self._server else "off"

    def _mirror(self, name: str) -> Mirror | None:
        """The accelerator's mirror of a local collection (None: no accelerator or no such
        collection). The first call per collection loads or rebuilds it."""
        accel = self._accel
        if accel is None:
            return None
        mirror = accel.cached(name)
        if mirror is not None:
            return mirror
        if not self._call("list collections", self._client.collection_exists, name):
            return None
        info = self._call("describe a collection", self._client.get_collection, name)
        dim = int(info.config.params.vectors.size)
        count = int(self._call("count", self._client.count, name, exact=True).count)
        return accel.mirror(name, dim, count, lambda: self._scroll_all(name))

    def _scroll_all(self, name: str) -> Any:
        """Every point of a collection, in pages (the accelerator's rebuild source)."""
        offset = None
        while True:
            points, offset = self._call(
                "read points",
                self._client.scroll,
                name,
                limit=2048,
                offset=offset,
                with_payload=True,
                with_vectors=True,
            )
            for p in points:
                yield int(p.id), p.vector, p.payload or {}
            if offset is None:
                return

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a client call, mapping transport and server errors to SearchIndexError."""
        try:
            with warnings.catch_warnings():
                # Local mode warns on every call past 20k points; the docs say it once.
                warnings.filterwarnings("ignore", message="Local mode is not recommended")
                return fn(*args, **kwargs)
        except (ValueError, KeyError) as exc:
            raise SearchIndexError(f"Qdrant at {self.where} refused to {what}: {exc}") from exc
        except Exception as exc:
            if type(exc).__module__.startswith(("qdrant_client", "httpx", "httpcore", "grpc")):
                raise SearchIndexError(
                    f"Qdrant at {self.where} failed to {what}: {exc}; check that the server "
                    "is up and ADCRAFT_QDRANT_URL is right"
                ) from exc
            raise

    def ensure(self, collection: str, dim: int) -> None:
        """Create a cosine collection of ``dim`` if missing; refuse a different size."""
        name = self._name(collection)
        exists = self._call("list collections", self._client.collection_exists, name)
        if exists:
            info = self._call("describe a collection", self._client.get_collection, name)
            size = info.config.params.vectors.size
            if size != dim:
                raise SearchIndexError(
                    f"collection {name!r} holds {size}-d vectors, the encoder makes {dim}-d: "
                    "rebuild the bank (adcraft bank build) or use the encoder it was built with"
                )
            return
        m = self._models
        self._call(
            "create a collection",
            self._client.create_collection,
            name,
            vectors_config=m.VectorParams(size=dim, distance=m.Distance.COSINE),
        )
        self._tune_local()
        self._mirror(name)

    def _tune_local(self) -> None:
        """Put local-mode sqlite files in WAL mode with normal sync.

        Local mode commits (and fsyncs) once per point: 17 ms a point here, four minutes for
        the demo bank. WAL with synchronous=NORMAL survives a crash of the process (not of the
        machine) and stores 20 000 points in 7 s. This reaches into the client's private
        objects, so anything unexpected just leaves the defaults in place.
        """
        collections = getattr(getattr(self._client, "_client", None), "collections", None)
        if not isinstance(collections, dict):
            return
        for col in collections.values():
            con = getattr(getattr(col, "storage", None), "storage", None)
            if con is None:
                continue
            try:
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("PRAGMA synchronous=NORMAL")
            except Exception:  # a sqlite that refuses WAL keeps working, just slower
                continue

    def upsert(
        self,
        collection: str,
        ids: Sequence[int],
        vectors: Vectors,
        payloads: Sequence[Mapping[str, Any]],
    ) -> None:
        """Insert or replace points in batches."""
        name = self._name(collection)
        m = self._models
        mirror = self._mirror(name)
        for i in range(0, len(ids), _BATCH):
            part = slice(i, i + _BATCH)
            batch = m.Batch(
                ids=[int(x) for x in ids[part]],
                vectors=np.asarray(vectors[part], np.float32).tolist(),
                payloads=[dict(p) for p in payloads[part]],
            )
            self._call("store vectors", self._client.upsert, name, points=batch, wait=True)
            if mirror is not None:  # after Qdrant took the batch: the mirror never holds more
                mirror.upsert(ids[part], vectors[part], payloads[part])

    def search(self, collection: str, vector: Vectors, limit: int) -> list[IndexHit]:
        """Nearest points by cosine, best first."""
        name = self._name(collection)
        mirror = self._mirror(name)
        if mirror is not None and self._accel is not None:
            return self._accel.search(mirror, vector, limit)
        res = self._call(
            "search",
            self._client.query_points,
            name,
            query=np.asarray(vector, np.float32).ravel().tolist(),
            limit=limit,
            with_payload=True,
        )
        return [IndexHit(int(p.id), float(p.score), p.payload or {}) for p in res.points]

    def vectors(self, collection: str, ids: Sequence[int]) -> dict[int, Vectors]:
        """Stored vectors by id."""
        if not ids:
            return {}
        mirror = self._mirror(self._name(collection))
        if mirror is not None:
            return mirror.vectors(ids)
        points = self._call(
            "read vectors",
            self._client.retrieve,
            self._name(collection),
            ids=[int(x) for x in ids],
            with_vectors=True,
            with_payload=False,
        )
        return {int(p.id): np.asarray(p.vector, np.float32) for p in points}

    def delete(self, collection: str, ids: Sequence[int]) -> None:
        """Remove points by id (missing ids and a missing collection are no error)."""
        name = self._name(collection)
        if not ids or not self._call("list collections", self._client.collection_exists, name):
            return
        mirror = self._mirror(name)
        selector = self._models.PointIdsList(points=[int(x) for x in ids])
        self._call("delete points", self._client.delete, name, points_selector=selector, wait=True)
        if mirror is not None:  # after Qdrant dropped them, as upsert does
            mirror.delete(ids)

    def count(self, collection: str) -> int:
        """Points in the collection, 0 when it does not exist."""
        name = self._name(collection)
        if not self._call("list collections", self._client.collection_exists, name):
            return 0
        return int(self._call("count", self._client.count, name, exact=True).count)

    def drop(self, collection: str) -> None:
        """Delete the collection if present."""
        name = self._name(collection)
        if self._call("list collections", self._client.collection_exists, name):
            self._call("delete a collection", self._client.delete_collection, name)
        if self._accel is not None:
            self._accel.drop(name)

    def close(self) -> None:
        """Release the local folder lock or the server connection, then save the mirrors
        (stamped with the storage files as the closed client left them)."""
        self._client.close()
        if self._accel is not None:
            self._accel.save()
