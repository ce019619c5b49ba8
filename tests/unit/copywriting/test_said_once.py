"""A platform text says each fact once: a later sentence that says again, in other words, what
an earlier one said is left out (native review of the corpus renders: "…बिना किसी लॉक-इन के। …
कोई लॉक-इन नहीं।", "…taahhütsüz kullanım. … Taahhüt yok.", "2亿像素主摄 … 2亿像素")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adcraft.compose import platform_specs
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.copywriting.phrasing import gather, said_before, said_once
from adcraft.domain.brief import Brief
from adcraft.domain.formats import default_registry
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS = {r["id"]: r for r in json.loads(CORPUS_FILE.read_text("utf-8"))}


@pytest.mark.parametrize(
    ("piece", "before", "lang"),
    [
        ("कोई लॉक-इन नहीं।", "फ़ाइबर कनेक्शन से 300 Mbps तक की स्पीड, बिना किसी लॉक-इन के।", "hi"),
        ("Taahhüt yok.", "Fiber altyapıyla 1000 Mbps'ye varan hız ve taahhütsüz kullanım.", "tr"),
        ("2亿像素", "6.7英寸屏幕，2亿像素主摄，续航两天。", "zh"),
        ("No lock-in.", "Fibre at 300 Mbps without any lock-in.", "en"),
    ],
)
def test_the_same_fact_in_other_words_is_said_before(piece: str, before: str, lang: str) -> None:
    assert said_before(piece, before, lang)


@pytest.mark.parametrize(
    ("piece", "before", "lang"),
    [
        # Two facts that share a word are two facts.
        ("Free returns.", "Free shipping on every order.", "en"),
        ("İlk ay ücretsiz.", "Ücretsiz modem ve kurulum.", "tr"),
        ("5000mAh电池", "6.7英寸屏幕，2亿像素主摄，续航两天。", "zh"),
        ("300 Mbps तक", "सिर्फ़ ₹499/माह से शुरू।", "hi"),
        # The same number with another unit is another fact.
        ("2 free bags.", "Flights from £2 a day.", "en"),
    ],
)
def test_a_new_fact_sharing_a_word_is_not_said_before(piece: str, before: str, lang: str) -> None:
    assert not said_before(piece, before, lang)


def test_two_different_facts_sharing_a_word_are_both_kept() -> None:
    m = gather(Brief(product_name="Stride Road", offer="Free shipping", language="en"))
    text = "Free shipping on every order. Free returns for 30 days."
    assert said_once(text, m) == text


def test_a_listed_point_said_already_goes_and_the_other_stays() -> None:
    m = gather(brief_from_record(CORPUS["zh-hans-nova"], CORPUS_FILE.parent))
    text = "6.7英寸屏幕，2亿像素主摄，续航两天。立减500元 + 送手机壳。5000mAh电池，2亿像素。"
    kept = "6.7英寸屏幕，2亿像素主摄，续航两天。立减500元 + 送手机壳。5000mAh电池。"
    assert said_once(text, m) == kept


@pytest.mark.parametrize(
    ("product_id", "said_twice"),
    [
        ("hi-lehar", ("लॉक-इन", "लॉक-इन")),
        ("tr-dalga", ("taahhüt", "taahhüt")),
        ("zh-hans-nova", ("2亿像素", "2亿像素")),
    ],
)
def test_corpus_platform_texts_say_each_fact_once(
    product_id: str, said_twice: tuple[str, str]
) -> None:
    brief = brief_from_record(CORPUS[product_id], CORPUS_FILE.parent)
    registry = default_registry()
    word = said_twice[0]
    for fmt_id in ("meta_feed_square", "meta_stories", "google_rda_landscape"):
        specs = platform_specs(registry[fmt_id])
        for v in range(2):
            copy = BuiltinCopywriter().write(brief, specs, variant=v, n_variants=2)
            for name, text in copy.fields.items():
                assert text.casefold().count(word) <= 1, (fmt_id, v, name, text)
