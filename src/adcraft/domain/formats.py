"""The registry of platform ad formats: sizes, safe zones, file caps and text limits."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adcraft.errors import UnknownFormat

FormatKind = Literal["creative", "logo", "text"]


class SafeZone(BaseModel):
    """Margins to keep clear, as fractions of height (top/bottom) or width (left/right)."""

    model_config = ConfigDict(frozen=True)

    top: float = Field(default=0.0, ge=0, lt=0.5)
    bottom: float = Field(default=0.0, ge=0, lt=0.5)
    left: float = Field(default=0.0, ge=0, lt=0.5)
    right: float = Field(default=0.0, ge=0, lt=0.5)


class Shape(StrEnum):
    """How a canvas is proportioned; templates say how to compose each shape."""

    BANNER = "banner"  # w/h >= 3: leaderboards, mobile banners
    WIDE = "wide"  # 1.4 <= w/h < 3: link ads, 1.91:1
    SQUARE = "square"  # 0.9 <= w/h < 1.4
    PORTRAIT = "portrait"  # 0.6 <= w/h < 0.9: 4:5, 2:3
    TALL = "tall"  # 0.45 <= w/h < 0.6: 9:16, half page
    SKYSCRAPER = "skyscraper"  # w/h < 0.45


def shape_of(width: int, height: int) -> Shape:
    """Classify a canvas by its aspect ratio."""
    r = width / height
    if r >= 3.0:
        return Shape.BANNER
    if r >= 1.4:
        return Shape.WIDE
    if r >= 0.9:
        return Shape.SQUARE
    if r >= 0.6:
        return Shape.PORTRAIT
    if r >= 0.45:
        return Shape.TALL
    return Shape.SKYSCRAPER


class Format(BaseModel):
    """One placement's image specification."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    platform: str = "generic"
    placement: str = ""
    width: int | None = Field(default=None, gt=0)
    height: int | None = Field(default=None, gt=0)
    aspect: str | None = None
    min_width: int | None = None
    min_height: int | None = None
    safe_zone: SafeZone = SafeZone()
    max_file_kb: int | None = None
    file_types: tuple[str, ...] = ()
    text_limits: dict[str, int] = Field(default_factory=dict)
    max_text_share: float | None = Field(default=None, gt=0, le=1)
    """The largest share of the image text may cover where the platform caps it (Google
    responsive display: 20 %, its logo's text included); None where it does not."""
    kind: FormatKind = "creative"

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels; raises for text-only formats."""
        if self.width is None or self.height is None:
            raise UnknownFormat(f"format {self.id!r} is text-only and has no image size")
        return self.width, self.height

    @property
    def shape(self) -> Shape:
        """The composition class of this canvas."""
        return shape_of(*self.size)

    def safe_box(self) -> tuple[int, int, int, int]:
        """The area inside the safe zone as (x, y, w, h) in pixels."""
        w, h = self.size
        z = self.safe_zone
        x0, y0 = round(w * z.left), round(h * z.top)
        x1, y1 = w - round(w * z.right), h - round(h * z.bottom)
        return x0, y0, x1 - x0, y1 - y0


# Common names a marketer types, mapped onto canonical sizes.
_ALIASES: dict[str, Format] = {
    "1:1": Format(id="1:1", width=1080, height=1080, aspect="1:1"),
    "4:5": Format(id="4:5", width=1080, height=1350, aspect="4:5"),
    "9:16": Format(id="9:16", width=1080, height=1920, aspect="9:16"),
    "1.91:1": Format(id="1.91:1", width=1200, height=628, aspect="1.91:1"),
    "16:9": Format(id="16:9", width=1920, height=1080, aspect="16:9"),
    "2:3": Format(id="2:3", width=1000, height=1500, aspect="2:3"),
}
_IAB_SIZES = {
    "300x250": "iab_medium_rectangle",
    "728x90": "iab_leaderboard",
    "160x600": "iab_wide_skyscraper",
    "300x600": "iab_half_page",
    "320x50": "iab_mobile_leaderboard",
    "320x100": "iab_large_mobile_banner",
    "970x250": "iab_billboard",
    "336x280": "iab_large_rectangle",
    "468x60": "iab_banner",
    "970x90": "iab_large_leaderboard",
    "300x1050": "iab_portrait",
}


class FormatRegistry:
    """Formats by id, plus aspect aliases (``1:1``) and IAB sizes (``300x250``)."""

    def __init__(self, formats: Iterable[Format]) -> None:
        self._by_id = {f.id: f for f in formats}

    def __iter__(self) -> Iterator[Format]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, name: object) -> bool:
        try:
            self[str(name)]
        except UnknownFormat:
            return False
        return True

    def __getitem__(self, name: str) -> Format:
        key = name.strip()
        if key in self._by_id:
            return self._by_id[key]
        if key in _ALIASES:
            return _ALIASES[key]
        if key.lower() in _IAB_SIZES:
            return self._by_id[_IAB_SIZES[key.lower()]]
        names = [*self._by_id, *_ALIASES, *_IAB_SIZES]
        close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
        close += [i for i in self._by_id if key.lower() in i and i not in close][:3]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UnknownFormat(
            f"unknown format {name!r}.{hint} Run 'adcraft formats' to list the {len(self)} "
            "format ids; aliases 1:1, 4:5, 9:16, 1.91:1 and IAB sizes like 300x250 work too."
        )

    def of_kind(self, kind: FormatKind) -> list[Format]:
        """All formats of one kind, in registry order."""
        return [f for f in self._by_id.values() if f.kind == kind]

    def select(self, spec: str | Iterable[str]) -> list[Format]:
        """Resolve a CLI-style selection: ``all``, a platform prefix (``meta``), ids or aliases."""
        names = [s for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
        if not names:
            raise UnknownFormat("no format selected: pass ids, aliases, a platform or 'all'")
        out: list[Format] = []
        for raw in names:
            name = raw.strip()
            if name == "all":
                picked = self.of_kind("creative")
            elif name in {
                "meta",
                "tiktok",
                "google",
                "iab",
                "pinterest",
                "linkedin",
                "x",
                "snapchat",
            }:
                picked = [f for f in self.of_kind("creative") if f.id.split("_", 1)[0] == name]
            else:
                fmt = self[name]
                if fmt.kind == "text":
                    raise UnknownFormat(
                        f"format {fmt.id!r} is text-only: it has no image to render"
                    )
                picked = [fmt]
            out.extend(f for f in picked if f not in out)
        return out


@cache
def default_registry() -> FormatRegistry:
    """The formats shipped with adcraft (a copy of the platform research in formats.json)."""
    raw = resources.files("adcraft.data").joinpath("formats.json").read_text("utf-8")
    return FormatRegistry(Format.model_validate(item) for item in json.loads(raw))
