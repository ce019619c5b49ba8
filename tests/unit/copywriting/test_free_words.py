""" "Free" stays with what is free, and a count with what it counts: "Economize R$ 500 grátis"
out of "Economize R$ 500 + mouse grátis" makes the saving free; "Kostenlose" alone, out of
"30 Tage kostenlose Rücksendung", is no headline; "2 Jahre" out of "2 Jahre Garantie" says two
years of nothing."""

from __future__ import annotations

import pytest
import regex

from adcraft import generate
from adcraft.copywriting.phrasing import offer_forms
from adcraft.domain.brief import Brief


@pytest.mark.parametrize(
    ("offer", "lang", "never"),
    [
        ("Economize R$ 500 + mouse grátis", "pt", ["Economize R$ 500 grátis", "Grátis"]),
        ("30 Tage kostenlose Rücksendung.", "de", ["Kostenlose"]),
        ("Retours gratuits sous 30 jours.", "fr", ["Gratuits"]),
        ("Devolução grátis em 30 dias.", "pt", ["Grátis"]),
        (
            "Kostenlose Lieferung und 2 Jahre Garantie",
            "de",
            ["2 Jahre", "Kostenlose Lieferung und 2 Jahre"],
        ),
    ],
)
def test_no_phrasing_cuts_free_or_a_count_from_its_noun(
    offer: str, lang: str, never: list[str]
) -> None:
    forms, _ = offer_forms(offer, lang)
    assert forms[0] == offer  # the offer as written is always first
    assert not set(never) & set(forms), forms


def test_the_whole_claims_are_still_offered_for_tight_slots() -> None:
    forms, _ = offer_forms("Economize R$ 500 + mouse grátis", "pt")
    assert "Economize R$ 500" in forms and "Mouse grátis" in forms


ORION = Brief(
    product_name="Notebook Orion 14",
    description="Notebook de 1,2 kg com tela de 14 polegadas e bateria para o dia inteiro.",
    selling_points=("1,2 kg", "Bateria de 18 h", "Tela de 14″"),
    offer="Economize R$ 500 + mouse grátis",
    extra_offers=("Só até domingo",),
    language="pt",
)
ALPEN = Brief(
    product_name="Alpen Trail Schuh",
    description="Wasserdichter Wanderschuh mit Vibram-Sohle.",
    selling_points=("Wasserdicht ✓", "Vibram-Sohle", "Nur 780 g pro Paar"),
    offer="30 Tage kostenlose Rücksendung.",
    language="de",
)
LONE = regex.compile(r"^\W*(grátis|gratis|kostenlose?|gratuits?|free)\W*$", regex.IGNORECASE)


@pytest.mark.parametrize("brief", [ORION, ALPEN], ids=["pt", "de"])
def test_no_creative_says_free_of_the_wrong_thing_or_of_nothing(brief: Brief) -> None:
    made = generate(
        brief,
        formats="meta_feed_square,iab_leaderboard,iab_mobile_leaderboard,meta_link_landscape",
        variants=3,
        workers=1,
    )
    for c in made.creatives:
        for name, text in [*c.copy_fields.items(), *c.platform_text.items()]:
            assert not LONE.match(text), (c.format, name, text)
            assert "500 grátis" not in text.casefold(), (c.format, name, text)
        assert c.publishable, (c.format, c.publishable_reasons)
