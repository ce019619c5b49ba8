"""One contract for every VectorIndex: Qdrant local mode, Qdrant server (when the binary is
installed) and the exact numpy index."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from adcraft.imagery.bank.ports import VectorIndex
from adcraft.providers.index_numpy import NumpyIndex


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def qdrant_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Qdrant server started from the `qdrant` binary on PATH (skipped when absent)."""
    binary = shutil.which("qdrant")
    if binary is None:
        pytest.skip("qdrant server binary not on PATH (none is installable offline here)")
    port, grpc = _free_port(), _free_port()
    storage = tmp_path_factory.mktemp("qdrant")
    env = {
        **os.environ,
        "QDRANT__SERVICE__HTTP_PORT": str(port),
        "QDRANT__SERVICE__GRPC_PORT": str(grpc),
        "QDRANT__STORAGE__STORAGE_PATH": str(storage),
        "QDRANT__TELEMETRY_DISABLED": "true",
    }
    proc = subprocess.Popen([binary], env=env, cwd=storage, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(params=["numpy", "qdrant-local", "qdrant-server"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorIndex]:
    """Each index implementation, empty."""
    if request.param == "numpy":
        yield NumpyIndex()
        return
    pytest.importorskip("qdrant_client", reason="qdrant-client not installed")
    from adcraft.providers.index_qdrant import QdrantIndex

    if request.param == "qdrant-local":
        idx = QdrantIndex(path=tmp_path / "q", prefix="t_")
    else:
        idx = QdrantIndex(url=request.getfixturevalue("qdrant_server"), prefix=f"t{id(tmp_path)}_")
    yield idx
    idx.close()


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_search_finds_the_nearest_and_upsert_replaces(index: VectorIndex) -> None:
    rng = np.random.default_rng(0)
    vecs = _unit(rng, 50, 16)
    index.ensure("c", 16)
    index.ensure("c", 16)  # idempotent
    index.upsert("c", list(range(1, 51)), vecs, [{"key": f"k{i}"} for i in range(1, 51)])
    assert index.count("c") == 50
    hits = index.search("c", vecs[9], 5)
    assert hits[0].id == 10 and hits[0].payload == {"key": "k10"}
    assert hits[0].score == pytest.approx(1.0, abs=1e-4)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    index.upsert("c", [10], vecs[20:21], [{"key": "moved"}])
    assert index.count("c") == 50
    assert {h.id for h in index.search("c", vecs[20], 2)} == {10, 21}
    stored = index.vectors("c", [10, 999])
    assert set(stored) == {10}
    assert np.allclose(stored[10], vecs[20], atol=1e-5)


def test_delete_removes_points_and_keeps_the_rest_searchable(index: VectorIndex) -> None:
    vecs = _unit(np.random.default_rng(2), 20, 16)
    index.ensure("e", 16)
    index.upsert("e", list(range(1, 21)), vecs, [{"n": i} for i in range(1, 21)])
    index.delete("e", [3, 7, 999])
    assert index.count("e") == 18
    assert 3 not in {h.id for h in index.search("e", vecs[2], 20)}
    # A point that moved into a freed row keeps its own vector and payload.
    top = index.search("e", vecs[19], 1)[0]
    assert (top.id, top.payload) == (20, {"n": 20})
    assert set(index.vectors("e", [3, 20])) == {20}
    index.upsert("e", [3], vecs[2:3], [{"n": 3}])
    assert index.search("e", vecs[2], 1)[0].id == 3
    index.delete("missing", [1])


def test_dimension_mismatch_and_drop(index: VectorIndex) -> None:
    index.ensure("d", 8)
    with pytest.raises(Exception, match="8"):
        index.ensure("d", 16)
    index.drop("d")
    assert index.count("d") == 0


def test_qdrant_local_keeps_points_after_reopen(tmp_path: Path) -> None:
    pytest.importorskip("qdrant_client", reason="qdrant-client not installed")
    from adcraft.errors import SearchIndexError
    from adcraft.providers.index_qdrant import QdrantIndex

    vecs = _unit(np.random.default_rng(1), 5, 8)
    idx = QdrantIndex(path=tmp_path / "q")
    idx.ensure("c", 8)
    idx.upsert("c", [1, 2, 3, 4, 5], vecs, [{}] * 5)
    with pytest.raises(SearchIndexError, match="in use by another process"):
        QdrantIndex(path=tmp_path / "q")
    idx.close()
    again = QdrantIndex(path=tmp_path / "q")
    assert again.count("c") == 5
    again.close()
