"""Marginal cost of one more variant at one format, the share of it in the quality gates, and the
per-image memo (scoring.image_memo) on against off, in the same run.

Usage: python benchmarks/bench_variants.py [--variants 6] [--repeat 3] [--product tent-trail3]

Two paths, both at meta_feed_square (1080x1080 jpeg) with the configured default gates:

* set: ``generate``'s order: render N variants, then gates + ranking over the set
  (``pipeline.rank_made``);
* one by one: a re-render's order (``tasks.render_job``): each creative gated on its own.

Each repetition starts from a fresh copy of the product picture (as a new job would) and cold
render caches; memo on and off alternate within a repetition, so machine load hits both alike.
Wall and CPU (``time.process_time``, all threads of this process) are both printed: the
machine is shared, and CPU time is the steadier of the two. Not a test: timings depend on the
machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from typing import Any

import adcraft.scoring.ranking as ranking_mod
from adcraft.compose import CopyBook, Job, Made, make_creative
from adcraft.domain.formats import default_registry
from adcraft.imagery.load import WORK_MAX_SIDE
from adcraft.layout.styles import DEFAULT_STYLE_ORDER, get_style
from adcraft.pipeline import _variant, gate_input, rank_made
from adcraft.render.draw import clear_caches
from adcraft.scoring.gates import Gate, build_gates, run_gates
from adcraft.scoring.gates.settings import GateSettings
from adcraft.scoring.image_memo import memo_disabled
from adcraft.wiring import create_ranker
from example_job import example_job

FORMAT = "meta_feed_square"


@dataclass
class Clock:
    """Wall and CPU seconds, total and inside the gates."""

    wall: float = 0.0
    cpu: float = 0.0
    gate_wall: float = 0.0
    gate_cpu: float = 0.0


@contextmanager
def _timed_gates(clock: Clock) -> Iterator[None]:
    """Count the time ``rank_creatives`` spends in ``run_gates``."""
    real = run_gates

    def timed(gates: Sequence[Gate], items: Sequence[Any]) -> Any:
        w, c = time.perf_counter(), time.process_time()
        try:
            return real(gates, items)
        finally:
            clock.gate_wall += time.perf_counter() - w
            clock.gate_cpu += time.process_time() - c

    ranking_mod.run_gates = timed  # type: ignore[attr-defined]
    try:
        yield
    finally:
        ranking_mod.run_gates = real  # type: ignore[attr-defined]


def _fresh_job(job: Job) -> Job:
    """The job with its own copy of the product picture: a new set, nothing measured yet."""
    assert job.visual is not None
    return replace(job, visual=replace(job.visual, image=job.visual.image.copy()))


def _render(job: Job, n: int) -> list[Made]:
    clear_caches()
    book = CopyBook(job)
    styles = [get_style(s) for s in DEFAULT_STYLE_ORDER]
    fmt = default_registry()[FORMAT]
    plan = [_variant(i, styles[i % len(styles)], job.visual, job.brief) for i in range(n)]
    return [make_creative(job, book, v, fmt) for v in plan]


def run_set(job: Job, n: int, gates: list[Gate]) -> Clock:
    """Render ``n`` variants and rank them (gates included), as ``generate`` does."""
    job = _fresh_job(job)
    clock = Clock()
    ranker = create_ranker()
    w, c = time.perf_counter(), time.process_time()
    made = _render(job, n)
    with _timed_gates(clock):
        rank_made(made, job, ranker, gates)
    clock.wall, clock.cpu = time.perf_counter() - w, time.process_time() - c
    return clock


def run_one_by_one(job: Job, n: int, gates: list[Gate]) -> Clock:
    """Render ``n`` variants, gating each creative on its own, as a re-render does."""
    job = _fresh_job(job)
    clock = Clock()
    w, c = time.perf_counter(), time.process_time()
    for m in _render(job, n):
        gw, gc = time.perf_counter(), time.process_time()
        run_gates(gates, [gate_input(m, job)])
        clock.gate_wall += time.perf_counter() - gw
        clock.gate_cpu += time.process_time() - gc
    clock.wall, clock.cpu = time.perf_counter() - w, time.process_time() - c
    return clock


def _median(clocks: list[Clock], field: str) -> float:
    return float(statistics.median(getattr(k, field) for k in clocks))


def main() -> None:
    """Run the benchmark and print a table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--product", default="tent-trail3")
    args = ap.parse_args()
    n = args.variants
    job = example_job(args.product, n, max_side=WORK_MAX_SIDE)
    visual = job.visual
    assert visual is not None
    gates = build_gates(GateSettings())  # the defaults: clipscore is off without a model
    print(
        f"product {args.product} ({visual.image.width}x{visual.image.height} cut-out), "
        f"{FORMAT} 1080x1080 jpeg, gates {', '.join(g.name for g in gates)}; "
        f"1 vs {n} variants, median of {args.repeat} repetitions"
    )
    paths: dict[str, Callable[[Job, int, list[Gate]], Clock]] = {
        "set (generate)": run_set,
        "one by one (re-render)": run_one_by_one,
    }
    modes: dict[str, Callable[[], AbstractContextManager[None]]] = {
        "memo off": memo_disabled,
        "memo on": nullcontext,
    }
    for path, run in paths.items():
        run(job, 2, gates)  # warm up: fonts, copy, the detector
        got: dict[tuple[str, int], list[Clock]] = {(m, k): [] for m in modes for k in (1, n)}
        for _ in range(args.repeat):
            for mode, ctx in modes.items():
                for k in (1, n):
                    with ctx():
                        got[mode, k].append(run(job, k, gates))
        print(f"\n{path}")
        print(
            f"  {'':9} {'ms/variant wall':>16} {'ms/variant CPU':>15} "
            f"{'gates share (CPU)':>18} {f'{n} variants, CPU s':>20}"
        )
        marginal: dict[str, float] = {}
        for mode in modes:
            one, many = got[mode, 1], got[mode, n]
            per_wall = (_median(many, "wall") - _median(one, "wall")) / (n - 1) * 1000
            per_cpu = (_median(many, "cpu") - _median(one, "cpu")) / (n - 1) * 1000
            gate_per_cpu = (_median(many, "gate_cpu") - _median(one, "gate_cpu")) / (n - 1) * 1000
            marginal[mode] = per_cpu
            print(
                f"  {mode:9} {per_wall:16.0f} {per_cpu:15.0f} "
                f"{gate_per_cpu / per_cpu:17.0%} {_median(many, 'cpu'):20.2f}"
            )
        print(
            f"  one more variant, memo off / on (CPU): "
            f"{marginal['memo off'] / marginal['memo on']:.2f}x"
        )


if __name__ == "__main__":
    main()
