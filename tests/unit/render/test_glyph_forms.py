"""Japanese is drawn in Japanese glyph forms: the rendered line matches reference glyphs
rasterised from the upstream Noto Sans CJK JP font and differs from the Simplified Chinese face.

今 冷 麺 注 直 骨 are the classic characters whose strokes differ between the two locales.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from adcraft.layout.typography import fit_text, resolve_face
from adcraft.render.text import line_art

TEXT = "今日は冷麺を注文、直ぐ骨休め"
SIZE = 64


def _reference_font(style: str) -> Path:
    """The upstream JP face: the PyPI package (test extra) or Debian's fonts-noto-cjk."""
    try:
        module = importlib.import_module(f"noto_cjk_sans_jp_{style.lower()}")
        return Path(module.__file__ or "").parent / f"NotoSansCJKjp-{style}.otf"
    except ImportError:
        ttc = Path(f"/usr/share/fonts/opentype/noto/NotoSansCJK-{style}.ttc")
        if not ttc.exists():
            pytest.skip("no upstream Noto Sans CJK JP: pip install noto-cjk-sans-jp-bold")
        return ttc


def _ink(mask: Image.Image) -> np.ndarray:
    return np.asarray(mask) > 127


def _reference_mask(text: str) -> np.ndarray:
    path = _reference_font("Bold")
    index = 0
    if path.suffix == ".ttc":
        from fontTools.ttLib import TTCollection

        names = [f["name"].getDebugName(1) for f in TTCollection(path, lazy=True).fonts]
        index = names.index("Noto Sans CJK JP")
    font = ImageFont.truetype(str(path), SIZE, index=index, layout_engine=ImageFont.Layout.RAQM)
    margin = SIZE // 2
    image = Image.new("L", (int(font.getlength(text)) + 2 * margin, 3 * SIZE))
    ImageDraw.Draw(image).text((margin, margin), text, font=font, fill=255, anchor="la")
    box = image.getbbox()
    assert box is not None
    return _ink(image.crop(box))


def _difference(a: np.ndarray, b: np.ndarray) -> float:
    """Share of ink pixels that differ (1 - IoU); masks of different size never match."""
    if a.shape != b.shape:
        return 1.0
    return float((a ^ b).sum()) / max(1, int((a | b).sum()))


def test_japanese_copy_is_drawn_in_japanese_glyph_forms() -> None:
    face = resolve_face(TEXT, "Inter", "bold", "ja")
    fit = fit_text(
        TEXT, face, box_w=4000, box_h=400, max_size=SIZE, min_size=12, max_lines=1, language="ja"
    )
    assert fit is not None and fit.lines == (TEXT,)
    drawn = _ink(line_art(face.id, SIZE, TEXT, False).mask)
    assert _difference(drawn, _reference_mask(TEXT)) < 0.01


@pytest.mark.parametrize("char", list("今冷麺注直骨"))
def test_each_test_character_differs_between_japanese_and_chinese_faces(char: str) -> None:
    reference = _reference_mask(char)
    japanese = _ink(line_art(resolve_face(char, "Inter", "bold", "ja").id, SIZE, char, False).mask)
    chinese = _ink(line_art(resolve_face(char, "Inter", "bold", "zh").id, SIZE, char, False).mask)
    assert _difference(japanese, reference) < 0.01
    # The Simplified Chinese form is a visibly different glyph (>10% of the ink moves).
    assert _difference(chinese, reference) > 0.1


def test_traditional_chinese_gets_its_own_forms() -> None:
    # 骨 今 起 are drawn differently by Traditional and Simplified Chinese fonts too.
    tc = resolve_face("骨今起", "Inter", "bold", "zh-Hant")
    sc = resolve_face("骨今起", "Inter", "bold", "zh-Hans")
    assert tc.id == "NotoSansTC-Bold" and sc.id == "NotoSansSC-Bold"
    for char in "骨今起":
        a = _ink(line_art(tc.id, SIZE, char, False).mask)
        b = _ink(line_art(sc.id, SIZE, char, False).mask)
        assert _difference(a, b) > 0.05, char


@pytest.mark.parametrize(
    ("language", "face"),
    [
        ("zh-Hant", "NotoSansTC"),
        ("zh-TW", "NotoSansTC"),
        ("zh", "NotoSansTC"),
        ("zh-CN", "NotoSansSC"),
    ],
)
def test_a_traditional_brief_is_set_in_traditional_forms(language: str, face: str) -> None:
    """A catalogue row tagged zh-Hant (or plain zh, written in Traditional characters) is drawn
    in the TC face; the brief's tag used to be cut to "zh" and every creative came out in
    Simplified forms with mainland punctuation."""
    from adcraft import generate
    from adcraft.domain.brief import Brief

    brief = Brief(
        product_name="阿里山高山茶禮盒",
        description="海拔一千五百公尺的高山烏龍，手工採摘，回甘悠長。",
        selling_points=("高山烏龍", "手工採摘"),
        offer="第二件半價",
        language=language,
    )
    made = generate(
        brief, formats="meta_feed_square,iab_leaderboard", variants=2, seed=1, workers=1
    )
    fonts = {e.font for c in made.creatives for e in c.elements if e.font}
    assert fonts and all(f.startswith(face) for f in fonts), fonts
