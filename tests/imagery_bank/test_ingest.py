"""Ingest: usable images go in, every other file is skipped with a reason, and nothing already
in the bank is lost when a later ingest fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from adcraft.errors import BankError
from adcraft.imagery.bank.ingest import ingest_folder
from adcraft.imagery.bank.store import Bank
from adcraft.providers.index_numpy import NumpyIndex
from tests.imagery_bank.conftest import FIXTURES, HashEncoder

SOME = ["1f353.webp", "2615.webp", "1f697.webp", "1f45f.webp"]


def _folder(tmp_path: Path, files: list[str]) -> Path:
    folder = tmp_path / "images"
    folder.mkdir(parents=True)
    entries = json.loads((FIXTURES / "captions.json").read_text("utf-8"))
    for name in files:
        shutil.copy(FIXTURES / name, folder / name)
    keep = [e for e in entries if e["file"] in files]
    (folder / "captions.json").write_text(json.dumps(keep), "utf-8")
    return folder


def _bank(root: Path, encoder: HashEncoder | None = None) -> Bank:
    return Bank(root, encoder=encoder or HashEncoder(), index=NumpyIndex())


def test_bad_files_are_skipped_with_reasons_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SOME)
    (folder / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    (folder / "notes.jpg").write_text("not an image")
    Image.open(FIXTURES / "1f353.webp").resize((64, 64)).save(folder / "tiny.png")
    Image.open(FIXTURES / "1f697.webp").filter(ImageFilter.GaussianBlur(5)).save(
        folder / "soft.png"
    )
    shutil.copy(FIXTURES / "1f355.webp", folder / "uncaptioned.webp")
    report = ingest_folder(_bank(tmp_path / "bank"), folder)
    assert sorted(report.added) == sorted(Path(f).stem for f in SOME)
    reasons = {s.file: s.reason for s in report.skipped}
    assert set(reasons) == {"corrupt.png", "notes.jpg", "tiny.png", "soft.png", "uncaptioned.webp"}
    assert reasons["corrupt.png"].startswith("unreadable")
    assert reasons["notes.jpg"].startswith("unreadable")
    assert reasons["tiny.png"].startswith("too small")
    assert reasons["soft.png"].startswith("blurred")
    assert reasons["uncaptioned.webp"].startswith("no caption")
    assert report.total == len(SOME)


def test_records_hold_a_storage_key_and_three_hypotheses(tmp_path: Path) -> None:
    bank = _bank(tmp_path / "bank")
    ingest_folder(bank, _folder(tmp_path, SOME))
    record = bank.images["1f353"]
    assert len(record.hypotheses) == 3 and record.has_alpha
    assert bank.assets.get(record.key) == (FIXTURES / "1f353.webp").read_bytes()
    manifest = (tmp_path / "bank" / "bank.json").read_text("utf-8")
    assert len(manifest) < 20_000  # text only: no pixels in the manifest
    hits = bank.index.search(bank.collection("captions"), bank.encoder.encode(["x"])[0], 10)
    assert all(set(h.payload) == {"image_id", "key", "caption"} for h in hits)


def test_reingest_replaces_and_reopen_keeps_everything(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    bank = _bank(root)
    folder = _folder(tmp_path, SOME)
    ingest_folder(bank, folder)
    again = ingest_folder(bank, folder)
    assert again.added == [] and sorted(again.replaced) == sorted(Path(f).stem for f in SOME)
    reopened = _bank(root)
    assert set(reopened.images) == set(bank.images)


def test_failed_ingest_loses_nothing_already_ingested(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    ingest_folder(_bank(root), _folder(tmp_path, SOME[:2]))
    more = _folder(tmp_path / "more", SOME[2:])
    with pytest.raises(RuntimeError, match="encoder crashed"):
        ingest_folder(_bank(root, HashEncoder(fail_after=0)), more)
    assert set(_bank(root).images) == {"1f353", "2615"}


def test_a_bank_refuses_another_encoder(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    ingest_folder(_bank(root), _folder(tmp_path, SOME[:1]))
    other = HashEncoder()
    other.name = "another-encoder"
    with pytest.raises(BankError, match="built with the 'hash-test' text encoder"):
        Bank(root, encoder=other, index=NumpyIndex())


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="is not a folder"):
        ingest_folder(_bank(tmp_path / "bank"), tmp_path / "missing")
