"""Render speed: median render+encode per 1080x1080 creative, encode-only floor, and a full set.

Usage: python benchmarks/bench_render.py [--repeat 40] [--sets 5]
Prints figures for docs/benchmarks.md. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from adcraft.compose import CopyBook, Job, Variant, make_creative
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.layout.styles import DEFAULT_STYLE_ORDER, get_style
from adcraft.pipeline import generate
from adcraft.render.draw import clear_caches, render
from adcraft.render.encode import encode
from example_job import example_job


def main() -> None:
    """Run the benchmark and print a table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--product", default="tent-trail3")
    ap.add_argument("--sets", type=int, default=5, help="full-set runs per worker count")
    args = ap.parse_args()
    job = example_job(args.product, 6)
    brief, visual = job.brief, job.visual
    assert visual is not None
    fmt = default_registry()["meta_feed_square"]
    book = CopyBook(job)
    variants = [
        Variant(i, get_style(DEFAULT_STYLE_ORDER[i % 6]), load_template("classic"))
        for i in range(6)
    ]
    for v in variants:  # warm up fonts, copy and layout measures, as a running worker would have
        make_creative(job, book, v, fmt)
    per: dict[str, list[float]] = {
        "make_creative (layout+render+metrics+encode)": [],
        "encode only": [],
    }
    for i in range(args.repeat):
        v = variants[i % len(variants)]
        # Cold render caches: a worker meets each format once per variant, so the product at
        # this size and these text lines at these sizes would not be cached yet.
        clear_caches()
        t0 = time.perf_counter()
        made = make_creative(job, book, v, fmt)
        t1 = time.perf_counter()
        image = render(made.layout, visual, job.palette, v.style).image
        t2 = time.perf_counter()
        encode(image, "jpeg")
        t3 = time.perf_counter()
        per["make_creative (layout+render+metrics+encode)"].append(t1 - t0)
        per["encode only"].append(t3 - t2)
    print(f"product {args.product}, format meta_feed_square 1080x1080 jpeg, {args.repeat} runs")
    for name, xs in per.items():
        print(f"  median {name:48} {statistics.median(xs) * 1000:7.1f} ms")
    med = {k: statistics.median(v) for k, v in per.items()}
    ratio = med["make_creative (layout+render+metrics+encode)"] / med["encode only"]
    print(f"  ratio to the encoder's floor: {ratio:.1f}x")

    in_set(job, variants)

    n_formats = len(default_registry().select("all"))
    for workers in (1, os.cpu_count() or 1):
        walls = []
        for _ in range(args.sets):
            t0 = time.perf_counter()
            cs = generate(brief, formats="all", variants=6, workers=workers)
            walls.append(time.perf_counter() - t0)
        dt = statistics.median(walls)
        print(
            f"full set: 1 brief x 6 variants x {n_formats} formats = "
            f"{len(cs.creatives)} creatives, workers={workers}: median {dt:.2f} s wall "
            f"of {args.sets} runs (min {min(walls):.2f} s; "
            f"{dt / len(cs.creatives) * 1000:.1f} ms/creative)"
        )
    sys.stdout.flush()


def in_set(job: Job, variants: list[Variant]) -> None:
    """Each creative timed as a worker makes it: variant by variant, every format in turn,
    with the caches as warm or cold as they really are at that point (a fresh process)."""
    clear_caches()
    book = CopyBook(job)
    fmts = default_registry().select("all")
    square: list[float] = []
    every: list[float] = []
    for v in variants:
        for fmt in fmts:
            t0 = time.perf_counter()
            make_creative(job, book, v, fmt)
            dt = time.perf_counter() - t0
            every.append(dt)
            if fmt.size == (1080, 1080):
                square.append(dt)
    print(
        f"in a full set, one process: median {statistics.median(square) * 1000:.1f} ms over the "
        f"{len(square)} 1080x1080 creatives, {statistics.median(every) * 1000:.1f} ms over all "
        f"{len(every)}"
    )


if __name__ == "__main__":
    main()
