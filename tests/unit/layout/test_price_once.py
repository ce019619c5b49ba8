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
