"""Ingest-time checks that keep unusable pictures out of the bank: too small, blurred, mostly
text. Each check returns a reason a person can act on, or None."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter

from adcraft.imagery.components import label

MIN_SIDE = 128
"""A banner visual smaller than this on its short side looks soft on every format."""
BLUR_MIN = 0.2
"""Edge steepness (see ``steepness``) below which a picture reads as out of focus. Of the 3 391
demo renders, 2 score below it (two soft left-facing fists, 0.15) and the rest 0.22 or more
(median 0.5); after a 4 px Gaussian blur every sampled render scores at most 0.16. The
development photos score 0.31-0.61."""
TEXT_MIN_GLYPHS = 30
TEXT_MIN_COVER = 0.18
_MEASURE_SIDE = 256
_TEXT_SIDE = 512


@dataclass(frozen=True)
class QualityLimits:
    """Thresholds of the ingest checks (all configurable)."""

    min_side: int = MIN_SIDE
    blur_min: float = BLUR_MIN
    text_min_glyphs: int = TEXT_MIN_GLYPHS
    text_min_cover: float = TEXT_MIN_COVER


def check_image(image: Image.Image, limits: QualityLimits | None = None) -> str | None:
    """Why the picture is unusable for a banner, or None when it is fine."""
    lim = limits or QualityLimits()
    w, h = image.size
    if min(w, h) < lim.min_side:
        return f"too small: {w}x{h} px, needs at least {lim.min_side} px on the short side"
    grey, _ = _grey(image, _MEASURE_SIDE)
    steep = steepness(grey)
    if steep < lim.blur_min:
        return (
            f"blurred: edge steepness {steep:.2f} is below {lim.blur_min:.2f}; "
            "use an in-focus original"
        )
    glyphs, cover = text_measure(image)
    if glyphs >= lim.text_min_glyphs and cover >= lim.text_min_cover:
        return (
            f"mostly text: {glyphs} letter-like shapes cover {cover:.0%} of the picture; "
            "banners add their own text, use a picture without lettering"
        )
    return None


def _grey(image: Image.Image, side: int) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """Grey 0..255 at ``side`` px on the long side and where the picture is opaque."""
    scale = side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    rgba = image.convert("RGBA").resize(size, Image.Resampling.BOX)
    alpha = np.asarray(rgba.getchannel("A"))
    # Flatten onto mid grey so a transparent background adds no edges of its own.
    flat = Image.new("RGBA", size, (128, 128, 128, 255))
    flat.alpha_composite(rgba)
    grey = np.asarray(flat.convert("L"), dtype=np.float32)
    return grey, alpha > 250


def steepness(grey: npt.NDArray[np.float32]) -> float:
    """The steepest 0.3% of pixel steps as a share of the picture's contrast.

    A smooth render still has a crisp outline or a few crisp details, so its steepest steps
    span much of its contrast; blur spreads every edge over several pixels. Measuring the
    outline too (transparent pictures are flattened onto grey) keeps featureless shapes sharp.
    """
    gx = np.abs(np.diff(grey, axis=1))[:-1, :]
    gy = np.abs(np.diff(grey, axis=0))[:, :-1]
    steps = np.maximum(gx, gy)
    spread = float(np.percentile(grey, 99) - np.percentile(grey, 1))
    if spread < 8.0:
        return 0.0  # a flat picture has nothing in focus to show
    return float(np.percentile(steps, 99.7)) / spread


def text_measure(image: Image.Image) -> tuple[int, float]:
    """(letter-like shapes, share of the picture their lines cover)."""
    grey, _ = _grey(image, min(_TEXT_SIDE, max(image.size)))
    h, w = grey.shape
    # Ink is what stands out from its neighbourhood: dark-on-light and light-on-dark alike.
    local = np.asarray(
        Image.fromarray(grey.astype(np.uint8)).filter(ImageFilter.BoxBlur(max(4, h // 48))),
        dtype=np.float32,
    )
    best = (0, 0.0)
    for ink in (grey < local - 28, grey > local + 28):
        comps = label(ink)
        if comps.count == 0:
            continue
        top = np.full(comps.count, h, np.intp)
        bottom = np.zeros(comps.count, np.intp)
        left = np.full(comps.count, w, np.intp)
        right = np.zeros(comps.count, np.intp)
        np.minimum.at(top, comps.run_label, comps.run_row)
        np.maximum.at(bottom, comps.run_label, comps.run_row + 1)
        np.minimum.at(left, comps.run_label, comps.run_start)
        np.maximum.at(right, comps.run_label, comps.run_end)
        bh, bw = bottom - top, right - left
        fill = comps.areas() / np.maximum(bh * bw, 1)
        glyph = (
            (bh >= max(4, 0.012 * h))
            & (bh <= 0.12 * h)
            & (bw <= 0.15 * w)
            & (bw >= 1)
            & (fill >= 0.12)
            & (fill <= 0.9)
        )
        if glyph.sum() < 3:
            continue
        # Letters of one text share a height: keep the shapes near the median glyph height.
        med = float(np.median(bh[glyph]))
        glyph &= np.abs(bh - med) <= 0.45 * med
        count = int(glyph.sum())
        if count < 3 or _line_gaps(top[glyph], bottom[glyph], h) < 0.1:
            continue  # no empty rows between lines: texture or noise, not lines of text
        # Each letter plus its share of the spacing around it: about 1.6 times its box.
        cover = float(min(1.0, (bh[glyph] * bw[glyph]).sum() * 1.6 / (h * w)))
        if count * cover > best[0] * best[1]:
            best = (count, cover)
    return best


def _line_gaps(top: npt.NDArray[np.intp], bottom: npt.NDArray[np.intp], h: int) -> float:
    """Share of rows between the first and last glyph that no glyph box touches.

    Lines of text leave gaps between them; dense texture fills every row.
    """
    diff = np.zeros(h + 1, np.intp)
    np.add.at(diff, top, 1)
    np.add.at(diff, bottom, -1)
    occupied = np.cumsum(diff[:-1]) > 0
    rows = np.nonzero(occupied)[0]
    if len(rows) == 0:
        return 0.0
    span = occupied[rows[0] : rows[-1] + 1]
    return float(1.0 - span.mean())
