"""A Latin brand ending in a colon ("SkyFly:") never ends a line of a right-to-left paragraph.

At a line end the colon, a neutral after the Latin run, takes the paragraph's direction (UAX
#9) and is drawn on the brand's left: a line of just the brand read ":SkyFly" in the Arabic
and Hebrew renders. The brand stays with the word after it, where the colon stands between
the two as a reader expects."""

from __future__ import annotations

import unicodedata

import pytest

from adcraft.layout import bidi, linebreak
from adcraft.layout.typography import fit_text, get_font, resolve_face, wrap_lines

AR = "SkyFly: رحلات إلى دبي"
HE = "SkyFly: טיסות לאילת"
AR_BODY = "اختيار المقعد مجانًا، رحلات مباشرة يومية. SkyFly: رحلات إلى دبي ابتداءً من 499 ر.س."


def _visual(line: str) -> str:
    """``line`` of a right-to-left paragraph as drawn, left to right (rule L2 by character)."""
    levels = bidi.levels(line, rtl=True)
    return "".join(line[i] for i in bidi.visual_order(levels))


def _has_rtl(line: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in line)


def _ends_with_brand_and_mark(line: str) -> bool:
    last = line.split()[-1]
    return last[-1] in ":!." and unicodedata.bidirectional(last.rstrip(":!.")[-1:]) == "L"


def test_visual_order_draws_a_lone_brand_with_its_colon_first() -> None:
    # The reason for the rule: alone on a line, the colon is drawn left of the brand.
    assert _visual("SkyFly:") == ":SkyFly"
    # With the word after it, the colon stands between the brand and that word.
    drawn = _visual("SkyFly: טיסות")
    assert drawn.endswith(" :SkyFly") and not drawn.startswith(":")


@pytest.mark.parametrize(
    ("text", "language", "box_w", "max_size"),
    [
        # The headlines of meta_feed_square v2-bold: balanced into "SkyFly: | رحلات إلى دبي"
        # at 119 px and "SkyFly: | טיסות | לאילת" at 89 px.
        (AR, "ar", 760, 119),
        (HE, "he", 300, 89),
        # iab_wide_skyscraper v1-minimal: "SkyFly: | رحلات | إلى دبي" at 24 px.
        (AR, "ar", 100, 24),
    ],
)
def test_the_skyfly_headline_never_leaves_the_brand_alone(
    text: str, language: str, box_w: int, max_size: int
) -> None:
    face = resolve_face(text, "Inter", "bold", language)
    fit = fit_text(
        text,
        face,
        box_w=box_w,
        box_h=600,
        max_size=max_size,
        min_size=12,
        max_lines=3,
        language=language,
        balance=True,
    )
    assert fit is not None and fit.direction == "rtl"
    assert "SkyFly:" not in fit.lines, fit.lines
    assert fit.lines[0].startswith("SkyFly: "), fit.lines
    for line in fit.lines:
        assert not _visual(line).startswith(":SkyFly"), fit.lines


@pytest.mark.parametrize(
    ("text", "language"),
    [(AR, "ar"), (HE, "he"), (AR_BODY, "ar"), ("טיסות זולות SkyFly!", "he")],
)
def test_no_rtl_line_ends_with_a_latin_brand_and_its_mark(text: str, language: str) -> None:
    face = resolve_face(text, "Inter", "bold", language).id
    font = get_font(face, 20)
    wrapped = 0
    for width in range(40, int(font.getlength(text)) + 20, 2):
        lines = wrap_lines(text, font, width, language, "rtl")
        if lines is None:
            continue
        wrapped += 1
        # Only the last line may end with the brand and its mark (nothing follows it), and
        # then with a right-to-left word before it on the line.
        assert not any(_ends_with_brand_and_mark(line) for line in lines[:-1]), (width, lines)
        assert not _ends_with_brand_and_mark(lines[-1]) or _has_rtl(lines[-1]), (width, lines)
        # A line of the brand alone would draw its mark first; on a line with Hebrew or Arabic
        # words the mark at the far left is where the sentence ends, as it should be.
        for line in lines:
            alone = not _has_rtl(line)
            assert not (alone and _visual(line).startswith((":", "!"))), (width, lines)
    assert wrapped


def test_the_join_is_for_right_to_left_paragraphs_only() -> None:
    # An English line "SkyFly:" draws its colon after the brand: it may break there.
    assert linebreak.atoms("SkyFly: Flights to Dubai", "en")[0].text == "SkyFly:"
    assert linebreak.atoms(AR, "ar")[0].text == "SkyFly: رحلات"
    # A number after Arabic words keeps its colon where it belongs: no join needed.
    assert [a.text for a in linebreak.atoms("خصم 499: الآن", "ar")] == ["خصم 499:", "الآن"]
    # A brand with "!" at the end of the text stays with the Hebrew word before it.
    assert [a.text for a in linebreak.atoms("טיסות זולות SkyFly!", "he")][-1] == "זולות SkyFly!"
