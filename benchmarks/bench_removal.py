"""Background removal: IoU of each remover's alpha against ground truth, and ms per image.

    python benchmarks/bench_removal.py [--removers studio,u2netp,onnx:/path/model.onnx#isnet]
                                       [--renders N] [--size 800x600] [--set emoji|products]

Composites: the committed Fluent Emoji renders (tests/fixtures/bank, transparent 3D objects of
every colour) scaled up and placed over seamless studio backgrounds (white, light grey, mint,
a light-to-dark sweep, a warm beige and a dark charcoal) with a blurred contact shadow,
Gaussian sensor noise (sigma 3) and JPEG q90 — the generator of tests/unit/imagery with any
RGBA cut-out. ``--set products`` uses the three development product cut-outs instead (three
placements each). IoU compares alpha > 127 with the true alpha > 127.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.unit.imagery

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter
from tests.unit.imagery.studio_composites import IMAGES, PRODUCTS, iou, studio_background

from adcraft.errors import ProviderUnavailable
from adcraft.imagery.removers import get_remover

RENDERS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "bank"
EXTRA = {"warm": (236, 222, 200), "dark": (48, 50, 56)}
KINDS = ("white", "light_grey", "colored", "gradient", "warm", "dark")


def background(kind: str, size: tuple[int, int]) -> npt.NDArray[np.float32]:
    """A seamless studio background as float RGB."""
    if kind in EXTRA:
        w, h = size
        return np.broadcast_to(np.array(EXTRA[kind], np.float32), (h, w, 3)).copy()
    return studio_background(kind, size)


def composite(
    cut: Image.Image, kind: str, size: tuple[int, int], seed: int
) -> tuple[Image.Image, npt.NDArray[np.uint8]]:
    """(RGB photo, true alpha): the cut-out over a studio background with shadow and noise."""
    rng = np.random.default_rng(seed)
    w, h = size
    cut = cut.crop(cut.getbbox())
    scale = 0.6 * h / max(cut.height, cut.width * h / w)
    cut = cut.resize(
        (max(1, round(cut.width * scale)), max(1, round(cut.height * scale))),
        Image.Resampling.LANCZOS,
    )
    x0 = (w - cut.width) // 2 + int(rng.integers(-w // 20, w // 20))
    y0 = int(h * 0.45) - cut.height // 2
    canvas = background(kind, size)
    shadow = Image.new("L", size, 0)
    foot = y0 + cut.height
    ImageDraw.Draw(shadow).ellipse(
        (x0 + cut.width * 0.1, foot - h * 0.03, x0 + cut.width * 0.9, foot + h * 0.03),
        fill=int(255 * 0.45),
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(h * 0.02))
    canvas *= 1.0 - np.asarray(shadow, np.float32)[..., None] / 255.0
    truth = np.zeros((h, w), np.uint8)
    truth[y0 : y0 + cut.height, x0 : x0 + cut.width] = np.asarray(cut)[..., 3]
    fg = np.zeros((h, w, 3), np.float32)
    fg[y0 : y0 + cut.height, x0 : x0 + cut.width] = np.asarray(cut)[..., :3]
    a = truth.astype(np.float32)[..., None] / 255.0
    canvas = canvas * (1.0 - a) + fg * a + rng.normal(0.0, 3.0, canvas.shape).astype(np.float32)
    photo = Image.fromarray(np.clip(canvas + 0.5, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=90)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), truth


def main() -> None:
    """Print mean/min IoU per background kind for each remover and ms per image."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--removers", default="studio,u2netp")
    parser.add_argument("--renders", type=int, default=16)
    parser.add_argument("--size", default="800x600")
    parser.add_argument("--set", choices=("emoji", "products"), default="emoji")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    if args.set == "emoji":
        files = sorted(RENDERS.glob("*.webp"))
        files = files[:: max(1, len(files) // args.renders)][: args.renders]
    else:
        # The development product cut-outs (real product photography, 3 of them).
        files = [IMAGES / f"{p}.png" for p in PRODUCTS] * 3
    cuts = [Image.open(p).convert("RGBA") for p in files]
    cases = [
        (kind, *composite(cut, kind, (w, h), seed=i))
        for kind in KINDS
        for i, cut in enumerate(cuts)
    ]
    print(
        f"{len(cuts)} {args.set} cut-outs x {len(KINDS)} backgrounds at {w}x{h}, "
        f"{os.cpu_count()} CPUs"
    )
    header = " ".join(f"{k:>10}" for k in KINDS)
    print(f"{'remover':10} {header} {'mean':>7} {'min':>6} {'ms/img':>7}")
    for name in args.removers.split(","):
        try:
            remover = get_remover(name)
            remover.remove(Image.new("RGB", (64, 48), "white"))  # load the model before timing
        except ProviderUnavailable as exc:
            print(f"{name:10} unavailable: {exc}")
            continue
        by_kind: dict[str, list[float]] = {k: [] for k in KINDS}
        times: list[float] = []
        for kind, photo, truth in cases:
            t0 = time.perf_counter()
            alpha = remover.remove(photo)
            times.append((time.perf_counter() - t0) * 1000)
            by_kind[kind].append(iou(alpha, truth))
        all_ious = [v for vs in by_kind.values() for v in vs]
        cells = " ".join(f"{statistics.mean(by_kind[k]):10.4f}" for k in KINDS)
        print(
            f"{remover.name:10} {cells} {statistics.mean(all_ious):7.4f} "
            f"{min(all_ious):6.3f} {statistics.median(times):7.1f}"
        )


if __name__ == "__main__":
    main()
