"""The independent checker must fail on broken creatives, or the clean runs prove nothing."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageDraw

from adcraft.layout.typography import get_font
from tests.manifest_checks import check_set


def _write_set(out: Path, *, ink: str, ground: str, box: list[int], text: str) -> None:
    img = Image.new("RGB", (300, 250), ground)
    font = get_font("Inter-Bold", 24)
    ImageDraw.Draw(img).text((box[0], box[1]), text, font=font, fill=ink, anchor="la")
    out.mkdir()
    img.save(out / "a.png")
    ascent, descent = font.getmetrics()
    element = {
        "kind": "headline",
        "box": box,
        "text": text,
        "lines": [text],
        "font": "Inter-Bold",
        "font_size": 24,
        "line_height": 28,
        "color": ink,
        "background_color": ground,
    }
    creative = {
        "file": "a.png",
        "format": "iab_medium_rectangle",
        "width": 300,
        "height": 250,
        "bytes": (out / "a.png").stat().st_size,
        "elements": [element, {**element, "kind": "cta", "box": [box[0] + 10, box[1], box[2], 40]}],
    }
    (out / "manifest.json").write_text(json.dumps({"creatives": [creative]}))
    assert ascent + descent > 0


def test_low_contrast_overlap_overflow_and_safe_zone_are_reported(tmp_path: Path) -> None:
    _write_set(
        tmp_path / "bad", ink="#777777", ground="#888888", box=[-5, 20, 60, 30], text="Big sale"
    )
    problems = "\n".join(check_set(tmp_path / "bad").problems)
    assert "contrast" in problems
    assert "overlaps" in problems
    assert "px box" in problems  # the line is wider than its box
    assert "safe zone" in problems


def test_clean_creative_passes(tmp_path: Path) -> None:
    _write_set(
        tmp_path / "ok", ink="#111111", ground="#f4f4f4", box=[20, 20, 200, 30], text="Big sale"
    )
    report = check_set(tmp_path / "ok")
    # The CTA copy deliberately overlaps the headline; everything else is clean.
    assert [p for p in report.problems if "overlaps" not in p] == []


def test_a_publishable_responsive_display_image_over_a_fifth_text_is_reported(
    tmp_path: Path,
) -> None:
    out = tmp_path / "rda"
    out.mkdir()
    Image.new("RGB", (1200, 628), "#ffffff").save(out / "a.png")
    headline = {
        "kind": "headline",
        "box": [60, 60, 1080, 160],  # 22.9 % of the image
        "text": "Big sale",
        "lines": ["Big sale"],
        "font": "Inter-Bold",
        "font_size": 120,
        "line_height": 140,
        "color": "#111111",
        "background_color": "#ffffff",
    }
    creative = {
        "file": "a.png",
        "format": "google_rda_landscape",
        "width": 1200,
        "height": 628,
        "bytes": (out / "a.png").stat().st_size,
        "elements": [headline],
        "publishable": True,
    }
    (out / "manifest.json").write_text(json.dumps({"creatives": [creative]}))
    problems = "\n".join(check_set(out, pixel_contrast=False).problems)
    assert "text covers 22.9% of a responsive display image" in problems
    creative["publishable"] = False  # the engine said so itself: nothing to report
    (out / "manifest.json").write_text(json.dumps({"creatives": [creative]}))
    assert "responsive display" not in "\n".join(check_set(out, pixel_contrast=False).problems)
