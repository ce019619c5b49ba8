"""Compose a README showcase from a generated set: one row per variant, a few key formats.

Usage: python scripts/showcase.py OUT_DIR docs/images/showcase.jpg
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import Image

FORMATS = (
    "meta_feed_square",
    "meta_stories",
    "meta_link_landscape",
    "iab_medium_rectangle",
    "iab_half_page",
    "iab_leaderboard",
)
ROW_H = 300
GAP = 12


def main(out_dir: Path, target: Path) -> None:
    """Write the showcase JPEG."""
    manifest = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    by_variant: dict[int, dict[str, str]] = {}
    for c in manifest["creatives"]:
        by_variant.setdefault(c["variant"], {})[c["format"]] = c["file"]
    rows = []
    for variant in sorted(by_variant):
        tiles = []
        for fmt in FORMATS:
            if fmt in by_variant[variant]:
                im = Image.open(out_dir / by_variant[variant][fmt]).convert("RGB")
                scale = ROW_H / im.height if fmt != "iab_leaderboard" else 520 / im.width
                tiles.append(im.resize((round(im.width * scale), round(im.height * scale))))
        rows.append(tiles)
    width = max(sum(t.width for t in r) + GAP * (len(r) + 1) for r in rows)
    sheet = Image.new("RGB", (width, len(rows) * (ROW_H + GAP) + GAP), (236, 236, 232))
    y = GAP
    for r in rows:
        x = GAP
        for t in r:
            sheet.paste(t, (x, y + (ROW_H - t.height) // 2))
            x += t.width + GAP
        y += ROW_H + GAP
    sheet.save(target, quality=85)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
