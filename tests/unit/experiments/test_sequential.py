"""Always-valid monitoring: the verdicts and their error rates under daily looks."""

from __future__ import annotations

import math

import pytest

from adcraft.experiments.operating import Scenario, family_wise_error, simulate
from adcraft.experiments.sequential import Look, SequentialDesign, Verdict, monitor
from adcraft.experiments.stats import StatsInputError, noninferiority_sample_size


def _looks(p_ai: float, p_c: float, per_day: int, days: int) -> list[Look]:
    # Expected counts: a noiseless trajectory, so the verdict is determined by the truth.
    return [
        Look(round(p_ai * per_day * d), per_day * d, round(p_c * per_day * d), per_day * d)
        for d in range(1, days + 1)
    ]


def test_equal_ctrs_end_non_inferior_and_stay_decided() -> None:
    design = SequentialDesign.for_baseline(0.02)
    res = monitor(_looks(0.02, 0.02, 8000, 30), design)
    assert res.verdict is Verdict.NON_INFERIOR
    assert res.decided_at_look is not None and res.decided_at_look < 29
    assert res.p_non_inferior < 0.05


def test_a_clearly_worse_arm_is_declared_inferior() -> None:
    res = monitor(_looks(0.014, 0.02, 8000, 30), SequentialDesign.for_baseline(0.02))
    assert res.verdict is Verdict.INFERIOR


def test_too_little_data_is_not_yet_decided() -> None:
    res = monitor(_looks(0.02, 0.02, 100, 5), SequentialDesign.for_baseline(0.02))
    assert res.verdict is Verdict.UNDECIDED
    assert res.p_non_inferior == 1.0


def test_design_refuses_nonsense() -> None:
    with pytest.raises(StatsInputError):
        SequentialDesign(margin=1.5)
    with pytest.raises(StatsInputError):
        SequentialDesign.for_baseline(0.0)


def test_type_one_error_under_daily_peeking() -> None:
    # 600 simulated experiments on the H0 boundary, 20 daily looks. Naive peeking must show
    # the inflation (so the simulation can tell), mSPRT must not.
    n, _ = noninferiority_sample_size(0.02)
    sc = Scenario(0.02, 0.9, math.ceil(n / 10), 20)
    r = simulate(sc, 600, seed=7, design=SequentialDesign.for_baseline(0.02))
    assert r.naive_daily > 0.10
    assert r.sequential <= 0.05
    assert r.fixed_horizon <= 0.08  # 5 % nominal, binomial noise of 600 sims


def test_power_at_the_calculated_sample_size() -> None:
    n, _ = noninferiority_sample_size(0.02)
    sc = Scenario(0.02, 1.0, math.ceil(n / 14), 14)
    r = simulate(sc, 600, seed=3, design=SequentialDesign.for_baseline(0.02))
    assert 0.74 <= r.fixed_horizon <= 0.87  # sized for 80 %


def test_holm_controls_the_family_wise_error() -> None:
    n, _ = noninferiority_sample_size(0.02)
    sc = Scenario(0.02, 0.9, math.ceil(n / 14), 14)
    assert family_wise_error(sc, 3, 600, seed=5, correct=True) <= 0.075
    assert family_wise_error(sc, 3, 600, seed=5, correct=False) > 0.09
