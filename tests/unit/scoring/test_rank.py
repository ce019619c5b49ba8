"""The quality ranker punishes violations below clean layouts and explains itself."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adcraft.scoring.rank import QualityRanker, Ranker, ScoreResult, rank

CLEAN = {
    "text_overlap_px": 0.0,
    "out_of_canvas": 0.0,
    "safe_zone_violations": 0.0,
    "min_contrast": 8.2,
    "text_over_product": 0.0,
    "alignment_per_element": 0.0,
    "readability_rea": 0.05,
    "whitespace_balance": 0.95,
    "utility": 0.3,
    "occlusion": 0.02,
    "text_share": 0.15,
    "product_sharpness": 0.9,
    "product_exposure": 1.0,
    "product_clipping": 0.0,
}

VIOLATIONS = [
    {"text_overlap_px": 120.0},
    {"overflow": 1.0},
    {"out_of_canvas": 1.0},
    {"safe_zone_violations": 1.0},
    {"min_contrast": 3.9},
    {"text_over_product": 0.25},
    {"missing_facts": 1.0},
    {"truncated_fields": 1.0},
]


def _score(**changes: float) -> ScoreResult:
    return QualityRanker().score({**CLEAN, **changes}, {})


def test_quality_ranker_satisfies_the_protocol() -> None:
    ranker: Ranker = QualityRanker()
    assert ranker.name == "quality"


def test_clean_layout_scores_high_with_positive_reasons() -> None:
    result = _score()
    assert result.score >= 90
    assert "good alignment (+8)" in result.reasons
    assert all("(−" not in r for r in result.reasons[:3])


@pytest.mark.parametrize("bad", VIOLATIONS, ids=lambda d: next(iter(d)))
def test_every_violation_ranks_below_clean(bad: dict[str, float]) -> None:
    clean, dirty = _score(), _score(**bad)
    assert dirty.score <= clean.score - 8
    assert any("(−" in r for r in dirty.reasons)


def test_contrast_reason_is_readable() -> None:
    result = _score(min_contrast=3.9)
    assert result.reasons[0] == "contrast 3.9:1 below 4.5:1 (−25)"
    assert _score(min_contrast=2.1).reasons[0] == "contrast 2.1:1 below 4.5:1 (−35)"
    large_text = QualityRanker().score({**CLEAN, "min_contrast": 3.9}, {"min_contrast": 3.0})
    assert not any("below" in r for r in large_text.reasons)


def test_hard_violations_beat_any_soft_gain() -> None:
    worst_soft = {
        **CLEAN,
        "alignment_per_element": 0.5,
        "readability_rea": 0.9,
        "whitespace_balance": 0.1,
        "utility": 0.0,
        "occlusion": 0.9,
        "text_share": 0.6,
        "min_contrast": 5.0,
        "product_sharpness": 0.0,
        "product_exposure": 0.0,
        "product_clipping": 1.0,
    }
    ugly_but_valid = QualityRanker().score(worst_soft, {}).score
    broken = _score(text_overlap_px=10, min_contrast=2.0).score
    assert broken < ugly_but_valid


@given(
    st.dictionaries(
        st.sampled_from([*CLEAN, "overflow", "missing_facts", "truncated_fields"]),
        st.floats(allow_nan=True, allow_infinity=True, width=32),
    )
)
def test_score_is_always_within_0_100(metrics: dict[str, float]) -> None:
    result = QualityRanker().score(metrics, {})
    assert 0.0 <= result.score <= 100.0 and math.isfinite(result.score)
    assert all(isinstance(r, str) and r for r in result.reasons)


def test_missing_metrics_give_the_base_score() -> None:
    assert QualityRanker().score({}, {}) == ScoreResult(60.0, ())


@dataclass(frozen=True)
class Item:
    id: str
    score: float


def test_rank_is_descending_with_id_tie_break() -> None:
    items = [Item("c", 50), Item("b", 80), Item("a", 50), Item("d", math.nan), Item("e", 90)]
    assert [i.id for i in rank(items, key=lambda i: i.score)] == ["e", "b", "a", "c", "d"]
    assert rank([], key=lambda i: 0.0) == []


def test_rank_is_stable_without_ids_and_accepts_id_of() -> None:
    rows = [{"n": 1, "s": 5.0}, {"n": 2, "s": 5.0}, {"n": 3, "s": 7.0}]
    assert [r["n"] for r in rank(rows, key=lambda r: r["s"])] == [3, 1, 2]
    by_n_desc = rank(rows, key=lambda r: r["s"], id_of=lambda r: str(9 - r["n"]))
    assert [r["n"] for r in by_n_desc] == [3, 2, 1]
