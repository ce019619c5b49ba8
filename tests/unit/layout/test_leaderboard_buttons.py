"""A leaderboard's price and call to action read at a glance: 15-17 px, not the 13 px of a fifth
of the row's height, wherever the larger buttons leave the headline its size."""

from __future__ import annotations

import json
from pathlib import Path

from adcraft import generate
from adcraft.products import brief_from_record

DATA = Path(__file__).resolve().parents[3] / "src/adcraft/data/examples"


def test_leaderboard_buttons_are_large_where_the_headline_keeps_its_size() -> None:
    records = json.loads((DATA / "products.json").read_text("utf-8"))
    buttons: list[int] = []
    for record in records:
        made = generate(
            brief_from_record(record, DATA), formats="iab_leaderboard", variants=3, workers=1
        )
        for c in made.creatives:
            sizes = {e.kind: e.font_size or 0 for e in c.elements if e.font_size}
            for kind in ("price", "cta"):
                if kind in sizes:
                    buttons.append(sizes[kind])
                    # Small buttons only beside a large one-line headline that needs the room.
                    assert sizes[kind] >= 15 or sizes["headline"] >= 28, (record["id"], sizes)
    assert buttons and sum(b >= 15 for b in buttons) >= 0.8 * len(buttons), buttons
