"""No line ends in a word that qualifies a noun left out.

The native review found the Turkish price pill "Aylık 149,90 TL'den başlayan" ("starting from
149,90 TL a month ...") cut from "…başlayan fiyatlarla" (with prices starting from …): the
participle is left hanging. The same break in German (an inflected adjective before its noun,
"für alle neuen" of "für alle neuen Kunden"), Japanese (an adnominal 使える before 大容量…)
and Korean (최대 1Gbps의 before 속도) is a cut phrase too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adcraft.compose import field_specs, price_label
from adcraft.copywriting.claimcheck import context_for_brief, cut_faults
from adcraft.copywriting.claims import parse_claims
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.domain.brief import Brief
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS = {r["id"]: r for r in json.loads(CORPUS_FILE.read_text("utf-8"))}


def _dalga() -> Brief:
    return brief_from_record(CORPUS["tr-dalga"], CORPUS_FILE.parent)


def test_the_turkish_from_price_takes_the_noun_its_participle_qualifies() -> None:
    (claim,) = parse_claims("Aylık 149,90 TL'den başlayan fiyatlarla", "tr")
    assert claim.kind == "price_from" and claim.period == "month"
    assert claim.text == "Aylık 149,90 TL'den başlayan fiyatlarla"
    (packages,) = parse_claims("99 TL'den başlayan paketler", "tr")
    assert packages.scope == "paketler"


def test_the_price_pill_is_never_the_participle_alone() -> None:
    label = price_label(_dalga())
    assert label is not None and not label.endswith("başlayan"), label


@pytest.mark.parametrize(
    ("brief", "cut", "whole"),
    [
        (_dalga(), "Aylık 149,90 TL'den başlayan", "Aylık 149,90 TL'den başlayan fiyatlarla"),
        (_dalga(), "1000 Mbps'ye varan", "1000 Mbps'ye varan hız"),
        (
            Brief(
                product_name="Röstwerk",
                offer="20 % Rabatt für alle neuen Kunden",
                language="de",
            ),
            "20 % Rabatt für alle neuen",
            "20 % Rabatt für alle neuen Kunden",
        ),
        (
            Brief(
                product_name="ポケットWi-Fi ソラ",
                description="国内どこでも使える大容量ポケットWi-Fi。",
                language="ja",
            ),
            "国内どこでも使える",
            "国内どこでも使える大容量ポケットWi-Fi",
        ),
        (
            Brief(
                product_name="파도 인터넷",
                description="최대 1Gbps의 속도",
                offer="월 9,900원부터",
                language="ko",
            ),
            "최대 1Gbps의",
            "파도 인터넷",
        ),
    ],
)
def test_a_fragment_ending_in_a_modifier_is_a_cut_phrase(
    brief: Brief, cut: str, whole: str
) -> None:
    ctx = context_for_brief(brief)
    assert any("qualifies a word left out" in f for f in cut_faults(cut, ctx, field="headline"))
    assert cut_faults(whole, ctx, field="headline") == []


@pytest.mark.parametrize(
    ("language", "offer", "shown"),
    [
        ("de", "Versicherung inklusive", "Versicherung inklusive"),
        ("de", "Jetzt 20 % sparen", "Jetzt kaufen"),
        ("tr", "İlk ay ücretsiz", "İlk ay ücretsiz"),
    ],
)
def test_whole_phrases_and_buttons_are_not_flagged(language: str, offer: str, shown: str) -> None:
    ctx = context_for_brief(Brief(product_name="X", offer=offer, language=language))
    assert cut_faults(shown, ctx, field="headline") == []


@pytest.mark.parametrize(
    "format_id", ["iab_mobile_leaderboard", "iab_banner", "iab_leaderboard", "meta_feed_square"]
)
def test_the_writer_never_ends_a_line_on_the_participle(format_id: str) -> None:
    specs = field_specs(load_template("classic"), default_registry()[format_id])
    for variant in range(6):
        copy: Any = BuiltinCopywriter().write(_dalga(), specs, variant=variant, n_variants=6)
        for name, text in copy.fields.items():
            assert not str(text).rstrip(" .").endswith("başlayan"), (name, text)
