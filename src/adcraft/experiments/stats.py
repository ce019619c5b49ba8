"""Fixed-horizon statistics for click-through rates: intervals, tests and sample sizes.

Every function takes counts (clicks, impressions) and accepts numpy arrays as well as plain
numbers, so the simulation benchmarks run the very code the API runs, vectorised.

Non-inferiority (the pilot's decision rule) is tested on the *ratio* of CTRs:

    H0: p_ai <= m * p_control      against      H1: p_ai > m * p_control     (m = 0.9)

with the Farrington-Manning score statistic (Farrington & Manning, Stat. Med. 1990, the
relative-risk case): the difference ``p_ai - m * p_control`` divided by its standard error
computed at the *restricted* maximum-likelihood estimates, i.e. the rates that best explain
the data while lying exactly on the H0 boundary. Restricting the variance to H0 is what keeps
the type-I error at its nominal level for the small CTRs of ads, where the Wald version (plain
plug-in variance) runs a little hot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri  # type: ignore[import-untyped]

from adcraft.errors import InputError

Num: TypeAlias = float | NDArray[np.float64]

DEFAULT_MARGIN = 0.9
DEFAULT_ALPHA = 0.05


class StatsInputError(InputError):
    """Counts that cannot be tested: negative, clicks above impressions, or no impressions."""


def _check_counts(successes: Num, trials: Num, what: str) -> None:
    s = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if np.any(n < 0) or np.any(s < 0):
        raise StatsInputError(f"{what}: counts must not be negative")
    if np.any(s > n):
        raise StatsInputError(f"{what}: more clicks than impressions (clicks without impressions)")


def _out(x: NDArray[np.float64]) -> Num:
    return float(x) if np.ndim(x) == 0 else x


def wilson_interval(clicks: Num, impressions: Num, confidence: float = 0.95) -> tuple[Num, Num]:
    """The Wilson score interval for a CTR; (0, 1) when there are no impressions yet.

    Wilson rather than Wald because Wald's interval collapses to a point at zero clicks and
    undercovers badly at the 1-3 % CTRs ads live at.
    """
    _check_counts(clicks, impressions, "wilson_interval")
    x = np.asarray(clicks, dtype=float)
    n = np.asarray(impressions, dtype=float)
    z = float(ndtri(0.5 + confidence / 2))
    safe_n = np.where(n > 0, n, 1.0)
    p = x / safe_n
    denom = 1 + z * z / safe_n
    centre = (p + z * z / (2 * safe_n)) / denom
    half = z * np.sqrt(p * (1 - p) / safe_n + z * z / (4 * safe_n * safe_n)) / denom
    # At zero clicks (or all clicks) the bound is exactly 0 (or 1); rounding would leave 1e-18.
    lo = np.where((n > 0) & (x > 0), np.clip(centre - half, 0.0, 1.0), 0.0)
    hi = np.where((n > 0) & (x < n), np.clip(centre + half, 0.0, 1.0), 1.0)
    return _out(lo), _out(hi)


@dataclass(frozen=True)
class TestResult:
    """A test statistic, its p-value and whether H0 is rejected at ``alpha``."""

    statistic: float
    p_value: float
    rejected: bool


def two_proportion_z(x1: Num, n1: Num, x2: Num, n2: Num) -> tuple[Num, Num]:
    """Pooled two-proportion z statistic and two-sided p-value for H0: p1 == p2."""
    _check_counts(x1, n1, "arm 1")
    _check_counts(x2, n2, "arm 2")
    a1, b1 = np.asarray(x1, float), np.asarray(n1, float)
    a2, b2 = np.asarray(x2, float), np.asarray(n2, float)
    if np.any(b1 == 0) or np.any(b2 == 0):
        raise StatsInputError("two_proportion_z: an arm has no impressions")
    pooled = (a1 + a2) / (b1 + b2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / b1 + 1 / b2))
    diff = a1 / b1 - a2 / b2
    z = np.where(se > 0, diff / np.where(se > 0, se, 1.0), 0.0)
    p = 2 * ndtr(-np.abs(z))
    return _out(z), _out(p)


def two_proportion_test(
    x1: int, n1: int, x2: int, n2: int, alpha: float = DEFAULT_ALPHA
) -> TestResult:
    """Two-sided pooled z-test of equal CTRs."""
    z, p = two_proportion_z(x1, n1, x2, n2)
    return TestResult(float(z), float(p), bool(float(p) < alpha))


def restricted_rates(
    x_t: Num, n_t: Num, x_c: Num, n_c: Num, margin: float = DEFAULT_MARGIN
) -> tuple[Num, Num]:
    """Farrington-Manning restricted MLEs (p_t, p_c) under p_t = margin * p_c.

    The root of the quadratic in the paper (section 2.2, relative risk): with N = n_t + n_c,
    a = N*m, b = -(n_t*m + x_t + n_c + x_c*m), c = x_t + x_c, p_c = (-b - sqrt(b^2-4ac))/(2a).
    Counts may be fractional (expected counts), which the sample-size calculator uses.
    """
    xt, nt = np.asarray(x_t, float), np.asarray(n_t, float)
    xc, nc = np.asarray(x_c, float), np.asarray(n_c, float)
    a = (nt + nc) * margin
    b = -(nt * margin + xt + nc + xc * margin)
    c = xt + xc
    disc = np.maximum(b * b - 4 * a * c, 0.0)
    p_c = (-b - np.sqrt(disc)) / (2 * np.where(a > 0, a, 1.0))
    p_c = np.clip(p_c, 0.0, 1.0)
    return _out(margin * p_c), _out(p_c)


def noninferiority_z(
    x_t: Num, n_t: Num, x_c: Num, n_c: Num, margin: float = DEFAULT_MARGIN
) -> tuple[Num, Num]:
    """Farrington-Manning score z for H0: p_t <= margin * p_c, and its restricted variance.

    Returns (z, variance of p̂_t - m·p̂_c at the restricted MLEs). Large z favours
    non-inferiority. z is 0 where the variance is 0 (no clicks anywhere yet).
    """
    _check_counts(x_t, n_t, "AI arm")
    _check_counts(x_c, n_c, "control arm")
    nt, nc = np.asarray(n_t, float), np.asarray(n_c, float)
    if np.any(nt == 0) or np.any(nc == 0):
        raise StatsInputError("non-inferiority test: an arm has no impressions yet")
    pt_r, pc_r = restricted_rates(x_t, n_t, x_c, n_c, margin)
    ptr, pcr = np.asarray(pt_r, float), np.asarray(pc_r, float)
    var = ptr * (1 - ptr) / nt + margin * margin * pcr * (1 - pcr) / nc
    diff = np.asarray(x_t, float) / nt - margin * np.asarray(x_c, float) / nc
    z = np.where(var > 0, diff / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)
    return _out(z), _out(var)


def noninferiority_test(
    x_t: int,
    n_t: int,
    x_c: int,
    n_c: int,
    margin: float = DEFAULT_MARGIN,
    alpha: float = DEFAULT_ALPHA,
) -> TestResult:
    """One-sided Farrington-Manning test of H0: CTR_t <= margin * CTR_c at level ``alpha``."""
    z, _ = noninferiority_z(x_t, n_t, x_c, n_c, margin)
    p = float(ndtr(-float(z)))
    return TestResult(float(z), p, p < alpha)


def noninferiority_sample_size(
    p_control: float,
    ratio: float = 1.0,
    margin: float = DEFAULT_MARGIN,
    alpha: float = DEFAULT_ALPHA,
    power: float = 0.8,
    allocation: float = 1.0,
) -> tuple[int, int]:
    """Impressions per arm (n_ai, n_control) for the Farrington-Manning test to reach ``power``.

    ``ratio`` is the true CTR_ai / CTR_control the experiment is sized for (1.0: as good as the
    control), ``allocation`` is n_ai / n_control. The formula is the score-test one, with the
    H0 variance at the restricted rates of the expected counts and the H1 variance at the
    true rates:  n_c = (z_a*sqrt(V0) + z_b*sqrt(V1))^2 / (p_t - m*p_c)^2.
    """
    if not 0 < p_control < 1:
        raise StatsInputError("sample size: the control CTR must be between 0 and 1")
    if not 0 < margin < ratio:
        raise StatsInputError(
            f"sample size: the true ratio {ratio:g} must exceed the margin {margin:g}"
        )
    if not (0 < alpha < 0.5 and 0.5 < power < 1 and allocation > 0):
        raise StatsInputError("sample size: need 0 < alpha < 0.5, 0.5 < power < 1, allocation > 0")
    p_t = ratio * p_control
    if p_t >= 1:
        raise StatsInputError("sample size: ratio * control CTR must stay below 1")
    k = allocation
    # Expected counts for n_c = 1 (the quadratic is homogeneous in the counts).
    pt_r, pc_r = restricted_rates(k * p_t, k, p_control, 1.0, margin)
    v0 = float(pt_r) * (1 - float(pt_r)) / k + margin**2 * float(pc_r) * (1 - float(pc_r))
    v1 = p_t * (1 - p_t) / k + margin**2 * p_control * (1 - p_control)
    za, zb = float(ndtri(1 - alpha)), float(ndtri(power))
    n_c = (za * math.sqrt(v0) + zb * math.sqrt(v1)) ** 2 / (p_t - margin * p_control) ** 2
    return math.ceil(k * n_c), math.ceil(n_c)


def holm(p_values: list[float], alpha: float = DEFAULT_ALPHA) -> list[bool]:
    """Holm's step-down rejections: family-wise error <= alpha over all arms, any dependence."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    rejected = [False] * m
    for rank, i in enumerate(order):
        if p_values[i] > alpha / (m - rank):
            break
        rejected[i] = True
    return rejected


def holm_adjusted(p_values: list[float]) -> list[float]:
    """Holm-adjusted p-values (compare each with alpha directly)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted
