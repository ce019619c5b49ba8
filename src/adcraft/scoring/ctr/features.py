"""Turning creatives and their serving context into the CTR model's feature matrix."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from adcraft.experiments.creative_features import (
    CATEGORICAL,
    CLAIM_KINDS,
    NUMERIC_METRICS,
    CreativeFeatures,
)

if TYPE_CHECKING:
    from adcraft.imagery.bank.ports import TextEncoder

# Exposure counts above this share one bucket: fatigue has flattened out by then.
MAX_EXPOSURE = 10
REFERENCE_POSITION = 1  # ranking compares creatives as if shown first, to a fresh viewer
TEXT_DIMS = 8
"""Copy-wording features: the text encoder's vector reduced to this many numbers (few enough
for LightGBM to split on with a few hundred creatives)."""
TEXT_PREFIX = "copy_emb_"


@dataclass(frozen=True)
class CountRow:
    """Impressions and clicks of one creative in one serving context (position, exposure)."""

    creative_id: str
    impressions: int
    clicks: int
    position: int = 1
    exposure: int = 0


def feature_names(text_dims: int = 0) -> list[str]:
    """Column names, in matrix order (``text_dims`` copy-wording columns after ``cell_ctr``)."""
    return [
        *CATEGORICAL,
        *NUMERIC_METRICS,
        *(f"claim_{k}" for k in CLAIM_KINDS),
        "headline_chars",
        "body_chars",
        "cell_ctr",
        *(f"{TEXT_PREFIX}{i}" for i in range(text_dims)),
        "position",
        "exposure",
    ]


CATEGORICAL_COUNT = len(CATEGORICAL)


@dataclass
class Vocabulary:
    """Integer codes of the categorical values seen in training; unseen values are missing."""

    values: dict[str, list[str]]

    @classmethod
    def fit(cls, creatives: Sequence[CreativeFeatures]) -> Vocabulary:
        """Codes in sorted order, so the same data gives the same model."""
        return cls({k: sorted({str(getattr(c, k)) for c in creatives}) for k in CATEGORICAL})

    def code(self, key: str, value: str) -> float:
        """The code of ``value`` or NaN when training never saw it."""
        vals = self.values[key]
        try:
            return float(vals.index(value))
        except ValueError:
            return math.nan


class CopyEmbedder:
    """The configured text encoder with a cache: each distinct copy text is encoded once, in
    one batch per call, however many count rows or rankings ask for it."""

    def __init__(self, encoder: TextEncoder, max_cached: int = 100_000) -> None:
        self.encoder = encoder
        self.max_cached = max_cached
        self._cache: dict[str, NDArray[np.float64]] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The encoder's stable id."""
        return self.encoder.name

    def vectors(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """(len(texts), dim) unit vectors; an empty text gets a row of NaN (missing)."""
        with self._lock:
            todo = sorted({t for t in texts if t and t not in self._cache})
            if todo:
                if len(self._cache) + len(todo) > self.max_cached:
                    self._cache.clear()
                encoded = np.asarray(self.encoder.encode(todo), dtype=np.float64)
                self._cache.update(zip(todo, encoded, strict=True))
            out = np.full((len(texts), self.encoder.dim), math.nan)
            for i, t in enumerate(texts):
                if t:
                    out[i] = self._cache[t]
        return out


@dataclass(frozen=True)
class TextProjection:
    """The text encoder's vectors reduced to a few numbers, fitted once at training time and
    stored with the model (so a loaded model computes exactly the same features).

    ``pca``: the principal directions of the training creatives' distinct copy texts;
    ``random``: a seeded orthonormal random projection, when there are too few texts for PCA.
    """

    encoder: str
    """The text encoder's stable id (``TextEncoder.name``)."""
    setting: str
    """The encoder setting it was built with ('use', 'minilm' or a model folder)."""
    method: str
    mean: list[float]
    components: list[list[float]]

    @property
    def dims(self) -> int:
        """Number of copy-wording columns."""
        return len(self.components)

    @classmethod
    def fit(
        cls,
        vectors: NDArray[np.float64],
        encoder: str,
        setting: str,
        dims: int = TEXT_DIMS,
        seed: int = 0,
    ) -> TextProjection:
        """Fit on one vector per distinct training text."""
        n, d = vectors.shape
        k = min(dims, d)
        mean = vectors.mean(axis=0) if n else np.zeros(d)
        if n > k:
            _, _, vt = np.linalg.svd(vectors - mean, full_matrices=False)
            comps = vt[:k]
            # SVD signs are arbitrary: fix them so the same texts give the same columns.
            signs = np.sign(comps[np.arange(k), np.argmax(np.abs(comps), axis=1)])
            comps = comps * np.where(signs == 0, 1.0, signs)[:, None]
            method = "pca"
        else:
            q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, k)))
            comps = q.T
            method = "random"
        return cls(
            encoder=encoder,
            setting=setting,
            method=method,
            mean=[float(v) for v in mean],
            components=[[float(v) for v in row] for row in comps],
        )

    def project(self, vectors: NDArray[np.float64]) -> NDArray[np.float64]:
        """(n, dims) features; a NaN row (no text, no encoder) stays missing."""
        comps = np.asarray(self.components, dtype=float)
        out: NDArray[np.float64] = (vectors - np.asarray(self.mean, dtype=float)) @ comps.T
        return out


def creative_vector(
    c: CreativeFeatures,
    vocab: Vocabulary,
    cell_ctr: float,
    text: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """The context-free part of one creative's row (position and exposure appended later)."""
    row = [vocab.code(k, str(getattr(c, k))) for k in CATEGORICAL]
    row += [float(c.metrics.get(k, math.nan)) for k in NUMERIC_METRICS]
    row += [1.0 if k in c.claim_kinds else 0.0 for k in CLAIM_KINDS]
    row += [float(c.headline_chars), float(c.body_chars), cell_ctr]
    if text is not None:
        row += [float(v) for v in text]
    return np.asarray(row, dtype=float)


def with_context(
    base: NDArray[np.float64], position: NDArray[np.float64], exposure: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Rows of ``base`` (n × f) with the position and capped exposure columns added."""
    exp = np.minimum(exposure, MAX_EXPOSURE)
    return np.column_stack([base, position, exp])
