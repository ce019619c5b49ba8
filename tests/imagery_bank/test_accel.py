"""The local-mode search accelerator: same answers as an exact search, a mirror persisted
beside the Qdrant folder and reused, rebuilt when Qdrant changed behind it, a warning (not a
crash) without faiss, and nothing ingested ever lost."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from adcraft.imagery.bank.config import BankSettings, open_bank
from adcraft.imagery.bank.models import BankImage
from adcraft.imagery.bank.search import search
from adcraft.imagery.bank.store import USAGE, Bank
from adcraft.providers.index_numpy import NumpyIndex
from tests.imagery_bank.conftest import HashEncoder, needs_qdrant

DIM = 32


@pytest.fixture(autouse=True)
def _qdrant() -> None:
    needs_qdrant()


def _unit(seed: int, n: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _open(path: Path, accelerator: Any = "exact") -> Any:
    from adcraft.providers.index_qdrant import QdrantIndex

    return QdrantIndex(path=path, prefix="t_", accelerator=accelerator)


def _fill(index: Any, ids: range, seed: int) -> np.ndarray:
    vecs = _unit(seed, len(ids))
    index.ensure("c", DIM)
    index.upsert("c", list(ids), vecs, [{"key": f"k{i}"} for i in ids])
    return vecs


def _no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    from adcraft.providers.index_qdrant import QdrantIndex

    def refuse(self: Any, name: str) -> Any:
        raise AssertionError(f"the mirror of {name} was rebuilt instead of reused")

    monkeypatch.setattr(QdrantIndex, "_scroll_all", refuse)


@pytest.mark.parametrize("kind", ["exact", "hnsw"])
def test_accelerated_search_matches_exact_search(tmp_path: Path, kind: str) -> None:
    if kind == "hnsw":
        pytest.importorskip("faiss", reason="faiss-cpu not installed")
    exact = NumpyIndex()
    exact.ensure("c", DIM)
    index = _open(tmp_path / "q", kind)
    assert index.accelerator == kind
    vecs = _fill(index, range(1, 2001), seed=0)  # more than one HNSW beam: the graph is used
    exact.upsert("c", list(range(1, 2001)), vecs, [{"key": f"k{i}"} for i in range(1, 2001)])
    for q in _unit(1, 20):
        got, want = index.search("c", q, 10), exact.search("c", q, 10)
        assert [h.id for h in got] == [h.id for h in want]
        assert [h.score for h in got] == pytest.approx([h.score for h in want], abs=1e-5)
        assert got[0].payload == want[0].payload
    stored = index.vectors("c", [5, 9999])
    assert set(stored) == {5} and np.allclose(stored[5], vecs[4], atol=1e-6)
    index.close()


def test_mirror_is_saved_and_reused_after_reopen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _open(tmp_path / "q")
    vecs = _fill(index, range(1, 201), seed=2)
    before = [h.id for h in index.search("c", vecs[7], 5)]
    index.close()
    assert (tmp_path / "q" / "accel" / "t_c" / "meta.json").exists()
    _no_rebuild(monkeypatch)
    again = _open(tmp_path / "q")
    assert [h.id for h in again.search("c", vecs[7], 5)] == before
    assert again.search("c", vecs[7], 1)[0].payload == {"key": "k8"}
    again.close()
    third = _open(tmp_path / "q")  # closing without writes keeps the mirror current
    assert third.search("c", vecs[7], 1)[0].id == 8
    third.close()


def test_stale_mirror_is_rebuilt_with_the_new_points(tmp_path: Path) -> None:
    index = _open(tmp_path / "q")
    _fill(index, range(1, 101), seed=3)
    index.close()
    plain = _open(tmp_path / "q", "off")  # a writer that does not know the mirror
    assert plain.accelerator == "off"
    late = _fill(plain, range(101, 111), seed=4)
    plain.close()
    again = _open(tmp_path / "q")
    assert again.search("c", late[3], 1)[0].id == 104
    assert again.count("c") == 110
    again.close()


def test_unreadable_mirror_is_rebuilt(tmp_path: Path) -> None:
    index = _open(tmp_path / "q")
    vecs = _fill(index, range(1, 51), seed=5)
    index.close()
    (tmp_path / "q" / "accel" / "t_c" / "vectors.npy").write_bytes(b"garbage")
    again = _open(tmp_path / "q")
    assert again.search("c", vecs[10], 1)[0].id == 11
    again.close()


def test_hnsw_without_faiss_warns_and_searches_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import adcraft.providers.index_accel as accel

    monkeypatch.setattr(accel, "faiss_module", lambda: None)
    with pytest.warns(RuntimeWarning, match="needs faiss-cpu"):
        index = _open(tmp_path / "q", "hnsw")
    assert index.accelerator == "exact"
    vecs = _fill(index, range(1, 101), seed=6)
    assert index.search("c", vecs[0], 1)[0].id == 1
    index.close()


def _records(start: int, n: int) -> list[BankImage]:
    words = ["coffee", "tea", "shoe", "pizza", "cake", "laptop", "flight", "dog", "cat", "wine"]
    return [
        BankImage(
            id=f"img{i}",
            key=f"k/{i}.png",
            caption=f"a {words[i % 10]} number {i}",
            hypotheses=(f"{words[i % 10]} shop", f"{words[i % 10]} sale", f"buy {words[i % 10]}"),
        )
        for i in range(start, start + n)
    ]


def test_nothing_ingested_is_lost_across_reopen_and_modes(tmp_path: Path) -> None:
    settings = BankSettings(path=tmp_path / "bank")
    bank = open_bank(settings, encoder=HashEncoder())
    bank.add(_records(0, 40))
    bank.close()
    bank = open_bank(settings, encoder=HashEncoder())
    bank.add(_records(40, 20) + _records(0, 2))  # new images and two replaced ones
    first = search(bank, "tea shop", top=60)
    bank.close()
    plain = open_bank(settings.model_copy(update={"index_accelerator": "off"}), HashEncoder())
    assert plain.index.count(plain.collection(USAGE)) == 180
    want = search(plain, "tea shop", top=60)
    plain.close()
    bank = open_bank(settings, encoder=HashEncoder())
    again = search(bank, "tea shop", top=60)
    assert len(bank) == 60
    bank.close()
    assert [h.id for h in again.hits] == [h.id for h in want.hits] == [h.id for h in first.hits]
    assert {h.id for h in again.hits if "tea" in h.caption} == {f"img{i}" for i in range(1, 60, 10)}


def test_full_search_is_the_same_with_and_without_the_accelerator(
    bank: Bank, tmp_path: Path
) -> None:
    queries = [("Fresh strawberries delivered", None), ("Кофе с собой", "чашка кофе")]
    fast = [search(bank, p, d, top=20) for p, d in queries]
    root = tmp_path / "plain"
    shutil.copytree(bank.root, root, ignore=shutil.ignore_patterns(".lock"))
    plain = open_bank(BankSettings(path=root, index_accelerator="off"), encoder=bank.encoder)
    try:
        slow = [search(plain, p, d, top=20) for p, d in queries]
    finally:
        plain.close()
    for a, b in zip(fast, slow, strict=True):
        assert [h.id for h in a.hits] == [h.id for h in b.hits]
        assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits], abs=1e-5)
