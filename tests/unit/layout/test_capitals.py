"""Capital headings follow the language: Turkish dotted İ, Greek without accents, units kept."""

from __future__ import annotations

import pytest

from adcraft.compose import CopyBook, Variant, plan_creative
from adcraft.domain.brief import Brief
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.layout.capitals import upper
from adcraft.layout.styles import get_style
from tests.unit.layout.test_solve_properties import _job


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("tr", "Hemen incele", "HEMEN İNCELE"),
        ("tr", "Kışın indirimi", "KIŞIN İNDİRİMİ"),
        ("az", "İndi al", "İNDİ AL"),
        ("en", "Buy it now", "BUY IT NOW"),  # other languages keep the plain dotless I
        ("el", "Αγόρασε τώρα", "ΑΓΟΡΑΣΕ ΤΩΡΑ"),
        ("el", "Δωρεάν αποστολή", "ΔΩΡΕΑΝ ΑΠΟΣΤΟΛΗ"),
        ("el", "Προϊόν", "ΠΡΟΪΟΝ"),  # the diaeresis stays
        ("de", "Akku für 40 h", "AKKU FÜR 40 h"),
        ("en", "Only 2 kg, 500 ml", "ONLY 2 kg, 500 ml"),
        ("ru", "Заряд на 30 ч", "ЗАРЯД НА 30 ч"),
        ("en", "5 GB free", "5 GB FREE"),
        ("en", "Admin minutes", "ADMIN MINUTES"),  # unit spellings inside words are words
        ("es", "3 meses gratis", "3 MESES GRATIS"),
    ],
)
def test_capitals_follow_the_language(language: str, text: str, expected: str) -> None:
    assert upper(text, language) == expected


def _shown(language: str, product: str, offer: str) -> dict[str, str]:
    brief = Brief(product_name=product, offer=offer, language=language)
    job = _job(brief, with_product=True)
    variant = Variant(0, get_style("bold"), load_template("promo"))
    assert variant.style.uppercase_heading
    fmt = default_registry().select("1:1")[0]
    layout = plan_creative(job, CopyBook(job), variant, fmt).layout
    return {el.kind: " ".join(el.lines) for el in layout.elements if el.lines}


def test_a_turkish_capital_heading_keeps_its_dotted_i() -> None:
    shown = _shown("tr", "Kış indirimi", "Tüm ürünlerde yüzde 20 indirim")
    text = " ".join(shown.values())
    assert "İ" in text
    # A dotless capital I where the word has a dotted i is a misspelling ("INDIRIM").
    assert "INDIRIM" not in text


def test_a_greek_capital_heading_has_no_accents() -> None:
    shown = _shown("el", "Αθλητικά παπούτσια", "Δωρεάν αποστολή για όλες τις παραγγελίες")
    heading = shown["headline"]
    assert heading == heading.upper()
    assert not set(heading) & set("ΆΈΉΊΌΎΏ")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("he", "SkyFly: טיסות לאילת"),
        ("ar", "Staywell Hotels: خصم 20%"),
        ("ja", "ポケットWi-Fi ソラ"),
        ("zh", "Nova 12 智能手机"),
        ("ko", "Aura 비타민C 세럼"),
        ("hi", "Nova फ़ोन पर ₹5,000 की छूट"),
    ],
)
def test_caseless_scripts_keep_latin_names_as_written(language: str, text: str) -> None:
    """Capitals would change only the Latin brand ("SKYFLY", "WI-FI"): a misspelt name, not a
    style, in a script that has no capitals."""
    assert upper(text, language) == text


def test_a_caseless_capital_heading_keeps_the_brand_as_written() -> None:
    shown = _shown("he", "SkyFly", "SkyFly: טיסות לאילת מ-249 ₪")
    text = " ".join(shown.values())
    assert "SkyFly" in text and "SKYFLY" not in text
