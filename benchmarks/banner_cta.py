"""How many thin banners keep a call to action, over the dev set and the corpus.

    PYTHONPATH=src:. python benchmarks/banner_cta.py

Lays out (no drawing) every product of the dev set and of tests/corpus in three variants for
320x50, 468x60 and 320x100 with a product picture, and prints per format how many rows show a
button and the mean headline size.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import PRODUCTS_FILE
from tests.unit.layout.test_solve_properties import _job

from adcraft.compose import CopyBook, Variant, plan_creative
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.errors import InputError
from adcraft.layout.styles import DEFAULT_STYLE_ORDER, get_style
from adcraft.products import brief_from_record

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "products.json"
FORMATS = ("iab_mobile_leaderboard", "iab_banner", "iab_large_mobile_banner")


def main() -> None:
    records = json.loads(Path(PRODUCTS_FILE).read_text("utf-8"))
    records += json.loads(CORPUS.read_text("utf-8"))
    stats = {f: [0, 0, 0] for f in FORMATS}
    for record in records:
        try:
            brief = brief_from_record(record, base_dir=Path(PRODUCTS_FILE).parent)
        except InputError:
            continue
        job = _job(brief.model_copy(update={"image": None}), with_product=True)
        book = CopyBook(job)
        for i in range(3):
            style = get_style(DEFAULT_STYLE_ORDER[i])
            variant = Variant(i, style, load_template("promo" if i == 2 else "classic"))
            for f in FORMATS:
                layout = plan_creative(job, book, variant, default_registry()[f]).layout
                kinds = {e.kind: e for e in layout.elements}
                row = stats[f]
                row[0] += 1
                row[1] += "cta" in kinds
                row[2] += (kinds["headline"].font_size or 0) if "headline" in kinds else 0
    for f, (n, with_cta, px) in stats.items():
        print(f"{f:26} {n} rows, {with_cta} with a call to action, headline {px / n:.1f} px mean")


if __name__ == "__main__":
    main()
