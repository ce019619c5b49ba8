"""Color math for the renderer: WCAG contrast, text-color choice over busy pixels, palettes.

Pure functions on '#rrggbb' strings, (r, g, b) tuples and numpy arrays; no drawing here.
Lightness edits happen in OKLCH (Björn Ottosson's OKLab in polar form) because equal steps
there look equal, unlike HSL where yellow at 50% lightness is far brighter than blue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from adcraft.errors import InputError

RGB = tuple[int, int, int]
Color = str | RGB
"""A color as '#rrggbb' (or '#rgb') or an (r, g, b) tuple of 0..255 ints."""

WHITE = "#ffffff"
BLACK = "#000000"
AA_NORMAL = 4.5
"""WCAG 2 AA minimum contrast for normal-size text."""
AA_LARGE = 3.0
"""WCAG 2 AA minimum contrast for large text and for UI shapes such as a button."""


def _linearise(c: float) -> float:
    # WCAG 2.x cites 0.03928; 0.04045 is the sRGB standard's value. No 8-bit value lies
    # between the two, so both give identical results on real colors.
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _delinearise(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


_LINEAR = np.array([_linearise(i / 255) for i in range(256)], dtype=np.float64)
# One float32 table per channel with the luminance weight folded in, so a luminance map is
# three gathers and two adds instead of a power function per pixel.
_LUM_LUT = (
    (_LINEAR * 0.2126).astype(np.float32),
    (_LINEAR * 0.7152).astype(np.float32),
    (_LINEAR * 0.0722).astype(np.float32),
)


@lru_cache(maxsize=4096)
def hex_to_rgb(color: str) -> RGB:
    """Parse '#rrggbb' or '#rgb' (the '#' is optional) into an (r, g, b) tuple (cached: a
    creative parses its few palette colours thousands of times)."""
    s = color.strip().lstrip("#")
    if len(s) == 3:
        s = "".join(ch * 2 for ch in s)
    if len(s) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in s):
        raise InputError(f"color {color!r} is not a hex color such as '#1a2b3c'")
    return int(s[0:2], 16), int(s[2:4], 16), int(s[4:6], 16)


def rgb_to_hex(rgb: Sequence[float]) -> str:
    """Format an (r, g, b) triple of 0..255 values (rounded and clamped) as '#rrggbb'."""
    r, g, b = (min(255, max(0, round(float(v)))) for v in rgb[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def to_rgb(color: Color) -> RGB:
    """Any accepted color value as an (r, g, b) tuple."""
    if isinstance(color, str):
        return hex_to_rgb(color)
    r, g, b = color
    return int(r), int(g), int(b)


def to_hex(color: Color) -> str:
    """Any accepted color value as lower-case '#rrggbb'."""
    return rgb_to_hex(to_rgb(color))


def relative_luminance(color: Color) -> float:
    """WCAG 2 relative luminance (0 black .. 1 white) from linearised sRGB."""
    r, g, b = to_rgb(color)
    return float(0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b])


def _ratio(la: float, lb: float) -> float:
    hi, lo = (la, lb) if la >= lb else (lb, la)
    return (hi + 0.05) / (lo + 0.05)


def contrast_ratio(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1.0 to 21.0."""
    return _ratio(relative_luminance(a), relative_luminance(b))


def luminance_map(arr: np.ndarray) -> np.ndarray:
    """Relative luminance of every pixel of a uint8 ...x3 (or x4, alpha ignored) array, float32."""
    if arr.dtype != np.uint8 or arr.ndim < 2 or arr.shape[-1] < 3:
        raise ValueError(
            f"expected a uint8 array with 3 or 4 channels, got {arr.dtype} {arr.shape}"
        )
    r, g, b = _LUM_LUT
    # np.take plus in-place adds: about half the time of fancy indexing with temporaries.
    out: np.ndarray = np.take(r, arr[..., 0])
    out += np.take(g, arr[..., 1])
    out += np.take(b, arr[..., 2])
    return out


def _robust_band(lum: np.ndarray) -> np.ndarray:
    """Mask of pixels between the 1st and 99th luminance percentiles (inclusive)."""
    if lum.size == 0:
        raise ValueError("region is empty: cannot measure contrast over zero pixels")
    lo, hi = np.percentile(lum, (1.0, 99.0), method="nearest")
    keep: np.ndarray = (lum >= lo) & (lum <= hi)
    return keep


def _worst_index(text_lum: float, lum: np.ndarray, keep: np.ndarray) -> int:
    """Index into flat ``lum`` of the pixel whose contrast with ``text_lum`` is lowest, robustly.

    The 1% darkest and 1% brightest pixels are ignored (anti-aliased edges, specks of
    noise); among the rest, contrast falls as a pixel's luminance nears the text's, so the
    worst pixel is the nearest one from above or from below. When the text is darker or
    lighter than the whole trimmed region that is the 1st or 99th percentile pixel.
    """
    above = np.where(keep & (lum >= text_lum), lum, np.inf)
    below = np.where(keep & (lum <= text_lum), lum, -np.inf)
    i_above, i_below = int(np.argmin(above)), int(np.argmax(below))
    if not np.isfinite(above[i_above]):
        return i_below
    if not np.isfinite(below[i_below]):
        return i_above
    ra = _ratio(text_lum, float(lum[i_above]))
    rb = _ratio(text_lum, float(lum[i_below]))
    return i_above if ra <= rb else i_below


def worst_contrast(text_rgb: Color, region: np.ndarray) -> tuple[float, RGB]:
    """Lowest contrast of a text color over a uint8 HxWx3 region and the pixel color causing it.

    Robust extreme: the 1st-99th percentile band of pixel luminance is kept and the pixel in
    it nearest the text's luminance is used, so a few stray pixels do not decide the result.
    """
    flat = region.reshape(-1, region.shape[-1])
    lum = luminance_map(flat)
    text_lum = relative_luminance(text_rgb)
    i = _worst_index(text_lum, lum, _robust_band(lum))
    px = flat[i]
    return _ratio(text_lum, float(lum[i])), (int(px[0]), int(px[1]), int(px[2]))


class PickedInk(NamedTuple):
    """The chosen text colour, its worst-case contrast, and the pixel colour that sets it."""

    color: str
    ratio: float
    under: RGB


def pick_text_color(
    region: np.ndarray, candidates: Sequence[str], min_ratio: float = AA_NORMAL
) -> PickedInk | None:
    """The candidate with the highest worst-case contrast over ``region``; None below min_ratio."""
    flat = region.reshape(-1, region.shape[-1])
    lum = luminance_map(flat)
    keep = _robust_band(lum)
    best: PickedInk | None = None
    for cand in candidates:
        text_lum = relative_luminance(cand)
        i = _worst_index(text_lum, lum, keep)
        ratio = _ratio(text_lum, float(lum[i]))
        # Strictly greater: on a tie the earlier (preferred) candidate wins.
        if best is None or ratio > best.ratio:
            px = flat[i]
            best = PickedInk(to_hex(cand), ratio, (int(px[0]), int(px[1]), int(px[2])))
    if best is None or best.ratio < min_ratio:
        return None
    return best


def mix(a: Color, b: Color, t: float) -> str:
    """Blend a toward b by t (0 gives a, 1 gives b) in sRGB, like CSS color-mix in srgb."""
    t = min(1.0, max(0.0, t))
    ra, rb = to_rgb(a), to_rgb(b)
    return rgb_to_hex([x + (y - x) * t for x, y in zip(ra, rb, strict=True)])


# --- OKLab / OKLCH -------------------------------------------------------------------------


def to_oklch(color: Color) -> tuple[float, float, float]:
    """(L 0..1, chroma 0..~0.37, hue degrees 0..360) of a color in OKLCH."""
    r, g, b = (float(_LINEAR[v]) for v in to_rgb(color))
    lm = 0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b
    mm = 0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b
    sm = 0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b
    l_, m_, s_ = (math.copysign(abs(v) ** (1 / 3), v) for v in (lm, mm, sm))
    lightness = 0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_
    a = 1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_
    bb = 0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_
    return lightness, math.hypot(a, bb), math.degrees(math.atan2(bb, a)) % 360.0


def _oklch_to_linear(lightness: float, chroma: float, hue: float) -> tuple[float, float, float]:
    a, b = chroma * math.cos(math.radians(hue)), chroma * math.sin(math.radians(hue))
    l_ = lightness + 0.3963377774 * a + 0.2158037573 * b
    m_ = lightness - 0.1055613458 * a - 0.0638541728 * b
    s_ = lightness - 0.0894841775 * a - 1.2914855480 * b
    lm, mm, sm = l_**3, m_**3, s_**3
    return (
        4.0767416621 * lm - 3.3077115913 * mm + 0.2309699292 * sm,
        -1.2684380046 * lm + 2.6097574011 * mm - 0.3413193965 * sm,
        -0.0041960863 * lm - 0.7034186147 * mm + 1.7076147010 * sm,
    )


def from_oklch(lightness: float, chroma: float, hue: float) -> str:
    """'#rrggbb' for an OKLCH color, lowering chroma until it fits the sRGB gamut."""
    lightness = min(1.0, max(0.0, lightness))
    chroma = max(0.0, chroma)

    def fits(c: float) -> bool:
        return all(-1e-4 <= v <= 1.0001 for v in _oklch_to_linear(lightness, c, hue))

    if not fits(chroma):
        # Keep lightness and hue, give up chroma: a paler color reads as the same color,
        # whereas clipping channels shifts the hue.
        lo, hi = 0.0, chroma
        for _ in range(20):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if fits(mid) else (lo, mid)
        chroma = lo
    rgb = (_delinearise(v) * 255 for v in _oklch_to_linear(lightness, chroma, hue))
    return rgb_to_hex(list(rgb))


def lighten(color: Color, amount: float) -> str:
    """Move OKLCH lightness toward white by ``amount`` (0..1) of the remaining distance."""
    lightness, chroma, hue = to_oklch(color)
    return from_oklch(lightness + (1.0 - lightness) * min(1.0, max(0.0, amount)), chroma, hue)


def darken(color: Color, amount: float) -> str:
    """Move OKLCH lightness toward black by ``amount`` (0..1) of the remaining distance."""
    lightness, chroma, hue = to_oklch(color)
    return from_oklch(lightness * (1.0 - min(1.0, max(0.0, amount))), chroma, hue)


def ensure_contrast(color: Color, against: Color, target: float) -> str:
    """``color`` with OKLCH lightness moved away from ``against`` until it reaches ``target``.

    Falls back to black or white (whichever is better) if no lightness of that hue gets there.
    """
    if contrast_ratio(color, against) >= target:
        return to_hex(color)
    lightness, chroma, hue = to_oklch(color)
    go_dark = relative_luminance(against) > 0.18  # 0.18: where black and white tie (~4.58:1)
    lo, hi = (0.0, lightness) if go_dark else (lightness, 1.0)
    # Binary search for the lightness closest to the original that still passes.
    for _ in range(24):
        mid = (lo + hi) / 2
        ok = contrast_ratio(from_oklch(mid, chroma, hue), against) >= target
        if go_dark:
            lo, hi = (mid, hi) if ok else (lo, mid)
        else:
            lo, hi = (lo, mid) if ok else (mid, hi)
    out = from_oklch(lo if go_dark else hi, chroma, hue)
    if contrast_ratio(out, against) >= target:
        return out
    return BLACK if contrast_ratio(BLACK, against) >= contrast_ratio(WHITE, against) else WHITE


def best_ink(background: Color) -> str:
    """White if it reaches 4.5:1 on ``background`` (the usual button look), else black.

    One of the two always reaches 4.5:1: white does up to luminance 0.183, black from 0.175.
    """
    return WHITE if contrast_ratio(WHITE, background) >= AA_NORMAL else BLACK


# --- palettes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Palette:
    """The colors a design is painted with, each '#rrggbb'."""

    background: str
    surface: str
    """Cards and plates laid over the background."""
    accent: str
    """CTA button and highlights."""
    accent_ink: str
    """Text on the accent; always >= 4.5:1 against it."""
    ink: str
    """Main text on the background; >= 4.5:1 against it."""
    muted: str
    """Secondary text on the background; >= 4.5:1 against it."""


_CHROMATIC = 0.04
"""OKLCH chroma below which a color reads as grey, white or black."""
_DEFAULT_HUE = 255.0
"""A trustworthy blue, used when nothing in the product has a hue of its own."""


def _finish(background: str, accent: str, hue: float, *, tinted: bool) -> Palette:
    """Derive surface, inks and muted from a chosen background and accent."""
    bg_l, bg_c, _ = to_oklch(background)
    dark = relative_luminance(background) < 0.18
    # A plate must be told apart from the background without shouting.
    surface = from_oklch(bg_l + 0.08 if dark else min(1.0, bg_l + 0.035), bg_c * 0.6, hue)
    if surface == to_hex(background):
        surface = from_oklch(bg_l - 0.05, bg_c * 0.6, hue)
    # Inks tinted with the palette hue feel designed (pure grey for black-and-white brands);
    # 7:1 is WCAG AAA for body text.
    tint = 0.015 if tinted else 0.0
    ink = ensure_contrast(from_oklch(0.97 if dark else 0.22, tint, hue), background, 7.0)
    ink = ensure_contrast(ink, surface, AA_NORMAL)
    muted = ensure_contrast(mix(ink, background, 0.35), background, AA_NORMAL)
    muted = ensure_contrast(muted, surface, AA_NORMAL)
    return Palette(
        background=to_hex(background),
        surface=to_hex(surface),
        accent=to_hex(accent),
        accent_ink=best_ink(accent),
        ink=ink,
        muted=muted,
    )


def harmonise(dominant: Sequence[str]) -> Palette:
    """A brand-like palette derived from a product's dominant colors (most dominant first).

    Background: a pale tint of the product's hue for dark or mid products, a deep tone for
    light ones (the product must stand out). Accent: the complementary hue when the product
    is colorful (the button pops against it), else a saturated version of its own hue or a
    default blue for grey products; pushed to >= 3:1 against the background (WCAG UI shapes).
    """
    lchs = [to_oklch(c) for c in dominant]
    key = next((c for c in lchs if c[1] >= _CHROMATIC), None)
    lead_l = lchs[0][0] if lchs else 0.5
    hue = key[2] if key else _DEFAULT_HUE
    product_chroma = key[1] if key else 0.0
    dark_bg = lead_l >= 0.78  # a light product vanishes on a pale background
    if dark_bg:
        background = from_oklch(0.26, min(0.05, max(0.02, product_chroma * 0.4)), hue)
    else:
        background = from_oklch(0.965, min(0.02, max(0.008, product_chroma * 0.2)), hue)
    if key is None:
        accent_hue = _DEFAULT_HUE
    elif product_chroma >= 0.08:
        accent_hue = (hue + 180.0) % 360.0  # complementary: the CTA stands apart from product
    else:
        accent_hue = (hue + 30.0) % 360.0  # analogous: a muted product keeps a calm palette
    if dark_bg:
        # A light button with black ink; >= 3:1 keeps the button visible (WCAG UI shapes).
        accent = ensure_contrast(from_oklch(0.74, 0.17, accent_hue), background, AA_LARGE)
    else:
        # Dark enough for white ink, which also puts it >= 3:1 from the pale background.
        accent = ensure_contrast(from_oklch(0.58, 0.17, accent_hue), WHITE, AA_NORMAL)
    return _finish(background, accent, hue, tinted=True)


def palette_from_brand(colors: Sequence[str]) -> Palette:
    """A palette that keeps the brand's colors; the accent ink always reaches 4.5:1.

    Accent: the first brand color with a real hue (else the first color, e.g. a black brand).
    Background: another brand color that is very light or very dark and >= 3:1 from the
    accent, else a pale (or, for a light accent, deep) tint of the accent's hue.
    """
    if not colors:
        return harmonise(())
    hexes = [to_hex(c) for c in colors]
    lchs = [to_oklch(c) for c in hexes]
    ai = next((i for i, c in enumerate(lchs) if c[1] >= _CHROMATIC), 0)
    accent = hexes[ai]
    acc_l, acc_c, hue = lchs[ai]
    tinted = acc_c >= _CHROMATIC
    background = next(
        (
            h
            for i, (h, c) in enumerate(zip(hexes, lchs, strict=True))
            if i != ai and (c[0] >= 0.9 or c[0] <= 0.3) and contrast_ratio(h, accent) >= AA_LARGE
        ),
        None,
    )
    if background is None:
        if acc_l >= 0.8:
            background = from_oklch(0.25, min(0.04, acc_c * 0.3), hue)
        else:
            background = from_oklch(0.97, min(0.018, acc_c * 0.15), hue)
    return _finish(background, accent, hue, tinted=tinted)


def retone(palette: Palette, *, dark: bool) -> Palette:
    """The same palette on a light or a dark ground, for styles that need one or the other.

    Keeps the hue of the background and the accent; rebuilds surface and inks for the new
    ground, so every ink guarantee of the palette still holds.
    """
    return _retone(palette, dark)


@lru_cache(maxsize=64)
def _retone(palette: Palette, dark: bool) -> Palette:
    # Cached: every creative of a variant retones the same palette (~0.6 ms of colour search).
    if (relative_luminance(palette.background) < 0.18) == dark:
        return palette
    _, chroma, hue = to_oklch(palette.background)
    chroma = min(0.05 if dark else 0.02, max(0.008, chroma))
    background = from_oklch(0.26 if dark else 0.965, chroma, hue)
    accent = palette.accent
    if contrast_ratio(accent, background) < AA_LARGE:
        accent = ensure_contrast(accent, background, AA_LARGE)
    return _finish(background, accent, hue, tinted=chroma >= 0.008)
