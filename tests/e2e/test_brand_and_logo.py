"""Brand kits, logo formats and text-led designs through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageDraw

from tests.e2e.test_devset import run_cli
from tests.manifest_checks import check_set, contrast


def _logo(path: Path) -> Path:
    img = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, 399, 159), 30, fill=(20, 60, 160, 255))
    draw.ellipse((30, 30, 130, 130), fill=(255, 200, 0, 255))
    img.save(path)
    return path


def test_logo_formats_are_made_from_the_brand_logo(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--title", "Acme Lamp", "--logo", str(_logo(tmp_path / "logo.png")),
        "--formats", "google_rda_logo_square,google_rda_logo_landscape,tiktok_profile_image",
        "--variants", "1", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    sizes = {c["format"]: (c["width"], c["height"], c["bytes"]) for c in manifest["creatives"]}
    assert sizes["google_rda_logo_square"][:2] == (1200, 1200)
    assert sizes["google_rda_logo_landscape"][:2] == (1200, 300)
    assert sizes["tiktok_profile_image"][:2] == (98, 98)
    assert sizes["tiktok_profile_image"][2] <= 50 * 1024  # the platform's 50 KB cap
    for c in manifest["creatives"]:
        with Image.open(out / c["file"]) as im:
            assert im.size == (c["width"], c["height"])
        logo = c["elements"][0]
        assert logo["kind"] == "logo" and (out / logo["src"]).exists()


def test_logo_format_without_logo_is_a_clear_error(tmp_path: Path) -> None:
    done = run_cli("generate", "--title", "Acme", "--formats", "google_rda_logo_square",
                   "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2 and "--logo" in done.stderr


def test_brand_colors_drive_the_design_and_logo_is_placed(tmp_path: Path) -> None:
    kit = tmp_path / "kit.json"
    kit.write_text(
        json.dumps({"name": "Acme", "colors": ["#0b5d1e", "#f4f1ea"], "logo": "logo.png"})
    )
    _logo(tmp_path / "logo.png")
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--title", "Acme Garden Hose", "--offer", "25% off until Sunday",
        "--price", "39", "--currency", "EUR", "--brand-kit", str(kit),
        "--formats", "1:1,728x90,1.91:1", "--styles", "minimal", "--variants", "1",
        "--image-format", "png", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert check_set(out).problems == []
    manifest = json.loads((out / "manifest.json").read_text())
    for c in manifest["creatives"]:
        kinds = [e["kind"] for e in c["elements"]]
        assert "logo" in kinds, c["format"]
        cta = next(e for e in c["elements"] if e["kind"] == "cta")
        # The CTA plate is the brand's accent (green), not a color invented for the product.
        assert contrast(cta["background_color"], "#0b5d1e") < 1.6, cta["background_color"]


def test_text_led_design_without_a_picture(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--title", "Night Owl Bookshop", "--offer", "Buy 2 books, get 1 free",
        "--language", "en", "--formats", "all", "--variants", "2", "--image-format", "png",
        "--workers", "1", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "text-led" in done.stderr
    report = check_set(out)
    assert report.creatives == 39 * 2 and report.problems == []
    manifest = json.loads((out / "manifest.json").read_text())
    assert all(c["template"] == "text_led" for c in manifest["creatives"])
