"""What a finished task hands to the database: creatives and versions to insert, in one go."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from adcraft.compose import field_specs, platform_specs
from adcraft.domain.creative import TEXT_KINDS
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template


@dataclass
class RenderedCreative:
    """One stored image of a set, ready to become a creative row and its first version."""

    pipeline_id: str
    format: str
    platform: str
    width: int
    height: int
    variant: int
    style: str
    template: str
    rank: int
    score: float
    image_key: str
    image_format: str
    bytes: int
    metrics: dict[str, float]
    copy: dict[str, str]
    platform_text: dict[str, str]
    warnings: list[str]
    render: dict[str, Any]
    gates: list[dict[str, Any]] = field(default_factory=list)
    gates_passed: bool = True
    layout: list[dict[str, Any]] = field(default_factory=list)
    """Where each element is drawn: ``[{kind, box}]`` (see :func:`layout_boxes`)."""


@dataclass
class Outcome:
    """Everything a task produced, already in the asset store under content keys."""

    creatives: list[RenderedCreative] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)


def layout_boxes(elements: Iterable[Any]) -> list[dict[str, Any]]:
    """The product, logo and text elements of a drawn layout as ``{kind, box}`` (a button's box
    is its plate; the price pill also with its ``text`` and ``struck`` price), from Element
    objects or their manifest dicts alike."""
    out = []
    for e in elements:
        get = e.get if isinstance(e, dict) else lambda k, e=e: getattr(e, k, None)
        kind, box = get("kind"), get("plate_box") or get("box")
        if kind in ("product", "logo", *TEXT_KINDS) and box:
            item: dict[str, Any] = {"kind": kind, "box": [int(v) for v in box]}
            if kind == "product" and get("plate") == "rounded":
                item["framed"] = True  # a photo, not a cut-out: a size may crop it
            if kind == "price":
                # The price pill as drawn ("$45/mo $35/mo"), its struck regular price apart:
                # the one text no copy field carries.
                item["text"] = " ".join(get("lines") or ()) or get("text") or ""
                if get("struck"):
                    item["struck"] = get("struck")
            out.append(item)
    return out


def copy_limits(template: str, format_id: str) -> dict[str, int]:
    """Character limit of each on-image and platform text field of a creative."""
    try:
        fmt = default_registry()[format_id]
        tpl = load_template(template)
    except Exception:  # logo creatives have no text template
        return {}
    limits = {s.name: s.max_chars for s in field_specs(tpl, fmt)}
    limits.update({s.name: s.max_chars for s in platform_specs(fmt)})
    return limits
