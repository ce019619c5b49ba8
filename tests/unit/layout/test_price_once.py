"""A creative states its price once: a price-led headline ("Gift Box · $189") gets no pill."""

from __future__ import annotations

import pytest

from adcraft import generate
from adcraft.domain.brief import Brief, Price
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.layout.solve import SolveInput, solve
from adcraft.layout.styles import get_style


def test_a_headline_with_the_price_gets_no_price_pill() -> None:
    brief = Brief(
        product_name="Habla Spanish Course",
        offer="Primera semana gratis",
        price=Price(amount=19.99, currency="EUR"),
        language="es",
    )
    made = generate(brief, formats="iab_leaderboard,iab_half_page", variants=6, workers=1, seed=1)
    price_led = 0
    for c in made.creatives:
        texts = [e.text or "" for e in c.elements if e.kind not in ("price", "product")]
        pills = [e for e in c.elements if e.kind == "price"]
        shows_price = any("19,99" in t for t in texts)
        price_led += shows_price
        assert not (shows_price and pills), (c.file, texts)
    assert price_led, "no variant led with the price: the test would prove nothing"


def test_a_monthly_price_keeps_from_and_per_month_on_its_pill() -> None:
    """A brief priced 980 円 whose offer says "月額980円から" (from 980 円 a month): a pill
    reading "￥980" drops both qualifiers; it shows the brief's own phrase or nothing."""
    brief = Brief(
        product_name="Sora Pocket Wi-Fi",
        offer="初月無料",
        extra_offers=("月額980円から",),
        price=Price(amount=980, currency="JPY"),
        language="ja",
    )
    made = generate(brief, formats="iab_medium_rectangle,meta_feed_square", variants=4, seed=1)
    shown = [e for c in made.creatives for e in c.elements if e.text]
    assert all(e.text == "月額980円から" for e in shown if e.kind == "price")
    assert not [e.text for e in shown if "980" in e.text and "月額980円から" not in e.text]


def _pill(headline: str, price: str) -> list[str]:
    """The price pills the solver draws beside a headline, for a priced product."""
    layout = solve(
        SolveInput(
            template=load_template("classic"),
            fmt=default_registry()["meta_feed_square"],
            style=get_style("minimal"),
            copy={"headline": headline, "body": "Three seasons, three people.", "cta": "Shop"},
            language="en",
            product_aspect=0.67,
            price_text=price,
        )
    )
    return [e.text or "" for e in layout.elements if e.kind == "price"]


@pytest.mark.parametrize(
    ("headline", "price"),
    [
        ("FROM 249 € · TRAIL 3", "from 249 €"),  # a capitalised headline states the price
        ("From 249 € · Trail 3", "FROM 249 €"),
        ("Trail 3 for 249\u00a0€", "249 €"),  # a no-break space is still the same price
        ("Trail 3 · Ab 12,50 €/Monat", "ab 12,50 €/monat"),
    ],
)
def test_a_headline_stating_the_price_in_any_case_gets_no_pill(headline: str, price: str) -> None:
    assert _pill(headline, price) == []


def test_a_headline_without_the_price_keeps_its_pill() -> None:
    # The control: the pill is drawn, so the tests above would see one.
    assert _pill("Trail 3 camping tent", "from 249 €") == ["from 249 €"]
