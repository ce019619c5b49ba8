"""A discount beside a price without the price it is taken from is said once for the set: on
the command line and in manifest.json's warnings, with its code for the API and the web app;
with --regular-price it is not."""

from __future__ import annotations

import json
from pathlib import Path

from adcraft.api.views import notes_of
from tests.e2e.test_devset import run_cli

CODE = "discount_without_reference_price"
BRIEF = (
    "generate", "--title", "Nova Kaffeemaschine", "--offer", "−20 % auf alle Modelle",
    "--price", "499", "--currency", "EUR", "--language", "de",
    "--formats", "1:1", "--variants", "1", "--workers", "1",
)  # fmt: skip


def _warnings(out: Path) -> list[str]:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    warnings: list[str] = manifest["warnings"]
    return warnings


def test_a_discount_without_its_regular_price_is_warned_in_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(*BRIEF, "--out", str(out))
    assert done.returncode == 0, done.stderr
    notes = [n for n in notes_of(_warnings(out)) if n.code == CODE]
    assert [n.params for n in notes] == [
        {"label": "offer", "deal": "−20 % auf alle Modelle", "price_text": "499\u00a0€"}
    ]
    assert "regular_price, the lowest price of the last 30 days" in done.stdout + done.stderr

    fixed = tmp_path / "fixed"
    done = run_cli(*BRIEF, "--regular-price", "625", "--out", str(fixed))
    assert done.returncode == 0, done.stderr
    assert [n for n in notes_of(_warnings(fixed)) if n.code == CODE] == []
