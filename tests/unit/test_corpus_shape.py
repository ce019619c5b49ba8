"""The evaluation corpus itself: enough languages and products, and expectations that hold."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from adcraft.products import brief_from_record, load_products

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "products.json"
REQUIRED = {"ja", "ko", "zh-Hans", "zh-Hant", "he", "ar", "hi", "ru", "de", "es", "fr", "pt"}
REQUIRED |= {"tr", "pl", "en"}
KINDS = {
    "percent_off",
    "amount_off",
    "price",
    "price_from",
    "per_period",
    "free_item",
    "n_for_m",
    "second_item_discount",
    "free_shipping",
    "free_trial",
    "free_returns",
    "deadline",
    "promo_code",
}


def test_every_language_has_five_products() -> None:
    records = load_products(CORPUS)
    counts = Counter(r["language"] for r in records)
    assert set(counts) >= REQUIRED
    assert all(counts[lang] >= 5 for lang in REQUIRED), counts
    assert len({r["id"] for r in records}) == len(records)


def test_expected_claims_are_phrases_of_the_brief() -> None:
    for record in load_products(CORPUS):
        source = " ".join(record["offers"] + record["selling_points"])
        expected = record["expected"]
        assert expected["claims"], record["id"]
        for claim in expected["claims"]:
            assert claim["kind"] in KINDS, (record["id"], claim)
            assert claim["text"] in source, (record["id"], claim["text"])
        for sentence in expected["injection"]:
            assert sentence in source, (record["id"], sentence)


def test_every_record_is_a_valid_brief() -> None:
    for record in load_products(CORPUS):
        brief = brief_from_record(record, CORPUS.parent)
        if brief.image is not None:
            assert Path(brief.image).is_file(), record["id"]


def test_corpus_is_utf8_json_list() -> None:
    assert isinstance(json.loads(CORPUS.read_text("utf-8")), list)
