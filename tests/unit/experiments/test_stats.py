"""Fixed-horizon statistics: intervals, tests, sample sizes and Holm."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from adcraft.experiments.stats import (
    StatsInputError,
    holm,
    holm_adjusted,
    noninferiority_sample_size,
    noninferiority_test,
    restricted_rates,
    two_proportion_test,
    wilson_interval,
)


def test_wilson_matches_the_textbook_value() -> None:
    # Newcombe (1998), table I: 81/263 -> 0.2553 .. 0.3662.
    lo, hi = wilson_interval(81, 263)
    assert float(lo) == pytest.approx(0.2553, abs=5e-4)
    assert float(hi) == pytest.approx(0.3662, abs=5e-4)


def test_wilson_edges_are_exact() -> None:
    assert wilson_interval(0, 100)[0] == 0.0
    assert wilson_interval(100, 100)[1] == 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_is_vectorised() -> None:
    lo, hi = wilson_interval(np.array([1.0, 20.0]), np.array([100.0, 1000.0]))
    assert np.all(np.asarray(lo) < np.array([0.01, 0.02]))
    assert np.all(np.asarray(hi) > np.array([0.01, 0.02]))


def test_clicks_above_impressions_are_refused() -> None:
    with pytest.raises(StatsInputError, match="clicks without impressions"):
        wilson_interval(5, 3)
    with pytest.raises(StatsInputError, match="no impressions"):
        noninferiority_test(0, 0, 10, 100)


def test_two_proportion_z_against_a_hand_computation() -> None:
    # p1 = .1, p2 = .05, pooled .075, se = sqrt(.075*.925*(2/1000)) = .011779
    r = two_proportion_test(100, 1000, 50, 1000)
    assert r.statistic == pytest.approx(0.05 / math.sqrt(0.075 * 0.925 * 0.002), rel=1e-9)
    assert r.rejected


def test_restricted_rates_maximise_the_h0_likelihood() -> None:
    xt, nt, xc, nc, m = 180, 10_000, 230, 10_000, 0.9
    pt, pc = restricted_rates(xt, nt, xc, nc, m)
    assert float(pt) == pytest.approx(m * float(pc))

    def nll(q: float) -> float:
        return -(
            xt * math.log(m * q)
            + (nt - xt) * math.log(1 - m * q)
            + xc * math.log(q)
            + (nc - xc) * math.log(1 - q)
        )

    best = minimize_scalar(nll, bounds=(1e-4, 0.5), method="bounded", options={"xatol": 1e-12})
    assert float(pc) == pytest.approx(best.x, rel=1e-6)


def test_noninferiority_direction() -> None:
    # Equal CTRs with lots of data: non-inferior; a clearly worse AI arm: not.
    assert noninferiority_test(2000, 100_000, 2000, 100_000).rejected
    assert not noninferiority_test(1500, 100_000, 2000, 100_000).rejected
    # Exactly on the boundary the statistic is 0 and p = 0.5.
    r = noninferiority_test(900, 50_000, 1000, 50_000)
    assert r.statistic == pytest.approx(0.0, abs=1e-9)
    assert r.p_value == pytest.approx(0.5, abs=1e-9)


def test_sample_size_grows_for_rarer_clicks_and_more_power() -> None:
    n2, _ = noninferiority_sample_size(0.02)
    n1, _ = noninferiority_sample_size(0.01)
    n2_90, _ = noninferiority_sample_size(0.02, power=0.9)
    assert 50_000 < n2 < 60_000
    assert n1 > 1.9 * n2
    assert n2_90 > n2
    n_ai, n_c = noninferiority_sample_size(0.02, allocation=2.0)
    assert n_ai == pytest.approx(2 * n_c, abs=2)


def test_sample_size_refuses_impossible_designs() -> None:
    with pytest.raises(StatsInputError, match="must exceed the margin"):
        noninferiority_sample_size(0.02, ratio=0.85)
    with pytest.raises(StatsInputError, match="between 0 and 1"):
        noninferiority_sample_size(0.0)


def test_holm_steps_down() -> None:
    assert holm([0.01, 0.04, 0.03], 0.05) == [True, False, False]
    assert holm([0.01, 0.02, 0.03], 0.05) == [True, True, True]
    assert holm_adjusted([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
