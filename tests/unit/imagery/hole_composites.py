"""Seeded product shots with exact masks for the hard cases of model-free cut-outs: objects that
enclose background (a ring's inside, the gaps between a wheel's spokes, a mug's handle) and
white objects on light grey (a white trainer). Drawn procedurally at twice the size and
box-downsampled, so the true alpha is anti-aliased like a photo's edge. Shared by tests and
``benchmarks/bench_cutout_holes.py``.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter

from adcraft.cv import cv2

Float = npt.NDArray[np.float32]
CATEGORIES = ("ring", "wheel", "mug", "white_shoe")
BACKGROUNDS = ("plain", "gradient", "textured")

_LIGHT = ((252, 252, 250), (240, 240, 236), (228, 229, 232), (236, 230, 220), (232, 238, 242))
_LIGHT_GREY = ((226, 227, 229), (220, 221, 224), (214, 215, 218))
_SS = 2  # supersampling factor for anti-aliased edges


def _grid(h: int, w: int) -> tuple[Float, Float]:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    return yy + 0.5, xx + 0.5


def _background(
    kind: str, base: tuple[int, int, int], h: int, w: int, rng: np.random.Generator
) -> Float:
    """A light backdrop: flat, a top-to-bottom sweep, or flat with paper-like texture."""
    canvas = np.broadcast_to(np.array(base, np.float32), (h, w, 3)).copy()
    if kind == "gradient":
        t = np.linspace(-0.5, 0.5, h, dtype=np.float32)[:, None, None]
        canvas *= 1.0 - float(rng.uniform(0.08, 0.16)) * t  # brighter top, darker floor
    elif kind == "textured":
        # Blotches a few percent of the frame across plus fine grain: paper, plaster, linen.
        small = rng.normal(0.0, 1.0, (max(2, h // 40), max(2, w // 40))).astype(np.float32)
        blotch = np.asarray(
            Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC), np.float32
        )
        grain = cv2.GaussianBlur(rng.normal(0.0, 1.0, (h, w)).astype(np.float32), (0, 0), 1.2)
        canvas += (float(rng.uniform(2.0, 4.0)) * blotch + 6.0 * grain)[..., None]
    elif kind != "plain":
        raise ValueError(f"unknown background {kind!r}: use one of {', '.join(BACKGROUNDS)}")
    return canvas


def _ellipse(
    yy: Float, xx: Float, cy: float, cx: float, ry: float, rx: float
) -> npt.NDArray[np.bool_]:
    return ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1.0


def _ring(h: int, w: int, rng: np.random.Generator) -> tuple[Float, Float]:
    """A metal band seen face-on or tilted: the inside shows the backdrop."""
    yy, xx = _grid(h, w)
    cy, cx = h * 0.45, w * float(rng.uniform(0.4, 0.6))
    r = h * float(rng.uniform(0.24, 0.32))
    squash = float(rng.uniform(0.7, 1.0))
    band = float(rng.uniform(0.14, 0.28))
    outer = _ellipse(yy, xx, cy, cx, r, r * squash)
    inner = _ellipse(yy, xx, cy, cx, r * (1 - band), r * squash * (1 - band))
    alpha = (outer & ~inner).astype(np.float32)
    metal = [(212, 175, 75), (200, 202, 208), (222, 170, 150), (170, 172, 178)]
    colour = np.array(metal[int(rng.integers(len(metal)))], np.float32)
    theta = np.arctan2(yy - cy, xx - cx)
    light = float(rng.uniform(0, 2 * np.pi))
    shade = 0.78 + 0.22 * np.cos(theta - light)
    # Across the band: brighter along its crest, like a rounded profile.
    rad = np.hypot((yy - cy) / r, (xx - cx) / (r * squash))
    profile = 1.0 - 0.25 * ((rad - (1 - band / 2)) / (band / 2)) ** 2
    rgb = colour * (shade * profile)[..., None]
    gem = int(rng.integers(3)) == 0
    if gem:
        gy, gx = cy - r * (1 - band / 2), cx
        stone = _ellipse(yy, xx, gy, gx, r * band * 0.9, r * band * 0.9)
        rgb[stone] = (235, 240, 250)
        alpha[stone] = 1.0
    return rgb, alpha


def _wheel(h: int, w: int, rng: np.random.Generator) -> tuple[Float, Float]:
    """A tyre, rim, hub and spokes: the gaps between spokes show the backdrop."""
    yy, xx = _grid(h, w)
    cy, cx = h * 0.46, w * float(rng.uniform(0.42, 0.58))
    r = h * float(rng.uniform(0.28, 0.36))
    rad = np.hypot(yy - cy, xx - cx)
    theta = np.arctan2(yy - cy, xx - cx)
    tyre = (rad <= r) & (rad > r * 0.8)
    rim = (rad <= r * 0.8) & (rad > r * float(rng.uniform(0.68, 0.72)))
    hub = rad <= r * float(rng.uniform(0.14, 0.22))
    spokes = int(rng.choice([4, 5, 6, 8]))
    half_width = r * float(rng.uniform(0.035, 0.07))
    phase = float(rng.uniform(0, 2 * np.pi / spokes))
    nearest = np.round((theta - phase) / (2 * np.pi / spokes)) * (2 * np.pi / spokes) + phase
    off_axis = np.abs(rad * np.sin(theta - nearest))
    spoke = (off_axis <= half_width) & (rad <= r * 0.8) & (np.cos(theta - nearest) > 0)
    alpha = (tyre | rim | hub | spoke).astype(np.float32)
    rgb = np.zeros((h, w, 3), np.float32)
    tyre_shade = 0.85 + 0.15 * np.cos(theta + 1.0)
    rgb[tyre] = (np.array((48, 48, 52), np.float32) * tyre_shade[tyre][:, None]).astype(np.float32)
    metal = np.array(
        [(196, 198, 204), (150, 152, 160), (60, 62, 70)][int(rng.integers(3))], np.float32
    )
    metal_shade = 0.85 + 0.15 * np.cos(theta - 2.0)
    inner = rim | hub | spoke
    rgb[inner] = metal * metal_shade[inner][:, None]
    return rgb, alpha


def _mug(h: int, w: int, rng: np.random.Generator) -> tuple[Float, Float]:
    """A cylindrical mug with a loop handle: the loop's inside shows the backdrop."""
    yy, xx = _grid(h, w)
    bh = h * float(rng.uniform(0.42, 0.52))
    bw = bh * float(rng.uniform(0.7, 0.95))
    x0, y0 = w * 0.5 - bw * 0.6, h * 0.46 - bh / 2
    flip = bool(rng.integers(2))
    body = (xx >= x0) & (xx <= x0 + bw) & (yy >= y0) & (yy <= y0 + bh)
    corner = bw * 0.12  # rounded base
    for cxn in (x0 + corner, x0 + bw - corner):
        zone = (
            (yy > y0 + bh - corner)
            & (np.abs(xx - cxn) <= corner)
            & ((xx < x0 + corner) | (xx > x0 + bw - corner))
        )
        body &= ~zone | _ellipse(yy, xx, y0 + bh - corner, cxn, corner, corner)
    hy, hx = y0 + bh * 0.47, x0 + bw
    hr_y, hr_x = bh * float(rng.uniform(0.26, 0.33)), bw * float(rng.uniform(0.26, 0.34))
    thick = float(rng.uniform(0.3, 0.45))
    loop = _ellipse(yy, xx, hy, hx, hr_y, hr_x) & ~_ellipse(
        yy, xx, hy, hx, hr_y * (1 - thick), hr_x * (1 - thick)
    )
    handle = loop & (xx > x0 + bw - 2)
    alpha = (body | handle).astype(np.float32)
    glazes = [(246, 246, 243), (200, 40, 45), (30, 50, 110), (40, 140, 140), (240, 200, 60)]
    colour = np.array(glazes[int(rng.integers(len(glazes)))], np.float32)
    # Cylinder shading: bright down the middle-left, darker towards both sides.
    u = np.clip((xx - x0) / bw, 0, 1)
    shade = 0.8 + 0.2 * np.cos((u - 0.4) * np.pi)
    shade = np.where(handle & ~body, 0.88, shade)
    rgb = colour * shade[..., None]
    rim = _ellipse(yy, xx, y0 + bw * 0.04, x0 + bw / 2, bw * 0.06, bw * 0.47) & body
    rgb[rim] = colour * 0.55
    if flip:
        rgb, alpha = rgb[:, ::-1].copy(), alpha[:, ::-1].copy()
    return rgb, alpha


def _white_shoe(h: int, w: int, rng: np.random.Generator) -> tuple[Float, Float]:
    """A white trainer in profile: upper, sole, laces and collar; shaded close to light grey."""
    length = w * float(rng.uniform(0.5, 0.62))
    left, base = w * 0.5 - length / 2, h * float(rng.uniform(0.62, 0.7))
    pts = [
        (0.0, 0.40), (0.5, 0.42), (0.95, 0.40), (1.03, 0.33), (1.0, 0.26), (0.9, 0.2),
        (0.72, 0.13), (0.55, 0.05), (0.42, 0.0), (0.3, 0.06), (0.2, 0.05), (0.08, -0.02),
        (0.0, 0.06), (-0.03, 0.24),
    ]  # fmt: skip
    scale = length
    poly = [(left + x * scale, base - (0.42 - y) * scale) for x, y in pts]
    mask_img = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask_img).polygon(poly, fill=255)
    # Round the corners: blur and re-threshold the outline.
    mask_img = mask_img.filter(ImageFilter.GaussianBlur(scale * 0.02)).point(
        lambda v: 255 if v >= 128 else 0
    )
    alpha = np.asarray(mask_img, np.float32) / 255.0
    yy, xx = _grid(h, w)
    v = (yy - (base - 0.42 * scale)) / (0.42 * scale)  # 0 at the top of the collar, 1 at sole
    white = np.array((250, 250, 248), np.float32)
    # Light from above: the lower upper shades towards the grey of a light backdrop, and the
    # rounded surface turns away from the light at the outline (a faint darker rim).
    inside = cv2.distanceTransform((alpha > 0.5).astype(np.uint8), cv2.DIST_L2, 5)
    rim = float(rng.uniform(0.03, 0.07)) * np.exp(-inside / (scale * 0.015))
    shade = 1.0 - float(rng.uniform(0.06, 0.12)) * np.clip(v, 0, 1) - rim
    rgb = white * shade[..., None]
    sole = v > 0.82
    rgb[sole] = np.array((238, 236, 230), np.float32) * 0.97
    seam = (v > 0.8) & (v <= 0.82)
    rgb[seam] = (200, 200, 198)
    draw_extra = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(draw_extra)
    for i in range(5):  # laces
        x = left + (0.52 + 0.07 * i) * scale
        y = base - (0.42 - 0.08 - 0.045 * i) * scale
        d.line((x - 0.03 * scale, y, x + 0.03 * scale, y - 0.02 * scale), fill=255, width=3)
    lace = np.asarray(draw_extra) > 0
    rgb[lace & (alpha > 0)] = (205, 205, 210)
    collar = _ellipse(yy, xx, base - 0.38 * scale, left + 0.2 * scale, 0.035 * scale, 0.11 * scale)
    rgb[collar & (alpha > 0)] = (120, 118, 115)
    if bool(rng.integers(2)):
        rgb, alpha = rgb[:, ::-1].copy(), alpha[:, ::-1].copy()
    return rgb, alpha


_DRAW: dict[str, Callable[[int, int, np.random.Generator], tuple[Float, Float]]] = {
    "ring": _ring,
    "wheel": _wheel,
    "mug": _mug,
    "white_shoe": _white_shoe,
}


def hole_composite(
    category: str,
    background: str,
    *,
    seed: int = 0,
    size: tuple[int, int] = (800, 600),
    noise: float = 2.5,
    jpeg_quality: int | None = None,
) -> tuple[Image.Image, npt.NDArray[np.uint8]]:
    """(RGB photo, true alpha) of one seeded product of ``category`` over ``background``.

    White shoes always stand on light grey; the others on a random light backdrop. JPEG
    quality is drawn from 80..92 unless given (``0`` keeps the photo lossless)."""
    if category not in _DRAW:
        raise ValueError(f"unknown category {category!r}: use one of {', '.join(CATEGORIES)}")
    rng = np.random.default_rng([seed, CATEGORIES.index(category), BACKGROUNDS.index(background)])
    w, h = size
    sw, sh = w * _SS, h * _SS
    rgb, alpha = _DRAW[category](sh, sw, rng)
    palette = _LIGHT_GREY if category == "white_shoe" else _LIGHT
    base = palette[int(rng.integers(len(palette)))]
    canvas = _background(background, base, h, w, rng)

    # Soft contact shadow under the object's lowest row, then the object over it.
    rows = np.nonzero((alpha > 0.5).any(axis=1))[0]
    cols = np.nonzero((alpha > 0.5).any(axis=0))[0]
    foot, x0, x1 = rows[-1] / _SS, cols[0] / _SS, cols[-1] / _SS
    shadow = Image.new("L", (w, h), 0)
    spread = (x1 - x0) * 0.08
    ImageDraw.Draw(shadow).ellipse(
        (x0 + spread, foot - h * 0.02, x1 - spread, foot + h * 0.03),
        fill=int(255 * float(rng.uniform(0.3, 0.5))),
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(h * 0.018))
    canvas *= 1.0 - np.asarray(shadow, np.float32)[..., None] / 255.0

    def down(arr: Float) -> Float:
        img = Image.fromarray(arr.astype(np.float32))
        return np.asarray(img.resize((w, h), Image.Resampling.BOX), np.float32)

    a = down(alpha)
    fg = np.stack([down(rgb[..., c] * alpha) for c in range(3)], axis=-1)
    canvas = canvas * (1.0 - a[..., None]) + fg
    canvas += rng.normal(0.0, noise, canvas.shape).astype(np.float32)
    photo = Image.fromarray(np.clip(canvas + 0.5, 0, 255).astype(np.uint8))
    quality = int(rng.integers(80, 93)) if jpeg_quality is None else jpeg_quality
    if quality:
        buf = io.BytesIO()
        photo.save(buf, "JPEG", quality=quality)
        photo = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    truth = np.clip(a * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return photo, truth
