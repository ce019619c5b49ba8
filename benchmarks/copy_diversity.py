"""How different the built-in writer's variants of one product are, over a catalogue.

For each product: N variants of on-image copy (classic template, meta_feed_square) and the mean
pairwise normalised edit distance of their on-image text (Levenshtein on graphemes divided by
the longer text), plus exact duplicates. Prints one line per product and the overall mean.

    python benchmarks/copy_diversity.py tests/corpus/products.json --variants 6
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

from adcraft.compose import field_specs
from adcraft.copywriting.diversity import on_image_text, pairwise_distance
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.products import brief_from_record, load_products


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("catalogue", type=Path)
    ap.add_argument("--variants", type=int, default=6)
    ap.add_argument("--format", default="meta_feed_square")
    ap.add_argument("--template", default="classic")
    ap.add_argument("--show", action="store_true", help="print every variant's text")
    args = ap.parse_args()
    specs = field_specs(load_template(args.template), default_registry()[args.format])
    records = load_products(args.catalogue)
    means: list[float] = []
    dups = 0
    for rec in records:
        brief = brief_from_record(rec, args.catalogue.parent)
        texts = [
            on_image_text(
                BuiltinCopywriter().write(brief, specs, variant=v, n_variants=args.variants).fields
            )
            for v in range(args.variants)
        ]
        pairs = list(combinations(texts, 2))
        same = sum(a == b for a, b in pairs)
        dups += same
        mean = pairwise_distance(texts)
        means.append(mean)
        print(f"{rec['id']:28} {rec.get('language', 'en'):8} mean {mean:.3f}  duplicates {same}")
        if args.show:
            for t in texts:
                print("    " + t)
    overall = sum(means) / len(means) if means else 0.0
    low = sum(m < 0.5 for m in means)
    print(
        f"products {len(means)}  variants {args.variants}  mean pairwise distance {overall:.3f}  "
        f"min {min(means):.3f}  products below 0.5: {low}  duplicate pairs {dups}"
    )
    json.dump({"mean": overall, "min": min(means), "below": low, "dups": dups}, sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
