"""Style names and the closed vocabularies a style is made of (the recipes live in layout)."""

from __future__ import annotations

from typing import Literal, get_args

StyleName = Literal["minimal", "bold", "elegant", "festive", "energetic", "studio", "pattern"]
"""The built-in visual styles, in the order variants take them."""

DEFAULT_STYLE_ORDER: tuple[str, ...] = get_args(StyleName)

BackgroundRecipe = Literal[
    "solid", "linear", "radial", "podium", "spotlight", "shapes", "pattern", "image"
]
"""Background kinds drawn by render.backgrounds."""

Align = Literal["left", "center"]
"""Text alignment of a style (mirrored for right-to-left languages)."""

Plate = Literal["pill", "rounded", "rect"]
"""Shape behind a call to action or a badge."""
