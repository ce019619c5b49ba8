"""The whole development set through the real CLI, checked from manifest.json and the pixels."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PRODUCTS, PRODUCTS_FILE
from tests.manifest_checks import check_set

CREATIVE_FORMATS = 39


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m adcraft` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "adcraft", *args], capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
@pytest.mark.parametrize("product_id", [p["id"] for p in PRODUCTS])
def test_every_format_and_variant_is_clean(product_id: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate",
        "--product-file", str(PRODUCTS_FILE),
        "--product-id", product_id,
        "--formats", "all",
        "--variants", "6",
        "--image-format", "png",
        "--workers", "1",
        "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = check_set(out)
    # Every format × variant is either written or named in the manifest as a near-copy of a
    # better creative of the same format (written once, never shown twice).
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert report.creatives + len(manifest["duplicates"]) == CREATIVE_FORMATS * 6
    assert {d["format"] for d in manifest["duplicates"]} <= {
        c["format"] for c in manifest["creatives"]
    }
    assert report.problems == []
    assert (out / "contact-sheet.png").stat().st_size > 10_000


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    args = ["--product-file", str(PRODUCTS_FILE), "--product-id", "tea-gift"]
    args += ["--formats", "1:1,300x250,728x90", "--variants", "2", "--seed", "7"]
    for name in ("a", "b"):
        assert run_cli("generate", *args, "--out", str(tmp_path / name)).returncode == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
