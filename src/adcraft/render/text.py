"""One line of text as a coverage mask, drawn run by run with font fallback.

A line whose characters the primary face all has is drawn by raqm in one call (shaping and the
whole bidi algorithm inside). A line that needs other faces too (a ❤ in Arabic, a rare kanji
in the Japanese subset) is cut into runs of one face and one bidi level, put in visual order
by :mod:`adcraft.layout.bidi`, and drawn one after the other on the primary face's baseline.
Layout measured the same runs (``typography.text_em_width``), so the widths agree.

Colour emoji are runs of the emoji face: each cluster's bitmap is taken from the face's 109 px
strike and resampled (Lanczos, on premultiplied alpha) to the text size, on the same baseline.
They go into a separate colour layer, not the coverage mask, because they keep their own colours
whatever the ink; a line without emoji has no colour layer and is drawn exactly as before.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from PIL import Image, ImageDraw

from adcraft.layout import bidi, emoji
from adcraft.layout.fonts import EMOJI_FACE, FontFace, face_runs, faces, get_font

EmojiMark = tuple[str, int, int, int, int]
"""A drawn emoji: (cluster, x, y, w, h) of its bitmap, relative to the line's anchor."""


class LineArt(NamedTuple):
    """One line of text drawn once: its coverage mask, where the mask sits relative to the
    line's top-left anchor, and the line's advance width. A line with colour emoji also has a
    straight-alpha RGBA ``color`` layer of the mask's size and place, and where each emoji is."""

    mask: Image.Image
    dx: int
    dy: int
    advance: float
    color: Image.Image | None = None
    emoji: tuple[EmojiMark, ...] = ()


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
        # An emoji cluster is one glyph: it takes the level of its first character whole.
        units = emoji.clusters(part) if run_face == EMOJI_FACE else part
        for unit in units:
            level = levels[at]
            if pieces and pieces[-1][1] == run_face and pieces[-1][2] == level:
                pieces[-1] = (pieces[-1][0] + unit, run_face, level)
            else:
                pieces.append((unit, run_face, level))
            at += len(unit)
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
    if rtl:
        line = bidi.mark_numbers(line)
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
        widths = [_piece_width(p, size) for p in pieces]
        advance = sum(widths)
        mask = Image.new("L", (math.ceil(advance) + 2 * margin, ascent + descent + 2 * margin))
        draw = ImageDraw.Draw(mask)
        color: Image.Image | None = None
        marks: list[EmojiMark] = []
        x = float(margin)
        for piece, width in zip(pieces, widths, strict=True):
            # Every run sits on the primary face's baseline, so the line keeps its metrics.
            if piece.face == EMOJI_FACE:
                color = color or Image.new("RGBA", mask.size)
                marks += _draw_emoji(color, piece, x, margin + ascent, size, margin)
            else:
                draw.text(
                    (x, margin + ascent),
                    piece.text,
                    font=get_font(piece.face.id, size),
                    fill=255,
                    anchor="ls",
                    direction="rtl" if piece.rtl else "ltr",
                )
            x += width
        if color is not None:
            return _with_color(mask, color, margin, advance, tuple(marks))
    ink = mask.getbbox()
    if ink is None:
        return LineArt(mask.crop((0, 0, 1, 1)), 0, 0, advance)
    return LineArt(mask.crop(ink), ink[0] - margin, ink[1] - margin, advance)


def _piece_width(piece: Piece, size: int) -> float:
    if piece.face == EMOJI_FACE:
        return emoji.em_width(piece.text) * size
    return get_font(piece.face.id, size).getlength(
        piece.text, direction="rtl" if piece.rtl else "ltr"
    )


def _draw_emoji(
    layer: Image.Image, piece: Piece, x: float, baseline: int, size: int, margin: int
) -> list[EmojiMark]:
    """Composite a run of emoji onto ``layer`` from ``x`` on ``baseline``; where each went,
    relative to the line's anchor (the layer's ``(margin, margin)``)."""
    clusters = emoji.clusters(piece.text)
    if piece.rtl:
        clusters.reverse()  # neutral pictographs in a right-to-left run read right to left
    marks: list[EmojiMark] = []
    for cluster in clusters:
        bitmap, ox, oy = emoji_bitmap(cluster, size)
        at = (round(x) + ox, baseline + oy)
        layer.alpha_composite(bitmap, at)
        marks.append((cluster, at[0] - margin, at[1] - margin, bitmap.width, bitmap.height))
        x += emoji.em_width(cluster) * size
    return marks


def _with_color(
    mask: Image.Image,
    color: Image.Image,
    margin: int,
    advance: float,
    marks: tuple[EmojiMark, ...],
) -> LineArt:
    """A line's art cropped to the ink of its text and its emoji together."""
    boxes = [b for b in (mask.getbbox(), color.getchannel("A").getbbox()) if b is not None]
    if not boxes:
        return LineArt(mask.crop((0, 0, 1, 1)), 0, 0, advance)
    ink = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    dx, dy = ink[0] - margin, ink[1] - margin
    return LineArt(mask.crop(ink), dx, dy, advance, color.crop(ink), marks)


@lru_cache(maxsize=512)
def emoji_bitmap(cluster: str, size: int) -> tuple[Image.Image, int, int]:
    """The colour bitmap of an emoji cluster at text size ``size`` and its offset (x, y) from
    the pen position on the baseline, cached.

    The strike's bitmap is resampled so that its edges land where the scaled glyph box falls,
    to the fraction of a pixel; Pillow resamples RGBA on premultiplied alpha, so no dark
    fringe appears at the edges.
    """
    font = emoji.strike_font()
    shaped = emoji.key(cluster)
    core, (left, top) = font.getmask2(shaped, mode="RGBA", anchor="ls")
    scale = size * emoji.SCALE / emoji.STRIKE
    pad = math.ceil(1 / scale) + 2  # room for the resampling box to reach past the bitmap
    src = Image.new("RGBA", (core.size[0] + 2 * pad, core.size[1] + 2 * pad))
    src.im.paste(core, (pad, pad, pad + core.size[0], pad + core.size[1]))  # straight alpha
    x0, y0 = left * scale, top * scale
    x1, y1 = (left + core.size[0]) * scale, (top + core.size[1]) * scale
    ox, oy = math.floor(x0), math.floor(y0)
    w, h = max(1, math.ceil(x1) - ox), max(1, math.ceil(y1) - oy)
    box = (
        (ox - x0) / scale + pad,
        (oy - y0) / scale + pad,
        (ox + w - x0) / scale + pad,
        (oy + h - y0) / scale + pad,
    )
    return src.resize((w, h), Image.Resampling.LANCZOS, box=box), ox, oy
