"""Print the text each small-banner creative shows, for a reviewer to read against the brief.

For every product of the given languages in the development set and the test corpus, five
display sizes (320x50, 468x60, 728x90, 320x100, 300x250) x 3 variants are made through the
public engine and one line per creative is printed: product, format, variant, whether it is
publishable, and each text element as drawn. This is what the native-language reviews of the
copy read.

Usage::

    PYTHONPATH=src python scripts/show_copy.py de,fr [--products FILE ...]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from adcraft import generate
from adcraft.products import brief_from_record

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = (
    ROOT.parent / "shared" / "data" / "products.json",
    ROOT / "tests" / "corpus" / "products.json",
)
SIZES = (
    "iab_mobile_leaderboard",
    "iab_banner",
    "iab_leaderboard",
    "iab_large_mobile_banner",
    "iab_medium_rectangle",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", help="comma-separated language tags, e.g. de,zh-Hant")
    parser.add_argument("--products", nargs="*", type=Path, default=list(DEFAULT_SETS))
    args = parser.parse_args()
    wanted = set(args.languages.split(","))
    for path in (p for p in args.products if p.exists()):
        for record in json.loads(path.read_text("utf-8")):
            if record.get("language") not in wanted:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                made = generate(
                    brief_from_record(record, path.parent),
                    formats=list(SIZES),
                    variants=3,
                    out_dir=Path(tmp),
                    workers=1,
                )
            for c in sorted(made.creatives, key=lambda c: (c.format, c.variant)):
                texts = " ".join(f"{e.kind}={e.text!r}" for e in c.elements if e.text)
                mark = "" if c.publishable else " NOT PUBLISHABLE"
                print(f"{record['id']} {c.format} v{c.variant}{mark} | {texts}")


if __name__ == "__main__":
    main()
