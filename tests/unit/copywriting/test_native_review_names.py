"""What native copywriters rejected in "name: offer" headlines and short product names.

Each case is a line of the Latin-script corpus review (tests/corpus/products.json): a capital
after a colon in running French and Portuguese, a short name that cuts "Vitamina C" in two,
and a headline that says the product's own words twice.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adcraft.compose import CopyBook, Variant, field_specs, plan_creative
from adcraft.copywriting.locale import decapitalize_first
from adcraft.copywriting.offline import BuiltinCopywriter, _without
from adcraft.copywriting.phrasing import angle_options, gather, name_forms, overlap_join
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.layout.styles import get_style
from adcraft.products import brief_from_record
from tests.unit.layout.test_solve_properties import _job

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


@pytest.mark.parametrize(
    ("style", "format_id"),
    [
        ("minimal", "iab_mobile_leaderboard"),
        ("minimal", "iab_banner"),
        ("minimal", "iab_leaderboard"),
        ("minimal", "iab_medium_rectangle"),
        ("minimal", "iab_wide_skyscraper"),
        ("bold", "iab_mobile_leaderboard"),
        ("bold", "iab_banner"),
    ],
)
def test_a_banner_does_not_say_the_names_words_twice(style: str, format_id: str) -> None:
    """en-bluejet's small banners read "BlueJet Flights to Lisbon: flights to Lisbon from £49":
    the offer opens with the name's own words, so the name is run into it instead, and the
    "from £49" keeps its scope."""
    brief = brief_from_record(CORPUS["en-bluejet"], CORPUS_FILE.parent)
    job = _job(brief, with_product=False)
    variant = Variant(0, get_style(style), load_template("text_led"))
    planned = plan_creative(job, CopyBook(job), variant, default_registry()[format_id])
    shown = " ".join(e.text or "" for e in planned.layout.elements if e.kind == "headline")
    assert shown.casefold().count("flights to lisbon") == 1, shown
    assert "bluejet flights to lisbon from £49" in shown.casefold(), shown
    assert planned.copy.fields["headline"].casefold() == shown.casefold()
    assert not planned.unpublishable


JET = "BlueJet Flights to Lisbon"


@pytest.mark.parametrize(
    ("name", "text", "joined"),
    [
        (
            JET,
            "Flights to Lisbon from £49",
            "BlueJet Flights to Lisbon from £49",
        ),
        (
            JET,
            "FLIGHTS TO LISBON FROM £49",
            "BlueJet FLIGHTS TO LISBON FROM £49",
        ),
        ("Streaming Tela+", "Streaming Tela+ por R$ 19,90", "Streaming Tela+ por R$ 19,90"),
        # Another word that only starts like the name's last one.
        ("BlueJet Flights", "Flightsaver fares from £49", None),
        # One word is no overlap: "Leve 3, pague 2" is buy 3, pay 2.
        ("Tênis Passo Leve", "Leve 3, pague 2", None),
        # A short word of the name is no overlap ("de" of "Seguro de").
        ("Curso de", "de 9 €", None),
        (JET, "2 free bags on every booking", None),
    ],
)
def test_a_text_that_opens_with_the_names_last_words_runs_into_the_name(
    name: str, text: str, joined: str | None
) -> None:
    assert overlap_join(name, text) == joined


def _square(product_id: str, variant: int) -> dict[str, str]:
    brief = brief_from_record(CORPUS[product_id], CORPUS_FILE.parent)
    specs = field_specs(load_template("classic"), default_registry()["meta_feed_square"])
    copy = BuiltinCopywriter().write(brief, specs, variant=variant, n_variants=2)
    return {k: str(v) for k, v in copy.fields.items()}


@pytest.mark.parametrize(
    ("product_id", "variant", "field", "expected"),
    [
        # "−20 %" above "−20 % avec le code TERROIR20…" (fr-terroir 1080x1080 v1).
        ("fr-terroir", 0, "body", "Avec le code TERROIR20 jusqu'au 31 mars."),
        # The headline said again as the terms line (tr-nova-telefon 1080x1080 v1).
        ("tr-nova-telefon", 0, "disclaimer", "NOVA25 koduyla"),
    ],
)
def test_no_field_says_a_claim_above_it_again(
    product_id: str, variant: int, field: str, expected: str
) -> None:
    fields = _square(product_id, variant)
    assert fields[field].startswith(expected), fields
    for above in ("headline", "body"):
        if above == field or not fields[above]:
            continue
        said = fields[above].rstrip(".")
        assert said not in fields[field], (above, fields)


@pytest.mark.parametrize(
    ("text", "piece", "left"),
    [
        ("−20 % avec le code X jusqu'au 31 mars.", "−20 %", "Avec le code X jusqu'au 31 mars."),
        ("Seat selection included. 15% off.", "15% off", "Seat selection included."),
        ("满299减50｜优惠码 AURA50", "满299减50", "优惠码 AURA50"),
        # Part of a number is not the number ("500 indirim" of "₺2.500 indirim").
        ("Kodla ₺2.500 indirim", "500 indirim", None),
        # Taken from mid-sentence it would leave a broken sentence.
        ("Code X: 15% off until Sunday", "15% off", None),
    ],
)
def test_a_repeated_claim_leaves_whole_sentences(text: str, piece: str, left: str | None) -> None:
    assert _without(text, piece, "en") == left


def test_the_long_headline_does_not_say_the_names_words_twice() -> None:
    """en-bluejet's Google long headline read "Flights to Lisbon from £49 — BlueJet Flights to
    Lisbon"."""
    m = gather(brief_from_record(CORPUS["en-bluejet"], CORPUS_FILE.parent))
    for angle in ("offer", "product"):
        long = angle_options(m, angle, 0).long
        assert long[0] == "BlueJet Flights to Lisbon from £49"
        assert not [t for t in long if t.casefold().count("flights to lisbon") > 1], long
