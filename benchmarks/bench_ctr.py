"""CTR model on simulated traffic: AUC vs the oracle, calibration, NDCG@5 vs baselines.

Usage: python benchmarks/bench_ctr.py [--creatives 300] [--impressions 1000000] [--seed 0]
       [--text-encoder off|use|minilm|FOLDER] [--wording-sd 0.0]
Trains on the first 80 % of the impressions and tests on the last 20 %; 20 % of the creatives
never appear in training (the cold-start rows). Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import time

from adcraft.experiments.simulator import WorldConfig
from adcraft.scoring.ctr.evaluation import simulated_benchmark


def main() -> None:
    """Print the figures of docs/benchmarks-ranking.md."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--creatives", type=int, default=300)
    ap.add_argument("--impressions", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--group", type=int, default=10, help="creatives per ranked set")
    ap.add_argument(
        "--text-encoder",
        default="off",
        help="encoder of the copy-wording features: off, use, minilm or a model folder",
    )
    ap.add_argument(
        "--wording-sd", type=float, default=0.0, help="simulated effect of headline wording"
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    encoder = None
    if args.text_encoder != "off":
        from adcraft.imagery.bank.config import shared_encoder

        encoder = shared_encoder(args.text_encoder)
    r = simulated_benchmark(
        args.creatives,
        args.impressions,
        args.seed,
        group=args.group,
        text_encoder=encoder,
        config=WorldConfig(wording_sd=args.wording_sd),
    )
    s = r.model.summary
    print(
        f"train {r.train_impressions} impressions ({s.clicks} clicks, {s.creatives} creatives, "
        f"{s.rows} count rows); test {r.test_impressions} impressions, {r.test_clicks} clicks"
    )
    print(
        f"creative smoothing kappa {r.model.kappa:.1f}; "
        f"out-of-fold AUC {s.oof_auc:.4f}, ECE {s.oof_ece:.5f}"
    )
    print("| figure | value |")
    print("|---|---|")
    print(f"| oracle AUC (true click probabilities) | {r.oracle_auc:.4f} |")
    print(f"| model AUC | {r.model_auc:.4f} (gap {r.oracle_auc - r.model_auc:+.4f}) |")
    print(f"| model ECE (20 equal-impression bins) | {r.model_ece:.5f} |")
    print(f"| NDCG@5 of true CTR, seen creatives: model | {r.ndcg_model:.4f} |")
    print(f"| ... quality score | {r.ndcg_quality:.4f} |")
    print(f"| ... random | {r.ndcg_random:.4f} |")
    print(f"| NDCG@5, brand-new creatives: model (features only) | {r.ndcg_cold_model:.4f} |")
    print(f"| ... quality score | {r.ndcg_cold_quality:.4f} |")
    print(f"copy-wording features: {r.model.text_dims} ({args.text_encoder})")
    print(f"(wall time {time.perf_counter() - t0:.0f} s on this machine)")


if __name__ == "__main__":
    main()
