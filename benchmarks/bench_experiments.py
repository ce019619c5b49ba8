"""Experiment statistics by simulation: type-I error and power of the non-inferiority test.

Usage: python benchmarks/bench_experiments.py [--sims 2000] [--ctr 0.02] [--seed 1]
Prints the tables of docs/benchmarks-ranking.md. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import math

from adcraft.experiments.operating import Scenario, family_wise_error, simulate
from adcraft.experiments.sequential import SequentialDesign
from adcraft.experiments.stats import noninferiority_sample_size, wilson_interval


def _pct(rate: float, sims: int) -> str:
    lo, hi = wilson_interval(round(rate * sims), sims)
    return f"{rate:6.1%} [{float(lo):.1%}, {float(hi):.1%}]"


def main() -> None:
    """Run the simulations and print markdown tables."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--sims", type=int, default=2000)
    ap.add_argument("--ctr", type=float, default=0.02, help="control CTR")
    ap.add_argument("--margin", type=float, default=0.9)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    n, _ = noninferiority_sample_size(args.ctr, margin=args.margin)
    design = SequentialDesign.for_baseline(args.ctr, margin=args.margin)
    print(f"control CTR {args.ctr:g}, margin {args.margin:g}, one-sided alpha 0.05")
    print(f"calculator: {n} impressions per arm for 80 % power at CTR_ai = CTR_control")
    print(f"mSPRT tau = {design.tau:g}; {args.sims} simulations each; [95 % Wilson interval]\n")
    print(
        "| truth | days x impressions/arm/day | fixed test at end | naive daily peeking "
        "| mSPRT daily | mSPRT median day |"
    )
    print("|---|---|---|---|---|---|")
    for ratio, label in ((args.margin, "H0 boundary (ratio = m)"), (1.0, "H1 (ratio = 1)")):
        for days, per_day in ((14, math.ceil(n / 14)), (28, math.ceil(n / 14))):
            sc = Scenario(args.ctr, ratio, per_day, days, margin=args.margin)
            r = simulate(sc, args.sims, args.seed, design)
            med = f"{r.sequential_median_day:.0f}" if r.sequential_median_day else "-"
            print(
                f"| {label} | {days} x {per_day} | {_pct(r.fixed_horizon, args.sims)} "
                f"| {_pct(r.naive_daily, args.sims)} | {_pct(r.sequential, args.sims)} | {med} |"
            )
    sc = Scenario(args.ctr, args.margin, math.ceil(n / 14), 14, margin=args.margin)
    fw_holm = family_wise_error(sc, 3, args.sims, args.seed + 1, correct=True)
    fw_raw = family_wise_error(sc, 3, args.sims, args.seed + 1, correct=False)
    print("\n3 AI arms on the H0 boundary vs one control, fixed test at n per arm:")
    print(
        f"family-wise error with Holm {_pct(fw_holm, args.sims)}, uncorrected "
        f"{_pct(fw_raw, args.sims)}"
    )


if __name__ == "__main__":
    main()
