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
