"""Request and response bodies of the image bank endpoints (``/api/v1/bank/...``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from adcraft.api.schemas import BankName, BankPickIn, ImageId, _In

Phrase = Annotated[str, Field(min_length=1, max_length=300)]


class BankImageOut(BaseModel):
    """One picture of a bank, with a short-lived link to its bytes."""

    id: str
    bank: BankName
    caption: str
    keywords: list[str]
    hypotheses: list[str]
    """Where the picture could advertise: searched against the brief's product and offer."""
    width: int
    height: int
    has_alpha: bool
    source: str
    """Where the caption came from: 'upload', 'edited', a captioner's name, 'sidecar', 'demo'."""
    editable: bool
    url: str


class BankHitOut(BaseModel):
    """A ranked picture and the scores that placed it."""

    image: BankImageOut
    score: float
    usage_score: float
    """Product/offer text against the picture's usage hypotheses (first stage)."""
    description_score: float
    """Picture description against the caption (second stage)."""
    matches: bool
    """Whether the score reaches the threshold a brief's picture needs."""


class BankSearchOut(BaseModel):
    """Search results; ``note`` says why there are none when there are none."""

    query: str
    hits: list[BankHitOut]
    threshold: float
    note: str | None = None


class BankImagePatch(_In):
    """New text for a picture; fields left out keep their value."""

    caption: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    keywords: Annotated[list[Phrase], Field(max_length=40)] | None = None
    hypotheses: Annotated[list[Phrase], Field(max_length=3)] | None = None
    """Up to three 'where could this advertise' phrases; missing ones are written from the
    caption. Changing the caption without giving these rewrites them."""


__all__ = [
    "BankHitOut",
    "BankImageOut",
    "BankImagePatch",
    "BankName",
    "BankPickIn",
    "BankSearchOut",
    "ImageId",
]
