"""Copywriting benchmark: every offer of the development set × every template × every shape.

For each available provider it prints: share of creatives within every limit (must be 100%),
share needing truncation, key-fact retention before truncation, share of lost facts that were
flagged, mean limit-loop attempts, fallbacks and latency.

Providers:
  builtin   the offline rule-based copywriter (always).
  scripted  NOT a language model: the test suite's OpenAI-compatible server (tests/copywriting_llm/
            server.py) answering with copy built from the prompt's data, 1.6x each limit on the
            first turn, 1.25x on the second, within it on the third, and 10% over on every turn
            for about a quarter of the fields. It measures the limit loop, retries and the HTTP
            path — not writing quality.
  llamacpp  SmolLM2-135M-Instruct via llama-cpp-python, when installed (a subset: one shape per
            template, since each request takes seconds).

    python benchmarks/bench_copy.py [--providers builtin,scripted,llamacpp] [--workers 8]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from adcraft.copywriting.facts import extract_facts, fact_present  # noqa: E402
from adcraft.copywriting.limits import measure  # noqa: E402
from adcraft.copywriting.offline import BuiltinCopywriter, FieldSpec  # noqa: E402
from adcraft.copywriting.phrasing import sanitize  # noqa: E402
from adcraft.copywriting.writer import Draft, LLMCopywriter  # noqa: E402
from adcraft.domain.brief import Brief  # noqa: E402
from adcraft.domain.template import load_template, template_ids  # noqa: E402
from adcraft.products import brief_from_record, load_products  # noqa: E402

PRODUCTS = Path("/work/shared/data/products.json")
if not PRODUCTS.exists():
    PRODUCTS = ROOT / "src/adcraft/data/examples/products.json"


@dataclass(frozen=True)
class Case:
    brief: Brief
    product: str
    template: str
    shape: str
    specs: tuple[FieldSpec, ...]


def cases(one_shape: bool = False) -> list[Case]:
    """Every product × template × shape, with the template's limits for that shape."""
    out: list[Case] = []
    for rec in load_products(PRODUCTS):
        brief = brief_from_record(rec, PRODUCTS.parent).model_copy(update={"image": None})
        for tid in template_ids():
            t = load_template(tid)
            shapes = list(t.shapes)[:1] if one_shape else list(t.shapes)
            for shape in shapes:
                lim = t.limits_for(shape)
                specs = tuple(FieldSpec(n, t.fields[n].purpose, lim[n]) for n in lim)
                out.append(Case(brief, str(rec["id"]), tid, shape.value, specs))
    return out


@dataclass
class Result:
    fits: bool
    truncated: bool
    facts: int
    kept_before: int
    lost_final: int
    flagged: bool
    attempts: int
    fallback: bool
    latency: float


def run_case(write: Callable[[Case], Draft], case: Case) -> Result:
    started = time.perf_counter()
    d = write(case)
    latency = time.perf_counter() - started
    fields = d.copy.fields
    # Checked here independently of what the writer reports about itself.
    fits = all(measure(fields[s.name], s.counting) <= s.max_chars for s in case.specs)
    facts = extract_facts(sanitize(case.brief.offer), case.brief.language)
    lost = [f for f in facts if not any(fact_present(f, t) for t in fields.values())]
    return Result(
        fits=fits,
        truncated=bool(d.copy.truncated),
        facts=len(facts),
        kept_before=len(facts) - len(d.missing_before_truncation),
        lost_final=len(lost),
        flagged=set(d.copy.missing_facts) >= {f.text for f in lost},
        attempts=d.attempts,
        fallback=d.fallback,
        latency=latency,
    )


def report(name: str, results: list[Result], wall: float, extra: str = "") -> None:
    n = len(results)
    facts = sum(r.facts for r in results)
    lost_cases = [r for r in results if r.lost_final]
    lat = sorted(r.latency for r in results)
    p95 = lat[min(n - 1, int(0.95 * n))]
    print(
        f"{name:9} n={n:4}  within limits {sum(r.fits for r in results) / n:7.2%}  "
        f"truncated {sum(r.truncated for r in results) / n:6.1%}  "
        f"facts kept before truncation {sum(r.kept_before for r in results) / max(1, facts):6.1%}  "
        f"facts lost (final) {sum(r.lost_final for r in results)}/{facts}, flagged "
        f"{sum(r.flagged for r in lost_cases)}/{len(lost_cases)} creatives  "
        f"mean attempts {statistics.mean(r.attempts for r in results):.2f}  "
        f"fallbacks {sum(r.fallback for r in results)}  "
        f"latency mean {statistics.mean(lat) * 1000:.0f} ms p95 {p95 * 1000:.0f} ms  "
        f"wall {wall:.1f} s{extra}"
    )


def bench(
    name: str, write: Callable[[Case], Draft], todo: list[Case], workers: int
) -> list[Result]:
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda c: run_case(write, c), todo))
    report(name, results, time.perf_counter() - started)
    return results


def builtin_writer() -> Callable[[Case], Draft]:
    w = BuiltinCopywriter()

    def write(c: Case) -> Draft:
        copy = w.write(c.brief, c.specs, variant=0, n_variants=1)
        return Draft(copy, missing_before_truncation=copy.missing_facts)

    return write


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--providers", default="builtin,scripted,llamacpp")
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--llama-full", type=int, default=4, help="cases for the full LLM writer")
    args = ap.parse_args()
    wanted = args.providers.split(",")
    all_cases = cases()
    print(
        f"{len(all_cases)} cases: {len({c.product for c in all_cases})} products × "
        f"{len(template_ids())} templates × their shapes; variant 0 of 1"
    )
    if "builtin" in wanted:
        bench("builtin", builtin_writer(), all_cases, 1)
    if "scripted" in wanted:
        from tests.copywriting_llm.server import FakeOpenAI

        from adcraft.providers.llm_openai import OpenAIChat

        with FakeOpenAI() as srv:
            model = OpenAIChat(model="scripted", base_url=srv.url, concurrency=5)
            w = LLMCopywriter(model)
            bench(
                "scripted",
                lambda c: w.draft(c.brief, c.specs, variant=0, n_variants=1),
                all_cases,
                args.workers,
            )
            print(
                f"          scripted server: {len(srv.requests)} requests, at most "
                f"{srv.max_in_flight} in flight (cap 5)"
            )
    if "llamacpp" in wanted:
        try:
            from adcraft.copywriting.hook import HookCopywriter
            from adcraft.providers.llm_llamacpp import LlamaCppChat

            chat: Any = LlamaCppChat(n_threads=2, max_tokens=160)
        except Exception as exc:
            print(f"llamacpp  skipped: {exc}")
            return
        # One case per product (classic template, first shape): a request takes seconds here.
        seen: set[str] = set()
        sub = [
            c
            for c in cases(one_shape=True)
            if c.template == "classic" and not (c.product in seen or seen.add(c.product))
        ]  # type: ignore[func-returns-value]
        hook = HookCopywriter(chat)
        drafts: list[Draft] = []

        def write_hook(c: Case) -> Draft:
            drafts.append(hook.draft(c.brief, c.specs, variant=0, n_variants=1))
            return drafts[-1]

        bench("llm-hook", write_hook, sub, 1)
        took = sum(d.copy.provider.endswith("+hook") for d in drafts)
        print(
            f"          SmolLM2 headline accepted by the filters in {took}/{len(drafts)} "
            "creatives (the rest keep the built-in headline)"
        )
        for d in drafts:
            print(
                f"            {d.copy.language} {d.copy.provider:40.40} "
                f"{d.copy.fields.get('headline', '')!r:50.50} {'; '.join(d.flags)[:90]}"
            )
        full = LLMCopywriter(chat)
        few = [c for c in sub if c.brief.language in ("en", "ru", "zh", "ar")][: args.llama_full]
        full_drafts: list[Draft] = []

        def write_full(c: Case) -> Draft:
            full_drafts.append(full.draft(c.brief, c.specs, variant=0, n_variants=1))
            return full_drafts[-1]

        bench("llm-full", write_full, few, 1)
        for d in full_drafts:
            print(
                f"            {d.copy.language} {d.copy.provider:40.40} "
                f"{json.dumps(d.copy.fields, ensure_ascii=False)[:110]} {'; '.join(d.flags)[:80]}"
            )


if __name__ == "__main__":
    main()
