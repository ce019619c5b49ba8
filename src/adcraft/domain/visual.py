"""The product picture as layout, rendering and scoring see it: a value, made by imagery."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class Visual:
    """A product picture ready for layout: RGBA, cropped to the product, with quality stats."""

    image: Image.Image
    """RGBA at full resolution, cropped to the product's alpha box plus a small margin."""
    has_cutout: bool
    """True when alpha outlines the product (transparent input or a confident removal)."""
    dominant_colors: tuple[str, ...]
    """Up to five '#rrggbb' colours of the product, most prominent first."""
    sharpness: float
    """0..1: v / (v + h), h = imagery.visual.SHARPNESS_HALF, v the variance of the
    4-neighbour Laplacian of grey (0..255) over the product's inner pixels on a copy 512 px
    long. Crisp smooth renders score 0.2-0.7, the same after a 4 px blur (at ~1200 px) under
    0.15; texture nears 1."""
    exposure: float
    """Mean luminance of the product, 0..1."""
    clipped: float
    """Share of product pixels blown out (all channels >= 250) or crushed (all <= 5)."""
    remover: str
    """'alpha' (transparency given), the remover's name (e.g. 'studio'), or 'none'."""
    source_name: str
    warnings: tuple[str, ...] = ()
    """Warnings from this step only; the load step's warnings are on the LoadedImage."""
