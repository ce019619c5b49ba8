"""Bank records and reports: what is stored per image, what ingest skipped and why."""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_ID_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$")


class BankImage(BaseModel):
    """One image of the bank: its storage key and the text it is found by."""

    model_config = ConfigDict(frozen=True)

    id: str
    key: str
    """Asset-store key of the image bytes (the index payload holds this, never pixels)."""
    caption: str = Field(min_length=1)
    keywords: tuple[str, ...] = ()
    hypotheses: tuple[str, ...] = ()
    """Short 'where could this image advertise' phrases (three after ingest)."""
    i18n: dict[str, str] = Field(default_factory=dict)
    """Caption and keywords in other languages, by ISO 639-1 code (used by BM25 and display)."""
    width: int = 0
    height: int = 0
    has_alpha: bool = False
    source: str = ""
    """Where the caption came from: 'sidecar', a captioner name, or 'demo'."""

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError(f"image id {value!r} must be 1-128 letters, digits, '.', '_' or '-'")
        return value

    def point_id(self) -> int:
        """The image's integer point id in the index (stable across runs and machines)."""
        return point_id(self.id)

    def caption_text(self) -> str:
        """The text the caption vector is made of."""
        if not self.keywords:
            return self.caption
        extra = [k for k in self.keywords if k.lower() not in self.caption.lower()]
        return f"{self.caption}: {', '.join(extra[:12])}" if extra else self.caption

    def search_text(self) -> str:
        """Every word of the record, for the BM25 baseline (all languages)."""
        parts = [self.caption, " ".join(self.keywords), *self.hypotheses, *self.i18n.values()]
        return " ".join(p for p in parts if p)


def point_id(image_id: str, slot: int = 0) -> int:
    """A 63-bit id from an image id and a slot (0 caption, 1..3 hypotheses)."""
    digest = hashlib.blake2b(f"{image_id}#{slot}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


class Skip(BaseModel):
    """A file ingest left out, and why."""

    model_config = ConfigDict(frozen=True)

    file: str
    reason: str


class IngestReport(BaseModel):
    """The outcome of one ingest: what was added or replaced, what was skipped and why."""

    added: list[str] = Field(default_factory=list)
    replaced: list[str] = Field(default_factory=list)
    skipped: list[Skip] = Field(default_factory=list)
    total: int = 0
    """Images in the bank after this ingest."""

    def summary(self) -> str:
        """One line for a person."""
        return (
            f"{len(self.added)} added, {len(self.replaced)} replaced, "
            f"{len(self.skipped)} skipped; {self.total} images in the bank"
        )


class SearchHit(BaseModel):
    """One ranked image with the scores that placed it."""

    model_config = ConfigDict(frozen=True)

    id: str
    key: str
    caption: str
    score: float
    usage_score: float
    description_score: float
    hypotheses: tuple[str, ...] = ()


class SearchResult(BaseModel):
    """Ranked hits plus what the search had to assume."""

    hits: list[SearchHit]
    description: str
    """The image description used for re-ranking (the user's, or one written from the offer)."""
    candidates: int
    """Images kept by the first stage."""
    warnings: list[str] = Field(default_factory=list)
