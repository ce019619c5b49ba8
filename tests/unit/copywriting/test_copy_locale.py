"""Localized calls to action, prices and list joining."""

from __future__ import annotations

import pytest

from adcraft.copywriting.locale import (
    INTENTS,
    all_ctas,
    capitalize_first,
    colon,
    cta_intent,
    cta_options,
    decapitalize_first,
    end_headline,
    end_sentence,
    format_price,
    list_points,
)
from adcraft.domain.brief import Price
from tests.conftest import PRODUCTS

EXPECTED_CTA = {
    "tent-trail3": "Shop now",
    "runner-x": "Shop now",
    "nc-headphones": "Shop now",
    "food-delivery": "Заказать",
    "cashback-card": "Оформить",
    "taxi": "Book now",
    "tea-gift": "立即购买",
    "smartwatch": "立即购买",
    "coffee-maker": "Jetzt kaufen",
    "language-course": "Empezar ahora",
    "mobile-plan": "Get started",
    "hotel-booking": "احجز الآن",
}


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p["id"])
def test_dev_set_call_to_action(product: dict[str, object]) -> None:
    text = f"{product['name']} {product['description']}"
    intent = cta_intent(str(product["category"]), text)
    assert cta_options(str(product["language"]), intent)[0] == EXPECTED_CTA[str(product["id"])]


def test_intent_from_description_words() -> None:
    assert cta_intent("service", "Order food from 200 restaurants, delivered hot") == "order"
    assert cta_intent(None, "Book a ride in two taps") == "book"
    assert cta_intent("retail", "Отель у моря") == "book"
    assert cta_intent("service", "Consulting for small teams") == "learn"
    assert cta_intent(None, "A cotton t-shirt") == "shop"


def test_ctas_per_language_and_english_fallback() -> None:
    assert cta_options("de", "order") == ("Jetzt bestellen", "Bestellen")
    assert cta_options("ar", "shop")[0] == "تسوق الآن"
    assert cta_options("fr", "book") == ("Réserver maintenant", "Réserver")
    assert cta_options("sw", "shop")[0] == "Shop now"
    assert "Забронировать" in all_ctas("ru")
    # Every language has a call to action of 12 characters or fewer for each intent.
    for lang in ("en", "ru", "zh", "de", "es", "ar", "fr", "it", "pt", "he", "ja", "ko"):
        for intent in INTENTS:
            assert min(len(c) for c in cta_options(lang, intent)) <= 12


def test_no_call_to_action_reads_as_a_cut_one() -> None:
    """ "ЗАКАЗ" beside the list's "ЗАКАЗАТЬ" reads as the verb cut short (and is a noun):
    no shorter form may be the start of a longer one of its list inside a word. (Chinese,
    Japanese and Korean buttons are nouns by custom: 購入 beside 購入する is whole.)"""
    languages = ("en", "ru", "de", "es", "ar", "fr", "it", "pt", "he", "pl", "tr")
    for lang in languages:
        for intent in INTENTS:
            options = cta_options(lang, intent)
            for short in options:
                for long in options:
                    cut = long != short and long.startswith(short)
                    assert not (cut and long[len(short)].isalpha()), (lang, short, long)


# Noun-only buttons a native marketer would not write: the action is a verb.
NOUN_CTAS = {
    "en": {"Details"},
    "ru": {"Бронь"},
    "pl": {"Wniosek"},
    "tr": {"Rezervasyon", "Detaylar", "Daha fazla bilgi"},
    "hi": {"विवरण"},
}


@pytest.mark.parametrize("lang", sorted(NOUN_CTAS))
def test_calls_to_action_are_verbs(lang: str) -> None:
    assert all_ctas(lang) & NOUN_CTAS[lang] == set()


def test_verb_calls_to_action_replace_the_nouns() -> None:
    assert cta_options("tr", "book")[:2] == ("Hemen rezervasyon yap", "Rezervasyon yap")
    assert cta_options("tr", "learn")[0] == "Daha fazla bilgi al"
    assert cta_options("ru", "book") == ("Забронировать", "Бронировать")
    assert cta_options("pl", "apply")[0] == "Złóż wniosek"
    # The short forms stay short enough for a 320x50 button.
    for lang in ("ru", "pl", "tr", "hi"):
        for intent in INTENTS:
            assert min(len(c) for c in cta_options(lang, intent)) <= 12, (lang, intent)


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        (189.0, "USD", "en", "$189"),
        (19.99, "EUR", "es", "19,99\u00a0€"),
        (179.0, "EUR", "de", "179\u00a0€"),
        (268.0, "CNY", "zh", "¥268"),
        (10000.0, "RUB", "ru", "10\u00a0000\u00a0₽"),
        (35.0, "USD", "ar", "35\u00a0US$"),
        (1234.5, "USD", "en", "$1,234.50"),
        (500.0, "JPY", "ja", "￥500"),
        (20.0, "EUR", "xx", "€20"),
    ],
)
def test_format_price(amount: float, currency: str, lang: str, expected: str) -> None:
    text = format_price(Price(amount=amount, currency=currency), lang)
    assert text == expected
    assert not any(c in text for c in "\u200e\u200f\u061c")


def test_list_points() -> None:
    # No conjunction: selling points are rarely parallel ("ready in 30 s and milk frother").
    assert list_points(["a", "b", "c"], "en") == "a, b, c"
    assert list_points(["a", "b"], "ru") == "a, b"
    assert list_points(["阿里山春茶", "独立小包装"], "zh") == "阿里山春茶，独立小包装"
    assert list_points(["أ", "ب"], "ar") == "أ، ب"
    assert list_points(["solo"], "en") == "solo"


def test_capitalization_and_sentences() -> None:
    assert capitalize_first("waterproof 3000 mm") == "Waterproof 3000 mm"
    assert capitalize_first("eSIM in minutes") == "eSIM in minutes"
    assert capitalize_first("20% off") == "20% off"
    assert capitalize_first("«скидка»") == "«Скидка»"
    assert decapitalize_first("Кэшбэк 10%", "ru") == "кэшбэк 10%"
    assert decapitalize_first("Rabatt", "de") == "Rabatt"
    assert decapitalize_first("USB cable", "en") == "USB cable"
    assert end_sentence("阿里山春茶", "zh") == "阿里山春茶。"
    assert end_sentence("Free shipping!", "en") == "Free shipping!"
    assert end_sentence("Gratis,", "es") == "Gratis."
    # Devanagari ends a sentence with the danda, not a Latin full stop.
    assert end_sentence("शुद्ध सूती, हाथ की छपाई", "hi") == "शुद्ध सूती, हाथ की छपाई।"
    assert end_sentence("हाथ की छपाई।", "hi") == "हाथ की छपाई।"
    assert end_sentence("阿里山春茶", "zh-Hant") == "阿里山春茶。"


@pytest.mark.parametrize(
    ("point", "mid_sentence"),
    [
        ("Monatlich kündbar", "monatlich kündbar"),  # adverb by its suffix
        ("Waschbare Bezüge", "waschbare Bezüge"),  # inflected adjective
        ("Mit Rahmen aus Eiche", "mit Rahmen aus Eiche"),  # preposition
        ("Versicherung inklusive", "Versicherung inklusive"),  # a noun keeps its capital
        ("Nachbar", "Nachbar"),  # ends like "-bar" but is a noun
        ("Schreibtisch aus Holz", "Schreibtisch aus Holz"),
    ],
)
def test_german_points_mid_sentence(point: str, mid_sentence: str) -> None:
    assert decapitalize_first(point, "de") == mid_sentence


@pytest.mark.parametrize(
    ("headline", "lang", "expected"),
    [
        ("30-day free returns.", "en", "30-day free returns"),
        ("30 Tage kostenlose Rücksendung.", "de", "30 Tage kostenlose Rücksendung"),
        ("Бесплатный возврат в течение 30 дней.", "ru", "Бесплатный возврат в течение 30 дней"),
        ("セールは日曜日まで。", "ja", "セールは日曜日まで"),
        ("免费退货。", "zh", "免费退货"),
        ("30 दिन में मुफ़्त वापसी।", "hi", "30 दिन में मुफ़्त वापसी"),
        ("Ready to run?", "en", "Ready to run?"),
        ("Free returns!", "en", "Free returns!"),
        ("Wait for it…", "en", "Wait for it…"),
        ("Wait for it...", "en", "Wait for it..."),
        ("Made by Müller & Co.", "de", "Made by Müller & Co."),
        ("Tents, stoves, lamps etc.", "en", "Tents, stoves, lamps etc."),
        ("Od 49 zł/mies.", "pl", "Od 49 zł/mies."),
        ("От 990 руб.", "ru", "От 990 руб."),
        ("Made in the U.S.", "en", "Made in the U.S."),
        ("Kawa od 59 zł", "pl", "Kawa od 59 zł"),
    ],
)
def test_a_headline_ends_without_a_full_stop(headline: str, lang: str, expected: str) -> None:
    assert end_headline(headline, lang) == expected


def test_french_puts_a_no_break_space_before_a_colon() -> None:
    assert colon("fr") == "\u00a0: "
    assert colon("fr-CA") == "\u00a0: "
    assert (colon("en"), colon("de"), colon("zh"), colon("ja")) == (": ", ": ", "：", "：")
