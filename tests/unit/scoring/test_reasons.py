"""Score reasons carry stable codes: every text a ranker writes is read back with its numbers."""

from __future__ import annotations

import pytest

from adcraft.scoring.rank import QualityRanker
from adcraft.scoring.reasons import CODES, TEMPLATES, parse, say

SAMPLES: dict[str, dict[str, object]] = {
    "text_overlap": {"px": 12.0},
    "cut_off": {"n": 2.0},
    "outside_safe_zone": {"n": 1.0},
    "low_contrast": {"ratio": 3.94, "target": 4.5},
    "text_over_product": {"share": 0.07},
    "missing_facts": {"n": 1.0},
    "truncated_fields": {"n": 3.0},
    "text_share": {"share": 0.34},
    "high_contrast": {"ratio": 7.25},
    "predicted_ctr": {"ctr": 0.0231},
    "ctr_history_more": {"share": 0.2},
    "ctr_history_fewer": {"share": 0.15},
    "ctr_effect": {"what": "text covers 34% of the image", "delta": "−0.30"},
}
READ_BACK = {
    "text_overlap": {"px": 12.0},
    "cut_off": {"n": 2.0},
    "outside_safe_zone": {"n": 1.0},
    "low_contrast": {"ratio": 3.9, "target": 4.5},
    "text_over_product": {"share": 0.07},
    "missing_facts": {"n": 1.0},
    "truncated_fields": {"n": 3.0},
    "text_share": {"share": 0.34},
    "high_contrast": {"ratio": 7.2},
    "predicted_ctr": {"ctr": 0.0231},
    "ctr_history_more": {"share": 0.2},
    "ctr_history_fewer": {"share": 0.15},
    "ctr_effect": {"what": "text covers 34% of the image", "delta": -0.3},
}


@pytest.mark.parametrize("code", list(TEMPLATES))
def test_every_template_reads_back_as_its_code(code: str) -> None:
    text = say(code, **SAMPLES.get(code, {}))
    with_points = parse(f"{text} (−25)")
    assert (with_points.code, with_points.points, with_points.text) == (
        code,
        -25.0,
        f"{text} (−25)",
    )
    got = with_points.params
    want = READ_BACK.get(code, {})
    assert got.keys() == want.keys()
    for k, v in want.items():
        assert got[k] == (pytest.approx(v) if isinstance(v, float) else v), (code, k)
    bare = parse(text)
    assert bare.code == code and bare.points is None


def test_the_quality_rankers_reasons_all_have_codes() -> None:
    # One creative with every term nonzero: no reason falls back to "other".
    metrics = {
        "text_overlap_px": 4.0,
        "overflow": 1.0,
        "out_of_canvas": 1.0,
        "safe_zone_violations": 2.0,
        "min_contrast": 3.2,
        "text_over_product": 0.1,
        "missing_facts": 1.0,
        "truncated_fields": 1.0,
        "alignment_per_element": 0.0,
        "readability_rea": 0.25,
        "whitespace_balance": 1.0,
        "utility": 0.3,
        "occlusion": 0.3,
        "text_share": 0.4,
        "product_sharpness": 0.9,
        "product_exposure": 0.2,
        "product_clipping": 0.2,
    }
    reasons = QualityRanker().score(metrics, {}).reasons
    assert len(reasons) >= 15
    parsed = [parse(r) for r in reasons]
    assert all(p.code in CODES and p.code != "other" for p in parsed), reasons
    assert all(p.points is not None for p in parsed)
    low = next(p for p in parsed if p.code == "low_contrast")
    assert low.params == {"ratio": 3.2, "target": 4.5} and low.points == -25
    assert parse("something a plug-in ranker said").code == "other"
