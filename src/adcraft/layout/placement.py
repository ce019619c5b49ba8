"""A marketer's adjustment of one size: the product and the text block moved (and the product
resized) by hand, kept only when the layout's guarantees still hold.

The engine's layout keeps text off the product, inside the platform's safe zone and on the
canvas. A hand adjustment may break any of those, so it is checked here, before anything is
drawn, and refused with every reason at once; contrast is kept by the renderer itself (text
ink and plates are chosen from what ends up under the text).
"""

from __future__ import annotations

from dataclasses import replace

from pydantic import BaseModel, ConfigDict, Field

from adcraft.domain.creative import TEXT_KINDS, Element, Layout
from adcraft.domain.visual import Visual
from adcraft.errors import InputError
from adcraft.layout.geometry import Rect

Box = tuple[int, int, int, int]
MAX_PHOTO_ZOOM = 4.0
"""Past this a photo of a usual size (about 1 200 px) is too soft for the larger formats."""


class Placement(BaseModel):
    """Moves as fractions of the canvas (0.1 = a tenth of its width or height)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    product_dx: float = Field(default=0.0, ge=-1.0, le=1.0)
    product_dy: float = Field(default=0.0, ge=-1.0, le=1.0)
    product_scale: float = Field(default=1.0, ge=0.5, le=1.6)
    """Around the product's centre."""
    text_dx: float = Field(default=0.0, ge=-1.0, le=1.0)
    text_dy: float = Field(default=0.0, ge=-1.0, le=1.0)
    """The text block (headline, body, badge, price, button, terms) moves as one."""
    keep_background: bool = False
    """Show the photo whole, framed, rather than the product cut out of it (then it may be
    cropped too)."""
    photo_zoom: float = Field(default=1.0, ge=1.0, le=MAX_PHOTO_ZOOM)
    """How far into the photo this size looks: 2.0 shows half its width and height."""
    photo_x: float = Field(default=0.5, ge=0.0, le=1.0)
    photo_y: float = Field(default=0.5, ge=0.0, le=1.0)
    """The focal point of the photo (fractions of its width and height) the crop centres on,
    as near as the photo's edges allow."""

    def is_identity(self) -> bool:
        """Nothing moved."""
        return self == Placement()

    def crops(self) -> bool:
        """Whether this size shows only part of the photo."""
        return self.photo_zoom > 1.0


def crop_box(width: int, height: int, placement: Placement) -> Box:
    """The part of a ``width`` x ``height`` photo a placement shows, as (x, y, w, h): the
    photo's own shape, 1/zoom of its sides, centred on the focal point and kept inside."""
    w = max(1, round(width / placement.photo_zoom))
    h = max(1, round(height / placement.photo_zoom))
    x = min(max(round(placement.photo_x * width - w / 2), 0), width - w)
    y = min(max(round(placement.photo_y * height - h / 2), 0), height - h)
    return (x, y, w, h)


def cropped(visual: Visual, placement: Placement, format_id: str) -> Visual:
    """``visual`` as this size shows it. A cut-out product is never cropped: its outline would
    end in a straight cut (it is resized instead), so asking for it is refused."""
    if not placement.crops():
        return visual
    if visual.has_cutout:
        raise PlacementRefused(
            f"this adjustment of {format_id} is refused: the product is cut out of its "
            "photo, so cropping would slice it; make it larger instead"
        )
    x, y, w, h = crop_box(visual.image.width, visual.image.height, placement)
    return replace(visual, image=visual.image.crop((x, y, x + w, y + h)))


class PlacementRefused(InputError):
    """The adjustment would break a guarantee of the layout; the message says which."""


def place(layout: Layout, placement: Placement, safe: Box) -> Layout:
    """``layout`` with the adjustment applied; PlacementRefused naming every broken rule."""
    if placement.is_identity():
        return layout
    w, h = layout.width, layout.height
    moved = tuple(_moved(e, placement, w, h) for e in layout.elements)
    reasons = _faults(layout.elements, moved, Rect(*safe), w, h)
    if reasons:
        raise PlacementRefused(
            f"this adjustment of {layout.format_id} is refused: " + "; ".join(reasons)
        )
    return layout.model_copy(update={"elements": moved})


def _moved(e: Element, p: Placement, w: int, h: int) -> Element:
    x, y, bw, bh = e.box
    if e.kind == "product":
        nw, nh = round(bw * p.product_scale), round(bh * p.product_scale)
        cx, cy = x + bw / 2 + p.product_dx * w, y + bh / 2 + p.product_dy * h
        return e.model_copy(update={"box": (round(cx - nw / 2), round(cy - nh / 2), nw, nh)})
    if e.kind in TEXT_KINDS:
        dx, dy = round(p.text_dx * w), round(p.text_dy * h)
        update: dict[str, object] = {"box": _shift(e.box, dx, dy)}
        if e.plate_box is not None:
            update["plate_box"] = _shift(e.plate_box, dx, dy)
        return e.model_copy(update=update)
    return e


def _shift(box: Box, dx: int, dy: int) -> Box:
    x, y, bw, bh = box
    return (x + dx, y + dy, bw, bh)


def _faults(
    before: tuple[Element, ...], after: tuple[Element, ...], safe: Rect, w: int, h: int
) -> list[str]:
    """What the adjustment breaks. Only what it breaks: a full-bleed photo that was already
    larger than the canvas, or a headline the design set on the picture, is no fault of it."""
    out: list[str] = []
    canvas = Rect(0, 0, w, h)
    for old, new in zip(before, after, strict=True):
        left = _inside(_outer(old), canvas) and not _inside(_outer(new), canvas)
        if new.kind == "product" and left:
            out.append("the product would leave the image")
        if new.kind not in TEXT_KINDS:
            continue
        if _inside(_outer(old), safe) and not _inside(_outer(new), safe):
            out.append(
                f"the {new.kind} would leave the safe area, where the platform's own buttons and "
                "captions cover the image"
            )
        for kind in ("product", "logo"):
            was = next((e for e in before if e.kind == kind), None)
            now = next((e for e in after if e.kind == kind), None)
            if was is None or now is None:
                continue
            if _overlap(_outer(new), _outer(now)) and not _overlap(_outer(old), _outer(was)):
                out.append(f"the {new.kind} would cover the {kind}")
    return list(dict.fromkeys(out))


def _outer(e: Element) -> Rect:
    return Rect(*(e.plate_box or e.box))


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner.x >= outer.x
        and inner.y >= outer.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


def _overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom
