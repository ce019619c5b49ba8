"""Lines in scripts that need it get room between them: Chinese and Japanese glyphs fill the
whole em square, Arabic stacks dots and vowel marks above and below, Devanagari hangs vowel
signs above and below: at a Latin style's 1.04-1.12 spacing the lines touch."""

from __future__ import annotations

import pytest

from adcraft import generate
from adcraft.domain.brief import Brief
from adcraft.layout.styles import STYLES

FORMATS = "meta_feed_square,meta_stories,iab_medium_rectangle"


def _spacings(brief: Brief) -> list[tuple[str, float]]:
    made = generate(brief, formats=FORMATS, variants=2, workers=1)
    out = []
    for c in made.creatives:
        for e in c.elements:
            if len(e.lines) > 1 and e.font_size and e.line_height:
                out.append(("".join(e.lines), e.line_height / e.font_size))
    return out


@pytest.mark.parametrize(
    "brief",
    [
        Brief(
            product_name="阿里山春茶礼盒",
            description="阿里山春茶，独立小包装，送礼自饮两相宜。",
            offer="双十一限时8折",
            language="zh",
        ),
        Brief(
            product_name="北海道ラーメンセット",
            description="濃厚な味噌スープと太麺、五食入りのお得なセットです。",
            offer="週末限定で送料無料",
            language="ja",
        ),
    ],
    ids=["zh", "ja"],
)
def test_cjk_lines_are_set_at_least_1_3_apart(brief: Brief) -> None:
    spaced = _spacings(brief)
    assert spaced, "no text wrapped: the test would check nothing"
    for text, ratio in spaced:
        assert ratio >= 1.28, (text, round(ratio, 3))  # 1.3 less a pixel's rounding


def test_latin_lines_keep_the_styles_spacing() -> None:
    brief = Brief(
        product_name="Trail 3 Camping Tent",
        description="A three-person tent that pitches in two minutes and packs down small.",
        offer="20% off all tents this weekend",
    )
    spaced = _spacings(brief)
    assert spaced
    tightest = max(s.line_spacing for s in STYLES.values())
    for text, ratio in spaced:
        assert ratio <= tightest + 0.05, (text, round(ratio, 3))


@pytest.mark.parametrize(
    ("brief", "least"),
    [
        (
            Brief(
                product_name="رحلات سكاي فلاي إلى دبي",
                description="رحلات مباشرة يومية إلى دبي مع وجبة مجانية وحقيبة يد.",
                offer="احجز 3 ليالٍ وادفع ثمن ليلتين",
                language="ar",
            ),
            1.4,
        ),
        (
            Brief(
                product_name="लहर स्मार्ट वॉच",
                description="सात दिन की बैटरी, हृदय गति और नींद की निगरानी, पानी से सुरक्षित।",
                offer="30 दिन में मुफ़्त वापसी",
                language="hi",
            ),
            1.3,
        ),
    ],
    ids=["ar", "hi"],
)
def test_arabic_and_devanagari_lines_clear_their_marks(brief: Brief, least: float) -> None:
    spaced = _spacings(brief)
    assert spaced, "no text wrapped: the test would check nothing"
    for text, ratio in spaced:
        assert ratio >= least - 0.03, (text, round(ratio, 3))  # less a pixel's rounding
