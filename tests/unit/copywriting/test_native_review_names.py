"""What native copywriters rejected in "name: offer" headlines and short product names.

Each case is a line of the Latin-script corpus review (tests/corpus/products.json): a capital
after a colon in running French and Portuguese, a short name that cuts "Vitamina C" in two,
and a headline that says the product's own words twice.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adcraft.copywriting.locale import decapitalize_first
from adcraft.copywriting.phrasing import angle_options, gather, name_forms
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS = {r["id"]: r for r in json.loads(CORPUS_FILE.read_text("utf-8"))}


def _named_headlines(product_id: str) -> list[str]:
    """Every "name: offer" headline the product angle may choose, the Google long one too."""
    m = gather(brief_from_record(CORPUS[product_id], CORPUS_FILE.parent))
    options = angle_options(m, "product", 0)
    return [h for h in options.headline + options.long if any(c in h for c in ":：")]


@pytest.mark.parametrize(
    ("offer", "lang", "mid_sentence"),
    [
        ("À partir de 12,50 €/mois", "fr", "à partir de 12,50 €/mois"),
        ("A partir de R$ 19,90/mês", "pt", "a partir de R$ 19,90/mês"),
        ("A partir de 9 €", "es", "a partir de 9 €"),
        ("W promocji do niedzieli", "pl", "w promocji do niedzieli"),
        ("В подарок чехол", "ru", "в подарок чехол"),
        ("E spedizione gratuita", "it", "e spedizione gratuita"),
    ],
)
def test_a_one_letter_preposition_after_a_colon_is_lower_case(
    offer: str, lang: str, mid_sentence: str
) -> None:
    assert decapitalize_first(offer, lang) == mid_sentence


def test_a_capital_that_is_no_lower_case_word_keeps_its_case() -> None:
    """Only the language's own one-letter words are lower-cased: "À partir" goes, "I", a
    model letter, capitals and German nouns stay."""
    cases = {
        ("À partir de 12,50 €", "fr"): "à partir de 12,50 €",
        ("I love it", "en"): "I love it",  # the English pronoun
        ("O Boticário em casa", "pt"): "O Boticário em casa",  # a name with an article
        ("S Pen included", "en"): "S Pen included",  # a model letter
        ("SALE bis Sonntag", "de"): "SALE bis Sonntag",  # all capitals
        ("KFZ-Versicherung", "de"): "KFZ-Versicherung",
        ("Versicherung inklusive", "de"): "Versicherung inklusive",  # a German noun
        ("A 50% de descuento", "de"): "A 50% de descuento",  # not a German word
    }
    assert {k: decapitalize_first(*k) for k in cases} == cases


@pytest.mark.parametrize(
    ("product_id", "expected"),
    [
        ("fr-volta", "Vélo électrique Volta\u00a0: à partir de 12,50 €/mois"),
        ("pt-telamais", "Streaming Tela+: a partir de R$ 19,90/mês"),
    ],
)
def test_the_offer_after_the_name_and_colon_starts_in_lower_case(
    product_id: str, expected: str
) -> None:
    headlines = _named_headlines(product_id)
    assert expected in headlines
    assert not any(": À" in h or ": A " in h for h in headlines), headlines


@pytest.mark.parametrize(
    ("name", "lang", "refused"),
    [
        # "Vitamina C" is one term, and "Aura" the brand (pt-aura-serum's 300x250 and banners).
        ("Sérum Vitamina C Aura", "pt", "Sérum Vitamina"),
        ("Samsung Galaxy S Ultra Phone", "en", "Samsung Galaxy"),
        ("Final Fantasy VII Remake Edition", "en", "Final Fantasy"),
        # A brand the name marks with capitals stays in every form.
        ("Seguro de hogar Casa Plus", "es", "Seguro de hogar"),
        ("מכונת קפה Barista Pro", "he", "מכונת קפה"),
    ],
)
def test_a_short_name_keeps_a_letter_with_its_word_and_the_brand(
    name: str, lang: str, refused: str
) -> None:
    assert refused not in name_forms(name, lang)


def test_short_names_that_keep_their_letter_and_brand_are_still_made() -> None:
    assert name_forms("Samsung Galaxy S Ultra Phone", "en")[1:] == ("Samsung Galaxy S",)
    assert name_forms("Crema viso Aura idratante intensa", "it")[1:] == ("Crema viso Aura",)
    assert name_forms("Nova X Game Console", "en")[1:] == ("Nova X",)
