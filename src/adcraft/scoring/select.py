"""Choosing the top-K creatives: quality gates first, then score, then diversity (MMR).

1. A creative that fails any gate is never ranked above one that passes: passing creatives
   come first, failing ones after them (still ordered, so a set where everything fails still
   shows its best).
2. Within each group, greedy maximal marginal relevance (Carbonell & Goldstein 1998): the next
   pick maximises  λ·score − (1 − λ)·max cosine similarity to what is already picked,
   with the scores min-max normalised to 0..1 so λ means the same for CTRs and quality points.
   λ = 1 is plain ranking by score; lower λ trades score for variety, so the top-K are not six
   near-copies.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from adcraft.errors import InputError


def _normalise(x: NDArray[np.float64]) -> NDArray[np.float64]:
    span = float(x.max() - x.min()) if x.size else 0.0
    return (x - x.min()) / span if span > 0 else np.ones_like(x)


def mmr_order(
    scores: NDArray[np.float64], embeddings: NDArray[np.float64], lam: float, k: int
) -> list[int]:
    """Indices of up to ``k`` items in greedy MMR order (ties: lower index first)."""
    if not 0 <= lam <= 1:
        raise InputError(f"diversity weight lambda {lam:g} must be between 0 and 1")
    n = scores.size
    if embeddings.shape[0] != n:
        raise InputError("one embedding per creative is needed for diversity")
    unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    sim = unit @ unit.T
    rel = _normalise(scores.astype(float))
    picked: list[int] = []
    max_sim = np.full(n, -np.inf)
    left = np.ones(n, dtype=bool)
    for _ in range(min(k, n)):
        penalty = np.where(np.isfinite(max_sim), max_sim, 0.0)
        value = np.where(left, lam * rel - (1 - lam) * penalty, -np.inf)
        i = int(np.argmax(value))
        picked.append(i)
        left[i] = False
        max_sim = np.maximum(max_sim, sim[i])
    return picked


def select_top_k(
    scores: Sequence[float],
    passed: Sequence[bool],
    embeddings: NDArray[np.float64],
    k: int,
    lam: float = 0.7,
) -> list[int]:
    """Gates → score → MMR → top-K: indices of the chosen creatives, best first."""
    if len(scores) != len(passed):
        raise InputError("one gate result per creative is needed")
    s = np.asarray(scores, dtype=float)
    s = np.where(np.isfinite(s), s, -np.inf)
    s = np.where(np.isfinite(s), s, np.nanmin(np.where(np.isfinite(s), s, np.inf), initial=0) - 1)
    order: list[int] = []
    for group in (True, False):
        idx = np.array([i for i, p in enumerate(passed) if bool(p) is group], dtype=np.int64)
        if idx.size == 0 or len(order) >= k:
            continue
        sub = mmr_order(s[idx], embeddings[idx], lam, k - len(order))
        order += [int(idx[j]) for j in sub]
    return order
