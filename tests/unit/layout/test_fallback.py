"""Per-run font fallback: no character a bundled face can draw is ever dropped, in any script,
and what layout measured is what gets drawn."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcraft.layout.fonts import all_coverage, coverage, face_runs, resolve_face
from adcraft.layout.typography import clean_text, drawable, fit_text, text_em_width
from adcraft.render.text import line_art

SYMBOLS = "❤✓★€₽₪₹✔☆→"
SCRIPTS = {
    "ar": "خصم على كل شيء",
    "he": "מבצע על הכל",
    "zh": "限时优惠全场五折",
    "zh-Hant": "限時優惠全場五折",
    "ja": "期間限定セール開催中",
    "ko": "여름 세일 진행 중",
    "ru": "Скидка на всё",
    "en": "Sale on everything",
}
FAMILIES = ("Inter", "PlayfairDisplay", "BebasNeue", "Oswald")


@pytest.mark.parametrize("language", sorted(SCRIPTS))
@pytest.mark.parametrize("family", FAMILIES)
def test_symbols_in_every_script_are_kept_and_drawn(language: str, family: str) -> None:
    text = f"{SCRIPTS[language]} {SYMBOLS}"
    cleaned, warnings = clean_text(text)
    assert cleaned == text and warnings == []
    face = resolve_face(text, family, "bold", language)
    assert drawable(text, face) == text  # nothing dropped or replaced
    runs = face_runs(text, face)
    assert "".join(part for part, _ in runs) == text
    for part, run_face in runs:
        # Every character of a run is in its face (spaces aside, which every face shapes).
        assert all(ord(c) in coverage(run_face) for c in part if not c.isspace()), (part, run_face)


def test_measured_width_is_the_drawn_width() -> None:
    text = "خصم ❤ 20% ★"
    face = resolve_face(text, "Inter", "bold", "ar")
    assert len(face_runs(text, face)) > 1
    art = line_art(face.id, 40, text, True)
    assert art.advance == pytest.approx(text_em_width(face, text, "rtl") * 40, abs=1.0)
    fit = fit_text(
        text, face, box_w=1000, box_h=200, max_size=40, min_size=12, max_lines=1, language="ar"
    )
    assert fit is not None and fit.lines == (text,)
    assert fit.width >= art.advance - 1


def _ink_columns(face_id: str, text: str, rtl: bool) -> int:
    mask = np.asarray(line_art(face_id, 40, text, rtl).mask) > 127
    return int(mask.any(axis=0).sum())


@pytest.mark.parametrize("symbol", list("❤✓★₪₹"))
def test_a_fallback_symbol_adds_ink_not_a_box(symbol: str) -> None:
    # A tofu box would add ink too, so compare with the symbol face's own drawing of it.
    face = resolve_face("خصم", "Inter", "bold", "ar")
    alone = _ink_columns(face.id, "خصم", True)
    with_symbol = _ink_columns(face.id, f"خصم {symbol}", True)
    assert with_symbol > alone
    runs = face_runs(f"خصم {symbol}", face)
    symbol_face = next(f for part, f in runs if symbol in part)
    assert ord(symbol) in coverage(symbol_face)


_ALPHABET = "".join(SCRIPTS.values()) + SYMBOLS + "0123456789%$ .,!?-"


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=_ALPHABET, min_size=1, max_size=40),
    language=st.sampled_from(sorted(SCRIPTS)),
    family=st.sampled_from(FAMILIES),
)
def test_no_drawable_character_is_ever_dropped(text: str, language: str, family: str) -> None:
    cleaned, _ = clean_text(text)
    if not cleaned:
        return
    face = resolve_face(cleaned, family, "bold", language)
    kept = drawable(cleaned, face)
    drawable_chars = all_coverage()
    assert [c for c in kept] == [c for c in cleaned if ord(c) in drawable_chars or c.isspace()]
    assert "".join(p for p, _ in face_runs(kept, face)) == kept


@pytest.mark.parametrize("family", FAMILIES)
def test_a_symbol_does_not_take_the_text_away_from_the_styles_family(family: str) -> None:
    # "STRIDE ROAD: ★ 4.8" was set in Noto Sans CJK (it has ★) rather than the style's family,
    # unlike every other line of the set; only the ★ itself comes from another face.
    text = "STRIDE ROAD: ★ 4.8 FROM 12,000 RUNNERS ✓"
    face = resolve_face(text, family, "bold", "en")
    assert face.id.startswith(family), face.id
    runs = face_runs(text, face)
    assert "".join(part for part, _ in runs) == text
    assert all(run_face == face for part, run_face in runs if "★" not in part and "✓" not in part)
