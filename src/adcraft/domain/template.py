"""Templates are data: which text fields a design has, their limits, and how they adapt by shape."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adcraft.domain.formats import Shape
from adcraft.errors import InputError

FieldRole = Literal["display", "text", "button", "badge", "fine"]
Arrangement = Literal[
    "text_left", "text_right", "text_top", "text_bottom", "row", "stack", "text_only"
]


class TextField(BaseModel):
    """One text field of a template."""

    model_config = ConfigDict(frozen=True)

    name: str
    purpose: str
    max_chars: int = Field(gt=0)
    required: bool = False
    role: FieldRole = "text"
    max_lines: int = Field(default=3, ge=1)
    size: float = Field(gt=0, description="preferred font size as a fraction of the short side")
    min_px: int = Field(default=12, ge=6, description="smallest readable size in pixels")
    min_short_side: int = Field(default=0, ge=0, description="hide on canvases smaller than this")


class ShapeRule(BaseModel):
    """How a template composes one canvas shape."""

    model_config = ConfigDict(frozen=True)

    fields: tuple[str, ...]
    """Text fields shown on this shape, in reading order."""
    arrangements: tuple[Arrangement, ...]
    """Compositions allowed for this shape; a style picks its favourite among them."""
    product_share: float = Field(default=0.5, gt=0, lt=1)
    """Share of the canvas (along the split axis) given to the product."""
    max_chars: dict[str, int] = Field(default_factory=dict)
    """Tighter character limits for this shape (a 320x50 headline is shorter)."""
    size_scale: float = 1.0
    sizes: dict[str, float] = Field(default_factory=dict)
    """Per-field font size overrides (fraction of the short side) for this shape."""
    show_price: bool = True
    show_logo: bool = True


class Template(BaseModel):
    """A template family: its fields and how they adapt from tall to square to wide to banner."""

    model_config = ConfigDict(frozen=True)

    id: str
    description: str
    uses_product: bool = True
    fields: dict[str, TextField]
    shapes: dict[Shape, ShapeRule]

    def limits_for(self, shape: Shape) -> dict[str, int]:
        """Character limit of each field shown on ``shape``."""
        rule = self.shapes[shape]
        return {f: min(self.fields[f].max_chars, rule.max_chars.get(f, 10**6)) for f in rule.fields}

    def size_for(self, shape: Shape, field: str) -> float:
        """Preferred font size of ``field`` on ``shape`` as a fraction of the short side."""
        rule = self.shapes[shape]
        if field in rule.sizes:
            return rule.sizes[field]
        return self.fields[field].size * rule.size_scale


_TEMPLATE_IDS = ("classic", "promo", "text_led")


@cache
def load_template(template_id: str) -> Template:
    """A template shipped with adcraft, by id."""
    if template_id not in _TEMPLATE_IDS:
        raise InputError(
            f"unknown template {template_id!r}: choose one of {', '.join(_TEMPLATE_IDS)}"
        )
    raw = resources.files("adcraft.layout.templates").joinpath(f"{template_id}.json")
    return Template.model_validate(json.loads(raw.read_text("utf-8")))


def template_ids() -> tuple[str, ...]:
    """Ids of the shipped templates."""
    return _TEMPLATE_IDS
