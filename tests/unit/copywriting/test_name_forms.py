"""Short forms of a product name for tight slots must still name the same product."""

from __future__ import annotations

import pytest

from adcraft.copywriting.phrasing import name_forms


@pytest.mark.parametrize(
    ("name", "lang", "refused"),
    [
        # Stopping on a preposition reads as a cut ("Seguro de" of what?).
        ("Seguro de Hogar Total", "es", "Seguro de"),
        # The same in Polish and Ukrainian ("Buty do" of what? seen on a 300x250).
        ("Buty do biegania Wiatr", "pl", "Buty do"),
        ("Кросівки для бігу Вітер", "uk", "Кросівки для"),
        # Dropping the model number names another product.
        ("Notebook Orion 14 Pro", "en", "Notebook Orion"),
        # One dropped word is most often the name's noun.
        ("Dalga Ev İnterneti", "tr", "Dalga Ev"),
    ],
)
def test_short_forms_never_change_what_is_named(name: str, lang: str, refused: str) -> None:
    forms = name_forms(name, lang)
    assert forms[0] == name
    assert refused not in forms


def test_short_forms_are_the_names_own_first_words() -> None:
    forms = name_forms("Barista Mini Espresso Machine", "en")
    assert forms == ("Barista Mini Espresso Machine", "Barista Mini")
    for short in forms[1:]:
        assert "Barista Mini Espresso Machine".startswith(short + " ")


@pytest.mark.parametrize(
    ("name", "lang", "brand"),
    [
        ("מכונת קפה Barista Pro", "he", "Barista Pro"),
        ("ゲーム機 Nova X", "ja", "Nova X"),
        ("Смартфон Nova 12", "ru", "Nova 12"),
    ],
)
def test_the_latin_brand_ending_a_name_in_another_script_is_a_short_form(
    name: str, lang: str, brand: str
) -> None:
    # A 300x250 showed "מכונת קפה Barista Pro" alone: the full name left no room for the
    # deal, and no prefix of a Hebrew name drops only its kind of product.
    assert name_forms(name, lang)[-1] == brand


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("Смартфон Pro", "ru"),  # one short word is nobody's product
        ("Barista Mini Espresso Machine", "en"),  # a Latin name keeps its own first words
        ("SkyFly: טיסות לאילת", "he"),  # the brand leads: no ending to take
        ("Кофе iPhone", "ru"),  # a lower-case start is no brand
    ],
)
def test_no_brand_form_where_the_name_ends_in_none(name: str, lang: str) -> None:
    forms = name_forms(name, lang)
    assert all(not name.endswith(" " + f) for f in forms[1:]), forms
