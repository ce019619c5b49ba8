"""Counting graphemes and cutting text to a limit without breaking a character or a word."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcraft.copywriting.limits import (
    DANGLING,
    display_width,
    graphemes,
    strip_dangling,
    text_length,
    truncate,
    unbreakable_spans,
)

FLAG_DE = "\U0001f1e9\U0001f1ea"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
THUMB = "\U0001f44d\U0001f3fd"
E_ACUTE = "e\u0301"

# Building blocks for random text: whole clusters, so generated text mixes scripts realistically.
TOKENS = [
    *"abcdefghijklmnopqrstuvwxyzABCXYZ",
    *"абвгдежзийклмнопрстуфхцчшщыэюяАБВ",
    *"的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年限折包邮",
    *"ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    *"0123456789٠١٢٣٤٥٦٧٨٩",
    *"      ,.;:!?-–—()%$€¥«»/&·，。、",
    FLAG_DE,
    FAMILY,
    THUMB,
    E_ACUTE,
    "\U0001f525",
    " and ",
    " и ",
    "和",
]
texts = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=120).map("".join)
languages = st.sampled_from(["en", "ru", "zh", "de", "es", "ar", "ja", "xx"])


def test_text_length_counts_what_a_reader_sees() -> None:
    assert text_length("Sale") == 4
    assert text_length(FLAG_DE) == 1
    assert text_length(FAMILY) == 1
    assert text_length(THUMB) == 1
    assert text_length(f"caf{E_ACUTE}") == 4
    assert text_length("双十一限时8折") == 7
    assert text_length("") == 0


def test_display_width_counts_cjk_twice() -> None:
    assert display_width("双十一") == 6
    assert display_width("8折") == 3
    assert display_width("Sale") == 4
    assert display_width("ＡＢ") == 4  # fullwidth Latin


@pytest.mark.parametrize(
    ("text", "limit", "lang", "expected"),
    [
        ("20% off all tents this weekend only", 20, "en", "20% off all tents"),
        ("Save big on tents, sleeping bags and more", 35, "en", "Save big on tents, sleeping bags"),
        ("Pitches in four minutes (color-coded poles)", 30, "en", "Pitches in four minutes"),
        ("Бесплатная доставка до конца месяца", 22, "ru", "Бесплатная доставка"),
        ("Кэшбэк и бонусы за каждую покупку", 14, "ru", "Кэшбэк"),
        ("高山乌龙茶礼盒，精选台湾阿里山茶园春茶", 10, "zh", "高山乌龙茶礼盒"),
        # "满299元包邮" is one claim: a part of it ("满") would be a different promise.
        ("满299元包邮并赠送茶杯", 3, "zh", ""),
        ("Spare 250 € + 1 Spiel gratis", 14, "de", "Spare 250 €"),
        ("Desde 12,50 €/mes y 2 meses gratis", 20, "es", "Desde 12,50 €/mes"),
        ("セールは日曜日まで", 20, "ja", "セールは日曜日まで"),
        ("Seguro de hogar Casa Plus", 10, "es", "Seguro"),
        # "20% off summer stays" is one claim: "20% off" alone would promise it on every stay.
        ("خصم 20% على إقامات الصيف", 10, "ar", ""),
        ("הנחה 20% על חופשות קיץ", 10, "he", ""),
        ("15% off monthly rentals", 10, "en", ""),
        ("Supercalifragilisticexpialidocious", 10, "en", "Supercalif"),
        ("Nur diese Woche: 25% Rabatt", 16, "de", "Nur diese Woche"),
    ],
)
def test_truncate_examples(text: str, limit: int, lang: str, expected: str) -> None:
    assert truncate(text, limit, lang) == expected


def test_truncate_keeps_text_that_fits_and_never_adds_an_ellipsis() -> None:
    assert truncate("  Shop now  ", 12, "en") == "Shop now"
    assert "…" not in truncate("A very long headline that must be cut somewhere", 20, "en")


def test_truncate_never_splits_a_cluster() -> None:
    assert truncate(FLAG_DE * 5, 3, "en") == FLAG_DE * 3
    assert truncate(f"Caf{E_ACUTE}{E_ACUTE}{E_ACUTE}", 4, "fr") == f"Caf{E_ACUTE}"
    assert truncate(FAMILY + FAMILY, 1, "en") == FAMILY


def test_truncate_does_not_cut_numbers_from_their_units() -> None:
    # "8" without "折" would state a different offer.
    assert truncate("限时8折优惠", 2, "zh") == "限时"


def test_truncate_by_width() -> None:
    assert truncate("双十一限时8折", 7, "zh", counting="width") == "双十一"
    assert truncate("双", 1, "zh", counting="width") == ""


def test_strip_dangling() -> None:
    assert strip_dangling("20% off all tents and", "en") == "20% off all tents"
    assert strip_dangling("Доставка, курьер и", "ru") == "Доставка, курьер"
    assert strip_dangling("Kaffee und", "de") == "Kaffee"
    assert strip_dangling("Clases y", "es") == "Clases"
    assert strip_dangling("茶叶和", "zh") == "茶叶"
    assert strip_dangling("Sale —", "en") == "Sale"
    assert strip_dangling("and", "en") == "and"  # never strips to nothing


@settings(max_examples=300, deadline=None)
@given(text=texts, limit=st.integers(min_value=1, max_value=60), lang=languages)
def test_truncate_properties(text: str, limit: int, lang: str) -> None:
    out = truncate(text, limit, lang)
    stripped = text.strip()
    assert text_length(out) <= limit
    # A cut text is a prefix of the original, made of whole clusters.
    assert stripped.startswith(out)
    assert graphemes(out) == graphemes(stripped)[: len(graphemes(out))]
    if stripped and not out:
        # Nothing at all only when what fits has no word in it ("-" of "-a"), or what comes
        # before the first group that may not be cut is separators alone (or nothing: the text
        # opens with such a group).
        spans = unbreakable_spans(stripped, lang, ())
        lead = min((a for a, b in spans if b > a + 1), default=len(stripped))
        fits = "".join(graphemes(stripped)[:limit])
        assert not any(ch.isalnum() for ch in fits) or not any(
            ch.isalnum() for ch in stripped[:lead]
        ), stripped
    if (
        out
        and text_length(stripped) > limit
        and any(c.isalnum() for c in "".join(graphemes(stripped)[:limit]))
    ):
        assert out[-1] not in DANGLING
        assert not out[-1].isspace()


@settings(max_examples=200, deadline=None)
@given(text=texts, limit=st.integers(min_value=1, max_value=40), lang=languages)
def test_truncate_by_width_properties(text: str, limit: int, lang: str) -> None:
    out = truncate(text, limit, lang, counting="width")
    assert display_width(out) <= limit
    assert text.strip().startswith(out)
