"""Layout + visual -> pixels. The only module that draws on the canvas.

Order: background, product (with a soft contact shadow), then for each text element the
readability pass: measure the pixels actually under the text, pick the ink with the best worst-case
WCAG contrast, and if none reaches 4.5:1 put a plate (scrim) under it. The chosen colors are written
back into the layout, so manifest.json says exactly what was drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from adcraft.cv import cv2
from adcraft.domain.creative import BUTTON_KINDS, TEXT_KINDS, DrawnEmoji, Element, Layout
from adcraft.domain.visual import Visual
from adcraft.layout.styles import Style
from adcraft.layout.typography import get_font, line_metrics
from adcraft.render.backgrounds import paint
from adcraft.render.color import (
    Palette,
    contrast_ratio,
    ensure_contrast,
    hex_to_rgb,
    mix,
    pick_text_color,
    retone,
    rgb_to_hex,
)
from adcraft.render.resample import upscale
from adcraft.render.text import LineArt, line_art

MIN_CONTRAST = 4.5
PLATE_CONTRAST = 5.2
TEXT_CONTRAST = 4.8
_SUPERSAMPLE = 3


@dataclass(frozen=True)
class Rendered:
    """A drawn creative: the image, the layout with final colors, and analysis layers."""

    image: Image.Image
    layout: Layout
    base: np.ndarray
    """HxWx3 uint8 canvas before any text or plate: what the text sits on."""
    saliency: np.ndarray
    """HxW uint8: the product's alpha on the canvas (8 bits: a quarter of a float map's
    memory, and the metrics only read a subsample of it)."""


def render(
    layout: Layout,
    visual: Visual | None,
    palette: Palette,
    style: Style,
    logo: Image.Image | None = None,
) -> Rendered:
    """Draw a layout. Colors of text elements are decided here, from the real pixels."""
    palette = retone(palette, dark=style.dark)
    size = (layout.width, layout.height)
    canvas = paint(layout.background, size)
    saliency = np.zeros((layout.height, layout.width), dtype=np.uint8)
    product = layout.element("product")
    if product is not None and visual is not None:
        _draw_product(canvas, saliency, product, visual, style)
    if logo is not None:
        for el in layout.elements:
            if el.kind == "logo":
                _paste_fit(canvas, logo, el.box)
    base = np.asarray(canvas)  # a read-only snapshot (Pillow hands numpy a copy of the bytes)
    final: list[Element] = []
    for el in layout.elements:
        if el.kind in TEXT_KINDS and el.lines:
            el = _draw_text_element(canvas, base, el, palette, style)
        final.append(el)
    return Rendered(canvas, layout.model_copy(update={"elements": tuple(final)}), base, saliency)


# --- product -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sized:
    """A product picture at its drawn size."""

    rgba: Image.Image
    """Straight (not premultiplied) RGBA, ready to paste with itself as the mask."""
    alpha: np.ndarray
    """HxW uint8 coverage."""


# Values keep the source image alive, so its id() cannot be reused while it is cached.
_PREMULTIPLIED: dict[int, tuple[Image.Image, np.ndarray]] = {}
_RESIZED: dict[tuple[int, int, int], tuple[Image.Image, _Sized]] = {}


def _premultiplied(image: Image.Image) -> np.ndarray:
    """HxWx4 uint8 RGBa (colour times alpha), once per source image."""
    hit = _PREMULTIPLIED.get(id(image))
    if hit is None:
        if len(_PREMULTIPLIED) > 8:
            _PREMULTIPLIED.clear()
        hit = _PREMULTIPLIED[id(image)] = (image, np.asarray(image.convert("RGBa")))
    return hit[1]


def _resized(image: Image.Image, w: int, h: int) -> _Sized:
    """The product at w x h, cached per size (the variants of a set reuse the same few).

    Resampled premultiplied, so no dark fringe bleeds in from transparent pixels, with OpenCV:
    its SIMD resampler and arithmetic are several times faster than Pillow's on a 700 px
    RGBA image, which was the largest single cost of a creative. Area averaging when
    shrinking (no aliasing), bicubic when enlarging.
    """
    key = (id(image), w, h)
    hit = _RESIZED.get(key)
    if hit is None:
        if len(_RESIZED) > 128:
            _RESIZED.clear()
        src = _premultiplied(image)
        shrinking = w < src.shape[1] and h < src.shape[0]
        interp = cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
        out = cv2.resize(src, (w, h), interpolation=interp)
        alpha = np.ascontiguousarray(out[..., 3])
        straight = cv2.divide(out, cv2.merge([alpha] * 4), scale=255.0)  # 0 where alpha is 0
        straight[..., 3] = alpha
        hit = _RESIZED[key] = (image, _Sized(Image.fromarray(straight, "RGBA"), alpha))
    return hit[1]


def _draw_product(
    canvas: Image.Image, saliency: np.ndarray, el: Element, visual: Visual, style: Style
) -> None:
    x, y, w, h = el.box
    sized = _resized(visual.image, w, h)
    if visual.has_cutout:
        _contact_shadow(canvas, el.box, style.shadow)
        canvas.paste(sized.rgba, (x, y), sized.rgba)
        alpha = sized.alpha
    else:
        # A photo whose background could not be removed is shown as a framed picture.
        mask = _rounded_mask(w, h, max(2, min(w, h) // 24))
        _drop_shadow(canvas, el.box, mask, style.shadow)
        canvas.paste(sized.rgba.convert("RGB"), (x, y), mask)
        alpha = np.asarray(mask)
    region = saliency[y : y + h, x : x + w]
    region[...] = np.maximum(region, alpha[: region.shape[0], : region.shape[1]])


def _contact_shadow(canvas: Image.Image, box: tuple[int, int, int, int], strength: float) -> None:
    """A soft elliptical shadow where the product meets the ground."""
    x, y, w, h = box
    sw, sh = max(4, w // 4), max(4, h // 4)
    pad = max(2, sw // 3)
    small = Image.new("L", (sw + 2 * pad, max(4, sh // 4) + 2 * pad), 0)
    ImageDraw.Draw(small).ellipse(
        (pad + sw * 0.08, pad, pad + sw * 0.92, small.height - pad), fill=round(255 * strength)
    )
    small = small.filter(ImageFilter.GaussianBlur(max(1.0, pad / 2)))
    big = upscale(small, (small.width * 4, small.height * 4))
    top = y + h - big.height // 2 - round(h * 0.01)
    _fill_through(canvas, (0, 0, 0), (x - pad * 4, top), big)


def _drop_shadow(
    canvas: Image.Image, box: tuple[int, int, int, int], mask: Image.Image, strength: float
) -> None:
    x, y, w, h = box
    sw, sh = max(2, w // 4), max(2, h // 4)
    pad = max(2, min(sw, sh) // 8)
    small = Image.new("L", (sw + 2 * pad, sh + 2 * pad), 0)
    small.paste(round(160 * strength), (pad, pad, pad + sw, pad + sh))
    small = small.filter(ImageFilter.GaussianBlur(pad / 2))
    big = small.resize((w + 8 * pad, h + 8 * pad), Image.Resampling.BILINEAR)
    _fill_through(canvas, (0, 0, 0), (x - 4 * pad, y - 4 * pad + pad * 2), big)


def _fill_through(
    canvas: Image.Image, color: tuple[int, int, int], at: tuple[int, int], mask: Image.Image
) -> None:
    """``canvas.paste(color, at, mask)`` with the same pixels, about 1.8x faster: Pillow blends
    an image through a mask faster than it blends a flat colour."""
    canvas.paste(Image.new(canvas.mode, mask.size, color), at, mask)


def _paste_fit(canvas: Image.Image, img: Image.Image, box: tuple[int, int, int, int]) -> None:
    x, y, w, h = box
    logo = img.convert("RGBA").copy()
    logo.thumbnail((w, h), Image.Resampling.LANCZOS)
    canvas.paste(logo, (x + (w - logo.width) // 2, y + (h - logo.height) // 2), logo)


@lru_cache(maxsize=256)
def _rounded_mask(w: int, h: int, radius: int) -> Image.Image:
    """An anti-aliased rounded-rectangle mask (drawn supersampled, then reduced)."""
    k = _SUPERSAMPLE
    big = Image.new("L", (w * k, h * k), 0)
    ImageDraw.Draw(big).rounded_rectangle((0, 0, w * k - 1, h * k - 1), radius * k, fill=255)
    return big.reduce(k)


# --- text ----------------------------------------------------------------------------------------


def _plate_colors(kind: str, palette: Palette, style: Style) -> str:
    """Fill of a plate: the CTA in the accent, the badge in contrast to it, the price quiet."""
    if kind == "cta":
        return palette.accent
    if kind == "badge":
        return "#ffffff" if style.dark else palette.ink
    return mix(palette.background, "#ffffff" if style.dark else palette.ink, 0.12)


def _best_ink(fill: str, palette: Palette) -> str:
    """The ink with the highest contrast on a flat plate color."""
    candidates = (palette.accent_ink, palette.ink, "#ffffff", "#111111", "#000000")
    return max(candidates, key=lambda c: contrast_ratio(hex_to_rgb(c), hex_to_rgb(fill)))


def _radius(plate: str, h: int) -> int:
    return {"pill": h // 2, "rounded": max(2, h // 4), "rect": max(1, h // 12)}.get(plate, 0)


def _draw_text_element(
    canvas: Image.Image,
    base: np.ndarray,
    el: Element,
    palette: Palette,
    style: Style,
) -> Element:
    plate: str = el.plate
    plate_box = el.plate_box
    if plate_box is not None:
        plate = style.cta_plate if el.kind == "cta" else style.badge_plate
        if el.kind == "price":
            plate = "rounded"
        fill = _plate_colors(el.kind, palette, style)
        ink = _best_ink(fill, palette)
        # Headroom above 4.5:1 so lossy encoding (JPEG ringing) cannot push text below it.
        fill = ensure_contrast(fill, ink, PLATE_CONTRAST)
        under = fill
    else:
        x, y, w, h = el.box
        region = base[max(0, y) : y + h, max(0, x) : x + w]
        # Every other pixel is plenty for a 1st-percentile worst case on smooth backgrounds,
        # and a quarter of the work; the tests re-check contrast on every output pixel.
        step = 2 if region.shape[0] * region.shape[1] > 40_000 else 1
        region = region[::step, ::step]
        dark_first = style.dark
        candidates = (
            ("#ffffff", palette.ink, "#000000")
            if dark_first
            else (palette.ink, "#111111", "#ffffff")
        )
        picked = pick_text_color(region, candidates, TEXT_CONTRAST)
        if picked is not None:
            ink, under = picked.color, rgb_to_hex(picked.under)
        else:
            # Nothing reads on this background: lay a scrim plate under the text.
            fill = (
                mix(palette.background, "#ffffff", 0.2)
                if not style.dark
                else mix(palette.accent, "#000000", 0.7)
            )
            ink = _best_ink(fill, palette)
            pad = max(4, round((el.font_size or 12) * 0.35))
            plate_box = (x - pad, y - pad, w + 2 * pad, h + 2 * pad)
            plate = "rounded"
            under = fill
    if plate_box is not None:
        px, py, pw, ph = plate_box
        mask = _rounded_mask(pw, ph, _radius(plate, ph))
        _fill_through(canvas, hex_to_rgb(fill), (px, py), mask)
    drawn = _draw_lines(canvas, el, ink, under)
    update: dict[str, object] = {
        "color": ink,
        "background_color": under,
        "plate": plate,
        "plate_box": plate_box,
    }
    if drawn:
        update["emoji"] = drawn
    return el.model_copy(update=update)


def _draw_lines(canvas: Image.Image, el: Element, ink: str, under: str) -> tuple[DrawnEmoji, ...]:
    """Draw each line at its baseline slot, aligned within the element's text box; the colour
    emoji drawn, with their boxes on the canvas. ``under`` is the colour the text stands on
    (its plate, or the worst case of the background)."""
    assert el.font and el.font_size and el.line_height is not None
    x, y, w, _ = el.box
    button = el.plate_box is not None and el.kind in BUTTON_KINDS
    if button:
        # The element box of a button is the plate; the text sits centred inside.
        assert el.plate_box is not None
        px, py, pw, ph = el.plate_box
        font = get_font(el.font, el.font_size)
        block_h = el.line_height * (len(el.lines) - 1) + _ascent_descent(font)
        y = py + (ph - block_h) // 2
        x, w = px, pw
    fill = hex_to_rgb(ink)
    drawn: list[DrawnEmoji] = []
    for i, line in enumerate(el.lines):
        art = line_art(el.font, el.font_size, line, el.direction == "rtl")
        if el.align == "center" or button:
            lx = round(x + (w - art.advance) / 2)
        elif el.align == "right":
            lx = math.floor(x + w - art.advance)  # never past the box's right edge
        else:
            lx = x
        ly = y + i * el.line_height
        if el.struck and line.startswith(el.struck):
            _draw_struck_line(canvas, el, art, (lx, ly), fill, prior_ink(ink, under))
        else:
            _fill_through(canvas, fill, (lx + art.dx, ly + art.dy), art.mask)
        if art.color is not None:
            # Emoji keep their own colours: composited over the ink, through their alpha.
            canvas.paste(art.color.convert(canvas.mode), (lx + art.dx, ly + art.dy), art.color)
            drawn += [
                DrawnEmoji(text=t, box=(lx + ex, ly + ey, ew, eh))
                for t, ex, ey, ew, eh in art.emoji
            ]
    return tuple(drawn)


def prior_ink(ink: str, under: str) -> str:
    """The colour of a struck prior price: the ink lightened toward what it stands on, as
    shops set the price a sale replaces, but never below the legibility floor (4.5:1 with
    headroom for lossy encoding): a price indication must stay readable."""
    for t in (0.45, 0.35, 0.25, 0.15):
        muted = mix(ink, under, t)
        if contrast_ratio(hex_to_rgb(muted), hex_to_rgb(under)) >= TEXT_CONTRAST:
            return muted
    return ink


def _draw_struck_line(
    canvas: Image.Image,
    el: Element,
    art: LineArt,
    at: tuple[int, int],
    fill: tuple[int, int, int],
    prior: str,
) -> None:
    """A price line that starts with the prior price: that price in ``prior``, with a line
    through the middle of its figures, then the price in ``fill``. The logical start is on
    the right in a right-to-left line."""
    assert el.font and el.font_size and el.struck
    rtl = el.direction == "rtl"
    width = line_art(el.font, el.font_size, el.struck, rtl).advance
    gap = line_art(el.font, el.font_size, el.struck + " ", rtl).advance - width
    lx, ly = at
    x0 = lx + art.advance - width if rtl else lx
    # Split the line's mask in the middle of the space after the prior price.
    split = round(x0 - gap / 2 if rtl else x0 + width + gap / 2) - (lx + art.dx)
    split = min(max(split, 0), art.mask.width)
    prior_part, price_part = art.mask.copy(), art.mask.copy()
    blank = (
        (split, 0, art.mask.width, art.mask.height) if not rtl else (0, 0, split, art.mask.height)
    )
    ImageDraw.Draw(prior_part).rectangle(blank, fill=0)
    shown = (
        (0, 0, split, art.mask.height) if not rtl else (split, 0, art.mask.width, art.mask.height)
    )
    ImageDraw.Draw(price_part).rectangle(shown, fill=0)
    at_mask = (lx + art.dx, ly + art.dy)
    _fill_through(canvas, fill, at_mask, price_part)
    _fill_through(canvas, hex_to_rgb(prior), at_mask, prior_part)
    font = get_font(el.font, el.font_size)
    ascent, _ = line_metrics(font)
    top = font.getbbox("0123456789", anchor="ls")[1]  # negative: figure height above base
    thick = max(1, round(el.font_size * 0.07))
    mid = ly + ascent + round(top / 2)
    over = max(1, round(el.font_size * 0.05))
    y0 = mid - thick // 2
    box = (math.floor(x0) - over, y0, math.ceil(x0 + width) + over, y0 + thick - 1)
    ImageDraw.Draw(canvas).rectangle(box, fill=prior)


def _ascent_descent(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = line_metrics(font)
    return ascent + descent


def clear_caches() -> None:
    """Forget resized products and text masks, so a benchmark can time a cold render."""
    _RESIZED.clear()
    line_art.cache_clear()
