"""Visual styles: how a variant looks, held constant across every size of that variant.

A style decides the background recipe, which palette roles go where, the typefaces, letter case,
alignment and which composition it prefers for each canvas shape. Colors come from the palette
(brand kit, or harmonised with the product), so one style looks on-brand for every product.
"""

from __future__ import annotations

from dataclasses import dataclass

from adcraft.domain.style import DEFAULT_STYLE_ORDER, Align, BackgroundRecipe, Plate
from adcraft.domain.template import Arrangement
from adcraft.errors import UnknownStyle
from adcraft.layout.fonts import Weight

__all__ = [
    "DEFAULT_STYLE_ORDER",
    "STYLES",
    "BackgroundRecipe",
    "Style",
    "choose_arrangement",
    "get_style",
]


@dataclass(frozen=True)
class Style:
    """One visual identity for a variant."""

    name: str
    background: BackgroundRecipe
    dark: bool
    """Dark backgrounds use light ink; light backgrounds use dark ink."""
    heading_family: str
    heading_weight: Weight
    body_family: str
    body_weight: Weight
    uppercase_heading: bool
    align: Align
    """'left' or 'center' (mirrored for right-to-left languages)."""
    arrangements: tuple[Arrangement, ...]
    """Preferred compositions, first match against the template's allowed ones wins."""
    cta_plate: Plate
    """'pill', 'rounded' or 'rect'."""
    badge_plate: Plate
    product_scale: float
    """How much of its region the product fills (0..1)."""
    shadow: float
    """Contact shadow strength (0..1)."""
    line_spacing: float = 1.12


STYLES: dict[str, Style] = {
    s.name: s
    for s in (
        Style(
            name="minimal",
            background="solid",
            dark=False,
            heading_family="Inter",
            heading_weight="bold",
            body_family="Inter",
            body_weight="regular",
            uppercase_heading=False,
            align="left",
            arrangements=("text_left", "text_bottom", "text_top", "row", "text_only"),
            cta_plate="rounded",
            badge_plate="rounded",
            product_scale=0.86,
            shadow=0.45,
        ),
        Style(
            name="bold",
            background="radial",
            dark=True,
            heading_family="Montserrat",
            heading_weight="extrabold",
            body_family="Montserrat",
            body_weight="regular",
            uppercase_heading=True,
            align="left",
            arrangements=("text_left", "text_top", "text_bottom", "row", "text_only"),
            cta_plate="rect",
            badge_plate="rect",
            product_scale=0.94,
            shadow=0.6,
            line_spacing=1.05,
        ),
        Style(
            name="elegant",
            background="podium",
            dark=False,
            heading_family="PlayfairDisplay",
            heading_weight="bold",
            body_family="Inter",
            body_weight="regular",
            uppercase_heading=False,
            align="center",
            arrangements=("text_top", "text_right", "text_bottom", "row", "text_only"),
            cta_plate="rect",
            badge_plate="rect",
            product_scale=0.8,
            shadow=0.5,
        ),
        Style(
            name="festive",
            background="shapes",
            dark=False,
            heading_family="Poppins",
            heading_weight="bold",
            body_family="Poppins",
            body_weight="regular",
            uppercase_heading=False,
            align="center",
            arrangements=("text_bottom", "text_top", "text_right", "row", "text_only"),
            cta_plate="pill",
            badge_plate="pill",
            product_scale=0.88,
            shadow=0.45,
        ),
        Style(
            name="energetic",
            background="linear",
            dark=True,
            heading_family="Oswald",
            heading_weight="bold",
            body_family="Inter",
            body_weight="semibold",
            uppercase_heading=True,
            align="left",
            arrangements=("text_right", "text_bottom", "text_top", "row", "text_only"),
            cta_plate="pill",
            badge_plate="rect",
            product_scale=0.95,
            shadow=0.55,
            line_spacing=1.04,
        ),
        Style(
            name="studio",
            background="spotlight",
            dark=True,
            heading_family="Poppins",
            heading_weight="semibold",
            body_family="Inter",
            body_weight="regular",
            uppercase_heading=False,
            align="center",
            arrangements=("text_bottom", "text_left", "text_top", "row", "text_only"),
            cta_plate="pill",
            badge_plate="pill",
            product_scale=0.86,
            shadow=0.65,
        ),
        Style(
            name="pattern",
            background="pattern",
            dark=False,
            heading_family="DMSerifDisplay",
            heading_weight="regular",
            body_family="Inter",
            body_weight="regular",
            uppercase_heading=False,
            align="left",
            arrangements=("text_right", "text_top", "text_bottom", "row", "text_only"),
            cta_plate="rounded",
            badge_plate="rounded",
            product_scale=0.84,
            shadow=0.45,
        ),
    )
}


def get_style(name: str) -> Style:
    """A style by name, with a helpful error."""
    try:
        return STYLES[name]
    except KeyError:
        raise UnknownStyle(
            f"unknown style {name!r}: choose from {', '.join(DEFAULT_STYLE_ORDER)}"
        ) from None


def choose_arrangement(style: Style, allowed: tuple[Arrangement, ...], rtl: bool) -> Arrangement:
    """The style's favourite composition among those the template allows, mirrored for RTL."""
    pick = next((a for a in style.arrangements if a in allowed), allowed[0])
    if rtl:
        mirror: dict[str, Arrangement] = {"text_left": "text_right", "text_right": "text_left"}
        mirrored = mirror.get(pick, pick)
        if mirrored in allowed:
            return mirrored
    return pick
