"""A deadline in small print names the deal it ends when the brief has other deals: a bare
"До 15 января" under "Вторая пара за полцены" says the half-price pair ends then too, a false
urgency the brief never claimed (found by a native review of the ru-sprint banners)."""

from __future__ import annotations

from adcraft import generate
from adcraft.domain.brief import Brief, Price


def _small_prints(brief: Brief, formats: str) -> list[str]:
    made = generate(brief, formats=formats, variants=2, workers=1, seed=0)
    return [
        e.text or ""
        for c in made.creatives
        for e in c.elements
        if e.kind == "disclaimer" and e.text
    ]


def test_the_deadline_of_one_of_two_deals_names_its_deal() -> None:
    brief = Brief(
        product_name="Кроссовки «Спринт»",
        description="Лёгкие беговые кроссовки с амортизирующей подошвой.",
        offer="Вторая пара за полцены",
        extra_offers=["Скидка 20% до 15 января"],
        price=Price(amount=6990, currency="RUB"),
        language="ru",
    )
    dated = [
        t for t in _small_prints(brief, "google_rda_landscape,meta_feed_square") if "января" in t
    ]
    assert dated, "no creative shows the deadline: the test would check nothing"
    assert all("20" in t for t in dated), dated


def test_the_deadline_of_the_only_deal_stands_alone() -> None:
    brief = Brief(
        product_name="Trail 3 Camping Tent",
        description="A three-person tent that pitches in two minutes.",
        offer="20% off all tents this weekend only",
        price=Price(amount=179, currency="USD"),
    )
    dated = [t for t in _small_prints(brief, "iab_banner,iab_leaderboard") if "weekend" in t]
    assert dated
    assert all(t.casefold().startswith("this weekend only") for t in dated), dated


def test_a_deadline_on_a_line_of_its_own_dates_every_deal_and_stands_alone() -> None:
    # "Só até domingo" ends the whole offer: glued to one of its deals ("Economize R$ 500 Só
    # até domingo") it read as if the free mouse never ended, and as broken copy.
    brief = Brief(
        product_name="Notebook Orion 14",
        description="Notebook leve com 16 GB de memória e bateria para o dia todo.",
        offer="Economize R$ 500 + mouse grátis",
        extra_offers=["Só até domingo"],
        price=Price(amount=3999, currency="BRL"),
        language="pt",
    )
    shown = _small_prints(brief, "google_rda_landscape,iab_wide_skyscraper,iab_leaderboard")
    dated = [t for t in shown if "domingo" in t]
    assert dated, "no creative shows the deadline: the test would check nothing"
    assert all(t.casefold().startswith("só até domingo") for t in dated), dated
