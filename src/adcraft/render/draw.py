"""Layout + visual -> pixels. The only module that draws on the canvas.

Order: background, product (with a soft contact shadow), then for each text element the
readability pass: measure the pixels actually under the text, pick the ink with the best worst-case
WCAG contrast, and if none reaches 4.5:1 put a plate (scrim) under it. The chosen colors are written
back into the layout, so manifest.json says exactly what was drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from adcraft.domain.creative import BUTTON_KINDS, TEXT_KINDS, Element, Layout
from adcraft.imagery.visual import Visual
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
    worst_contrast,
)

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
    """HxW float32 in [0, 1]: the product's alpha on the canvas."""


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
    saliency = np.zeros((layout.height, layout.width), dtype=np.float32)
    product = layout.element("product")
    if product is not None and visual is not None:
        _draw_product(canvas, saliency, product, visual, style)
    if logo is not None:
        for el in layout.elements:
            if el.kind == "logo":
                _paste_fit(canvas, logo, el.box)
    base = np.asarray(canvas).copy()
    draw = ImageDraw.Draw(canvas)
    final: list[Element] = []
    for el in layout.elements:
        if el.kind in TEXT_KINDS and el.lines:
            el = _draw_text_element(canvas, draw, base, el, palette, style)
        final.append(el)
    return Rendered(canvas, layout.model_copy(update={"elements": tuple(final)}), base, saliency)


# --- product -----------------------------------------------------------------------------------


# Values keep the source image alive, so its id() cannot be reused while it is cached.
_RESIZED: dict[tuple[int, int, int], tuple[Image.Image, Image.Image]] = {}


def _resized(image: Image.Image, w: int, h: int) -> Image.Image:
    """Downscale in two steps (reduce, then Lanczos): fast and sharp. Cached per size, since
    every variant of a set places the same product at the same few sizes."""
    key = (id(image), w, h)
    hit = _RESIZED.get(key)
    if hit is None:
        if len(_RESIZED) > 128:
            _RESIZED.clear()
        factor = min(image.width // max(1, w), image.height // max(1, h))
        src = image.reduce(factor) if factor >= 2 else image
        hit = _RESIZED[key] = (image, src.resize((w, h), Image.Resampling.LANCZOS))
    return hit[1]


def _draw_product(
    canvas: Image.Image, saliency: np.ndarray, el: Element, visual: Visual, style: Style
) -> None:
    x, y, w, h = el.box
    img = _resized(visual.image, w, h)
    if visual.has_cutout:
        _contact_shadow(canvas, el.box, style.shadow)
        canvas.paste(img, (x, y), img)
        alpha = np.asarray(img.getchannel("A"), dtype=np.float32) / 255.0
    else:
        # A photo whose background could not be removed is shown as a framed picture.
        mask = _rounded_mask(w, h, max(2, min(w, h) // 24))
        _drop_shadow(canvas, el.box, mask, style.shadow)
        canvas.paste(img.convert("RGB"), (x, y), mask)
        alpha = np.asarray(mask, dtype=np.float32) / 255.0
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
    big = small.resize((small.width * 4, small.height * 4), Image.Resampling.BILINEAR)
    top = y + h - big.height // 2 - round(h * 0.01)
    canvas.paste((0, 0, 0), (x - pad * 4, top), big)


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
    canvas.paste((0, 0, 0), (x - 4 * pad, y - 4 * pad + pad * 2), big)


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
    draw: ImageDraw.ImageDraw,
    base: np.ndarray,
    el: Element,
    palette: Palette,
    style: Style,
) -> Element:
    plate = el.plate
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
            ink, _ = picked
            under = _worst_under(ink, region)
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
        canvas.paste(hex_to_rgb(fill), (px, py), mask)
    _draw_lines(draw, el, ink)
    return el.model_copy(
        update={"color": ink, "background_color": under, "plate": plate, "plate_box": plate_box}
    )


def _worst_under(ink: str, region: np.ndarray) -> str:
    """The pixel color under the text that contrasts least with the ink (1st percentile)."""
    _, rgb = worst_contrast(hex_to_rgb(ink), region)
    return rgb_to_hex(rgb)


def _draw_lines(draw: ImageDraw.ImageDraw, el: Element, ink: str) -> None:
    """Draw each line at its baseline slot, aligned within the element's text box."""
    assert el.font and el.font_size and el.line_height is not None
    font = get_font(el.font, el.font_size)
    x, y, w, _ = el.box
    button = el.plate_box is not None and el.kind in BUTTON_KINDS
    if button:
        # The element box of a button is the plate; the text sits centred inside.
        px, py, pw, ph = el.plate_box
        block_h = el.line_height * (len(el.lines) - 1) + _ascent_descent(font)
        y = py + (ph - block_h) // 2
        x, w = px, pw
    fill = hex_to_rgb(ink)
    rtl = el.direction == "rtl"
    for i, line in enumerate(el.lines):
        lw = font.getlength(line, direction=el.direction)
        if el.align == "center" or button:
            lx = x + (w - lw) / 2
        elif el.align == "right":
            lx = x + w - lw
        else:
            lx = x
        draw.text(
            (lx, y + i * el.line_height),
            line,
            font=font,
            fill=fill,
            anchor="la",
            direction="rtl" if rtl else None,
        )


def _ascent_descent(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = line_metrics(font)
    return ascent + descent
