"""Fixtures shared with the bank and diffusion suites: the fixture bank and tiny pipelines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from adcraft.imagery.bank.ingest import ingest_folder
from adcraft.imagery.bank.store import Bank
from adcraft.providers.encoder_use import UniversalSentenceEncoder
from adcraft.providers.index_numpy import NumpyIndex
from tests.imagery_bank.conftest import FIXTURES, built_bank_path, use_encoder
from tests.imagery_diffusion.conftest import tiny_models

__all__ = ["built_bank_path", "tiny_models", "use_encoder"]


@pytest.fixture(scope="session")
def numpy_bank(
    tmp_path_factory: pytest.TempPathFactory, use_encoder: UniversalSentenceEncoder
) -> Bank:
    """The 64 fixture renders in the exact numpy index (no folder lock: shared by all tests)."""
    bank = Bank(tmp_path_factory.mktemp("numpy-bank"), encoder=use_encoder, index=NumpyIndex())
    report = ingest_folder(bank, FIXTURES)
    assert not report.skipped, report.skipped
    return bank


@pytest.fixture()
def bank_folder(built_bank_path: Path, tmp_path: Path) -> Path:
    """A private copy of the on-disk bank (Qdrant local mode locks its folder per process)."""
    root = tmp_path / "bank"
    shutil.copytree(built_bank_path, root)
    return root
