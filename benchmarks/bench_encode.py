"""Milliseconds per encode of a 1080x1080 creative as PNG, JPEG and WebP (median of N runs).

    python benchmarks/bench_encode.py [N]

Two test images: "ad" (gradient, shapes and text: typical adcraft output) and "photo"
(the same gradient with sensor-like noise: the worst case for file size). The capped rows
run the quality search under the IAB 150 KB limit.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import PIL
from PIL import Image, ImageDraw

from adcraft.errors import OutputError
from adcraft.render.encode import ImageFormat, encode

SIZE = 1080
CAP = 150 * 1024


def _images() -> dict[str, Image.Image]:
    rng = np.random.default_rng(0)
    y = np.linspace(0, 1, SIZE)[:, None, None]
    grad = np.array([240, 200, 180]) * (1 - y) + np.array([60, 40, 120]) * y
    grad = np.broadcast_to(grad, (SIZE, SIZE, 3))
    ad = Image.fromarray(grad.astype(np.uint8))
    draw = ImageDraw.Draw(ad)
    draw.ellipse((300, 300, 800, 800), fill=(200, 30, 30))
    draw.rounded_rectangle((100, 900, 500, 1000), 30, fill=(20, 120, 220))
    draw.text((100, 100), "BIG SALE -50%", fill=(255, 255, 255), font_size=90)
    noisy = (grad + rng.normal(0, 8, grad.shape)).clip(0, 255).astype(np.uint8)
    return {"ad": ad, "photo": Image.fromarray(noisy)}


def _time(image: Image.Image, fmt: ImageFormat, cap: int | None, n: int) -> tuple[float, str]:
    runs, size = [], "-"
    for _ in range(n):
        t0 = time.perf_counter()
        try:
            size = f"{len(encode(image, fmt, max_bytes=cap)) / 1024:.0f} KB"
        except OutputError:
            size = "does not fit"
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), size


def main() -> None:
    """Print a table of median ms per encode."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    print(f"{SIZE}x{SIZE}, median of {n} runs, Pillow {PIL.__version__}")
    print(f"{'image':6} {'format':5} {'cap':>7} {'ms':>8} {'size':>12}")
    for name, image in _images().items():
        for fmt in ("png", "jpeg", "webp"):
            for cap in (None, CAP):
                ms, size = _time(image, fmt, cap, n)
                cap_s = "150 KB" if cap else "none"
                print(f"{name:6} {fmt:5} {cap_s:>7} {ms:8.1f} {size:>12}")


if __name__ == "__main__":
    main()
