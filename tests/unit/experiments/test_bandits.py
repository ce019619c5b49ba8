"""Allocation policies, guardrails and sticky assignment."""

from __future__ import annotations

import numpy as np
import pytest

from adcraft.experiments.bandits import (
    Guardrails,
    Policy,
    PolicyError,
    assign,
    clip_shares,
    shares,
)
from adcraft.experiments.operating import bandit_regret


def _rng() -> np.random.Generator:
    return np.random.default_rng(0)


def test_thompson_favours_the_clearly_better_arm() -> None:
    clicks = np.array([100.0, 300.0, 120.0])
    imps = np.array([10_000.0, 10_000.0, 10_000.0])
    s = shares(Policy.THOMPSON, clicks, imps, _rng())
    assert s.sum() == pytest.approx(1.0)
    assert s[1] > 0.99


def test_top_two_keeps_exploring_the_runner_up() -> None:
    clicks = np.array([100.0, 300.0, 120.0])
    imps = np.array([10_000.0, 10_000.0, 10_000.0])
    s = shares(Policy.TOP_TWO, clicks, imps, _rng())
    assert 0.4 < s[1] < 0.6  # the leader gets about beta = 0.5
    assert s[2] > s[0]  # the likelier challenger gets more of the rest


def test_guardrails_warm_up_then_floor_and_cap() -> None:
    clicks = np.array([1.0, 30.0])
    imps = np.array([100.0, 1000.0])
    g = Guardrails(min_impressions=200, min_share=0.1, max_share=0.8)
    assert shares(Policy.THOMPSON, clicks, imps, _rng(), guardrails=g) == pytest.approx([0.5, 0.5])
    imps = np.array([1000.0, 1000.0])
    clicks = np.array([10.0, 60.0])
    s = shares(Policy.THOMPSON, clicks, imps, _rng(), guardrails=g)
    assert s == pytest.approx([0.2, 0.8])


def test_clip_shares_keeps_sum_and_bounds() -> None:
    s = clip_shares(np.array([[0.97, 0.01, 0.01, 0.01]]), 0.05, 0.9)
    assert s.sum() == pytest.approx(1.0)
    assert s.min() >= 0.05 - 1e-9 and s.max() <= 0.9 + 1e-9


def test_bad_policies_are_refused() -> None:
    with pytest.raises(PolicyError, match="at least two arms"):
        shares(Policy.FIXED, np.array([1.0]), np.array([10.0]), _rng())
    with pytest.raises(PolicyError, match="cannot add up to 1"):
        shares(
            Policy.THOMPSON,
            np.zeros(3),
            np.zeros(3),
            _rng(),
            guardrails=Guardrails(min_share=0.5),
        )
    with pytest.raises(PolicyError, match="weights"):
        shares(Policy.FIXED, np.zeros(2), np.zeros(2), _rng(), weights=np.array([1.0, -1.0]))


def test_fixed_weights() -> None:
    s = shares(Policy.FIXED, np.zeros(2), np.zeros(2), _rng(), weights=np.array([3.0, 1.0]))
    assert s == pytest.approx([0.75, 0.25])


def test_assignment_is_sticky_and_follows_the_shares() -> None:
    arms = ["a", "b", "c"]
    users = [f"u{i}" for i in range(3000)]
    first = [assign("exp1", u, arms, [0.2, 0.3, 0.5]) for u in users]
    assert first == [assign("exp1", u, arms, [0.2, 0.3, 0.5]) for u in users]
    counts = {a: first.count(a) / len(users) for a in arms}
    assert counts["a"] == pytest.approx(0.2, abs=0.03)
    assert counts["c"] == pytest.approx(0.5, abs=0.03)
    memory: dict[tuple[str, str], str] = {}
    before = [assign("exp1", u, arms, [0.2, 0.3, 0.5], memory) for u in users[:200]]
    after = [assign("exp1", u, arms, [0.9, 0.05, 0.05], memory) for u in users[:200]]
    assert before == after  # remembered: shares moving later do not move a user


def test_thompson_regret_beats_uniform_on_a_small_run() -> None:
    p = np.tile(np.array([0.02, 0.025, 0.03, 0.018, 0.022, 0.027]), (20, 1))
    uni = bandit_regret(p, Policy.FIXED, 20_000, seed=1, batch=200)
    ts = bandit_regret(p, Policy.THOMPSON, 20_000, seed=1, batch=200)
    assert ts.regret.mean() < 0.6 * uni.regret.mean()
