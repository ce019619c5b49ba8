"""Always-valid sequential monitoring of the non-inferiority question (mSPRT).

People look at experiment results every day. Re-running a fixed-horizon test at each look
inflates the type-I error (20 daily looks at one-sided 5 % reject a true H0 ~15 % of the time,
see docs/benchmarks-ranking.md). The mixture sequential probability ratio test (Robbins 1970;
Johari, Pekelis & Walsh, "Always valid inference", 2017) avoids that: its statistic is a
non-negative supermartingale under H0, so by Ville's inequality

    P(Λ_n ≥ 1/α at *any* look n) ≤ α

whatever the look schedule, and the experiment may stop the moment it crosses.

Here the parameter is δ = p_ai - m·p_control (m the margin). Its estimate δ̂ is approximately
normal with variance V (the Farrington-Manning variance at the H0-restricted rates, see
``stats.noninferiority_z``), so with information I = 1/V and score S = δ̂·I the likelihood
ratio of δ against the boundary δ = 0 is exp(δS - δ²I/2). Mixing δ over a half-normal prior
of scale τ on the alternative side (δ > 0) gives the closed form

    Λ⁺ = 2 Φ(S/√a) exp(S²/(2a)) / sqrt(1 + τ²I),      a = I + 1/τ²,

and every δ ≤ 0 (inside H0) makes each component a supermartingale, so H0 is composite-safe.
"Non-inferior" is declared when Λ⁺ ≥ 1/α. The mirror statistic Λ⁻ (S → -S) declares
"inferior" (CTR_ai < m·CTR_control) at the same level. Until one crosses, the verdict is
"not yet decided".

τ is pre-registered with the experiment (never tuned on its data): by default the gap the
experiment hopes to find, (1 - m) × the expected control CTR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from scipy.special import log_ndtr  # type: ignore[import-untyped]

from adcraft.experiments.stats import (
    DEFAULT_ALPHA,
    DEFAULT_MARGIN,
    Num,
    StatsInputError,
    noninferiority_z,
)

# No verdict before the control has this many clicks: the normal approximation behind the
# statistic is poor with a handful of clicks. Skipping looks never raises the type-I error of
# a supermartingale test, so this only makes the test more careful.
MIN_CONTROL_CLICKS = 30


class Verdict(StrEnum):
    """What the sequential design allows us to say right now."""

    NON_INFERIOR = "non_inferior"
    INFERIOR = "inferior"
    UNDECIDED = "not_yet_decided"


@dataclass(frozen=True)
class SequentialDesign:
    """A pre-registered mSPRT design for H0: CTR_ai <= margin * CTR_control."""

    margin: float = DEFAULT_MARGIN
    alpha: float = DEFAULT_ALPHA
    tau: float = (1 - DEFAULT_MARGIN) * 0.02
    min_control_clicks: int = MIN_CONTROL_CLICKS

    def __post_init__(self) -> None:
        if not 0 < self.margin <= 1:
            raise StatsInputError(f"margin {self.margin:g} must be in (0, 1]")
        if not 0 < self.alpha < 0.5:
            raise StatsInputError(f"alpha {self.alpha:g} must be in (0, 0.5)")
        if not self.tau > 0:
            raise StatsInputError("the mixing scale tau must be positive")

    @classmethod
    def for_baseline(
        cls, expected_control_ctr: float, margin: float = DEFAULT_MARGIN, alpha: float = 0.05
    ) -> SequentialDesign:
        """The default design: τ = the gap to the margin when the AI arm equals the control."""
        if not 0 < expected_control_ctr < 1:
            raise StatsInputError("the expected control CTR must be between 0 and 1")
        return cls(margin=margin, alpha=alpha, tau=(1 - margin) * expected_control_ctr)


def log_mixture_lr(
    x_t: Num, n_t: Num, x_c: Num, n_c: Num, design: SequentialDesign
) -> tuple[Num, Num]:
    """(log Λ⁺, log Λ⁻) at one look from cumulative counts; vectorised over arrays."""
    z, var = noninferiority_z(x_t, n_t, x_c, n_c, design.margin)
    v = np.asarray(var, float)
    zz = np.asarray(z, float)
    ok = v > 0
    v_safe = np.where(ok, v, 1.0)
    info = 1.0 / v_safe
    score = zz * np.sqrt(info)  # = δ̂ / V
    tau2 = design.tau**2
    a = info + 1.0 / tau2
    base = score * score / (2 * a) - 0.5 * np.log1p(tau2 * info) + np.log(2.0)
    s = score / np.sqrt(a)
    up = np.where(ok, base + log_ndtr(s), -np.inf)
    down = np.where(ok, base + log_ndtr(-s), -np.inf)
    gate = np.asarray(x_c, float) >= design.min_control_clicks
    up = np.where(gate, up, -np.inf)
    down = np.where(gate, down, -np.inf)
    return _o(up), _o(down)


def _o(x: NDArray[np.float64]) -> Num:
    return float(x) if np.ndim(x) == 0 else x


@dataclass(frozen=True)
class Look:
    """Cumulative counts of one AI arm and the control at one look (e.g. end of a day)."""

    clicks_ai: int
    impressions_ai: int
    clicks_control: int
    impressions_control: int


@dataclass(frozen=True)
class SequentialResult:
    """The verdict, the look it was reached at, and the always-valid p-values so far."""

    verdict: Verdict
    decided_at_look: int | None
    p_non_inferior: float
    p_inferior: float


def monitor(looks: Sequence[Look], design: SequentialDesign) -> SequentialResult:
    """Walk the looks in order; the first crossing decides and later looks cannot undo it.

    The always-valid p-value is 1 / (running max of Λ), capped at 1: valid at any stopping
    time, so it can be fed to Holm across arms.
    """
    best_up = best_down = 0.0  # log of max Λ, starting at Λ = 1
    for i, look in enumerate(looks):
        if look.impressions_ai == 0 or look.impressions_control == 0:
            continue
        up, down = log_mixture_lr(
            look.clicks_ai,
            look.impressions_ai,
            look.clicks_control,
            look.impressions_control,
            design,
        )
        best_up, best_down = max(best_up, float(up)), max(best_down, float(down))
        threshold = -np.log(design.alpha)
        if best_up >= threshold or best_down >= threshold:
            verdict = Verdict.NON_INFERIOR if best_up >= threshold else Verdict.INFERIOR
            return SequentialResult(verdict, i, float(np.exp(-best_up)), float(np.exp(-best_down)))
    return SequentialResult(
        Verdict.UNDECIDED, None, float(np.exp(-best_up)), float(np.exp(-best_down))
    )
