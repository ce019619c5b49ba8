"""One line of text as a coverage mask, drawn run by run with font fallback.

A line whose characters the primary face all has is drawn by raqm in one call (shaping and the
whole bidi algorithm inside). A line that needs other faces too (a ❤ in Arabic, a rare kanji
in the Japanese subset) is cut into runs of one face and one bidi level, put in visual order
by :mod:`adcraft.layout.bidi`, and drawn one after the other on the primary face's baseline.
Layout measured the same runs (``typography.text_em_width``), so the widths agree.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from PIL import Image, ImageDraw

from adcraft.layout import bidi
from adcraft.layout.fonts import FontFace, face_runs, faces, get_font


class LineArt(NamedTuple):
    """One line of text drawn once: its coverage mask, where the mask sits relative to the
    line's top-left anchor, and the line's advance width."""

    mask: Image.Image
    dx: int
    dy: int
    advance: float


class Piece(NamedTuple):
    """A run of one face at one bidi level, in visual order."""

    text: str
    face: FontFace
    rtl: bool


def visual_pieces(line: str, face: FontFace, rtl: bool) -> list[Piece]:
    """``line`` as runs of one face and one bidi level, left to right as they are seen."""
    runs = face_runs(line, face)
    levels = bidi.levels(line, rtl)
    pieces: list[tuple[str, FontFace, int]] = []
    at = 0
    for part, run_face in runs:
        for i, char in enumerate(part):
            level = levels[at + i]
            if pieces and pieces[-1][1] == run_face and pieces[-1][2] == level:
                pieces[-1] = (pieces[-1][0] + char, run_face, level)
            else:
                pieces.append((char, run_face, level))
        at += len(part)
    order = bidi.visual_order([p[2] for p in pieces])
    return [Piece(pieces[i][0], pieces[i][1], pieces[i][2] % 2 == 1) for i in order]


@lru_cache(maxsize=256)
def line_art(face_id: str, size: int, line: str, rtl: bool) -> LineArt:
    """A line of text as a coverage mask, cached.

    A set repeats the same line at the same size in many formats (about half of all lines),
    so the glyph rasterising, the dearest step of drawing text, is done once per line. Lines
    start on whole pixels so a cached mask is exact wherever it is placed. It is drawn into
    the advance box plus a margin for overhanging glyphs (measuring the exact ink box first
    would cost nearly as much as drawing), then cropped to the ink.
    """
    font = get_font(face_id, size)
    face = faces()[face_id]
    ascent, descent = font.getmetrics()
    margin = -(-size // 2)
    runs = face_runs(line, face)
    if len(runs) == 1 and runs[0][1] == face:
        direction = "rtl" if rtl else None
        advance = font.getlength(line, direction=direction)
        mask = Image.new("L", (math.ceil(advance) + 2 * margin, ascent + descent + 2 * margin))
        ImageDraw.Draw(mask).text(
            (margin, margin), line, font=font, fill=255, anchor="la", direction=direction
        )
    else:
        pieces = visual_pieces(line, face, rtl)
        widths = [
            get_font(p.face.id, size).getlength(p.text, direction="rtl" if p.rtl else "ltr")
            for p in pieces
        ]
        advance = sum(widths)
        mask = Image.new("L", (math.ceil(advance) + 2 * margin, ascent + descent + 2 * margin))
        draw = ImageDraw.Draw(mask)
        x = float(margin)
        for piece, width in zip(pieces, widths, strict=True):
            # Every run sits on the primary face's baseline, so the line keeps its metrics.
            draw.text(
                (x, margin + ascent),
                piece.text,
                font=get_font(piece.face.id, size),
                fill=255,
                anchor="ls",
                direction="rtl" if piece.rtl else "ltr",
            )
            x += width
    ink = mask.getbbox()
    if ink is None:
        return LineArt(mask.crop((0, 0, 1, 1)), 0, 0, advance)
    return LineArt(mask.crop(ink), ink[0] - margin, ink[1] - margin, advance)
