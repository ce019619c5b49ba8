"""What adcraft produces: layouts, creatives and the ranked set, as written to manifest.json."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from adcraft.scoring.gates.base import GateResult

ElementKind = Literal[
    "product", "headline", "body", "cta", "price", "badge", "logo", "disclaimer", "plate"
]
TEXT_KINDS: frozenset[str] = frozenset({"headline", "body", "cta", "price", "badge", "disclaimer"})
BUTTON_KINDS: frozenset[str] = frozenset({"cta", "badge", "price"})
"""Text drawn centred on a plate of its own; the element box is the plate."""
Box = tuple[int, int, int, int]
"""(x, y, w, h) in output pixels."""


class DrawnEmoji(BaseModel):
    """A colour emoji drawn in a text element, so a reviewer knows it is there."""

    model_config = ConfigDict(frozen=True)

    text: str
    """The emoji cluster as written ('❤️', '👍🏽')."""
    box: Box
    """Its bitmap on the canvas: text colour and contrast checks leave these pixels out."""


class Element(BaseModel):
    """One placed thing on the canvas. Text elements carry everything needed to redraw them."""

    model_config = ConfigDict(frozen=True)

    kind: ElementKind
    box: Box
    text: str | None = None
    lines: tuple[str, ...] = ()
    font: str | None = None
    """Font face id (file stem in adcraft/render/fonts), e.g. 'Inter-Bold'."""
    font_size: int | None = None
    line_height: int | None = None
    color: str | None = None
    background_color: str | None = None
    """For text: the plate color if drawn on one, else the worst-contrast color beneath it."""
    plate: Literal["none", "pill", "rounded", "rect", "scrim"] = "none"
    plate_box: Box | None = None
    align: Literal["left", "center", "right"] = "left"
    direction: Literal["ltr", "rtl"] = "ltr"
    """Paragraph direction, from the brief's language; bidi orders mixed text inside it."""
    fallback_fonts: tuple[str, ...] = ()
    """Faces that draw the characters ``font`` lacks (a ❤ beside Arabic), run by run;
    ``NotoColorEmoji`` when colour emoji are drawn."""
    emoji: tuple[DrawnEmoji, ...] | None = None
    """Colour emoji drawn in this text element and where (absent when there are none)."""
    struck: str | None = None
    """Price pill only: the regular price its text starts with ("49,99 €"), drawn struck
    through before the sale price."""
    src: str | None = None
    """Image file for product and logo elements (RGBA PNG beside the creative)."""


class Background(BaseModel):
    """How the canvas background was painted, so another renderer can rebuild it."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["solid", "linear", "radial", "podium", "spotlight", "shapes", "pattern", "image"]
    colors: tuple[str, ...]
    params: dict[str, Any] = Field(default_factory=dict)


class Layout(BaseModel):
    """The pure result of the layout engine for one format: boxes, text and colors."""

    model_config = ConfigDict(frozen=True)

    format_id: str
    width: int
    height: int
    template: str
    style: str
    arrangement: str
    background: Background
    elements: tuple[Element, ...]
    dropped_fields: tuple[str, ...] = ()
    """Optional fields left out because they did not fit this size."""

    def element(self, kind: str) -> Element | None:
        """The first element of a kind, if any."""
        return next((e for e in self.elements if e.kind == kind), None)


class Injection(BaseModel):
    """An instruction-like sentence found in a brief field and removed from every output."""

    model_config = ConfigDict(frozen=True)

    field: str
    """Where it was: ``offer``, ``selling_points[1]``, ``brand.name`` ..."""
    sentence: str
    pattern: str
    """Which pattern family matched (``ignore-instructions``, ``ru``, ``ja`` ...)."""


class CopySet(BaseModel):
    """Ad copy for one variant: field name -> text, with how it was obtained."""

    model_config = ConfigDict(frozen=True)

    fields: dict[str, str]
    language: str
    angle: str = "offer"
    key_facts: tuple[str, ...] = ()
    missing_facts: tuple[str, ...] = ()
    attempts: int = 0
    truncated: tuple[str, ...] = ()
    provider: str = "builtin"
    pinned: tuple[str, ...] = ()
    """Fields the marketer wrote (an edit): the engine shows them as written or flags them,
    never rewrites them."""


class Creative(BaseModel):
    """One rendered ad image and everything known about it."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    id: str
    format: str
    platform: str
    width: int
    height: int
    file: str
    bytes: int
    image_format: Literal["png", "jpeg", "webp"]
    style: str
    template: str
    variant: int
    rank: int = 0
    score: float = 0.0
    copy_fields: dict[str, str] = Field(alias="copy", serialization_alias="copy")
    platform_text: dict[str, str] = Field(default_factory=dict)
    elements: tuple[Element, ...]
    background: Background
    metrics: dict[str, float]
    warnings: tuple[str, ...] = ()
    injections: tuple[Injection, ...] = ()
    """Sentences removed from the brief as prompt injection (none of them is in this creative)."""
    publishable: bool = True
    """Whether the creative can go out as it is: every claim whole, no word cut (see
    adcraft.copywriting.claimcheck); a creative that is not never ranks above one that is."""
    publishable_reasons: tuple[str, ...] = ()
    """Why not, one line per fault: 'badge: "250 €" shown without its claim "Spare 250 €"'."""
    truncated: tuple[str, ...] = ()
    """Text fields cut at a word boundary to fit (platform text as 'platform:<field>')."""
    gates: tuple[GateResult, ...] = ()
    """Every quality-gate check (scoring.gates): pass/fail, reason, value, threshold."""
    passed_gates: bool = True
    """Whether every gate passed; a creative that did not never ranks above one that did."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)


class ImageOrigin(BaseModel):
    """Where the creative set's picture came from, when an ``ImageSource`` supplied it."""

    model_config = ConfigDict(frozen=True)

    source: str
    """'bank:<image id>', 'generated:<model>', ..."""
    description: str
    """What the picture shows: the bank caption or the prompt that painted it."""
    key: str | None = None
    """Asset-store key of the original, when the source stores its images."""


class DuplicateNote(BaseModel):
    """A creative not stored because it looks like a better-ranked one of its format."""

    model_config = ConfigDict(frozen=True)

    id: str
    format: str
    variant: int
    same_as: str
    reason: str


class CreativeSet(BaseModel):
    """All creatives made from one brief, best first."""

    model_config = ConfigDict(frozen=True)

    brief_title: str
    language: str
    seed: int
    creatives: tuple[Creative, ...]
    warnings: tuple[str, ...] = ()
    injections: tuple[Injection, ...] = ()
    """Sentences removed from the brief as prompt injection, with the field they were in."""
    image_source: ImageOrigin | None = None
    """Set when the picture came from an image source rather than the brief's photo."""
    duplicates: tuple[DuplicateNote, ...] = ()
    """Creatives left out as near-copies of a better one of the same format."""
    out_dir: str | None = None
    contact_sheet: str | None = None

    def top(self, n: int) -> tuple[Creative, ...]:
        """The n best creatives."""
        return self.creatives[:n]
