"""Turning creatives and their serving context into the CTR model's feature matrix."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from adcraft.experiments.creative_features import (
    CATEGORICAL,
    CLAIM_KINDS,
    NUMERIC_METRICS,
    CreativeFeatures,
)

# Exposure counts above this share one bucket: fatigue has flattened out by then.
MAX_EXPOSURE = 10
REFERENCE_POSITION = 1  # ranking compares creatives as if shown first, to a fresh viewer


@dataclass(frozen=True)
class CountRow:
    """Impressions and clicks of one creative in one serving context (position, exposure)."""

    creative_id: str
    impressions: int
    clicks: int
    position: int = 1
    exposure: int = 0


def feature_names() -> list[str]:
    """Column names, in matrix order."""
    return [
        *CATEGORICAL,
        *NUMERIC_METRICS,
        *(f"claim_{k}" for k in CLAIM_KINDS),
        "headline_chars",
        "body_chars",
        "cell_ctr",
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


def creative_vector(c: CreativeFeatures, vocab: Vocabulary, cell_ctr: float) -> NDArray[np.float64]:
    """The context-free part of one creative's row (position and exposure appended later)."""
    row = [vocab.code(k, str(getattr(c, k))) for k in CATEGORICAL]
    row += [float(c.metrics.get(k, math.nan)) for k in NUMERIC_METRICS]
    row += [1.0 if k in c.claim_kinds else 0.0 for k in CLAIM_KINDS]
    row += [float(c.headline_chars), float(c.body_chars), cell_ctr]
    return np.asarray(row, dtype=float)


def with_context(
    base: NDArray[np.float64], position: NDArray[np.float64], exposure: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Rows of ``base`` (n × f) with the position and capped exposure columns added."""
    exp = np.minimum(exposure, MAX_EXPOSURE)
    return np.column_stack([base, position, exp])
