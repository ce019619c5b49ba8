"""The bank's ports: a text encoder, a vector index, and an optional image captioner.

Providers live in ``adcraft.providers`` (``encoder_use``, ``encoder_st``, ``index_qdrant``,
``caption_openai``); the bank only talks to these protocols.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class TextEncoder(Protocol):
    """Sentences in, L2-normalised float32 vectors out (one row per sentence)."""

    name: str
    """Stable id stored with the bank, so a bank is never searched with another encoder."""
    dim: int
    languages: frozenset[str] | None
    """ISO 639-1 codes the model was trained on; None when unknown."""

    def encode(self, texts: Sequence[str]) -> Vectors:
        """(len(texts), dim) float32, each row of unit length."""
        ...


@dataclass(frozen=True)
class IndexHit:
    """One nearest neighbour: point id, cosine score and its payload."""

    id: int
    score: float
    payload: Mapping[str, Any] = field(default_factory=dict)


class VectorIndex(Protocol):
    """Named collections of unit vectors with small JSON payloads (never pixels)."""

    name: str

    def ensure(self, collection: str, dim: int) -> None:
        """Create the collection for ``dim``-d cosine vectors if missing; refuse another dim."""
        ...

    def upsert(
        self,
        collection: str,
        ids: Sequence[int],
        vectors: Vectors,
        payloads: Sequence[Mapping[str, Any]],
    ) -> None:
        """Insert or replace points (same id, new vector and payload)."""
        ...

    def search(self, collection: str, vector: Vectors, limit: int) -> list[IndexHit]:
        """The ``limit`` nearest points by cosine, best first."""
        ...

    def vectors(self, collection: str, ids: Sequence[int]) -> dict[int, Vectors]:
        """The stored vectors of these ids (missing ids are left out)."""
        ...

    def delete(self, collection: str, ids: Sequence[int]) -> None:
        """Remove points by id; missing ids (or collection) are not an error."""
        ...

    def count(self, collection: str) -> int:
        """Number of points (0 for a missing collection)."""
        ...

    def drop(self, collection: str) -> None:
        """Delete the collection if it exists."""
        ...

    def close(self) -> None:
        """Release files and connections."""
        ...


class Captioner(Protocol):
    """Writes a caption and advertising hypotheses for an image (e.g. a vision LLM)."""

    name: str

    def describe(self, image_bytes: bytes, mime: str, hint: str = "") -> CaptionDraft:
        """A caption, keywords and usage hypotheses for one image."""
        ...


@dataclass(frozen=True)
class CaptionDraft:
    """What a captioner returns for one image."""

    caption: str
    keywords: tuple[str, ...] = ()
    hypotheses: tuple[str, ...] = ()
