"""Layout metrics on hand-built layouts, plus range properties on random ones."""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcraft.domain.creative import Background, Element, Layout
from adcraft.render.color import contrast_ratio
from adcraft.scoring.metrics import (
    _every_nth,
    _multiply_covered_px,
    _sobel_magnitude,
    compute_metrics,
    product_quality,
)

W, H = 200, 100
SAFE = (10, 10, 180, 80)


def _layout(*elements: Element, w: int = W, h: int = H) -> Layout:
    return Layout(
        format_id="test",
        width=w,
        height=h,
        template="classic",
        style="clean",
        arrangement="text_left",
        background=Background(kind="solid", colors=("#ffffff",)),
        elements=elements,
    )


def _el(kind: Any, box: tuple[int, int, int, int], **kw: Any) -> Element:
    return Element(kind=kind, box=box, **kw)


def _run(
    layout: Layout,
    sal: np.ndarray | None = None,
    bg: np.ndarray | None = None,
    safe: tuple[int, int, int, int] = SAFE,
) -> dict[str, float]:
    h, w = layout.height, layout.width
    return compute_metrics(
        layout,
        saliency=np.zeros((h, w), np.float32) if sal is None else sal,
        background=np.full((h, w, 3), 255, np.uint8) if bg is None else bg,
        safe_box=safe,
    )


def test_clean_layout_has_no_violations() -> None:
    m = _run(_layout(_el("headline", (20, 20, 60, 20)), _el("body", (20, 50, 60, 20))))
    assert m["overlap"] == 0 and m["text_overlap_px"] == 0
    assert m["safe_zone_violations"] == 0 and m["out_of_canvas"] == 0
    assert m["text_share"] == pytest.approx(2 * 60 * 20 / (W * H))
    assert m["whitespace_share"] == pytest.approx(1 - 2 * 60 * 20 / (W * H))
    assert m["alignment"] == 0 and m["alignment_per_element"] == 0  # left edges aligned
    assert math.copysign(1.0, m["alignment"]) == 1.0  # not −0.0 in the manifest
    assert m["readability_rea"] == 0  # flat white background
    assert m["min_contrast"] == 21.0  # no colored text recorded
    assert m["validity"] == 1.0


def test_two_overlapping_boxes() -> None:
    m = _run(_layout(_el("headline", (20, 20, 40, 20)), _el("badge", (40, 30, 40, 20))))
    inter = 20 * 10
    assert m["text_overlap_px"] == inter
    assert m["overlap"] == pytest.approx(inter / (800 + 800 - inter))


def test_overlap_px_counts_triple_overlaps_once() -> None:
    box = (20, 20, 30, 30)
    m = _run(_layout(_el("headline", box), _el("body", box), _el("logo", box)))
    assert m["text_overlap_px"] == 900
    assert m["overlap"] == pytest.approx(1.0)


def test_plate_is_an_underlay_not_an_overlap() -> None:
    cta = _el("cta", (30, 60, 40, 14), plate="pill", plate_box=(24, 56, 52, 22))
    plate = _el("plate", (15, 15, 90, 35))
    head = _el("headline", (20, 20, 80, 25))
    m = _run(_layout(head, cta, plate))
    assert m["text_overlap_px"] == 0 and m["overlap"] == 0
    assert m["underlay_count"] == 2
    assert m["underlay_l"] == pytest.approx(1.0) and m["underlay_s"] == pytest.approx(1.0)


def test_underlay_containment_checks_the_right_edge() -> None:
    # Sticks out on the right only: the original PosterLayout code would call it contained.
    m = _run(_layout(_el("plate", (10, 10, 50, 40)), _el("headline", (20, 20, 60, 10))))
    assert m["underlay_s"] == 0.0
    assert m["underlay_l"] == pytest.approx(40 / 60)


def test_text_over_product_measured_exactly() -> None:
    sal = np.zeros((H, W), np.float32)
    sal[20:80, 100:180] = 1.0  # 60x80 product = 4800 px
    head = _el("headline", (90, 30, 40, 20))  # covers x 100..130, y 30..50 = 600 px
    m = _run(_layout(head), sal=sal)
    assert m["text_over_product"] == pytest.approx(600 / 4800)
    assert m["occlusion"] == pytest.approx(600 / 800)
    free = W * H - 4800
    assert m["utility"] == pytest.approx(200 / free)


def test_saliency_below_half_is_not_product() -> None:
    sal = np.full((H, W), 0.4, np.float32)
    m = _run(_layout(_el("headline", (0, 0, 50, 50))), sal=sal)
    assert m["text_over_product"] == 0.0
    assert m["occlusion"] == pytest.approx(0.4)


def test_box_outside_safe_zone_is_counted() -> None:
    m = _run(
        _layout(
            _el("headline", (5, 20, 60, 20)),  # left of the safe zone
            _el("logo", (150, 85, 30, 10)),  # below it
            _el("cta", (30, 60, 30, 10), plate="pill", plate_box=(25, 55, 40, 40)),  # pill
            _el("product", (150, 0, 80, 100)),  # may bleed: not counted
            _el("plate", (0, 0, 200, 100)),  # decoration: not counted
        )
    )
    assert m["safe_zone_violations"] == 3
    assert m["out_of_canvas"] == 0


def test_out_of_canvas_counts_text_not_product() -> None:
    m = _run(_layout(_el("headline", (180, 20, 40, 20)), _el("product", (-20, 0, 100, 120))))
    assert m["out_of_canvas"] == 1


def test_min_contrast_uses_recorded_background_color() -> None:
    m = _run(
        _layout(
            _el("headline", (20, 20, 60, 20), color="#777777", background_color="#ffffff"),
            _el("body", (20, 50, 60, 20), color="#000000", background_color="#ffffff"),
        )
    )
    assert m["min_contrast"] == pytest.approx(contrast_ratio("#777777", "#ffffff"))


def test_rea_sees_busy_background_but_not_under_a_plate() -> None:
    rng = np.random.default_rng(0)
    bg = np.full((H, W, 3), 255, np.uint8)
    bg[:, :100] = rng.integers(0, 256, (H, 100, 3), dtype=np.uint8)
    busy = _run(_layout(_el("headline", (20, 20, 60, 30))), bg=bg)
    calm = _run(_layout(_el("headline", (120, 20, 60, 30))), bg=bg)
    plated = _run(
        _layout(_el("headline", (20, 20, 60, 30), plate="rect", plate_box=(15, 15, 70, 40))),
        bg=bg,
    )
    assert busy["readability_rea"] > 0.2
    assert calm["readability_rea"] == 0.0
    assert plated["readability_rea"] == 0.0


def test_alignment_rises_when_boxes_do_not_line_up() -> None:
    aligned = _run(_layout(_el("headline", (20, 20, 60, 20)), _el("body", (20, 50, 80, 20))))
    loose = _run(_layout(_el("headline", (20, 20, 60, 20)), _el("body", (33, 47, 81, 22))))
    assert aligned["alignment"] == 0 and aligned["alignment_per_element"] == 0
    assert loose["alignment"] > 0 and loose["alignment_per_element"] > 0


def test_whitespace_balance() -> None:
    centred = _run(_layout(_el("headline", (50, 25, 100, 50))))
    corner = _run(_layout(_el("headline", (0, 0, 40, 20))))
    assert centred["whitespace_balance"] == pytest.approx(1.0)
    assert corner["whitespace_balance"] == pytest.approx(0.0)
    assert _run(_layout())["whitespace_balance"] == 1.0


def test_shape_mismatch_is_reported() -> None:
    with pytest.raises(ValueError, match="saliency"):
        compute_metrics(
            _layout(),
            saliency=np.zeros((10, 10)),
            background=np.zeros((H, W, 3), np.uint8),
            safe_box=SAFE,
        )
    with pytest.raises(ValueError, match="background"):
        compute_metrics(
            _layout(),
            saliency=np.zeros((H, W)),
            background=np.zeros((H, W), np.uint8),
            safe_box=SAFE,
        )


KINDS = ["product", "headline", "body", "cta", "price", "badge", "logo", "disclaimer", "plate"]
UNIT = {
    "overlap",
    "occlusion",
    "text_over_product",
    "utility",
    "readability_rea",
    "underlay_l",
    "underlay_s",
    "whitespace_balance",
    "whitespace_share",
    "text_share",
    "validity",
}


@st.composite
def layouts(draw: st.DrawFn) -> tuple[Layout, np.ndarray, np.ndarray]:
    w = draw(st.integers(20, 120))
    h = draw(st.integers(20, 120))
    elements = []
    for _ in range(draw(st.integers(0, 7))):
        x = draw(st.integers(-10, w))
        y = draw(st.integers(-10, h))
        box = (x, y, draw(st.integers(0, w)), draw(st.integers(0, h)))
        kind = draw(st.sampled_from(KINDS))
        extra: dict[str, Any] = {}
        if kind in {"cta", "badge"} and draw(st.booleans()):
            extra = {"plate": "pill", "plate_box": (x - 2, y - 2, box[2] + 4, box[3] + 4)}
        if kind in {"headline", "body"} and draw(st.booleans()):
            extra = {
                "color": "#333333",
                "background_color": draw(st.sampled_from(["#fff", "#444"])),
            }
        elements.append(_el(kind, box, **extra))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    sal = rng.random((h, w), dtype=np.float32) * draw(st.sampled_from([0.0, 1.0]))
    bg = rng.integers(0, 256, (h, w, 3), dtype=np.uint8) * np.uint8(draw(st.integers(0, 1)))
    return _layout(*elements, w=w, h=h), sal, bg


@settings(max_examples=150, deadline=None)
@given(layouts())
def test_metrics_are_finite_and_in_range(case: tuple[Layout, np.ndarray, np.ndarray]) -> None:
    layout, sal, bg = case
    m = _run(layout, sal=sal, bg=bg, safe=(2, 2, layout.width - 4, layout.height - 4))
    for key, value in m.items():
        assert isinstance(value, float) and math.isfinite(value), key
        assert value >= 0, key
        if key in UNIT:
            assert value <= 1.0 + 1e-9, (key, value)
    assert 1.0 <= m["min_contrast"] <= 21.0
    assert m["text_overlap_px"] <= layout.width * layout.height
    n = len(layout.elements)
    assert m["safe_zone_violations"] <= n and m["out_of_canvas"] <= m["safe_zone_violations"]


def test_product_quality_scores() -> None:
    q = product_quality(0.93, 0.45, 0.0)
    assert q == {"product_sharpness": 0.93, "product_exposure": 1.0, "product_clipping": 0.0}
    blown = product_quality(0.0, 0.99, 0.6)
    assert blown == {
        "product_sharpness": 0.0,
        "product_exposure": pytest.approx(0.05),
        "product_clipping": 0.6,
    }
    assert all(math.isfinite(v) for v in product_quality(math.nan, math.inf, math.nan).values())


_boxes = st.lists(
    st.tuples(
        st.integers(-20, 220), st.integers(-20, 120), st.integers(0, 120), st.integers(0, 80)
    ),
    max_size=7,
)


@given(_boxes, st.integers(1, 200), st.integers(1, 100))
def test_overlap_pixels_match_a_painted_count(
    boxes: list[tuple[int, int, int, int]], w: int, h: int
) -> None:
    # The exact count comes from box geometry; painting the boxes on a canvas must agree.
    count = np.zeros((h, w), dtype=np.int16)
    for x, y, bw, bh in boxes:
        count[max(0, y) : max(0, y + bh), max(0, x) : max(0, x + bw)] += 1
    assert _multiply_covered_px(boxes, w, h) == int(np.count_nonzero(count >= 2))


@given(st.integers(1, 90), st.integers(1, 90), st.integers(1, 4), st.sampled_from([3, 4]))
@settings(max_examples=60)
def test_fast_subsampling_equals_strided_slicing(h: int, w: int, f: int, bands: int) -> None:
    rgb = np.random.default_rng(h * 1000 + w).integers(0, 256, (h, w, bands), dtype=np.uint8)
    assert np.array_equal(_every_nth(rgb, f), rgb[::f, ::f])


def test_edge_map_is_the_exact_sobel_magnitude() -> None:
    # Exact IEEE arithmetic (no approximate SIMD square root) is what makes the same creative
    # score the same on every run, wherever its arrays happen to sit in memory.
    rgb = np.random.default_rng(5).integers(0, 256, (97, 131, 3), dtype=np.uint8)
    gray = np.pad(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32), 1, mode="edge")
    gx = (gray[:-2, 2:] + 2 * gray[1:-1, 2:] + gray[2:, 2:]) - (
        gray[:-2, :-2] + 2 * gray[1:-1, :-2] + gray[2:, :-2]
    )
    gy = (gray[2:, :-2] + 2 * gray[2:, 1:-1] + gray[2:, 2:]) - (
        gray[:-2, :-2] + 2 * gray[:-2, 1:-1] + gray[:-2, 2:]
    )
    mag = np.sqrt(gx * gx + gy * gy)
    assert np.array_equal(_sobel_magnitude(rgb), mag / mag.max())
