"""Publishability over the multilingual corpus: creatives showing a broken claim or a cut word.

    PYTHONPATH=src python benchmarks/corpus_claims.py [--formats F,..] [--variants N] [ID ...]

Generates every corpus product (tests/corpus/products.json) and prints, per fault type, how many
creatives the publishability check holds back, then the share of publishable creatives.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from adcraft import generate
from adcraft.products import brief_from_record, load_products

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "products.json"
KINDS = {
    "without its claim": "bare number / claim without its qualifier",
    "drops": "claim without its scope, period or 'from'",
    "without the item": "half price without the item",
    "changes the meaning": "claim changed meaning",
    "does not make": "claim not in the brief",
    "not in the brief": "number not in the brief",
    "is cut": "cut word",
    "mid-phrase": "ends mid-phrase",
    "cut to fit": "on-image field cut to fit",
    "needs code": "discount without the code it needs",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--formats", default="meta_feed_square,iab_leaderboard,iab_medium_rectangle"
    )
    parser.add_argument("--variants", type=int, default=2)
    parser.add_argument("ids", nargs="*")
    args = parser.parse_args()
    started = time.perf_counter()
    total, held, faults = 0, 0, Counter[str]()
    for record in load_products(CORPUS):
        if args.ids and not any(record["id"].startswith(i) for i in args.ids):
            continue
        brief = brief_from_record(record, CORPUS.parent)
        made = generate(brief, formats=args.formats, variants=args.variants, workers=1, seed=1)
        for c in made.creatives:
            total += 1
            held += not c.publishable
            for reason in c.publishable_reasons:
                kind = next((v for k, v in KINDS.items() if k in reason), "other")
                faults[kind] += 1
    for kind, n in faults.most_common():
        print(f"{n:5d}  {kind}")
    share = (total - held) / max(1, total)
    print(f"{total} creatives, {held} not publishable, {share:.1%} publishable")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
