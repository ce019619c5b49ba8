"""Operating characteristics of the experiment statistics, by simulation.

Type-I error and power of the non-inferiority test, fixed-horizon and with daily looks, for
the benchmark (2 000 simulations, docs/benchmarks-ranking.md) and, with fewer simulations, the
tests. Traffic is drawn per day as binomial click counts, which is exactly what independent
impressions produce, so 2 000 experiments of 100 000+ impressions take well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr  # type: ignore[import-untyped]

from adcraft.experiments.bandits import Guardrails, Policy, shares
from adcraft.experiments.sequential import SequentialDesign, log_mixture_lr
from adcraft.experiments.stats import DEFAULT_ALPHA, DEFAULT_MARGIN, holm, noninferiority_z


@dataclass(frozen=True)
class Scenario:
    """An experiment to simulate: true CTRs, impressions per arm per day, days, margin."""

    p_control: float
    ratio: float  # true CTR_ai / CTR_control; == margin is the H0 boundary
    per_day: int
    days: int
    margin: float = DEFAULT_MARGIN
    alpha: float = DEFAULT_ALPHA


def _daily_counts(
    rng: np.random.Generator, p: float, per_day: int, days: int, sims: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    clicks = rng.binomial(per_day, p, size=(sims, days)).cumsum(axis=1).astype(float)
    imps = np.broadcast_to(np.arange(1, days + 1, dtype=float) * per_day, (sims, days))
    return clicks, np.ascontiguousarray(imps)


@dataclass(frozen=True)
class Rates:
    """Rejection rates of H0 (non-inferiority declared) over the simulations."""

    fixed_horizon: float  # one Farrington-Manning test after the last day
    naive_daily: float  # the fixed test repeated every day, stopping at the first rejection
    sequential: float  # mSPRT, looked at every day
    sequential_median_day: float | None  # median day of a sequential rejection (1-based)
    sequential_inferior: float  # mSPRT's "inferior" verdicts (futility side)


def simulate(scenario: Scenario, sims: int, seed: int, design: SequentialDesign) -> Rates:
    """Run ``sims`` experiments of ``scenario`` and count how often each method rejects H0."""
    rng = np.random.default_rng(seed)
    s = scenario
    xc, nc = _daily_counts(rng, s.p_control, s.per_day, s.days, sims)
    xt, nt = _daily_counts(rng, s.ratio * s.p_control, s.per_day, s.days, sims)
    z, _ = noninferiority_z(xt, nt, xc, nc, s.margin)
    daily_p = ndtr(-np.asarray(z))
    fixed = float(np.mean(daily_p[:, -1] < s.alpha))
    naive = float(np.mean((daily_p < s.alpha).any(axis=1)))
    up, down = log_mixture_lr(xt, nt, xc, nc, design)
    thr = -np.log(design.alpha)
    hit_up = np.asarray(up) >= thr
    hit_down = np.asarray(down) >= thr
    first_up = np.where(hit_up.any(axis=1), hit_up.argmax(axis=1), s.days)
    first_down = np.where(hit_down.any(axis=1), hit_down.argmax(axis=1), s.days)
    # The first crossing decides: a later crossing of the other side does not count.
    seq_ni = (first_up < s.days) & (first_up <= first_down)
    seq_inf = (first_down < s.days) & (first_down < first_up)
    median_day = float(np.median(first_up[seq_ni]) + 1) if seq_ni.any() else None
    return Rates(fixed, naive, float(seq_ni.mean()), median_day, float(seq_inf.mean()))


def family_wise_error(
    scenario: Scenario, arms: int, sims: int, seed: int, correct: bool = True
) -> float:
    """Share of simulations where any of ``arms`` AI arms (all on the H0 boundary) is declared
    non-inferior by the fixed-horizon test, with Holm's correction or without it."""
    rng = np.random.default_rng(seed)
    s = scenario
    n = s.per_day * s.days
    xc = rng.binomial(n, s.p_control, size=sims).astype(float)
    xts = rng.binomial(n, s.ratio * s.p_control, size=(arms, sims)).astype(float)
    z, _ = noninferiority_z(xts, float(n), xc[None, :], float(n), s.margin)
    p = ndtr(-np.asarray(z))
    any_false = 0
    for j in range(sims):
        col = [float(v) for v in p[:, j]]
        rejected = holm(col, s.alpha) if correct else [v < s.alpha for v in col]
        any_false += any(rejected)
    return any_false / sims


@dataclass(frozen=True)
class RegretRun:
    """Cumulative expected regret (clicks lost to not always showing the best arm) per seed."""

    policy: str
    regret: NDArray[np.float64]
    best_arm_share: NDArray[np.float64]  # share of the last 10 % of traffic on the best arm


def bandit_regret(
    p: NDArray[np.float64],
    policy: Policy,
    horizon: int,
    seed: int,
    *,
    batch: int = 100,
    guardrails: Guardrails | None = None,
) -> RegretRun:
    """Run ``policy`` on every row of true CTRs ``p`` (experiments × arms) for ``horizon``
    impressions, refreshing the shares every ``batch`` impressions as a server would."""
    rng = np.random.default_rng(seed)
    g = guardrails or Guardrails(min_impressions=0)
    runs, arms = p.shape
    clicks = np.zeros((runs, arms))
    imps = np.zeros((runs, arms))
    regret = np.zeros(runs)
    gap = p.max(axis=1, keepdims=True) - p
    best = p.argmax(axis=1)
    late = np.zeros(runs)
    late_from = horizon - horizon // 10
    shown = 0
    while shown < horizon:
        n = min(batch, horizon - shown)
        sh = shares(policy, clicks, imps, rng, guardrails=g, draws=max(n, 64))
        counts = rng.multinomial(n, sh).astype(float)
        new_clicks = rng.binomial(counts.astype(np.int64), p).astype(float)
        clicks += new_clicks
        imps += counts
        regret += (counts * gap).sum(axis=1)
        if shown >= late_from:
            late += counts[np.arange(runs), best]
        shown += n
    return RegretRun(policy.value, regret, late / max(1, horizon - late_from))
