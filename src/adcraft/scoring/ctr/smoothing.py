"""Empirical-Bayes smoothing for sparse click counts.

Two levels, both fitted by the method of moments on the training data:

* **Cells** (format × style × category) get a Beta-Binomial prior: the CTR of a cell with few
  impressions is pulled towards the global CTR with a strength ``a + b`` that reflects how much
  cells really differ. The smoothed cell CTR is the cold-start prior for a creative nobody has
  seen (and the ranking score when no model is trained yet), and a feature of the model.
* **Creatives** get a Gamma-Poisson multiplier on top of the model: a creative with O observed
  clicks where the model expected E is scored (O + κ)/(E + κ) × model CTR. κ is large when
  creatives scatter little around the model, so a handful of lucky clicks moves nothing, and
  a creative with thousands of impressions is judged mostly on its own record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BetaPrior:
    """Beta(a, b) prior of a cell's CTR."""

    a: float
    b: float

    @property
    def mean(self) -> float:
        """The prior CTR."""
        return self.a / (self.a + self.b)

    def posterior_mean(self, clicks: float, impressions: float) -> float:
        """Smoothed CTR of a cell with these counts."""
        return (clicks + self.a) / (impressions + self.a + self.b)


def fit_beta_prior(counts: Iterable[tuple[float, float]]) -> BetaPrior:
    """Method-of-moments Beta prior from (clicks, impressions) per cell.

    The spread of the cells' raw CTRs is the prior variance plus binomial noise; subtracting the
    expected noise leaves the prior variance (floored, so identical cells give a strong prior
    rather than a division by zero).
    """
    pairs = [(c, n) for c, n in counts if n > 0]
    if not pairs:
        return BetaPrior(1.0, 99.0)
    clicks = np.array([c for c, _ in pairs], dtype=float)
    imps = np.array([n for _, n in pairs], dtype=float)
    mean = float(clicks.sum() / imps.sum())
    mean = min(max(mean, 1e-6), 1 - 1e-6)
    rates = clicks / imps
    w = imps / imps.sum()
    spread = float(np.sum(w * (rates - mean) ** 2))
    noise = float(np.sum(w * mean * (1 - mean) / imps))
    var = max(spread - noise, 1e-4 * mean * (1 - mean))
    strength = max(mean * (1 - mean) / var - 1, 1.0)
    return BetaPrior(mean * strength, (1 - mean) * strength)


def fit_gamma_strength(observed: Mapping[str, float], expected: Mapping[str, float]) -> float:
    """κ of the creatives' Gamma(κ, κ) multiplier around the model, by moments.

    Var(O/E) ≈ 1/κ + mean(1/E) (prior spread plus Poisson noise), weighted by E.
    """
    keys = [k for k in observed if expected.get(k, 0.0) > 0]
    if len(keys) < 2:
        return 1e6
    o = np.array([observed[k] for k in keys], dtype=float)
    e = np.array([expected[k] for k in keys], dtype=float)
    r = o / e
    w = e / e.sum()
    spread = float(np.sum(w * (r - 1.0) ** 2))
    noise = float(np.sum(w / e))
    var = spread - noise
    return 1e6 if var <= 1e-6 else 1.0 / var


def creative_multiplier(observed: float, expected: float, kappa: float) -> float:
    """Posterior mean multiplier of one creative: (O + κ) / (E + κ)."""
    return (observed + kappa) / (expected + kappa)
