"""What no line break may separate (issue 10): a number and its currency code or unit, a price
and its 'from' word, deal phrases of numbers, model names and their numbers, short prepositions
at a line end (also in upper case), and counts with their nouns in upper-case copy."""

from __future__ import annotations

import pytest

from adcraft.layout import linebreak


def _unbroken(text: str, language: str, group: str) -> bool:
    return any(group in a.text for a in linebreak.atoms(text, language))


@pytest.mark.parametrize(
    ("language", "text", "group"),
    [
        ("de", "Preis 250 EUR inklusive", "250 EUR"),
        ("en", "Pay 49 USD today", "49 USD"),
        ("tr", "Fiyatlar 100 TL'den başlıyor", "100 TL'den"),
        ("ar", "السعر 1,299 ريال اليوم", "1,299 ريال"),
        ("de", "Jetzt ab 249 € kaufen", "ab 249 €"),
        ("en", "Tickets from 249 € each", "from 249 €"),
        ("fr", "Livraison dès 9,99 € seulement", "dès 9,99 €"),
        ("es", "Tarifa desde 12,50 €/mes hoy", "desde 12,50 €/mes"),
        ("ru", "Комплект всего 990 ₽ сегодня", "всего 990 ₽"),
        ("tr", "Kahve sadece 49 ₺ bugün", "sadece 49 ₺"),
        ("he", "טיסות לאילת החל מ-249 ₪ בלבד", "החל מ-249"),
        ("ru", "Акция 3 по цене 2 до конца", "3 по цене 2"),
        ("it", "Oggi 3 al prezzo di 2 su tutto", "3 al prezzo di 2"),
        ("en", "Today buy 2 get 1 free", "buy 2 get 1"),
        ("tr", "3 GECE KAL, 2 GECE ÖDE", "2 GECE"),
        ("tr", "3 GECE KAL, 2 GECE ÖDE", "3 GECE"),
        ("en", "GET 3 MONTHS FREE", "3 MONTHS"),
        ("en", "New iPhone 15 in stock", "iPhone 15"),
        ("en", "Galaxy S24 and more", "Galaxy S24"),
        ("en", "Drive the Model X today", "Model X"),
        ("ru", "СКИДКИ НА ВСЕ ТОВАРЫ", "НА ВСЕ"),
        ("pl", "DOSTAWA DO DOMU ZA DARMO", "DO DOMU"),
        ("ar", "خصم كبير في المتجر اليوم", "في المتجر"),
        ("ar", "شحن مجاني مع كل طلب", "مع كل"),
    ],
)
def test_group_is_one_unit(language: str, text: str, group: str) -> None:
    assert _unbroken(text, language, group), linebreak.atoms(text, language)


def test_long_katakana_word_is_not_split_inside_a_short_run() -> None:
    parts = linebreak._split_atom(linebreak.Atom("濃厚ラーメンセットが安いです", True, True), "ja")
    assert "ラーメンセット" in [p.text for p in parts]


def test_prolonged_sound_mark_never_starts_a_chinese_line() -> None:
    assert linebreak._no_start("ー", japanese=False)


def test_model_rule_keeps_heading_balance() -> None:
    # A model number in upper case is no count: "TRAIL 3" / "CAMPING TENT" stays possible.
    assert linebreak.atoms("TRAIL 3 CAMPING TENT", "en")[0].text == "TRAIL 3"
