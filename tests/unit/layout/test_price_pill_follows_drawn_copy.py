"""The price pill is left out only where a field that is drawn states the price: copy that a
size leaves out, or that fitting drops for room, states nothing on the image, so the creative
then shows the pill (or lists "price" among its dropped fields when that has no room either)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from adcraft import generate
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.layout.solve import SolveInput, solve
from adcraft.layout.styles import get_style
from adcraft.products import brief_from_record

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
PRICE = "ab 12,50 €/Monat"
# A body that states the price but cannot fit its three lines at any readable size: fitting
# drops it, and with it the only mention of the price.
LONG_BODY = "Leicht, leise und für jeden Tag gebaut, mit Akku für hundert Kilometer. " * 6 + PRICE


def _layout(fmt: str, body: str) -> tuple[list[str], tuple[str, ...]]:
    layout = solve(
        SolveInput(
            template=load_template("classic"),
            fmt=default_registry()[fmt],
            style=get_style("bold"),
            copy={"headline": "Velora E-Bike", "body": body, "cta": "Jetzt abonnieren"},
            language="de",
            product_aspect=1.0,
            price_text=PRICE,
        )
    )
    return [e.text or "" for e in layout.elements if e.kind == "price"], layout.dropped_fields


def test_a_price_stated_only_by_a_field_dropped_for_room_gets_its_pill() -> None:
    pills, dropped = _layout("meta_feed_square", LONG_BODY)
    assert "body" in dropped  # the test would prove nothing if the body were drawn
    assert pills == [PRICE]


def test_a_price_stated_only_by_a_field_the_size_leaves_out_gets_its_pill() -> None:
    # 300x250 draws no body (its short side is under the body's 300 px).
    pills, _ = _layout("iab_medium_rectangle", f"Leicht und leise, {PRICE}")
    assert pills == [PRICE]


def test_a_drawn_field_stating_the_price_still_leaves_the_pill_out() -> None:
    # The control: a body that is drawn states the price once, so no pill repeats it.
    pills, dropped = _layout("meta_feed_square", f"Leicht und leise, {PRICE}")
    assert "body" not in dropped
    assert pills == []


def test_a_disclaimer_left_out_of_a_medium_rectangle_leaves_the_price_on_its_pill() -> None:
    """pl-lingua's 300x250 bold variant showed only its name and button: the pill was left out
    for the small print "Potem 39 zł/mies.", which that size does not draw."""
    records: list[dict[str, Any]] = json.loads(CORPUS.read_text("utf-8"))
    record = next(r for r in records if r["id"] == "pl-lingua")
    made = generate(
        brief_from_record(record, CORPUS.parent),
        formats="iab_medium_rectangle",
        variants=2,
        workers=1,
    )
    bold = next(c for c in made.creatives if c.style == "bold")
    shown = " ".join(e.text or "" for e in bold.elements)
    assert "39 zł/mies." in shown, [(e.kind, e.text) for e in bold.elements]
    assert bold.publishable
