"""A recurring price is never shown bare nor with another period, wherever the brief's own
words write it: an offer "ab 9,99 € – jetzt testen" beside a monthly price is shown "ab 9,99
€/Monat – jetzt testen" (the writer carries the period, as the price pill does), and a
creative that still shows "ab 9,99 €" or "$35 a year" beside a monthly price is not
publishable. A brief whose words give the price another period than the price's is told so."""

from __future__ import annotations

import pytest

from adcraft import generate
from adcraft.copywriting.claimcheck import brief_claim_warnings, context_for_brief, verdict
from adcraft.copywriting.periods import carry_period
from adcraft.domain.brief import Brief, Period, Price
from adcraft.notes import parse

NBSP = "\u00a0"
FORMATS = "meta_feed_square,iab_medium_rectangle,iab_leaderboard"


def _brief(
    offer: str,
    *,
    language: str = "de",
    amount: float = 9.99,
    currency: str = "EUR",
    period: Period = "month",
    **fields: object,
) -> Brief:
    return Brief(
        product_name="StreamMax",
        offer=offer,
        price=Price(amount=amount, currency=currency, period=period),
        language=language,
        **fields,  # type: ignore[arg-type]
    )


def _texts(creative: object) -> list[str]:
    elements = getattr(creative, "elements", ())
    platform = getattr(creative, "platform_text", {})
    return [" ".join(e.lines) for e in elements if e.lines] + list(platform.values())


def _codes(reasons: tuple[str, ...]) -> set[str]:
    return {parse(r).code for r in reasons}


@pytest.mark.parametrize(
    ("offer", "language", "amount", "currency", "shown"),
    [
        ("ab 9,99 € – jetzt testen", "de", 9.99, "EUR", "Ab 9,99 € – jetzt testen"),
        ("Fast fiber from $35", "en", 35, "USD", "Fast fiber from $35"),
        ("Всего 990 ₽ — попробуйте", "ru", 990, "RUB", "Всего 990 ₽ — попробуйте"),
    ],
)
def test_a_bare_amount_of_the_recurring_price_is_not_publishable(
    offer: str, language: str, amount: float, currency: str, shown: str
) -> None:
    brief = _brief(offer, language=language, amount=amount, currency=currency)
    ctx = context_for_brief(brief)
    for surface in ({"headline": shown}, {}):
        platform = {} if surface else {"primary_text": shown}
        said = verdict(surface, platform, ctx)
        assert not said.publishable
        assert "price_shown_bare" in _codes(said.reasons), said.reasons


def test_the_writer_carries_the_period_to_the_offers_price() -> None:
    brief = _brief("ab 9,99 € – jetzt testen")
    made = generate(brief, formats=FORMATS, variants=2, workers=1)
    shown = 0
    for c in made.creatives:
        for text in _texts(c):
            # Every "9,99" on the creative is followed by its period.
            folded = text.replace(NBSP, " ").casefold()  # a style may set it in capitals
            rest = folded.replace("9,99 €/monat", "")
            assert "9,99" not in rest, (c.file, text)
            shown += "9,99" in text
        assert c.publishable, (c.file, c.publishable_reasons)
    assert shown
    assert not [w for w in made.warnings if w.startswith("price:")]


@pytest.mark.parametrize(
    ("text", "language", "amount", "currency", "carried"),
    [
        ("ab 9,99 € – jetzt testen", "de", 9.99, "EUR", "ab 9,99 €/Monat – jetzt testen"),
        ("Fast fiber from $35", "en", 35, "USD", "Fast fiber from $35/mo"),
        ("3,000円から", "ja", 3000, "JPY", "3,000円/月から"),
        ("רק 59.90 ₪ עכשיו", "he", 59.9, "ILS", f"רק 59.90 ₪{NBSP}לחודש עכשיו"),
        # Already with its period, or money that is not the price: left as written.
        ("ab 9,99 €/Monat", "de", 9.99, "EUR", "ab 9,99 €/Monat"),
        ("9,99 € Rabatt auf das Jahresabo", "de", 9.99, "EUR", "9,99 € Rabatt auf das Jahresabo"),
        ("Free shipping over $35", "en", 35, "USD", "Free shipping over $35"),
        # An amount that may be something else than the price is not rewritten ("$35/mo gift
        # card" would change the offer); a creative that shows it bare is held instead.
        ("Get a $35 gift card", "en", 35, "USD", "Get a $35 gift card"),
        ("Jetzt 9,99 € sichern", "de", 9.99, "EUR", "Jetzt 9,99 €/Monat sichern"),
        ("statt 14,99 € jetzt 9,99 €", "de", 14.99, "EUR", "statt 14,99 €/Monat jetzt 9,99 €"),
        ("35 channels", "en", 35, "USD", "35 channels"),
    ],
)
def test_the_period_is_written_after_the_bare_price_in_the_pills_form(
    text: str, language: str, amount: float, currency: str, carried: str
) -> None:
    price = Price(amount=amount, currency=currency, period="month")
    assert carry_period(text, price, None, language) == carried


def test_a_saving_equal_to_the_price_is_neither_carried_nor_held() -> None:
    brief = _brief("Save $10 on your first box", language="en", amount=10, currency="USD")
    ctx = context_for_brief(brief)
    assert verdict({"headline": "Save $10 on your first box"}, {}, ctx).publishable


@pytest.mark.parametrize(
    ("offer", "language", "amount", "currency", "other"),
    [
        ("Fast fiber, just $35 a year", "en", 35, "USD", "year"),
        ("Nur 9,99 €/Jahr", "de", 9.99, "EUR", "year"),
        ("Всего 990 ₽ в год", "ru", 990, "RUB", "year"),
        ("年額3,000円", "ja", 3000, "JPY", "year"),
        ("רק 59.90 ₪ לשנה", "he", 59.9, "ILS", "year"),
        ("¥268/年", "zh", 268, "CNY", "year"),
        ("9,99 € par semaine", "fr", 9.99, "EUR", "week"),
    ],
)
def test_a_brief_that_gives_its_price_another_period_is_warned_and_never_shows_it(
    offer: str, language: str, amount: float, currency: str, other: str
) -> None:
    brief = _brief(offer, language=language, amount=amount, currency=currency)
    ctx = context_for_brief(brief)
    warned = [w for w in brief_claim_warnings(brief, ctx) if w.startswith("price:")]
    assert len(warned) == 1, warned
    assert f"per {other}" in warned[0] and "per month" in warned[0]
    assert "contradicts itself" in warned[0]
    said = verdict({"headline": offer}, {}, ctx)
    assert not said.publishable
    assert "price_other_period" in _codes(said.reasons), said.reasons


def test_no_creative_prints_the_price_with_the_other_period() -> None:
    brief = _brief("Fast fiber, just $35 a year", language="en", amount=35, currency="USD")
    made = generate(brief, formats=FORMATS, variants=2, workers=1)
    pills = 0
    for c in made.creatives:
        for text in _texts(c):
            # Neither the other period nor a shortening that drops it ("Just $35").
            assert "a year" not in text and "$35" not in text.replace("$35/mo", ""), text
        pills += sum(e.kind == "price" for e in c.elements)
        assert c.publishable, (c.file, c.publishable_reasons)
    assert pills  # the brief's own price, with its own period, is still shown
    assert any("contradicts itself" in w for w in made.warnings)


@pytest.mark.parametrize(
    "fields",
    [
        # The period word is not attached to the price's amount: nothing is said.
        {"offer": "Billed yearly. Just $35", "language": "en"},
        {"description": "12 months of updates for every plan. From $35", "language": "en"},
        {"offer": "Unlimited calls for $35/month", "language": "en"},
    ],
)
def test_a_period_word_away_from_the_price_is_no_contradiction(fields: dict[str, str]) -> None:
    brief = Brief(
        product_name="FiberNet",
        price=Price(amount=35, currency="USD", period="month"),
        **fields,  # type: ignore[arg-type]
    )
    ctx = context_for_brief(brief)
    assert [w for w in brief_claim_warnings(brief, ctx) if w.startswith("price:")] == []
