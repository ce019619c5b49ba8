"""A creative states its price once: a price-led headline ("Gift Box · $189") gets no pill."""

from __future__ import annotations

from adcraft import generate
from adcraft.domain.brief import Brief, Price


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
