"""Cached line masks draw exactly what Pillow draws directly, in every script we ship fonts for."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from adcraft.layout.fonts import get_font
from adcraft.render.text import line_art

CASES = [
    ("Inter-ExtraBold", "Ångström · ÉÇÀ gjpqy 25% OFF"),
    ("PlayfairDisplay-Bold", "Élégance — fff ffi ÀÉÎ"),
    ("Montserrat-SemiBold", "Скидка 20% на всё"),
    ("NotoSansSC-Bold", "限时优惠，立减五折！"),
    ("NotoSansMulti-Bold", "خصم ٢٠٪ على كل شيء"),
    ("NotoSansMulti-Regular", "הנחה של 20% על הכל"),
    ("BebasNeue-Regular", "BIG SALE 50%"),
]


@pytest.mark.parametrize(("face", "text"), CASES)
@pytest.mark.parametrize("size", [11, 40, 140])
def test_cached_mask_matches_direct_drawing(face: str, text: str, size: int) -> None:
    rtl = "rtl" if any("\u0590" <= c <= "\u06ff" for c in text) else None
    font = get_font(face, size)
    canvas_size = (int(font.getlength(text)) + 4 * size, 3 * size)
    at = (size, size)
    direct = Image.new("RGB", canvas_size, (250, 240, 230))
    ImageDraw.Draw(direct).text(at, text, font=font, fill=(20, 30, 120), anchor="la", direction=rtl)
    cached = Image.new("RGB", canvas_size, (250, 240, 230))
    art = line_art(face, size, text, rtl is not None)
    cached.paste((20, 30, 120), (at[0] + art.dx, at[1] + art.dy), art.mask)
    assert art.advance == pytest.approx(font.getlength(text, direction=rtl))
    assert np.array_equal(np.asarray(direct), np.asarray(cached))
