"""The one ranking every surface uses: gates → score → diversity (MMR) → top-K.

1. Quality gates (scoring.gates) run on every creative; the tier of a creative is 0 when it
   passes every gate and is publishable, 1 when it passes the gates but is not publishable
   (a claim cut from its qualifier...), 2 when it fails a gate. A creative is never ranked
   above one of a better tier.
2. The score is the configured ranker's: predicted CTR when the tenant has a trained model
   (ranker ``ctr``), else the quality score.
3. Within a tier, maximal marginal relevance (scoring.select) so the top-K are not near-copies
   of each other, on the configured image encoder's embeddings of the rendered creatives (the
   CLIP model of ``gates.clip_model_path``: similar pictures in its eyes, not only in their
   pixels), else on pHash bits and a colour histogram (``image_features``).
4. Near-duplicates (same format, pHash within the limit) of a better-ranked creative are
   dropped: identical outputs are stored and shown once.

Generation (CLI and API tasks) and re-renders call :func:`rank_creatives`; the gallery orders
by the stored tier and score (api/routes/creatives.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from adcraft.scoring.duplicates import perceptual_hash
from adcraft.scoring.gates.base import Gate, GateInput, GateResult, passed_all
from adcraft.scoring.gates.run import run_gates
from adcraft.scoring.select import mmr_order

DIVERSITY_LAMBDA = 0.7
"""MMR weight of the score against novelty (1 = plain ranking by score)."""

T = TypeVar("T")


class ImageEncoder(Protocol):
    """Pictures in, one embedding per picture out (an image model such as CLIP's vision tower)."""

    name: str

    def encode_images(self, images: Sequence[Image.Image]) -> NDArray[np.float32]:
        """(len(images), dim) unit vectors, computed in batches."""
        ...


@dataclass(frozen=True)
class Scored(Generic[T]):
    """A creative with its score, reasons and gate results, in final rank order."""

    item: T
    score: float
    reasons: tuple[str, ...]
    gates: tuple[GateResult, ...]
    publishable: bool = True

    @property
    def passed_gates(self) -> bool:
        """Whether every gate passed."""
        return passed_all(self.gates)

    @property
    def tier(self) -> int:
        """0: gates passed and publishable; 1: gates passed; 2: a gate failed."""
        return 0 if self.passed_gates and self.publishable else (1 if self.passed_gates else 2)


@dataclass(frozen=True)
class Ranking(Generic[T]):
    """The ranked creatives and the near-duplicates left out of them."""

    ranked: list[Scored[T]]
    duplicates: list[Scored[T]]


def image_features(image: Image.Image) -> NDArray[np.float64]:
    """An embedding when no image encoder is configured: 64 pHash bits (±1, the layout and
    shapes) and a 3×3×3 RGB histogram (the colours), each part of unit length."""
    bits = perceptual_hash(image).hash.astype(np.float64).ravel() * 2.0 - 1.0
    small = np.asarray(image.convert("RGB").resize((64, 64)), dtype=np.int64) * 3 // 256
    idx = small[..., 0] * 9 + small[..., 1] * 3 + small[..., 2]
    hist = np.bincount(idx.ravel(), minlength=27).astype(np.float64)
    parts = [bits / np.linalg.norm(bits), hist / max(float(np.linalg.norm(hist)), 1e-12)]
    return np.concatenate(parts)


def embeddings(
    images: Sequence[Image.Image], encoder: ImageEncoder | None = None
) -> NDArray[np.float64]:
    """One embedding per creative for diversity: the encoder's (all pictures in one call, each
    encoded once), or ``image_features`` when no image encoder is configured."""
    if not images:
        return np.zeros((0, 1))
    if encoder is not None:
        return np.asarray(encoder.encode_images(images), dtype=np.float64)
    return np.vstack([image_features(im) for im in images])


def order_tiers(
    scores: Sequence[float],
    tiers: Sequence[int],
    embeddings: NDArray[np.float64],
    lam: float = DIVERSITY_LAMBDA,
) -> list[int]:
    """All indices: by tier (lower first), then MMR order within each tier."""
    s = np.asarray(scores, dtype=float)
    finite = s[np.isfinite(s)]
    s = np.where(np.isfinite(s), s, (finite.min() - 1) if finite.size else 0.0)
    order: list[int] = []
    for tier in sorted(set(tiers)):
        idx = np.array([i for i, t in enumerate(tiers) if t == tier], dtype=np.int64)
        order += [int(idx[j]) for j in mmr_order(s[idx], embeddings[idx], lam, idx.size)]
    return order


def rank_creatives(
    items: Sequence[T],
    inputs: Sequence[GateInput],
    score: Callable[[T], tuple[float, tuple[str, ...]]],
    gates: Sequence[Gate],
    *,
    publishable: Callable[[T], bool] = lambda _: True,
    lam: float = DIVERSITY_LAMBDA,
    top_k: int | None = None,
    encoder: ImageEncoder | None = None,
) -> Ranking[T]:
    """Gates → score → MMR → top-K over ``items`` (``inputs[i]`` is what gates see of item i).

    Diversity is measured on ``encoder``'s embeddings of the creatives when one is configured.

    The duplicate gate runs last, on the ranked order, so the worse-ranked copy is the one
    dropped.
    """
    per_item = [g for g in gates if g.name != "duplicate"]
    dup_gates = [g for g in gates if g.name == "duplicate"]
    results = run_gates(per_item, inputs)
    scored = [
        Scored(it, *score(it), tuple(res), publishable(it))
        for it, res in zip(items, results, strict=True)
    ]
    emb = embeddings([i.image for i in inputs], encoder)
    order = order_tiers([s.score for s in scored], [s.tier for s in scored], emb, lam)
    ranked = [scored[i] for i in order]
    duplicates: list[Scored[T]] = []
    if dup_gates:
        dup_results = run_gates(dup_gates, [inputs[i] for i in order])
        kept: list[Scored[T]] = []
        for s, extra in zip(ranked, dup_results, strict=True):
            s2 = Scored(s.item, s.score, s.reasons, s.gates + tuple(extra), s.publishable)
            (kept if passed_all(extra) else duplicates).append(s2)
        ranked = kept
    if top_k is not None:
        ranked = ranked[:top_k]
    return Ranking(ranked, duplicates)
