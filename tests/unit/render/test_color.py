"""WCAG math, text-color choice over busy pixels and generated palettes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcraft.errors import InputError
from adcraft.render.color import (
    Palette,
    contrast_ratio,
    darken,
    from_oklch,
    harmonise,
    hex_to_rgb,
    lighten,
    luminance_map,
    mix,
    palette_from_brand,
    pick_text_color,
    relative_luminance,
    rgb_to_hex,
    to_oklch,
    worst_contrast,
)

hex_colors = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06x}")


def test_hex_round_trip_and_short_form() -> None:
    assert hex_to_rgb("#1a2B3c") == (26, 43, 60)
    assert hex_to_rgb("fff") == (255, 255, 255)
    assert rgb_to_hex((26, 43, 60)) == "#1a2b3c"
    assert rgb_to_hex((300, -4, 127.6)) == "#ff0080"


@pytest.mark.parametrize("bad", ["#12", "#gggggg", "", "#1234567"])
def test_bad_hex_says_what_is_expected(bad: str) -> None:
    with pytest.raises(InputError, match="hex color"):
        hex_to_rgb(bad)


def test_wcag_known_values() -> None:
    assert relative_luminance("#000000") == 0.0
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # WebAIM's checker: #767676 is the lightest grey passing AA on white (4.54:1).
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio((255, 0, 0), "#ffffff") == pytest.approx(4.0, abs=0.01)


def test_luminance_map_matches_scalar_and_ignores_alpha() -> None:
    rng = np.random.default_rng(3)
    arr = rng.integers(0, 256, (7, 9, 4), dtype=np.uint8)
    lum = luminance_map(arr)
    assert lum.dtype == np.float32 and lum.shape == (7, 9)
    for y, x in [(0, 0), (3, 4), (6, 8)]:
        r, g, b = (int(v) for v in arr[y, x, :3])
        assert lum[y, x] == pytest.approx(relative_luminance((r, g, b)), abs=1e-6)
    with pytest.raises(ValueError):
        luminance_map(arr.astype(np.float32))


def test_worst_contrast_finds_the_nearest_luminance_pixel() -> None:
    region = np.zeros((10, 10, 3), dtype=np.uint8)
    region[:, :5] = (20, 20, 20)
    region[:, 5:] = (120, 120, 120)
    ratio, rgb = worst_contrast("#ffffff", region)
    assert rgb == (120, 120, 120)
    assert ratio == pytest.approx(contrast_ratio("#ffffff", "#787878"))
    # Text between the two tones: the nearer one in contrast terms decides.
    ratio, rgb = worst_contrast("#505050", region)
    assert rgb in {(20, 20, 20), (120, 120, 120)}
    assert ratio == pytest.approx(
        min(contrast_ratio("#505050", "#141414"), contrast_ratio("#505050", "#787878"))
    )


def test_worst_contrast_ignores_a_few_stray_pixels() -> None:
    region = np.full((40, 40, 3), 10, dtype=np.uint8)
    region[0, :5] = 255  # 5 of 1600 pixels (0.3%): anti-aliasing, a speck
    ratio, rgb = worst_contrast("#ffffff", region)
    assert rgb == (10, 10, 10)
    assert ratio > 15


def test_worst_contrast_rejects_empty_region() -> None:
    with pytest.raises(ValueError, match="empty"):
        worst_contrast("#ffffff", np.zeros((0, 5, 3), dtype=np.uint8))


def _busy(seed: int, lo: int, hi: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(lo, hi, (60, 120, 3), dtype=np.uint8)


def test_pick_text_color_on_busy_dark_region_picks_white() -> None:
    picked = pick_text_color(_busy(1, 0, 90), ["#000000", "#ffffff", "#ff0000"])
    assert picked is not None
    assert picked[0] == "#ffffff" and picked[1] >= 4.5


def test_pick_text_color_on_busy_light_region_picks_dark() -> None:
    picked = pick_text_color(_busy(2, 190, 256), ["#FFFFFF", "#111111"])
    assert picked is not None and picked[0] == "#111111"


def test_pick_text_color_returns_none_when_nothing_is_readable() -> None:
    # Full-range noise: every candidate meets pixels of its own luminance.
    assert pick_text_color(_busy(3, 0, 256), ["#000000", "#ffffff", "#888888"]) is None
    assert pick_text_color(_busy(3, 0, 256), []) is None


def test_pick_text_color_prefers_the_earlier_candidate_on_a_tie() -> None:
    region = np.full((4, 4, 3), 128, dtype=np.uint8)
    picked = pick_text_color(region, ["#000000", "#000000"], min_ratio=1.0)
    assert picked is not None
    assert picked.color == "#000000" and picked.under == (128, 128, 128)
    assert picked.ratio == pytest.approx(contrast_ratio("#000000", "#808080"))


def test_mix_lighten_darken() -> None:
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    assert mix("#102030", "#ffffff", 0.0) == "#102030"
    assert mix("#102030", "#ffffff", 2.0) == "#ffffff"
    red = "#d62828"
    assert relative_luminance(lighten(red, 0.5)) > relative_luminance(red)
    assert relative_luminance(darken(red, 0.5)) < relative_luminance(red)
    assert lighten(red, 1.0) == "#ffffff" and darken(red, 1.0) == "#000000"


@given(hex_colors)
def test_oklch_round_trip(color: str) -> None:
    back = hex_to_rgb(from_oklch(*to_oklch(color)))
    assert max(abs(a - b) for a, b in zip(back, hex_to_rgb(color), strict=True)) <= 1


def _check_palette(p: Palette) -> None:
    for value in vars(p).values():
        assert hex_to_rgb(value)  # every field is a real '#rrggbb'
    assert contrast_ratio(p.accent_ink, p.accent) >= 4.5
    assert contrast_ratio(p.ink, p.background) >= 4.5
    assert contrast_ratio(p.muted, p.background) >= 4.5
    assert contrast_ratio(p.ink, p.surface) >= 4.5


@settings(max_examples=200, deadline=None)
@given(st.lists(hex_colors, min_size=1, max_size=4))
def test_brand_palette_accent_ink_always_readable(colors: list[str]) -> None:
    p = palette_from_brand(colors)
    _check_palette(p)
    assert p.accent in {c.lower() for c in colors}  # the brand's own color is kept


@settings(max_examples=150, deadline=None)
@given(st.lists(hex_colors, max_size=5))
def test_harmonised_palette_is_readable_and_button_visible(dominant: list[str]) -> None:
    p = harmonise(dominant)
    _check_palette(p)
    assert contrast_ratio(p.accent, p.background) >= 3.0  # WCAG non-text contrast
    assert to_oklch(p.accent)[1] >= 0.08  # saturated enough to read as a button


def test_harmonise_picks_a_deep_background_for_a_light_product() -> None:
    light = harmonise(["#f4f1ea", "#d9c9a8"])
    dark = harmonise(["#1b1b1b", "#8a1c1c"])
    assert relative_luminance(light.background) < 0.05
    assert relative_luminance(dark.background) > 0.8


def test_brand_background_is_kept_when_it_suits() -> None:
    p = palette_from_brand(["#ffd100", "#1d1d1b"])
    assert (p.accent, p.background, p.accent_ink) == ("#ffd100", "#1d1d1b", "#000000")
    mono = palette_from_brand(["#000000", "#ffffff"])
    assert (mono.accent, mono.background, mono.accent_ink) == ("#000000", "#ffffff", "#ffffff")
