"""Audit the small IAB banners: does every creative carry a whole ad, or say why not?

Runs the development set (``/work/shared/data/products.json`` and ``tests/corpus/products.json``
where present, or the files given) through the public engine on the small display sizes, three
variants each, and counts the creatives that lose an essential part silently:

- no headline on the image;
- no call-to-action button and no warning about it;
- a deal shown without its promo code;
- a deal shown without its deadline ("this weekend only", "bis 31.12.") and no warning about it;
- a banner that does not say what it sells: no product name, short form of it or brand name
  in its text and no logo (these sizes show the image alone);
- a free trial shown without the price it leads into, said as the brief says it (a bare pill
  "39 zł/mies." beside "30 dni za darmo" where the brief says "Potem 39 zł/mies.");
- a price pill that repeats what its headline says ("BLUEJET FLIGHTS TO LISBON" over
  "Flights to Lisbon from £49").

Usage::

    PYTHONPATH=src python scripts/small_banner_audit.py [products.json ...] [--limit N]
    PYTHONPATH=src python scripts/small_banner_audit.py --manifests DIR

``--manifests DIR`` judges creatives rendered before, by any version (``DIR/<product id>/
manifest.json``, as ``adcraft generate --product-id ID --out DIR/ID`` writes them), with this
version's checks: the same yardstick for an old render and a new one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from adcraft import generate
from adcraft.copywriting.claimcheck import (
    GAP_AFTER_TRIAL,
    GAP_CODE,
    GAP_DEADLINE,
    context_for_brief,
    deal_gaps,
)
from adcraft.copywriting.phrasing import name_forms
from adcraft.domain.creative import TEXT_KINDS, Creative
from adcraft.errors import AdcraftError
from adcraft.products import brief_from_record

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = (
    Path("/work/shared/data/products.json"),
    ROOT / "tests" / "corpus" / "products.json",
)
SMALL_SIZES = (
    "iab_mobile_leaderboard",  # 320x50
    "iab_banner",  # 468x60
    "iab_leaderboard",  # 728x90
    "iab_large_mobile_banner",  # 320x100
    "iab_medium_rectangle",  # 300x250
    "iab_large_rectangle",  # 336x280
)
VARIANTS = 3
COUNTS = (
    "creatives",
    "no headline",
    "no CTA, no warning",
    "deal missing its code",
    "deadline missing, no warning",
    "no product name",
    "trial without its later price",
    "pill repeats its headline",
    "not publishable",
    "(small print shown)",
    "(deadline warned)",
    "(product name as headline)",
    "(shorter CTA)",
)


def _warned(creative: Creative, word: str) -> bool:
    return any(word in w.casefold() for w in (*creative.warnings, *creative.publishable_reasons))


def _fold(text: str) -> str:
    # As essentials.names_product folds: "İ" loses its loose dot, Turkish "ı" reads as "I" does.
    return text.casefold().replace("\u0307", "").replace("ı", "i")


def _names(record_brief: Any) -> list[str]:
    names = [*name_forms(record_brief.product_name, record_brief.language)]
    if record_brief.brand.name:
        names.append(record_brief.brand.name)
    return [_fold(n) for n in names if n.strip()]


def audit_creative(creative: Creative, record_brief: Any) -> list[str]:
    """Which of the audit's faults one creative has."""
    shown: dict[str, str] = {
        e.kind: e.text or "" for e in creative.elements if e.kind in TEXT_KINDS and e.text
    }
    faults: list[str] = []
    if not shown.get("headline", "").strip():
        faults.append("no headline")
    if not shown.get("cta", "").strip() and not _warned(creative, "cta"):
        faults.append("no CTA, no warning")
    ctx = context_for_brief(record_brief)
    gaps = deal_gaps(shown, ctx)
    if any(GAP_CODE in g.missing for g in gaps):
        faults.append("deal missing its code")
    if any(GAP_DEADLINE in g.missing for g in gaps) and not _warned(creative, "deadline"):
        faults.append("deadline missing, no warning")
    names = _names(record_brief)
    logo = any(e.kind == "logo" for e in creative.elements)
    if not logo and not any(n in _fold(" ".join(shown.values())) for n in names):
        faults.append("no product name")
    if any(GAP_AFTER_TRIAL in g.missing for g in gaps):
        faults.append("trial without its later price")
    pill, headline = _fold(shown.get("price", "")), _fold(shown.get("headline", ""))
    scopes = [_fold(c.scope) for c in ctx.claims if c.kind == "price_from" and c.scope]
    if any(s in pill and s in headline for s in scopes):
        faults.append("pill repeats its headline")
    if not creative.publishable:
        faults.append("not publishable")
    # What the engine did about it (informational).
    if shown.get("disclaimer") and not any(GAP_DEADLINE in g.missing for g in gaps):
        faults.append("(small print shown)")
    if _warned(creative, "deadline:"):
        faults.append("(deadline warned)")
    if _warned(creative, "the product name is shown instead") or _warned(
        creative, "names the product instead"
    ):
        faults.append("(product name as headline)")
    if any(w.startswith("cta: ") and "is shown instead" in w for w in creative.warnings):
        faults.append("(shorter CTA)")
    return faults


def _rendered(folder: Path) -> list[Any]:
    """The creatives of a manifest.json as the audit reads them."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    return [
        SimpleNamespace(
            elements=[SimpleNamespace(kind=e["kind"], text=e.get("text")) for e in c["elements"]],
            warnings=c.get("warnings", []),
            publishable_reasons=c.get("publishable_reasons", []),
            publishable=c.get("publishable", True),
        )
        for c in manifest["creatives"]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("products", nargs="*", type=Path, help="products.json files")
    parser.add_argument("--limit", type=int, default=0, help="at most this many products")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each fault")
    parser.add_argument("--manifests", type=Path, help="judge renders in DIR/<id>/ instead")
    args = parser.parse_args(argv)
    files = args.products or [p for p in DEFAULT_SETS if p.exists()]
    records: list[tuple[dict[str, Any], Path]] = []
    for path in files:
        records += [(r, path.parent) for r in json.loads(path.read_text("utf-8"))]
    if args.limit:
        records = records[: args.limit]
    counts: Counter[str] = Counter()
    if args.manifests is not None:
        by_id = {r.get("id"): (r, base) for r, base in records}
        folders = sorted(p.parent for p in args.manifests.glob("*/manifest.json"))
        for folder in folders:
            record, base = by_id[folder.name]
            brief = brief_from_record(record, base)
            for creative in _rendered(folder):
                counts["creatives"] += 1
                counts.update(audit_creative(creative, brief))
        print(f"{len(folders)} rendered products in {args.manifests}")
        for name in COUNTS:
            print(f"{name:32s} {counts[name]}")
        return 0
    for record, base in records:
        brief = brief_from_record(record, base)
        try:
            made = generate(
                brief, formats=",".join(SMALL_SIZES), variants=VARIANTS, workers=1, gates=()
            )
        except AdcraftError as exc:
            print(f"{record.get('id')}: {exc}", file=sys.stderr)
            counts["briefs refused"] += 1
            continue
        for creative in made.creatives:
            counts["creatives"] += 1
            for fault in audit_creative(creative, brief):
                counts[fault] += 1
                if args.verbose and not fault.startswith("("):
                    text = {e.kind: e.text for e in creative.elements if e.text}
                    print(
                        f"{record.get('id')} {creative.format} v{creative.variant}: {fault} {text}"
                    )
    print(f"{len(records)} products x {len(SMALL_SIZES)} small sizes x {VARIANTS} variants")
    for name in (*COUNTS, "briefs refused"):
        print(f"{name:32s} {counts[name]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
