"""An offer shown on its own reads as a whole phrase: the Turkish "Aylık 149,90 TL'den
başlayan fiyatlarla" ("with prices starting from …") is the opening of a sentence that never
comes; the bare plural "… fiyatlar" stands alone (native review of tr-dalga)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adcraft.compose import field_specs, platform_specs
from adcraft.copywriting.claimcheck import context_for_brief, cut_faults
from adcraft.copywriting.locale import standalone_phrase
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS = {r["id"]: r for r in json.loads(CORPUS_FILE.read_text("utf-8"))}


@pytest.mark.parametrize(
    ("offer", "alone"),
    [
        ("Aylık 149,90 TL'den başlayan fiyatlarla", "Aylık 149,90 TL'den başlayan fiyatlar"),
        ("Özel indirimlerle", "Özel indirimler"),
        # A code's "with" is the deal's condition, not a fragment.
        ("NOVA25 koduyla ₺2.500 indirim", "NOVA25 koduyla ₺2.500 indirim"),
        ("NOVA25 koduyla", "NOVA25 koduyla"),
        ("3 gece kal, 2 gece öde", "3 gece kal, 2 gece öde"),
    ],
)
def test_a_turkish_offer_ending_with_plural_instrumental_stands_alone(
    offer: str, alone: str
) -> None:
    assert standalone_phrase(offer, "tr") == alone


def test_other_languages_are_left_as_written() -> None:
    assert standalone_phrase("Dollarla", "en") == "Dollarla"


def test_tr_dalga_shows_its_price_line_as_a_whole_phrase() -> None:
    brief = brief_from_record(CORPUS["tr-dalga"], CORPUS_FILE.parent)
    ctx = context_for_brief(brief)
    fmt = default_registry()["meta_feed_square"]
    shown: list[str] = []
    for specs in (field_specs(load_template("classic"), fmt), platform_specs(fmt)):
        for v in range(2):
            copy = BuiltinCopywriter().write(brief, specs, variant=v, n_variants=2)
            shown += [t for t in copy.fields.values() if t]
    priced = [t for t in shown if "149,90" in t]
    assert priced, shown
    for text in priced:
        assert "fiyatlarla" not in text, text
        assert "başlayan fiyatlar" in text, text
        assert cut_faults(text, ctx, field="headline") == [], text
