"""Cut-outs with holes and white on white: IoU per product category for each remover, the
previous studio remover (every hole filled) alongside as the baseline, in the same run.

    python benchmarks/bench_cutout_holes.py [--seeds 3] [--size 800x600]
                                            [--removers old,studio,u2netp,auto]

Composites (tests/unit/imagery/hole_composites.py, seeded, exact masks): rings (some with a
stone), wheels with 4-8 spokes, mugs with loop handles (one glaze in five white), white
trainers on light grey; over plain, top-to-bottom gradient and lightly textured light
backdrops, with a soft contact shadow, noise σ 2.5 and JPEG q80-92. ``old`` is
``StudioRemover(enclosed_background=False)``: the studio remover as it was, filling every hole.
``auto`` is the default. IoU compares alpha > 127 with the true alpha > 127.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.unit.imagery

from tests.unit.imagery.hole_composites import BACKGROUNDS, CATEGORIES, hole_composite
from tests.unit.imagery.studio_composites import iou

from adcraft.errors import ProviderUnavailable
from adcraft.imagery.cutout import BackgroundRemover, StudioRemover
from adcraft.imagery.removers import StudioWithFallback, get_remover


def _remover(name: str) -> BackgroundRemover:
    return StudioRemover(enclosed_background=False) if name == "old" else get_remover(name)


def main() -> None:
    """Print mean IoU per category, mean, min, ms per image and fallbacks for each remover."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--size", default="800x600")
    parser.add_argument("--removers", default="old,studio,u2netp,auto")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    cases = [
        (category, *hole_composite(category, background, seed=seed, size=(w, h)))
        for category in CATEGORIES
        for background in BACKGROUNDS
        for seed in range(args.seeds)
    ]
    print(
        f"{len(cases)} composites ({len(CATEGORIES)} categories x {len(BACKGROUNDS)} backdrops "
        f"x {args.seeds} seeds) at {w}x{h}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    header = " ".join(f"{c:>10}" for c in CATEGORIES)
    print(f"{'remover':8} {header} {'mean':>7} {'min':>6} {'ms/img':>7} {'fallbacks':>9}")
    for name in args.removers.split(","):
        try:
            remover = _remover(name)
            remover.remove(hole_composite("mug", "plain", size=(160, 120))[0])  # warm up
        except ProviderUnavailable as exc:
            print(f"{name:8} unavailable: {exc}")
            continue
        by_category: dict[str, list[float]] = {c: [] for c in CATEGORIES}
        times: list[float] = []
        fallbacks = 0
        for category, photo, truth in cases:
            t0 = time.perf_counter()
            if isinstance(remover, StudioWithFallback):
                result = remover.analyse(photo)
                alpha, fallbacks = result.alpha, fallbacks + (result.remover != "studio")
            else:
                alpha = remover.remove(photo)
            times.append((time.perf_counter() - t0) * 1000)
            by_category[category].append(iou(alpha, truth))
        scores = [v for vs in by_category.values() for v in vs]
        cells = " ".join(f"{statistics.mean(by_category[c]):10.4f}" for c in CATEGORIES)
        used = f"{fallbacks}/{len(cases)}" if isinstance(remover, StudioWithFallback) else "-"
        print(
            f"{name:8} {cells} {statistics.mean(scores):7.4f} {min(scores):6.3f} "
            f"{statistics.median(times):7.1f} {used:>9}"
        )


if __name__ == "__main__":
    main()
