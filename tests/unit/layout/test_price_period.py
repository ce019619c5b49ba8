"""A recurring price is shown with its period: "9,99 €/Monat", "$35/mo", "¥3,000/月", never a
bare "9,99 €" beside a monthly plan (PAngV, EU Omnibus, FTC practice). A size too small for the
period leaves the price out and says so; a brief whose offer says the price is monthly while the
price has no period leaves the price off, and is not publishable where the price shows bare."""

from __future__ import annotations

import pytest

from adcraft import generate
from adcraft.compose import price_label
from adcraft.copywriting.claimcheck import brief_claim_warnings, context_for_brief, verdict
from adcraft.copywriting.claims import parse_claims
from adcraft.copywriting.locale import format_price
from adcraft.domain.brief import PERIODS, Brief, Period, Price
from adcraft.errors import InvalidBrief
from adcraft.notes import parse

NBSP = "\u00a0"


def _monthly(language: str = "de", **fields: object) -> Brief:
    base: dict[str, object] = {
        "product_name": "StreamMax",
        "offer": "14 Tage kostenlos testen",
        "price": Price(amount=9.99, currency="EUR", period="month"),
        "language": language,
    }
    return Brief(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "period"),
    [("month", "month"), ("Monthly", "month"), ("per night", "night"), ("P1Y", "year"), ("", None)],
)
def test_a_period_is_read_as_marketers_and_feeds_write_it(written: str, period: str) -> None:
    assert Price(amount=9.99, currency="EUR", period=written).period == period


@pytest.mark.parametrize("bad", ["fortnight", "person", "12"])
def test_an_unknown_period_is_refused_naming_the_ones_there_are(bad: str) -> None:
    with pytest.raises(InvalidBrief, match="price period") as err:
        Price(amount=9.99, currency="EUR", period=bad)
    assert "day, night, week, month, year" in str(err.value)


def test_the_regular_price_shares_the_price_period_or_is_refused() -> None:
    sale = Brief(
        product_name="StreamMax",
        price=Price(amount=9.99, currency="EUR", period="month"),
        regular_price=Price(amount=12.99, currency="EUR"),
    )
    assert sale.regular_price is not None and sale.regular_price.period == "month"
    with pytest.raises(InvalidBrief, match="same period"):
        Brief(
            product_name="StreamMax",
            price=Price(amount=9.99, currency="EUR", period="month"),
            regular_price=Price(amount=99, currency="EUR", period="year"),
        )


@pytest.mark.parametrize(
    ("language", "currency", "amount", "period", "shown"),
    [
        ("en", "USD", 35, "month", "$35/mo"),
        ("en", "USD", 189, "night", "$189/night"),
        ("de", "EUR", 9.99, "month", f"9,99{NBSP}€/Monat"),
        ("de", "EUR", 49, "day", f"49{NBSP}€/Tag"),
        ("fr", "EUR", 9.99, "year", f"9,99{NBSP}€/an"),
        ("es", "EUR", 39.9, "month", f"39,90{NBSP}€/mes"),
        ("it", "EUR", 120, "night", f"120{NBSP}€/notte"),
        ("pt", "BRL", 29.9, "month", f"R${NBSP}29,90/mês"),
        ("ru", "RUB", 990, "month", f"990{NBSP}₽/мес."),
        ("pl", "PLN", 49, "week", f"49{NBSP}zł/tydz."),
        ("tr", "TRY", 4500, "night", "₺4.500/gece"),
        ("ja", "JPY", 3000, "month", "￥3,000/月"),
        ("zh", "CNY", 268, "year", "¥268/年"),
        ("ko", "KRW", 180000, "night", "₩180,000/박"),
        ("he", "ILS", 59.9, "month", f"59.90{NBSP}₪{NBSP}לחודש"),
        ("ar", "SAR", 650, "night", f"650{NBSP}ر.س.{NBSP}لليلة"),
    ],
)
def test_a_recurring_price_is_written_with_its_period_in_each_language(
    language: str, currency: str, amount: float, period: Period, shown: str
) -> None:
    text = format_price(Price(amount=amount, currency=currency, period=period), language)
    assert text == shown
    # The claim checker reads it back as the same price for the same period: shown whole.
    (claim,) = parse_claims(text, language, default_currency=currency)
    said = (claim.kind, claim.value, claim.period, claim.text)
    assert said == ("per_period", amount, period, text)


@pytest.mark.parametrize("period", PERIODS)
def test_every_period_reads_back_in_every_language(period: Period) -> None:
    for language, currency in (("en", "USD"), ("de", "EUR"), ("ja", "JPY"), ("he", "ILS")):
        text = format_price(Price(amount=120, currency=currency, period=period), language)
        assert [c.period for c in parse_claims(text, language, default_currency=currency)] == [
            period
        ], text


FORMATS = "meta_feed_square,iab_medium_rectangle,iab_leaderboard,iab_mobile_leaderboard"


def _texts(creative: object) -> list[str]:
    elements = getattr(creative, "elements", ())
    platform = getattr(creative, "platform_text", {})
    return [" ".join(e.lines) for e in elements if e.lines] + list(platform.values())


def test_the_price_pill_shows_the_period_and_no_text_shows_the_price_bare() -> None:
    made = generate(_monthly(), formats=FORMATS, variants=2, workers=1)
    pills = 0
    for c in made.creatives:
        for e in c.elements:
            if e.kind == "price":
                pills += 1
                # Beside the free trial it says "then" ("Danach"): the price after the trial.
                assert " ".join(e.lines).removeprefix("Danach ") == f"9,99{NBSP}€/Monat"
        # Wherever the amount is written, the period follows it (headline, body, platform text).
        for text in _texts(c):
            rest = text.replace(f"9,99{NBSP}€/Monat", "")
            assert "9,99" not in rest, (c.file, text)
        assert c.publishable, (c.file, c.publishable_reasons)
    assert pills >= 4


def test_a_size_too_small_for_the_period_leaves_the_price_out_and_says_so() -> None:
    made = generate(_monthly(), formats="iab_mobile_leaderboard", variants=1, workers=1)
    (c,) = made.creatives
    assert not [e for e in c.elements if e.kind == "price"]
    assert any(
        w.startswith("price: left out") and "with its period" in w and "/Monat" in w
        for w in c.warnings
    ), c.warnings


def test_the_struck_regular_price_carries_the_same_period() -> None:
    brief = _monthly(regular_price=Price(amount=14.99, currency="EUR"))
    made = generate(brief, formats="meta_feed_square,iab_banner", variants=1, workers=1)
    pills = [e for c in made.creatives for e in c.elements if e.kind == "price"]
    assert len(pills) == 2
    for pill in pills:
        assert pill.struck == f"14,99{NBSP}€/Monat"
        assert " ".join(pill.lines) == f"14,99{NBSP}€/Monat 9,99{NBSP}€/Monat"
    assert all(c.publishable for c in made.creatives)


def test_a_hebrew_price_pill_keeps_its_period_after_the_price_right_to_left() -> None:
    brief = Brief(
        product_name="סטרים מקס",
        offer="חודש ראשון חינם",
        price=Price(amount=59.9, currency="ILS", period="month"),
        language="he",
    )
    made = generate(brief, formats="meta_feed_square", variants=1, workers=1)
    (pill,) = [e for e in made.creatives[0].elements if e.kind == "price"]
    assert pill.lines == (f"59.90{NBSP}₪{NBSP}לחודש",) and pill.direction == "rtl"


def test_a_bare_price_beside_its_period_is_not_publishable() -> None:
    brief = _monthly()
    ctx = context_for_brief(brief)
    said = verdict({"headline": f"StreamMax · 9,99{NBSP}€"}, {}, ctx)
    assert not said.publishable
    assert any("9,99" in r for r in said.reasons), said.reasons
    assert verdict({"headline": f"StreamMax · 9,99{NBSP}€/Monat"}, {}, ctx).publishable
    claims = [c for c in ctx.claims if c.source == "price"]
    assert [(c.kind, c.period, c.text) for c in claims] == [
        ("per_period", "month", f"9,99{NBSP}€/Monat")
    ]


def test_an_offer_that_says_monthly_without_a_period_leaves_the_price_off() -> None:
    """ "9,99 €" alone beside "monatlich kündbar" reads as a one-off price, and which period it
    is paid for is the marketer's to say: no creative shows the price until the period is set
    (the brief warning says how), so the set stays publishable rather than all blocked."""
    brief = Brief(
        product_name="StreamMax",
        offer="Alle Serien, monatlich kündbar",
        price=Price(amount=9.99, currency="EUR"),
        language="de",
    )
    made = generate(brief, formats="meta_feed_square,iab_leaderboard", variants=1, workers=1)
    said = [w for w in made.warnings if w.startswith("price:")]
    assert said and 'set the price\'s period to "month"' in said[0] and "monatlich" in said[0]
    assert said[0].endswith("until then no creative shows the price")
    for c in made.creatives:
        assert not any("9,99" in t for t in _texts(c)) and c.publishable, _texts(c)
    # Shown anyway (a marketer's edit, an LLM's copy), it is held.
    held = verdict({"headline": f"StreamMax · 9,99{NBSP}€"}, {}, context_for_brief(brief))
    assert not held.publishable and "without its period" in held.reasons[0]
    # With the period set, the same brief is publishable and says "/Monat".
    fixed = brief.model_copy(update={"price": Price(amount=9.99, currency="EUR", period="month")})
    again = generate(fixed, formats="meta_feed_square,iab_leaderboard", variants=1, workers=1)
    assert all(c.publishable for c in again.creatives)
    assert not [w for w in again.warnings if w.startswith("price:")]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"offer": "First month free"}, "free trial"),
        ({"offer": "Stay 3 nights, pay 2"}, "3 nights"),
        ({"offer": "Jetzt im Abo", "language": "de"}, "Abo"),
        ({"description": "Just $35 per month after the trial."}, "per month"),
    ],
)
def test_hints_of_a_recurring_price_are_a_warning_only(fields: dict[str, str], says: str) -> None:
    brief = Brief(product_name="FiberNet", price=Price(amount=35, currency="USD"), **fields)  # type: ignore[arg-type]
    ctx = context_for_brief(brief)
    warned = [w for w in brief_claim_warnings(brief, ctx) if w.startswith("price:")]
    assert len(warned) == 1 and says in warned[0] and "period" in warned[0]
    assert ctx.unstated_period is None  # not held: the price may be a one-off
    # So the price is still shown, and the warning must not say it is left off.
    assert price_label(brief, ctx) == format_price(brief.price, brief.language)
    assert "no creative shows the price" not in warned[0]


@pytest.mark.parametrize(
    "fields",
    [
        {"offer": "Unlimited calls for $35/month"},  # the offer's own words give the pill
        {"offer": "Sale: 20% off everything"},
        {"offer": "Free returns within 30 days", "selling_points": ("2 cups a day",)},
    ],
)
def test_a_brief_that_gives_the_period_itself_or_none_is_not_warned(
    fields: dict[str, object],
) -> None:
    brief = Brief(product_name="FiberNet", price=Price(amount=35, currency="USD"), **fields)  # type: ignore[arg-type]
    ctx = context_for_brief(brief)
    # "20% off everything" beside $35 is warned for its missing regular price, not its period.
    warned = [
        w
        for w in brief_claim_warnings(brief, ctx)
        if w.startswith("price:") and parse(w).code != "discount_without_reference_price"
    ]
    assert warned == []
    assert ctx.unstated_period is None


@pytest.mark.parametrize(
    ("language", "offer", "pill"),
    [
        ("ru", "от 490 ₽/мес.", "От 490 ₽/мес."),
        ("en", "from $12.50/month", "From $12.50/month"),
        ("ja", "月額980円から", "月額980円から"),
    ],
)
def test_a_pill_in_the_briefs_words_starts_as_a_label(language: str, offer: str, pill: str) -> None:
    # The brief's offer line "от 490 ₽/мес." gave the pill its words and its lower case: a
    # label of its own reads "От 490 ₽/мес.".
    currency = {"ru": "RUB", "en": "USD", "ja": "JPY"}[language]
    amount = float(parse_claims(offer, language)[0].value or 0)
    brief = Brief(
        product_name="Volna",
        offer=offer,
        price=Price(amount=amount, currency=currency),
        language=language,
    )
    assert " ".join((price_label(brief) or "").split()) == " ".join(pill.split())
