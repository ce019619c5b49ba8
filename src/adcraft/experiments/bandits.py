"""Allocation of traffic between arms: fixed split, Thompson sampling, top-two Thompson.

Every policy answers one question — "what share of the next impressions goes to each arm?" —
from the arms' (impressions, clicks). Serving draws each impression's arm from those shares
(sticky per user, see ``assign``); the shares are refreshed as events arrive. The same code
is vectorised over many simulated experiments for the benchmark (a leading batch axis).

Thompson sampling (Beta-Bernoulli, uniform Beta(1, 1) prior): an arm's share is the
posterior probability that it is the best, estimated with ``draws`` posterior samples —
exactly what per-impression Thompson sampling does within a batch.

Top-two Thompson (Russo 2016): with probability β the leader of one posterior sample, else
the leader of a fresh sample that is *not* that arm (the challenger). It keeps exploring the
runner-up, which identifies the best arm sooner at a small cost in clicks.

Guardrails (``Guardrails``): no adaptation until every arm has ``min_impressions``
(uniform until then), and every adaptive share is clipped to [min_share, max_share] and
renormalised — a floor keeps the control measurable, a cap limits any one arm's exposure.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from adcraft.errors import InputError


class PolicyError(InputError):
    """An allocation policy or guardrail that cannot work (bad weights, caps that conflict)."""


class Policy(StrEnum):
    """How an experiment splits traffic."""

    FIXED = "fixed"
    THOMPSON = "thompson"
    TOP_TWO = "top_two_thompson"


@dataclass(frozen=True)
class Guardrails:
    """Limits on adaptation: a warm-up per arm and floor/cap on every arm's share."""

    min_impressions: int = 200
    min_share: float = 0.0
    max_share: float = 1.0

    def check(self, arms: int) -> None:
        """Refuse caps that no allocation can satisfy."""
        if self.min_impressions < 0:
            raise PolicyError("min_impressions must not be negative")
        if not 0 <= self.min_share <= self.max_share <= 1:
            raise PolicyError("need 0 <= min_share <= max_share <= 1")
        if self.min_share * arms > 1 + 1e-9 or self.max_share * arms < 1 - 1e-9:
            raise PolicyError(
                f"shares between {self.min_share:g} and {self.max_share:g} cannot add up to 1 "
                f"over {arms} arms"
            )


def clip_shares(shares: NDArray[np.float64], lo: float, hi: float) -> NDArray[np.float64]:
    """Each row of ``shares`` moved into [lo, hi] with sum 1: the Euclidean projection onto
    the capped simplex, clip(s + λ, lo, hi) with λ found by bisection (the sum is monotone)."""
    s = np.asarray(shares, dtype=float)
    if lo <= 0 and hi >= 1:
        return s
    low = np.full((*s.shape[:-1], 1), -1.0)
    high = np.full((*s.shape[:-1], 1), 1.0)
    for _ in range(60):  # 2^-60: exact to double precision
        mid = (low + high) / 2
        total = np.clip(s + mid, lo, hi).sum(axis=-1, keepdims=True)
        low = np.where(total < 1, mid, low)
        high = np.where(total < 1, high, mid)
    return np.asarray(np.clip(s + (low + high) / 2, lo, hi))


def _beta_draws(
    rng: np.random.Generator, clicks: NDArray[np.float64], imps: NDArray[np.float64], draws: int
) -> NDArray[np.float64]:
    a = 1.0 + clicks
    b = 1.0 + imps - clicks
    shape = (*clicks.shape[:-1], draws, clicks.shape[-1])
    return rng.beta(np.expand_dims(a, -2), np.expand_dims(b, -2), size=shape)


def _frequencies(index: NDArray[np.int64], arms: int) -> NDArray[np.float64]:
    one_hot = index[..., None] == np.arange(arms)
    return np.asarray(one_hot.mean(axis=-2), dtype=float)


def thompson_shares(
    clicks: NDArray[np.float64],
    imps: NDArray[np.float64],
    rng: np.random.Generator,
    draws: int = 1000,
) -> NDArray[np.float64]:
    """P(arm is best) under Beta(1+clicks, 1+misses) posteriors, by ``draws`` samples."""
    return _frequencies(_beta_draws(rng, clicks, imps, draws).argmax(axis=-1), clicks.shape[-1])


def top_two_shares(
    clicks: NDArray[np.float64],
    imps: NDArray[np.float64],
    rng: np.random.Generator,
    draws: int = 1000,
    beta: float = 0.5,
    retries: int = 8,
) -> NDArray[np.float64]:
    """Top-two Thompson shares: leader with probability ``beta``, else a resampled challenger.

    The challenger is the leader of the first of ``retries`` fresh samples whose leader differs
    from the first sample's; if all agree (a near-certain leader) the second-best arm of the
    last sample stands in, which is what an unbounded resampling loop converges to.
    """
    arms = clicks.shape[-1]
    first = _beta_draws(rng, clicks, imps, draws)
    leader = first.argmax(axis=-1)
    challenger = np.full(leader.shape, -1, dtype=np.int64)
    last = first
    for _ in range(retries):
        todo = challenger < 0
        if not todo.any():
            break
        last = _beta_draws(rng, clicks, imps, draws)
        cand = last.argmax(axis=-1)
        take = todo & (cand != leader)
        challenger = np.where(take, cand, challenger)
    masked = np.where(np.arange(arms) == leader[..., None], -np.inf, last)
    challenger = np.where(challenger < 0, masked.argmax(axis=-1), challenger)
    pick_leader = rng.random(leader.shape) < beta
    return _frequencies(np.where(pick_leader, leader, challenger), arms)


def shares(
    policy: Policy,
    clicks: NDArray[np.float64],
    imps: NDArray[np.float64],
    rng: np.random.Generator,
    *,
    weights: NDArray[np.float64] | None = None,
    guardrails: Guardrails | None = None,
    draws: int = 1000,
) -> NDArray[np.float64]:
    """Allocation shares per arm (last axis) for ``policy`` with its guardrails applied."""
    arms = clicks.shape[-1]
    if arms < 2:
        raise PolicyError("an experiment needs at least two arms")
    g = guardrails or Guardrails()
    g.check(arms)
    if weights is None:
        fixed = np.full(clicks.shape, 1.0 / arms)
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != (arms,) or np.any(w < 0) or w.sum() <= 0:
            raise PolicyError("fixed-split weights: one non-negative weight per arm, sum > 0")
        fixed = np.broadcast_to(w / w.sum(), clicks.shape).copy()
    if policy is Policy.FIXED:
        return fixed
    adaptive = (
        thompson_shares(clicks, imps, rng, draws)
        if policy is Policy.THOMPSON
        else top_two_shares(clicks, imps, rng, draws)
    )
    adaptive = clip_shares(adaptive, g.min_share, g.max_share)
    warm = np.all(imps >= g.min_impressions, axis=-1, keepdims=True)
    return np.where(warm, adaptive, fixed)


def sticky_unit(experiment_id: str, user_hash: str) -> float:
    """A uniform number in [0, 1) fixed by (experiment, user): the same user, the same draw."""
    digest = hashlib.blake2b(f"{experiment_id}\x00{user_hash}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def assign(
    experiment_id: str,
    user_hash: str,
    arm_ids: Sequence[str],
    arm_shares: Sequence[float],
    memory: MutableMapping[tuple[str, str], str] | None = None,
) -> str:
    """The arm for this user: remembered if seen before (sticky), else drawn from the shares.

    Without ``memory`` the draw is still deterministic per (experiment, user), so a user keeps
    their arm as long as the shares do not move across their draw; with ``memory`` (any
    mapping: a dict, a database-backed store) the first assignment is kept for good.
    """
    if len(arm_ids) != len(arm_shares) or len(arm_ids) < 2:
        raise PolicyError("assign: one share per arm, at least two arms")
    key = (experiment_id, user_hash)
    if memory is not None and (known := memory.get(key)) in arm_ids:
        return str(known)
    cdf = np.cumsum(np.asarray(arm_shares, dtype=float))
    u = sticky_unit(experiment_id, user_hash) * cdf[-1]
    arm = arm_ids[min(int(np.searchsorted(cdf, u, side="right")), len(arm_ids) - 1)]
    if memory is not None:
        memory[key] = arm
    return arm
