"""A "from" price keeps what it is for: "Flights to Lisbon from £49", never a bare "from £49".

The native review found "FROM £49 · DIRECT FLIGHTS DAILY" on a 468x60: the price of flights to
Lisbon shown as the price of any flight. The claim parser now reads the noun phrase before a
"from/ab/desde/à partir de/от/od/מ-/ابتداءً من" price as its scope, as it reads "on summer stays"
after a discount, and the check and the writer treat a from-price without it as a claim without
its qualifier.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adcraft.compose import field_specs
from adcraft.copywriting.claimcheck import (
    GAP_QUALIFIER,
    context_for_brief,
    deal_gaps,
    fields_faults,
    text_faults,
)
from adcraft.copywriting.claims import parse_claims
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS = {r["id"]: r for r in json.loads(CORPUS_FILE.read_text("utf-8"))}


@pytest.mark.parametrize(
    ("language", "text", "scope"),
    [
        ("en", "Flights to Lisbon from £49", "Flights to Lisbon"),
        ("en", "Airport transfers from $25", "Airport transfers"),
        ("de", "Flüge nach Lissabon ab 49 €", "Flüge nach Lissabon"),
        ("es", "Vuelos a Cancún desde 249 €", "Vuelos a Cancún"),
        ("fr", "Vols pour Lisbonne à partir de 49 €", "Vols pour Lisbonne"),
        ("pt", "Voos para Lisboa a partir de R$ 499", "Voos para Lisboa"),
        ("pl", "Loty do Rzymu od 199 zł", "Loty do Rzymu"),
        ("ru", "Авиабилеты в Сочи от 2990 ₽", "Авиабилеты в Сочи"),
        ("he", "SkyFly: טיסות לאילת מ-249 ₪", "טיסות לאילת"),
        ("ar", "SkyFly: رحلات إلى دبي ابتداءً من 499 ر.س", "رحلات إلى دبي"),
    ],
)
def test_what_a_from_price_is_for_is_part_of_the_claim(
    language: str, text: str, scope: str
) -> None:
    (claim,) = [c for c in parse_claims(text, language) if c.kind == "price_from"]
    assert claim.scope == scope
    assert claim.text.startswith(scope) and text[claim.start : claim.end] == claim.text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "From $12.50/month"),
        ("en", "Now from £49"),
        ("de", "Jetzt ab 19 €"),
        ("ru", "Тарифы от 299 ₽/мес."),
        ("pl", "Już od 49,99 zł/mies."),
        ("en", "BlueJet Flights: from £49"),
    ],
)
def test_filler_prices_and_a_brand_before_a_colon_are_no_scope(language: str, text: str) -> None:
    (claim,) = [c for c in parse_claims(text, language) if c.kind == "price_from"]
    assert claim.scope is None


def _bluejet() -> Any:
    return brief_from_record(CORPUS["en-bluejet"], CORPUS_FILE.parent)


@pytest.mark.parametrize(
    ("shown", "ok"),
    [
        ("FROM £49 · DIRECT FLIGHTS DAILY", False),
        ("BlueJet Flights: from £49", False),
        ("Direct flights from £49", False),
        ("Flights to Lisbon from £49", True),
        ("BLUEJET FLIGHTS TO LISBON FROM £49", True),
    ],
)
def test_a_from_price_without_what_it_is_for_is_not_publishable(shown: str, ok: bool) -> None:
    faults = text_faults(shown, context_for_brief(_bluejet()), field="headline")
    assert (faults == []) is ok, faults


def test_a_bare_from_price_is_a_half_deal_for_the_small_banner_rules() -> None:
    ctx = context_for_brief(_bluejet())
    (gap,) = deal_gaps({"headline": "From £49 · Direct flights daily"}, ctx)
    assert gap.missing == (GAP_QUALIFIER,) and gap.parts == ("Flights to Lisbon from £49",)
    assert deal_gaps({"headline": "Flights to Lisbon from £49"}, ctx) == []


@pytest.mark.parametrize(
    "format_id",
    ["iab_mobile_leaderboard", "iab_banner", "iab_leaderboard", "iab_medium_rectangle"],
)
def test_the_writer_never_shows_the_from_price_without_its_scope(format_id: str) -> None:
    brief = _bluejet()
    ctx = context_for_brief(brief)
    specs = field_specs(load_template("classic"), default_registry()[format_id])
    for variant in range(6):
        copy: Any = BuiltinCopywriter().write(brief, specs, variant=variant, n_variants=6)
        fields = {k: str(v) for k, v in copy.fields.items() if v}
        shown = " ".join(fields.values()).casefold()
        if "£49" in shown:
            assert "flights to lisbon from £49" in shown, fields
        assert fields_faults(fields, ctx) == [], fields


@pytest.mark.parametrize(
    ("shown", "ok"),
    [
        # The pill is read with the copy drawn beside it: under the name that says the route,
        # "From £49" is the flights' price, as a designer sets it.
        ({"headline": "BLUEJET FLIGHTS TO LISBON", "price": "From £49"}, True),
        ({"headline": "BlueJet Flights to Lisbon", "price": "From £49"}, True),
        ({"headline": "BlueJet", "body": "Direct flights daily", "price": "From £49"}, False),
        # Only the pill leans on the copy: a headline or body is read on its own.
        ({"headline": "BlueJet Flights to Lisbon", "body": "From £49"}, False),
    ],
)
def test_a_price_pill_takes_what_it_is_for_from_the_copy_beside_it(
    shown: dict[str, str], ok: bool
) -> None:
    ctx = context_for_brief(_bluejet())
    assert (deal_gaps(shown, ctx) == []) is ok
    assert (fields_faults(shown, ctx) == []) is ok, fields_faults(shown, ctx)
