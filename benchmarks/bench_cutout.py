"""Studio background removal: mask accuracy per background kind and milliseconds per photo.

    python benchmarks/bench_cutout.py [SEEDS]

Composites: each transparent development product over white, light grey, coloured and
gradient seamless backgrounds with a blurred contact shadow, noise and JPEG artifacts, at
1600x1200, SEEDS placements each. IoU compares alpha > 127 with the true alpha > 127. The real
studio JPEGs have no ground truth: their rows show time and confidence only.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.unit.imagery

import numpy as np
import numpy.typing as npt
from PIL import Image
from tests.unit.imagery.studio_composites import (
    BACKGROUND_KINDS,
    IMAGES,
    PRODUCTS,
    composite,
    iou,
)

from adcraft.imagery.cutout import StudioRemover

SIZE = (1600, 1200)


def _timed(
    remover: StudioRemover, image: Image.Image
) -> tuple[float, float, npt.NDArray[np.uint8]]:
    """(ms, confidence, alpha) of one analyse call."""
    t0 = time.perf_counter()
    result = remover.analyse(image)
    return (time.perf_counter() - t0) * 1000, result.confidence, result.alpha


def main() -> None:
    """Print mean IoU per background kind and ms per image."""
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    remover = StudioRemover()
    remover.analyse(Image.new("RGB", (64, 48), "white"))  # warm caches before timing
    print(f"{SIZE[0]}x{SIZE[1]} composites, {seeds} seeds, {os.cpu_count()} CPUs")
    print(f"{'background':12} {'mean IoU':>9} {'min IoU':>8} {'min conf':>9} {'ms med':>7}")
    all_ms: list[float] = []
    for kind in BACKGROUND_KINDS:
        ious, confs, times = [], [], []
        for product in PRODUCTS:
            for seed in range(seeds):
                photo, truth = composite(product, kind, size=SIZE, seed=seed)
                ms, conf, alpha = _timed(remover, photo)
                ious.append(iou(alpha, truth))
                confs.append(conf)
                times.append(ms)
        all_ms += times
        print(
            f"{kind:12} {statistics.mean(ious):9.4f} {min(ious):8.4f} "
            f"{min(confs):9.2f} {statistics.median(times):7.1f}"
        )
    print(f"{'all':12} {'':9} {'':8} {'':9} {statistics.median(all_ms):7.1f}")
    print()
    print(f"{'studio photo':22} {'size':>10} {'conf':>5} {'ms med':>7}")
    for path in sorted(IMAGES.glob("*.jpg")):
        photo = Image.open(path).convert("RGB")
        runs = [_timed(remover, photo) for _ in range(3)]
        ms = statistics.median(r[0] for r in runs)
        print(f"{path.name:22} {photo.width:>5}x{photo.height:<4} {runs[0][1]:5.2f} {ms:7.1f}")


if __name__ == "__main__":
    main()
