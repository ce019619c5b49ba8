"""Finding the facts an offer must keep, in every language of the development set."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcraft.copywriting.facts import (
    KeyFact,
    extract_facts,
    fact_present,
    locate_facts,
    missing_facts,
)
from tests.conftest import PRODUCTS


def kinds(offer: str, lang: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in extract_facts(offer, lang)]


@pytest.mark.parametrize(
    ("offer", "lang", "expected"),
    [
        # The development set, every offer.
        (
            "20% off all tents this weekend only",
            "en",
            [("percent", "20%"), ("deadline", "this weekend only")],
        ),
        ("Free shipping on orders over $100", "en", [("free", "Free shipping"), ("money", "$100")]),
        ("Second pair 50% off", "en", [("percent", "50%")]),
        (
            "Save $70 during Black Friday week",
            "en",
            [("money", "$70"), ("deadline", "Black Friday week")],
        ),
        ("Trade in your old pair and get $50 back", "en", [("money", "$50")]),
        ("Скидка 15% на первый заказ", "ru", [("percent", "15%")]),
        (
            "Бесплатная доставка до конца месяца по промокоду ЕДА25",
            "ru",
            [("free", "Бесплатная доставка"), ("deadline", "до конца месяца"), ("code", "ЕДА25")],
        ),
        (
            "Кэшбэк 10% на все покупки до конца месяца",
            "ru",
            [("percent", "10%"), ("deadline", "до конца месяца")],
        ),
        (
            "Оформите карту онлайн за 5 минут и получите 1000 бонусов",
            "ru",
            [("count", "5 минут"), ("count", "1000 бонусов")],
        ),
        ("Your first 3 rides 30% off", "en", [("count", "3 rides"), ("percent", "30%")]),
        ("Airport transfers from $25", "en", [("money", "$25")]),
        ("双十一限时8折", "zh", [("deadline", "双十一"), ("deadline", "限时"), ("percent", "8折")]),
        ("满299元包邮并赠送茶杯", "zh", [("money", "299元"), ("free", "包邮"), ("free", "赠送")]),
        ("新品首发立减200元", "zh", [("money", "200元")]),
        ("以旧换新最高补贴300元", "zh", [("money", "300元")]),
        (
            "Nur diese Woche: 25% Rabatt",
            "de",
            [("deadline", "Nur diese Woche"), ("percent", "25%")],
        ),
        ("Gratis 1 kg Bohnen zu jeder Maschine", "de", [("free", "Gratis"), ("count", "1 kg")]),
        ("Primera semana gratis", "es", [("free", "Primera semana gratis")]),
        ("50% de descuento en el plan anual", "es", [("percent", "50%")]),
        ("First month free when you switch", "en", [("free", "First month free")]),
        ("Family plan: 4 lines for $100/month", "en", [("count", "4 lines"), ("money", "$100")]),
        ("خصم 20% على إقامات الصيف", "ar", [("percent", "20%")]),
        ("الليلة الثالثة مجانًا", "ar", [("free", "الليلة الثالثة مجانًا")]),
        # Further forms.
        ("-15 % auf alles", "de", [("percent", "-15 %")]),
        ("Use code SAVE20 by Sunday", "en", [("code", "SAVE20"), ("deadline", "by Sunday")]),
        ("Ends 12/31: ¥268 only", "en", [("deadline", "12/31"), ("money", "¥268")]),
        ("Angebot gültig bis 31.12.", "de", [("deadline", "31.12.")]),
        (
            "Kostenloser Versand, nur diese Woche",
            "de",
            [("free", "Kostenloser Versand"), ("deadline", "nur diese Woche")],
        ),
        (
            "Envío gratis hasta el domingo",
            "es",
            [("free", "Envío gratis"), ("deadline", "hasta el domingo")],
        ),
        ("限时包邮，US$25起", "zh", [("deadline", "限时"), ("free", "包邮"), ("money", "US$25")]),
        ("شحن مجاني لفترة محدودة", "ar", [("free", "شحن مجاني"), ("deadline", "لفترة محدودة")]),
        ("خصم ٢٠٪", "ar", [("percent", "٢٠٪")]),
        ("Скидка 10 000 рублей на ремонт", "ru", [("money", "10 000 рублей")]),
        ("Open 24/7, rated 4.8", "en", []),
    ],
)
def test_extract_facts(offer: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(offer, lang) == expected


def test_unknown_language_keeps_language_independent_facts() -> None:
    found = kinds("Korting 20% met code ZOMER24 tot 31.08.2025, vanaf €9,99", "nl")
    assert ("percent", "20%") in found
    assert ("code", "ZOMER24") in found
    assert ("deadline", "31.08.2025") in found
    assert ("money", "€9,99") in found


def test_every_dev_offer_finds_itself() -> None:
    for product in PRODUCTS:
        for offer in product["offers"]:
            for fact in extract_facts(offer, product["language"]):
                assert fact_present(fact, offer), (product["id"], fact)


def test_main_dev_offers_have_facts() -> None:
    for product in PRODUCTS:
        assert extract_facts(product["offers"][0], product["language"]), product["id"]


def fact(offer: str, lang: str, kind: str) -> KeyFact:
    return next(f for f in extract_facts(offer, lang) if f.kind == kind)


@pytest.mark.parametrize(
    ("offer", "lang", "kind", "rewrite", "present"),
    [
        ("20% off all tents", "en", "percent", "Save 20 % today", True),
        ("20% off all tents", "en", "percent", "−20%", True),
        ("20% off all tents", "en", "percent", "Save\u00a020\u202f%", True),
        ("20% off all tents", "en", "percent", "Save 120% now", False),
        ("20% off all tents", "en", "percent", "Save 2.20% now", False),
        ("خصم 20% على الإقامات", "ar", "percent", "خصم ٢٠٪", True),
        ("双十一限时8折", "zh", "percent", "八折优惠", True),
        ("双十一限时8折", "zh", "percent", "85折", False),
        ("Save $70 this week", "en", "money", "$70.00 off", True),
        ("Save $70 this week", "en", "money", "70 USD off", True),
        ("Save $70 this week", "en", "money", "$700 off", False),
        ("Save $70 this week", "en", "money", "70 € off", False),
        ("新品首发立减200元", "zh", "money", "立减¥200", True),
        ("Скидка 10 000 рублей", "ru", "money", "минус 10000 руб.", True),
        ("по промокоду ЕДА25", "ru", "code", "промокод еда25", True),
        ("по промокоду ЕДА25", "ru", "code", "ЕДА250", False),
        ("20% off this weekend only", "en", "deadline", "Only this weekend: 20% off", True),
        ("20% off this weekend only", "en", "deadline", "20% off this week", False),
        ("Бесплатная доставка до конца месяца", "ru", "deadline", "До конца месяца!", True),
        ("Бесплатная доставка до конца месяца", "ru", "free", "Доставка бесплатная", True),
        ("الليلة الثالثة مجانًا", "ar", "free", "الليلة الثالثة مجانا", True),
        ("Ends 12/31", "en", "deadline", "until 12 / 31", True),
        ("Your first 3 rides 30% off", "en", "count", "3 Rides at 30% off", True),
    ],
)
def test_fact_present_is_tolerant(
    offer: str, lang: str, kind: str, rewrite: str, present: bool
) -> None:
    assert fact_present(fact(offer, lang, kind), rewrite) is present


def test_missing_facts() -> None:
    facts = extract_facts("Бесплатная доставка до конца месяца по промокоду ЕДА25", "ru")
    fields = {"headline": "Бесплатная доставка", "badge": "ЕДА25", "body": ""}
    assert missing_facts(facts, fields) == ("до конца месяца",)
    assert missing_facts((), fields) == ()


def test_phrase_spans_carry_the_verb() -> None:
    offer = "Save $70 during Black Friday week"
    spans = locate_facts(offer, "en")
    assert [offer[s.phrase_start : s.phrase_end] for s in spans] == [
        "Save $70",
        "during Black Friday week",
    ]
    assert spans[0].discount
    assert not locate_facts("Кэшбэк 10% на все", "ru")[0].discount


OFFER_TOKENS = [
    *"abc xyz АБВ абв 的是不 ابت ",
    "20%",
    "-15 %",
    "8折",
    "$70",
    "25 €",
    "¥268",
    "200元",
    "SAVE20",
    "ЕДА25",
    "12/31",
    "31.12.",
    "free",
    "gratis",
    "бесплатно",
    "包邮",
    "مجانًا",
    "٢٠٪",
    "\U0001f525",
    "\u200f",
    "\x00",
]


@settings(max_examples=200, deadline=None)
@given(
    offer=st.lists(st.sampled_from(OFFER_TOKENS), max_size=60).map(" ".join),
    lang=st.sampled_from(["en", "ru", "zh", "de", "es", "ar", "xx"]),
)
def test_extraction_never_raises_and_finds_itself(offer: str, lang: str) -> None:
    for f in extract_facts(offer, lang):
        assert f.text and f.text in offer
        assert fact_present(f, offer)
