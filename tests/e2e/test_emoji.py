"""Emoji in a brief through the real CLI: drawn in colour where the manifest says, flagged in
the warnings, and the creatives still pass every independent check (no overlap, no tofu, text
that fits its box, contrast measured around the emoji)."""

from __future__ import annotations

import colorsys
import json
from pathlib import Path

import numpy as np
from PIL import Image

from tests.e2e.test_devset import run_cli
from tests.manifest_checks import check_set


def _emoji_saturation(img: np.ndarray, box: list[int]) -> float:
    """Median saturation of the pixels of a drawn emoji that differ from the ground."""
    x, y, w, h = box
    px = img[y : y + h, x : x + w].reshape(-1, 3) / 255.0
    hsv = np.array([colorsys.rgb_to_hsv(*p) for p in px[:: max(1, len(px) // 400)]])
    return float(np.median(np.sort(hsv[:, 1])[len(hsv) // 2 :]))  # the coloured half


def _generate(tmp_path: Path, *args: str) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path / "out"
    done = run_cli(
        "generate", *args, "--formats", "1:1,300x250,9:16,728x90", "--variants", "2",
        "--image-format", "png", "--workers", "1", "--seed", "3", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out, json.loads((out / "manifest.json").read_text("utf-8"))


def test_sale_emoji_are_drawn_in_colour_and_flagged(tmp_path: Path) -> None:
    out, manifest = _generate(
        tmp_path,
        "--title", "Sale 🔥 ❤️ 🎁 🦄",
        "--offer", "20% off 🔥 all week 🎁",
        "--selling-point", "Free delivery 🚚",
    )  # fmt: skip
    assert check_set(out).problems == []
    drawn = 0
    for c in manifest["creatives"]:
        img = np.asarray(Image.open(out / c["file"]).convert("RGB"))
        flagged = " ".join(w for w in c["warnings"] if "emoji drawn:" in w)
        for e in c["elements"]:
            marks = e.get("emoji") or []
            if marks:
                assert "NotoColorEmoji" in e["fallback_fonts"]
                assert f"{e['kind']}: emoji drawn:" in flagged
            for mark in marks:
                assert mark["text"] in e["text"] and f"'{mark['text']}'" in flagged
                assert _emoji_saturation(img, mark["box"]) > 0.45, (c["file"], mark)
                drawn += 1
        # The unicorn is not in the bundled subset: removed from the headline and said so.
        assert all("🦄" not in (e.get("text") or "") for e in c["elements"])
        if any("🔥 ❤️ 🎁" in (e.get("text") or "") for e in c["elements"]):
            assert any("removed emoji '🦄'" in w for w in c["warnings"])
    assert drawn >= 10


def test_right_to_left_creative_with_emoji_passes_the_checks(tmp_path: Path) -> None:
    out, manifest = _generate(
        tmp_path,
        "--title", "מבצע 🔥 ענק ❤️",
        "--offer", "SkyFly: טיסות לאילת מ-249 ₪ 🎁",
        "--language", "he",
    )  # fmt: skip
    assert check_set(out).problems == []
    headlines = [e for c in manifest["creatives"] for e in c["elements"] if e.get("emoji")]
    assert headlines and all(e["direction"] == "rtl" for e in headlines)
    for e in headlines:
        if "מבצע 🔥 ענק ❤️" in " ".join(e["lines"]):
            by_x = sorted(e["emoji"], key=lambda m: m["box"][0])
            # Read right to left: 🔥 comes first, so it is right of ❤️.
            assert [m["text"] for m in by_x] == ["❤️", "🔥"]
