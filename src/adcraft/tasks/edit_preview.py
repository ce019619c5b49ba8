"""What an edit will look like in every size of a variant, before it is saved.

A field edited in one size may not fit another (a 32-character headline on 320x50 against 40 on
300x250) or may not be shown there at all. The preview runs the same ``pin`` the re-render runs,
so a size reported as "fits" shows the text verbatim and a size reported as "shortened" shows
exactly the returned text — nothing changes silently after an accepted edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from adcraft.compose import field_specs, platform_specs
from adcraft.copywriting.offline import FieldSpec
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.tasks.render_job import pin

Where = Literal["image", "platform"]
Status = Literal["fits", "shortened", "not_shown"]


@dataclass(frozen=True)
class FieldOutcome:
    """How one edited field appears in one size."""

    name: str
    where: Where | None
    """On the image or in the platform text (``None`` when the size has no such field)."""
    limit: int | None
    status: Status
    text: str
    """The text this size will show ("" when not shown)."""


def _specs(template: str, format_id: str) -> list[tuple[Where, FieldSpec]]:
    """The size's text fields: on the image (template) and uploaded beside it (platform)."""
    fmt = default_registry()[format_id]
    out: list[tuple[Where, FieldSpec]] = []
    if template != "logo":
        out += [("image", s) for s in field_specs(load_template(template), fmt)]
    out += [("platform", s) for s in platform_specs(fmt)]
    return out


def preview_size(
    template: str, format_id: str, edits: dict[str, str], language: str
) -> list[FieldOutcome]:
    """Each edited field as this size (template × format) will show it.

    A name used on the image and in the platform text ("headline") gets one outcome for each,
    since each has its own limit.
    """
    specs = _specs(template, format_id)
    outcomes: list[FieldOutcome] = []
    for name, text in edits.items():
        found = [(where, spec) for where, spec in specs if spec.name == name]
        if not found:
            outcomes.append(FieldOutcome(name, None, None, "not_shown", ""))
        for where, spec in found:
            shown, shortened = pin(spec, text, language)
            status: Status = "shortened" if shortened else "fits"
            outcomes.append(FieldOutcome(name, where, spec.max_chars, status, shown))
    return outcomes
