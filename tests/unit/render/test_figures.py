"""Figures are lining in every bundled face: prices, percentages and counts stand on the
baseline at one height.

Playfair Display's default figures are old-style ("179 €" with a descending 9 and a small 1),
which reads as a typesetting slip in a price pill; the bundled faces make the lining forms the
default (scripts/build_fonts.py, ``lining_by_default``).
"""

from __future__ import annotations

import pytest

from adcraft.layout.fonts import coverage, faces, get_font

SIZE = 200
DIGITS = "0123456789"


def _text_faces() -> list[str]:
    return sorted(
        face_id
        for face_id, face in faces().items()
        if {ord(d) for d in DIGITS} <= coverage(face) and "Symbols" not in face_id
    )


@pytest.mark.parametrize("face_id", _text_faces())
def test_every_figure_sits_on_the_baseline_at_one_height(face_id: str) -> None:
    font = get_font(face_id, SIZE)
    tops, bottoms = [], []
    for digit in DIGITS:
        _, top, _, bottom = font.getbbox(digit, anchor="ls")  # y = 0 is the baseline
        tops.append(top)
        bottoms.append(bottom)
    # Round figures overshoot the baseline a little and a 5's flag may rise above the others;
    # old-style figures miss by a descender (15 % of the size) or an x-height (20 %).
    where = dict(zip(DIGITS, zip(tops, bottoms, strict=True), strict=True))
    assert max(abs(b) for b in bottoms) <= SIZE * 0.03, (face_id, where)
    assert max(tops) - min(tops) <= SIZE * 0.06, (face_id, where)


def test_playfair_is_among_the_faces_checked() -> None:
    assert {"PlayfairDisplay-Bold", "PlayfairDisplay-Regular"} <= set(_text_faces())
