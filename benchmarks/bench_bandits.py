"""Thompson sampling vs a fixed uniform split: cumulative regret over many seeds.

Usage: python benchmarks/bench_bandits.py [--arms 6] [--impressions 100000] [--seeds 200]
Each seed draws its arms' true CTRs from the click simulator's world (6 random creatives at
feed position 1). Regret = expected clicks lost to not always showing the best arm.
Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse

import numpy as np

from adcraft.experiments.bandits import Guardrails, Policy
from adcraft.experiments.operating import bandit_regret
from adcraft.experiments.simulator import make_world


def _q(x: np.ndarray) -> str:
    p = np.percentile(x, [5, 25, 50, 75, 95])
    return " | ".join(f"{v:.1f}" for v in [x.mean(), *p])


def main() -> None:
    """Print a markdown table of regret distributions."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--arms", type=int, default=6)
    ap.add_argument("--impressions", type=int, default=100_000)
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--batch", type=int, default=100, help="impressions between share updates")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    world = make_world(500, args.seed)
    truth = world.true_ctr()
    p = np.stack(
        [truth[rng.choice(truth.size, args.arms, replace=False)] for _ in range(args.seeds)]
    )
    gaps = p.max(axis=1) - np.sort(p, axis=1)[:, -2]
    print(
        f"{args.seeds} experiments x {args.arms} arms x {args.impressions} impressions, "
        f"shares refreshed every {args.batch}; median best CTR {np.median(p.max(axis=1)):.4f}, "
        f"median gap best - second {np.median(gaps):.4f}\n"
    )
    print(
        "| policy | mean | p5 | p25 | median | p75 | p95 | ratio to uniform (median of per-seed) "
        "| best-arm share, last 10 % |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    runs = [
        ("uniform split", Policy.FIXED, None),
        ("Thompson", Policy.THOMPSON, None),
        ("top-two Thompson", Policy.TOP_TWO, None),
        (
            "Thompson + guardrails (200/arm warm-up, 5 % floor)",
            Policy.THOMPSON,
            Guardrails(min_impressions=200, min_share=0.05),
        ),
    ]
    uniform = None
    for label, policy, guard in runs:
        r = bandit_regret(
            p, policy, args.impressions, args.seed + 1, batch=args.batch, guardrails=guard
        )
        if uniform is None:
            uniform = r.regret
        ratio = r.regret / uniform
        print(
            f"| {label} | {_q(r.regret)} | {np.median(ratio):.2f} "
            f"(p95 {np.percentile(ratio, 95):.2f}, max {ratio.max():.2f}); "
            f"mean/mean {r.regret.mean() / uniform.mean():.2f} | {r.best_arm_share.mean():.2f} |"
        )


if __name__ == "__main__":
    main()
