"""What a finished task hands to the database: creatives and versions to insert, in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adcraft.compose import field_specs, platform_specs
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


@dataclass
class Outcome:
    """Everything a task produced, already in the asset store under content keys."""

    creatives: list[RenderedCreative] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)


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
