"""Without raqm (forced with ADCRAFT_TEXT_ENGINE=basic, exactly what a machine without
libfribidi gets): Latin copy renders on the basic engine and the manifest says so; Arabic copy
stops with an ``error:`` naming libfribidi and how to install it, not a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src"


def _generate(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ADCRAFT_TEXT_ENGINE": "basic", "PYTHONPATH": str(SRC)}
    cmd = [sys.executable, "-m", "adcraft", "generate", "--out", str(tmp / "out")]
    cmd += ["--formats", "1:1", "--variants", "1", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def test_latin_copy_renders_on_the_basic_engine_and_is_flagged(tmp_path: Path) -> None:
    done = _generate(tmp_path, "--title", "Trail Tent", "--offer", "20% off")
    assert done.returncode == 0, done.stderr[-2000:]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert any("basic layout" in w for w in manifest["warnings"])
    assert manifest["creatives"]


def test_arabic_copy_names_the_missing_library(tmp_path: Path) -> None:
    done = _generate(tmp_path, "--title", "خيمة", "--language", "ar")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error:") and "libfribidi" in done.stderr
    assert "apt-get install libfribidi0" in done.stderr
    assert not (tmp_path / "out").exists()  # nothing half-written
