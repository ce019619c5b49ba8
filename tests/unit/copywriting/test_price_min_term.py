"""A price with a minimum term (a 12-month contract at $35/mo, Merchant Center's
subscription_cost period_length) says the commitment wherever the price is shown: the terms line
carries "12-month minimum term" in the brief's language, a size with no room for it leaves the
price out and says so, and a creative that shows the price without the term is not
publishable."""

from __future__ import annotations

import pytest

from adcraft import generate
from adcraft.copywriting.claimcheck import context_for_brief, verdict
from adcraft.copywriting.locale import term_text
from adcraft.domain.brief import Brief, Period, Price
from adcraft.errors import InvalidBrief
from adcraft.notes import parse

FORMATS = "meta_feed_square,iab_medium_rectangle,iab_leaderboard,iab_mobile_leaderboard"


def _contract(language: str = "en", **fields: object) -> Brief:
    base: dict[str, object] = {
        "product_name": "FiberNet",
        "offer": "Unlimited data, no setup fee",
        "price": Price(amount=35, currency="USD", period="month", min_term=12),
        "language": language,
    }
    return Brief(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "period", "n", "said"),
    [
        ("en", "month", 12, "12-month minimum term"),
        ("en", "year", 2, "2-year minimum term"),
        ("de", "month", 24, "Mindestlaufzeit 24 Monate"),
        ("fr", "month", 12, "Engagement 12 mois"),
        ("es", "month", 12, "Permanencia mínima 12 meses"),
        ("ru", "month", 12, "Минимальный срок: 12 месяцев"),
        ("ru", "month", 24, "Минимальный срок: 24 месяца"),
        ("ja", "month", 12, "最低契約期間12か月"),
        ("he", "month", 12, "התחייבות ל-12 חודשים"),
        ("ar", "month", 12, "التزام لمدة 12 شهرًا"),
        ("ar", "year", 2, "التزام لمدة سنتين"),
        ("zh", "month", 12, "最低合约期12个月"),
        ("nl", "month", 12, "12-month minimum term"),  # no entry: English
    ],
)
def test_the_minimum_term_is_said_in_the_briefs_language(
    language: str, period: Period, n: int, said: str
) -> None:
    price = Price(amount=35, currency="USD", period=period, min_term=n)
    assert term_text(price, language) == said


def test_a_minimum_term_needs_a_period_and_a_whole_number() -> None:
    assert Price(amount=35, currency="USD", period="month", min_term="12").min_term == 12
    with pytest.raises(InvalidBrief, match="without a period"):
        Price(amount=35, currency="USD", min_term=12)
    with pytest.raises(InvalidBrief, match="whole number"):
        Price(amount=35, currency="USD", period="month", min_term="a year")
    # A price without a term is stored as before (same creative ids, same feed hashes).
    assert "min_term" not in Price(amount=35, currency="USD", period="month").model_dump()


def test_every_creative_that_shows_the_price_says_its_term() -> None:
    made = generate(_contract(), formats=FORMATS, variants=2, workers=1)
    pills = 0
    for c in made.creatives:
        texts = [" ".join(e.lines) for e in c.elements if e.lines]
        if any(e.kind == "price" for e in c.elements):
            pills += 1
            assert any("12-month minimum term" in t.casefold() for t in texts), (c.file, texts)
        assert c.publishable, (c.file, c.publishable_reasons)
    assert pills >= 2
    # A size with no room for the terms line leaves the price out and says so.
    left_out = [w for w in made.warnings if parse(w).code == "price_left_out_term"]
    assert left_out and "12-month minimum term" in left_out[0]


def test_the_german_terms_line_says_the_term_in_german() -> None:
    made = generate(_contract("de"), formats="meta_feed_square", variants=1, workers=1)
    (c,) = made.creatives
    (terms,) = [e for e in c.elements if e.kind == "disclaimer"]
    assert "Mindestlaufzeit 12 Monate" in " ".join(terms.lines)
    assert c.publishable, c.publishable_reasons


def test_a_price_shown_without_its_term_is_not_publishable() -> None:
    ctx = context_for_brief(_contract())
    said = verdict({"headline": "FiberNet", "price": "$35/mo"}, {}, ctx)
    assert not said.publishable
    assert [parse(r).code for r in said.reasons] == ["price_without_term"]
    shown = {"headline": "FiberNet", "price": "$35/mo", "disclaimer": "12-month minimum term"}
    assert verdict(shown, {}, ctx).publishable
    # The term in the uploaded text beside the image counts too; no price, no term needed.
    assert verdict({"price": "$35/mo"}, {"primary_text": "12-month minimum term."}, ctx).publishable
    assert verdict({"headline": "FiberNet"}, {}, ctx).publishable
