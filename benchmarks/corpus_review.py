"""How much a reviewer edits the built-in writer's copy over the multilingual corpus.

    PYTHONPATH=src python benchmarks/corpus_review.py dump [OUT.json]
    PYTHONPATH=src python benchmarks/corpus_review.py score [GENERATED.json REVIEWED.json]

``dump`` runs ``adcraft copy --product-file tests/corpus/products.json --product-id ID --json``
(built-in writer, meta_feed_square, defaults otherwise) for every corpus product and keeps the
on-image fields of variant 0. ``score`` compares them with a reviewed file (``{id: {"fields":
{...}, "why": {...}}}``) using ``adcraft.copywriting.editdistance.edit_distance`` and prints
per language the median ratio (edits / characters of the final copy), the share of products left
unchanged and the share under the pilot's 0.20 target, then the same over the whole corpus.
The defaults are the committed ``tests/corpus/generated_copy.json`` and ``reviewed_copy.json``,
so the published figure does not drift when the writer changes: re-dump and re-review instead.

A review is rejected if a field grew past its generated length plus 10 % (on-image space) or a
changed field has no ``why``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adcraft.copywriting.editdistance import edit_distance
from adcraft.copywriting.limits import graphemes

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "products.json"
GENERATED = CORPUS.with_name("generated_copy.json")
REVIEWED = CORPUS.with_name("reviewed_copy.json")
FIELDS = ("headline", "body", "cta", "badge", "disclaimer")
TARGET = 0.2
GROWTH = 1.1


def generated_fields(product_id: str) -> dict[str, str]:
    """Variant 0's on-image fields, exactly as the CLI prints them."""
    cmd = [sys.executable, "-m", "adcraft", "copy", "--product-file", str(CORPUS)]
    cmd += ["--product-id", product_id, "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ADCRAFT_LLM_PROVIDER": "builtin"}
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    fields = json.loads(out)[0]["on_image"]["fields"]
    return {name: str(fields.get(name, "")) for name in FIELDS}


def dump(out: Path) -> None:
    """Write ``{id: {"language": .., "fields": {..}}}`` for every corpus product."""
    records = json.loads(CORPUS.read_text(encoding="utf-8"))
    data = {
        r["id"]: {"language": r["language"], "fields": generated_fields(r["id"])} for r in records
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data)} products -> {out}")


@dataclass(frozen=True)
class Row:
    """One group of products (a language, or the whole corpus)."""

    name: str
    products: int
    median_ratio: float
    mean_ratio: float
    unchanged: float
    under_target: float


def summarize(name: str, ratios: list[float]) -> Row:
    """Median and mean ratio, share with no edit and share under the target."""
    n = len(ratios)
    return Row(
        name=name,
        products=n,
        median_ratio=statistics.median(ratios),
        mean_ratio=statistics.fmean(ratios),
        unchanged=sum(r == 0 for r in ratios) / n,
        under_target=sum(r < TARGET for r in ratios) / n,
    )


def review_problems(
    pid: str, generated: Mapping[str, str], reviewed: Mapping[str, Any]
) -> list[str]:
    """Why one product's review is unusable: growth past the on-image room, unexplained edits."""
    problems = []
    fields, why = reviewed.get("fields", {}), reviewed.get("why", {})
    for name, text in fields.items():
        before = generated.get(name, "")
        if len(graphemes(text)) > int(len(graphemes(before)) * GROWTH):
            problems.append(f"{pid}.{name} is longer than the generated text plus 10 %")
        if text != before and not why.get(name):
            problems.append(f"{pid}.{name} changed without a why")
    return problems


def score(generated: Mapping[str, Any], reviewed: Mapping[str, Any]) -> list[Row]:
    """Per-language rows, then an ``all`` row; every generated product must be reviewed."""
    problems = [f"{pid} is not reviewed" for pid in generated if pid not in reviewed]
    for pid, gen in generated.items():
        if pid in reviewed:
            problems += review_problems(pid, gen["fields"], reviewed[pid])
    if problems:
        raise ValueError("; ".join(problems))
    by_language: dict[str, list[float]] = {}
    for pid, gen in generated.items():
        report = edit_distance(gen["fields"], reviewed[pid]["fields"])
        by_language.setdefault(gen["language"], []).append(report.ratio)
    rows = [summarize(lang, ratios) for lang, ratios in by_language.items()]
    return [*rows, summarize("all", [r for ratios in by_language.values() for r in ratios])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("dump").add_argument("out", type=Path, nargs="?", default=GENERATED)
    s = sub.add_parser("score")
    s.add_argument("generated", type=Path, nargs="?", default=GENERATED)
    s.add_argument("reviewed", type=Path, nargs="?", default=REVIEWED)
    args = parser.parse_args()
    if args.cmd == "dump":
        dump(args.out)
        return
    gen = json.loads(args.generated.read_text(encoding="utf-8"))
    rev = json.loads(args.reviewed.read_text(encoding="utf-8"))
    try:
        rows = score(gen, rev)
    except ValueError as exc:
        raise SystemExit(f"review rejected: {exc}") from None
    print(f"{'language':9} {'n':>3} {'median':>7} {'mean':>6} {'unchanged':>9} {'<0.20':>6}")
    for r in rows:
        print(
            f"{r.name:9} {r.products:>3} {r.median_ratio:>7.3f} {r.mean_ratio:>6.3f} "
            f"{r.unchanged:>9.0%} {r.under_target:>6.0%}"
        )


if __name__ == "__main__":
    main()
