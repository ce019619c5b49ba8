"""benchmarks/corpus_review.py: the reviewer-edit figure in docs/copywriting.md is scored right."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "corpus_review", ROOT / "benchmarks" / "corpus_review.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


review = _module()

GENERATED = {
    "de-a": {"language": "de", "fields": {"headline": "Ab 9 €", "body": "Leise, Frisch geröstet."}},
    "de-b": {"language": "de", "fields": {"headline": "Gratis", "body": "Wasserdicht."}},
}


def _reviewed(**changes: dict[str, str]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for pid, g in GENERATED.items():
        fields = {**g["fields"], **changes.get(pid, {})}  # type: ignore[dict-item]
        out[pid] = {"fields": fields, "why": {k: "fix" for k in changes.get(pid, {})}}
    return out


def test_one_edit_of_two_products_gives_per_language_and_overall_figures() -> None:
    rows = review.score(GENERATED, _reviewed(**{"de-a": {"body": "Leise, frisch geröstet."}}))
    de, overall = rows
    assert (de.name, overall.name) == ("de", "all")
    # One letter case changed in 6 + 23 final characters; the other product is untouched.
    assert de.products == 2
    assert de.mean_ratio == pytest.approx((1 / 29 + 0) / 2)
    assert de.unchanged == 0.5
    assert de.under_target == 1.0


def test_a_review_that_grows_a_field_past_ten_percent_is_rejected() -> None:
    longer = _reviewed(**{"de-b": {"body": "Wasserdicht, leicht."}})
    with pytest.raises(ValueError, match=r"de-b\.body is longer"):
        review.score(GENERATED, longer)


def test_an_unexplained_edit_or_a_missing_product_is_rejected() -> None:
    reviewed = _reviewed(**{"de-a": {"headline": "Ab 9€"}})
    reviewed["de-a"]["why"] = {}
    del reviewed["de-b"]
    with pytest.raises(ValueError) as raised:
        review.score(GENERATED, reviewed)
    assert "de-b is not reviewed" in str(raised.value)
    assert "de-a.headline changed without a why" in str(raised.value)


def test_the_committed_review_covers_the_whole_corpus_within_its_rules() -> None:
    generated = json.loads(review.GENERATED.read_text(encoding="utf-8"))
    reviewed = json.loads(review.REVIEWED.read_text(encoding="utf-8"))
    products = json.loads(review.CORPUS.read_text(encoding="utf-8"))
    assert set(generated) == {p["id"] for p in products}
    assert review.score(generated, reviewed)[-1].products == len(products)
