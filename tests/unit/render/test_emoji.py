"""Colour emoji in on-image text: drawn in colour where layout measured them, in the order the
line reads (left to right or right to left), and text without emoji drawn exactly as before."""

from __future__ import annotations

import colorsys
import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from adcraft.layout import emoji
from adcraft.layout.fonts import EMOJI_FACE, face_runs, resolve_face
from adcraft.layout.typography import clean_text, fit_text, text_em_width
from adcraft.render.text import LineArt, line_art


def _art(text: str, language: str, size: int = 48) -> tuple[str, LineArt]:
    cleaned, _ = clean_text(text)
    face = resolve_face(cleaned, "Inter", "bold", language)
    return cleaned, line_art(face.id, size, cleaned, language in ("he", "ar"))


def _hues(art: LineArt, index: int) -> tuple[float, float]:
    """(median hue in degrees, median saturation) of the opaque pixels of one drawn emoji."""
    assert art.color is not None
    _, x, y, w, h = art.emoji[index]
    # Marks are relative to the line's anchor; the colour layer starts at (dx, dy).
    px = np.asarray(art.color)[y - art.dy : y - art.dy + h, x - art.dx : x - art.dx + w]
    opaque = px[px[..., 3] > 200][:, :3] / 255.0
    assert len(opaque) > 0.3 * w * h  # the bitmap is there, not an empty box
    hsv = np.array([colorsys.rgb_to_hsv(*p) for p in opaque])
    return float(np.median(hsv[:, 0]) * 360), float(np.median(hsv[:, 1]))


def test_sale_line_draws_each_emoji_in_colour_in_its_box() -> None:
    text, art = _art("Sale 🔥 ❤️ 🎁", "en")
    assert text == "Sale 🔥 ❤️ 🎁"
    assert [m[0] for m in art.emoji] == ["🔥", "❤️", "🎁"]
    fire, heart, gift = (_hues(art, i) for i in range(3))
    assert all(sat > 0.5 for _, sat in (fire, heart, gift))  # colour, not grey ink
    assert 10 <= fire[0] <= 45  # orange flame
    assert heart[0] <= 10 or heart[0] >= 345  # red heart
    assert 20 <= gift[0] <= 60  # yellow-orange box (red ribbon)
    # The text mask holds only the letters: no ink inside the emoji boxes.
    mask = np.asarray(art.mask)
    for _, x, y, w, h in art.emoji:
        inside = mask[max(0, y - art.dy) : y - art.dy + h, max(0, x - art.dx) : x - art.dx + w]
        assert int(inside.max(initial=0)) == 0


def test_measured_width_is_the_drawn_width() -> None:
    text = "Sale 🔥 ❤️ 🎁 👍🏽 1️⃣"
    face = resolve_face(text, "Inter", "bold", "en")
    assert any(f == EMOJI_FACE for _, f in face_runs(text, face))
    for size in (12, 31, 48, 140):
        art = line_art(face.id, size, text, False)
        assert art.advance == pytest.approx(text_em_width(face, text, "ltr") * size, abs=0.5)
        # The emoji sit side by side at the advance layout measured, none on top of another.
        xs = [x for _, x, _, _, _ in art.emoji]
        step = emoji.em_width("🔥") * size
        assert all(b - a >= round(step) - 1 for a, b in itertools.pairwise(xs))
    fit = fit_text(
        text, face, box_w=330, box_h=400, max_size=60, min_size=12, max_lines=2, language="en"
    )
    assert fit is not None
    for line in fit.lines:
        assert line_art(face.id, fit.size, line, False).advance <= 330


@pytest.mark.parametrize(
    ("text", "language", "order"),
    [
        ("Sale 🔥 big ❤️ deal", "en", ["🔥", "❤️"]),
        # Right to left: the first emoji read is the rightmost.
        ("מבצע 🔥 ענק ❤️ היום", "he", ["❤️", "🔥"]),
        ("تخفيض 🔥 كبير 🎁", "ar", ["🎁", "🔥"]),
        # A Latin brand inside a Hebrew line keeps its emoji beside it.
        ("SkyFly 🔥 טיסות ❤️", "he", ["❤️", "🔥"]),
    ],
)
def test_emoji_keep_their_place_in_the_reading_order(
    text: str, language: str, order: list[str]
) -> None:
    _, art = _art(text, language)
    left_to_right = [m[0] for m in sorted(art.emoji, key=lambda m: m[1])]
    assert left_to_right == order
    # Between the emoji there is a word's worth of text ink, so nothing was stacked.
    mask = np.asarray(art.mask) > 127
    (a, ax, *_), (b, bx, *_) = sorted(art.emoji, key=lambda m: m[1])
    assert a != b
    between = mask[:, ax + 10 - art.dx : bx - art.dx]
    assert between.any()


NO_EMOJI_SCRIPT = """
import hashlib, sys
from pathlib import Path
from adcraft.layout import emoji
if sys.argv[1] == "off":
    emoji.available = lambda: False  # as if the emoji face had never been bundled
from adcraft.domain.brief import Brief, Price
from adcraft.pipeline import generate
out = Path(sys.argv[2])
for lang, title, offer in (
    ("en", "Trail ★ Tent ❤", "20% off ✓ all week → €"),
    ("he", "SkyFly: טיסות לאילת ❤", "מ-249 ₪ ★"),
):
    price = Price(amount=49, currency="EUR")
    brief = Brief(product_name=title, offer=offer, language=lang, price=price)
    generate(brief, formats="1:1,300x250,728x90", variants=2, seed=3, image_format="png",
             out_dir=out / lang, workers=1)
for p in sorted(out.rglob("*.png")):
    print(p.relative_to(out), hashlib.sha256(p.read_bytes()).hexdigest())
"""


def test_text_without_emoji_renders_byte_identical_with_or_without_the_emoji_face(
    tmp_path: Path,
) -> None:
    """Creatives without emoji (text symbols ❤ ★ ✓ → included, which take the emoji checks)
    are the same bytes as when no emoji face exists: the colour path changes nothing else."""
    runs = {}
    for mode in ("on", "off"):
        done = subprocess.run(
            [sys.executable, "-c", NO_EMOJI_SCRIPT, mode, str(tmp_path / mode)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        runs[mode] = done.stdout
    assert runs["on"].count(".png") >= 12
    assert runs["on"] == runs["off"]  # every file's name and sha256


def test_emoji_face_is_small_documented_licensed_and_has_the_ad_emoji() -> None:
    assert emoji.EMOJI_FILE.stat().st_size <= 2_000_000
    fonts_dir = emoji.EMOJI_FILE.parent
    assert emoji.EMOJI_FILE.name in (fonts_dir / "FONTS.md").read_text("utf-8")
    licence = (fonts_dir / "licenses" / "NotoColorEmoji-OFL.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    for cluster in ["🔥", "❤️", "🎁", "🚚", "⏰", "💯", "😀", "🙏", "👍🏽", "✅", "⭐", "❤️‍🔥", "1️⃣"]:
        assert emoji.draws(cluster), cluster
    for cluster in ["🦄", "🇩🇪", "👨‍👩‍👧", "🙋‍♀️"]:
        assert not emoji.draws(cluster), cluster
