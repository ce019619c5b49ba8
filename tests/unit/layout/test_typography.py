"""Typography: bundled faces, script fallback, cleaning, line breaking and size fitting."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from adcraft.errors import InputError
from adcraft.layout import emoji, linebreak
from adcraft.layout.fonts import (
    EMOJI_FACE,
    FONTS_DIR,
    STYLE_FAMILIES,
    all_coverage,
    coverage,
    covers,
    face_runs,
    faces,
    is_color_emoji,
    scaled_metrics,
)
from adcraft.layout.typography import (
    FittedText,
    FontFace,
    clean_text,
    fit_text,
    font_path,
    get_font,
    line_metrics,
    paragraph_direction,
    resolve_face,
    text_direction,
    wrap_lines,
)
from adcraft.render.text import line_art

NO_START = set("，。、！？）」』】》〉：；")
NO_END = set("（「『【《〈")


def squash(text: str) -> str:
    """Text without any whitespace, for 'nothing lost' comparisons."""
    return re.sub(r"\s+", "", text)


def fit_in(
    text: str, face: FontFace | str, w: int, h: int, sizes: tuple[int, int], lines: int, lang: str
) -> FittedText | None:
    """fit_text with the box positional, (min_size, max_size) and a face or face id."""
    chosen = faces()[face] if isinstance(face, str) else face
    return fit_text(
        text,
        chosen,
        box_w=w,
        box_h=h,
        min_size=sizes[0],
        max_size=sizes[1],
        max_lines=lines,
        language=lang,
    )


def assert_valid_fit(fit: FittedText, text: str, box_w: int, box_h: int, max_lines: int) -> None:
    """Everything a caller relies on: inside the box as Pillow measures it, nothing lost."""
    font = get_font(fit.face.id, fit.size)
    assert 1 <= len(fit.lines) <= max_lines
    widths = [
        # A line with colour emoji is measured as drawn: text runs and scaled emoji bitmaps.
        line_art(fit.face.id, fit.size, line, fit.direction == "rtl").advance
        if emoji.has_candidate(line)
        else font.getlength(line, direction=fit.direction)
        for line in fit.lines
    ]
    assert max(widths) <= box_w
    # width is the scaled reference measurement rounded up: within a pixel or so of Pillow's.
    assert max(widths) - 1 <= fit.width <= min(box_w, max(widths) + 2)
    ascent, descent = line_metrics(font)
    assert fit.height == fit.line_height * (len(fit.lines) - 1) + ascent + descent
    assert fit.height <= box_h
    assert squash("".join(fit.lines)) == squash(text)
    assert all(line == line.strip() and line for line in fit.lines)


def undrawable(text: str) -> list[str]:
    """Characters of ``text`` no face draws: neither a text face nor, for the parts of a colour
    emoji cluster (joiners, selectors, skin tones), the emoji face."""
    drawable = all_coverage()
    return [
        c
        for cluster in regex.findall(r"\X", text)
        if not is_color_emoji(cluster)
        for c in cluster
        if ord(c) not in drawable
    ]


def drawn_by(face: FontFace, part: str) -> bool:
    """Whether a run of ``face_runs`` is drawable in its face."""
    if face == EMOJI_FACE:
        return all(emoji.draws(c) for c in emoji.clusters(part))
    return covers(face, part)


# -- the bundled faces ------------------------------------------------------------------------


def test_every_bundled_face_loads_and_draws() -> None:
    assert len(faces()) >= 25
    for face in faces().values():
        font = get_font(face.id, 24)
        # The symbol face has no letters: any character it maps will do.
        sample = next(
            (chr(c) for c in sorted(coverage(face)) if chr(c).isalnum()),
            chr(min(coverage(face) - {0x20})),
        )
        assert font.getlength(sample) > 0, face.id
        assert font_path(face.id) == face.path


def test_every_face_is_documented_and_licensed() -> None:
    doc = (FONTS_DIR / "FONTS.md").read_text("utf-8")
    licences = {p.stem.removesuffix("-OFL") for p in (FONTS_DIR / "licenses").glob("*.txt")}
    for face in faces().values():
        assert face.path.name in doc
    for family in STYLE_FAMILIES:
        assert family in licences
    assert {"NotoSansArabic", "Heebo", "NotoSansCJK"} <= licences


def test_bundle_stays_small() -> None:
    total = sum(f.path.stat().st_size for f in faces().values())
    assert total < 40e6


def test_unknown_face_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown font 'Comic-Bold'"):
        font_path("Comic-Bold")
    with pytest.raises(InputError):
        get_font("Comic-Bold", 20)
    with pytest.raises(InputError, match="unknown font family"):
        resolve_face("hi", "Comic", "bold", "en")


def test_cmap_reader_agrees_with_fonttools() -> None:
    ttlib = pytest.importorskip("fontTools.ttLib")
    for face in faces().values():
        assert coverage(face) == set(ttlib.TTFont(face.path, lazy=True).getBestCmap()), face.id


@pytest.mark.parametrize("size", [6, 7, 12, 13, 17, 31, 64, 99, 150, 301])
def test_metrics_without_opening_the_font_match_freetype(size: int) -> None:
    for face in faces().values():
        assert scaled_metrics(face, size) == line_metrics(get_font(face.id, size)), face.id


# -- script fallback --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "family", "language", "expected"),
    [
        ("Summer sale", "Inter", "en", "Inter-Bold"),
        ("Été: jusqu'à -70 %", "PlayfairDisplay", "fr", "PlayfairDisplay-Bold"),
        ("Летняя распродажа", "Poppins", "ru", "NotoSans-Bold"),
        ("Летняя распродажа", "Montserrat", "ru", "Montserrat-ExtraBold"),
        ("Летняя распродажа", "BebasNeue", "ru", "NotoSans-Bold"),
        ("夏季大促销，全场五折！", "Inter", "zh", "NotoSansSC-Bold"),
        ("iPhone 15 Pro", "Inter", "zh", "NotoSansSC-Bold"),
        ("期間限定セール", "Oswald", "ja", "NotoSansJP-Bold"),
        ("期間限定特價", "Inter", "zh-Hant", "NotoSansTC-Bold"),
        ("SkyFly: טיסות לאילת", "PlayfairDisplay", "he", "Heebo-Bold"),
        ("여름 세일", "Inter", "ko", "NotoSansSC-Bold"),
        ("تخفيضات الصيف", "Inter", "ar", "NotoSansArabic-Bold"),
        ("خصم 50% على iPhone", "Oswald", "ar", "NotoSansArabic-Bold"),
        ("מבצע קיץ", "Inter", "he", "Heebo-Bold"),
        ("Sale تخفيضات Распродажа", "Inter", "en", "NotoSansMulti-Bold"),
    ],
)
def test_text_resolves_to_a_face_that_draws_every_character(
    text: str, family: str, language: str, expected: str
) -> None:
    face = resolve_face(text, family, "bold", language)
    assert face.id == expected
    assert covers(face, text)


@pytest.mark.parametrize(
    ("family", "weight", "expected"),
    [
        ("Inter", "semibold", "Inter-SemiBold"),
        ("Inter", "extrabold", "Inter-ExtraBold"),
        ("Montserrat", "bold", "Montserrat-ExtraBold"),  # 600 and 800 tie: heavier wins
        ("Oswald", "regular", "Oswald-Bold"),  # the only weight there is
        ("Poppins", "extrabold", "Poppins-Bold"),
        ("NotoSans", "semibold", "NotoSans-Bold"),
    ],
)
def test_nearest_weight(family: str, weight: str, expected: str) -> None:
    assert resolve_face("Sale", family, weight, "en").id == expected  # type: ignore[arg-type]


def test_cjk_fallback_keeps_the_weight() -> None:
    assert resolve_face("新品", "Inter", "regular", "zh").id == "NotoSansSC-Regular"
    assert resolve_face("新品", "Inter", "extrabold", "zh").id == "NotoSansSC-Bold"


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("مرحبا بالعالم", "rtl"),
        ("שלום", "rtl"),
        ("2024 عرض", "rtl"),  # digits are weak: the first strong letter decides
        ("Hello مرحبا", "ltr"),
        ("Привет", "ltr"),
        ("中文", "ltr"),
        ("123 !", "ltr"),
        ("", "ltr"),
    ],
)
def test_text_direction(text: str, direction: str) -> None:
    assert text_direction(text) == direction


# -- cleaning ---------------------------------------------------------------------------------


def test_emoji_the_font_has_are_kept_and_flagged() -> None:
    text, warnings = clean_text("Hot deal 🔥🔥 now 👨‍👩‍👧 1️⃣ 🇩🇪 👍🏽 ❤️")
    # The family and the flag are not in the bundled subset; the rest is drawn in colour.
    assert text == "Hot deal 🔥🔥 now 1️⃣ 👍🏽 ❤️"
    assert warnings == [
        "emoji drawn: '🔥', '1️⃣', '👍🏽', '❤️' (in colour, Noto Color Emoji)",
        "removed emoji '👨\u200d👩\u200d👧', '🇩🇪': not in the bundled emoji font",
    ]
    assert clean_text("Sale🔥! Big🎉deal 🎉.")[0] == "Sale🔥! Big🎉deal 🎉."
    # A ZWJ sequence the subset has stays one cluster, joiner and selector included.
    assert clean_text("Hot ❤️‍🔥 now") == (
        "Hot ❤️‍🔥 now",
        ["emoji drawn: '❤️‍🔥' (in colour, Noto Color Emoji)"],
    )


def test_emoji_outside_the_subset_are_removed_with_a_warning() -> None:
    text, warnings = clean_text("Sale 🦄! Fly 🇩🇪 now 🙋‍♀️")
    assert text == "Sale! Fly now"
    assert warnings == ["removed emoji '🦄', '🇩🇪', '🙋‍♀️': not in the bundled emoji font"]
    # A text symbol asked for as emoji that the subset lacks keeps its text form.
    assert clean_text("©️ 2024") == ("© 2024", [])
    # U+FE0E asks for the text symbol: drawn in the text face, not flagged.
    assert clean_text("I ❤︎ it") == ("I ❤ it", [])


def test_text_symbols_are_typography_not_emoji() -> None:
    text, warnings = clean_text("Brand™ ©2024 ® ↔ ★ 50 % 1st")
    assert text == "Brand™ ©2024 ® ↔ ★ 50 % 1st"
    assert warnings == []


def test_invisible_characters_and_whitespace() -> None:
    raw = "  Big\u200b\u200e  sale\t\n\u202eon\u2060 now\ufeff  "
    assert clean_text(raw) == ("Big sale on now", [])
    # Decomposed accents are composed (NFC), so the fonts' precomposed glyphs are used.
    assert clean_text("Cafe\u0301") == ("Café", [])
    # No-break spaces survive (they keep "10 %" together) as the widely covered U+00A0.
    assert clean_text("10\u202f%  and  5 \u00a0 €") == ("10\u00a0% and 5\u00a0€", [])
    # ZWNJ between Arabic-script letters changes joining, so it stays.
    assert clean_text("می\u200cخواهم")[0] == "می\u200cخواهم"


def test_characters_no_font_has_are_removed_with_a_warning() -> None:
    text, warnings = clean_text("Rune ᚠ sale \ue000 \ud800")
    assert text == "Rune sale"
    assert len(warnings) == 1
    assert "'ᚠ' (U+16A0" in warnings[0] and "U+E000" in warnings[0] and "U+D800" in warnings[0]
    warnings[0].encode("utf-8")  # a lone surrogate is described, never copied into a warning


# -- wrapping and fitting ---------------------------------------------------------------------


def test_fit_uses_the_largest_size_that_fits() -> None:
    face = "Inter-Bold"
    text = "Summer sale: everything must go, up to 70% off"
    fit = fit_in(text, face, 500, 300, (12, 120), 3, "en")
    assert fit is not None
    assert_valid_fit(fit, text, 500, 300, 3)
    assert fit.size < 120
    bigger = fit_in(text, face, 500, 300, (fit.size + 1, 120), 3, "en")
    assert bigger is None


def test_roomy_box_gets_max_size_on_one_line() -> None:
    fit = fit_in("Shop now", "Poppins-SemiBold", 2000, 500, (10, 64), 1, "en")
    assert fit is not None and fit.size == 64 and fit.lines == ("Shop now",)


def test_latin_words_are_never_broken() -> None:
    face = "Inter-Bold"
    word = "Supercalifragilisticexpialidocious"
    assert fit_in(word, face, 60, 400, (12, 40), 5, "en") is None
    assert wrap_lines(word, get_font(face, 40), 60, "en", "ltr") is None
    for text, face_id, lang in (
        ("Достопримечательности", "NotoSans-Bold", "ru"),
        ("الاستثمارات", "NotoSansArabic-Bold", "ar"),
    ):
        assert fit_in(text, face_id, 30, 400, (12, 40), 9, lang) is None


def test_cjk_wraps_between_characters_with_kinsoku() -> None:
    text = "限时特价（全场五折）！今天下单，明天送达。「新品」首发、立减五十元。"
    face = resolve_face(text, "Inter", "bold", "zh")
    fit = fit_in(text, face, 260, 1000, (40, 40), 20, "zh")
    assert fit is not None
    assert_valid_fit(fit, text, 260, 1000, 20)
    assert len(fit.lines) > 3
    assert "".join(fit.lines) == text  # no spaces added or lost
    for line in fit.lines:
        assert line[0] not in NO_START, fit.lines
        assert line[-1] not in NO_END, fit.lines


def _widest_whole_phrase(text: str, language: str, font: ImageFont.FreeTypeFont) -> int:
    """The narrowest line that can take every phrase short enough never to be broken."""
    whole = [a.text for a in linebreak.atoms(text, language) if not a.splittable]
    return max([61, *(int(font.getlength(t)) + 1 for t in whole)])


def test_wrap_lines_cjk_kinsoku_at_every_width() -> None:
    text = "今天下单，明天送达。（包邮）「新品」！"
    font = get_font("NotoSansSC-Regular", 20)
    # "品」！" may not be split, so three characters is the narrowest possible line.
    assert wrap_lines(text, font, 59, "zh", "ltr") is None
    for width in range(_widest_whole_phrase(text, "zh", font), 400, 3):
        lines = wrap_lines(text, font, width, "zh", "ltr")
        assert lines is not None
        assert "".join(lines) == text
        assert all(line[0] not in NO_START and line[-1] not in NO_END for line in lines[1:])
        assert all(font.getlength(line) <= width for line in lines)


def test_japanese_small_kana_do_not_start_a_line() -> None:
    text = "ちょっとしたショッピングキャンペーン"
    font = get_font("NotoSansSC-Regular", 20)
    for width in range(_widest_whole_phrase(text, "ja", font), 300, 3):
        lines = wrap_lines(text, font, width, "ja", "ltr")
        assert lines is not None
        assert "".join(lines) == text
        assert all(line[0] not in "ょっャッー" for line in lines), lines
    # Chinese has no small kana rule, so the same text may break before them.
    assert any(
        line[0] in "ょっャッー"
        for width in range(41, 300, 3)
        for line in wrap_lines(text, font, width, "zh", "ltr") or []
    )


def test_spaced_punctuation_never_starts_a_line() -> None:
    font = get_font("NotoSansArabic-Regular", 24)
    for text, direction in (
        ("Grande vente ! Prix « fous » ?", "ltr"),
        ("عرض خاص ، اشتر الآن ؟", "rtl"),
    ):
        for width in range(140, 500, 7):  # the widest glued run is « fous » ?
            lines = wrap_lines(text, font, width, "fr", direction)  # type: ignore[arg-type]
            assert lines is not None
            assert all(line[0] not in "!?»،؟" and line[-1] != "«" for line in lines), lines


def test_long_hangul_word_is_split_between_syllables() -> None:
    text = "초특가할인대박세일이벤트진행중"
    face = resolve_face(text, "Inter", "bold", "ko")
    fit = fit_in(text, face, 200, 400, (30, 60), 5, "ko")
    assert fit is not None
    assert_valid_fit(fit, text, 200, 400, 5)
    assert len(fit.lines) > 1


def test_arabic_fits_right_to_left() -> None:
    text = "تخفيضات الصيف الكبرى على جميع المنتجات"
    face = resolve_face(text, "Inter", "bold", "ar")
    fit = fit_in(text, face, 300, 300, (12, 120), 3, "ar")
    assert fit is not None
    assert fit.direction == "rtl"
    assert_valid_fit(fit, text, 300, 300, 3)
    assert fit.lines[0].startswith("تخفيضات")  # logical order: first words on the first line


def test_arabic_is_shaped_by_raqm() -> None:
    font = get_font("NotoSansArabic-Regular", 64)
    word = "مرحبا"
    joined = font.getlength(word, direction="rtl")
    isolated = sum(font.getlength(letter, direction="rtl") for letter in word)
    assert joined < isolated * 0.9
    # And the drawn ink is as narrow as the measurement says.
    image = Image.new("L", (600, 120), 0)
    ImageDraw.Draw(image).text((580, 10), word, font=font, fill=255, anchor="ra", direction="rtl")
    left, _, right, _ = image.getbbox() or (0, 0, 0, 0)
    assert right - left < isolated * 0.9


def test_hebrew_and_mixed_text_fit() -> None:
    for text, lang in (("מבצע קיץ ענק על כל המוצרים", "he"), ("Sale تخفيضات Распродажа 50%", "en")):
        face = resolve_face(text, "Inter", "bold", lang)
        fit = fit_in(text, face, 250, 300, (10, 80), 4, lang)
        assert fit is not None
        assert_valid_fit(fit, text, 250, 300, 4)


def test_box_too_small_or_degenerate() -> None:
    face = "Inter-Bold"
    assert fit_in("Sale", face, 100, 5, (12, 40), 1, "en") is None
    assert fit_in("Sale", face, 0, 50, (12, 40), 1, "en") is None
    with pytest.raises(ValueError):
        fit_in("Sale", face, 100, 50, (12, 10), 1, "en")
    empty = fit_in("", face, 100, 50, (12, 40), 1, "en")
    assert empty is not None and empty.lines == () and empty.height == 0


# -- properties -------------------------------------------------------------------------------

ALPHABETS = {
    "en": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüßñ0123456789%$€.,!?-'",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ0123456789%.,!-",
    "zh": "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年限折包邮送新品首发"
    "，。！？（）「」、",
    "ar": "ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإةى٠١٢٣٤٥٦٧٨٩%،.!؟",
}
EMOJI = ["🔥", "🎉", "👍🏽", "🇩🇪", "❤️", "👨‍👩‍👧", "1️⃣", "\u200b", "\u202e"]


@st.composite
def ad_copy(draw: st.DrawFn) -> tuple[str, str]:
    """(text, language): words in one script, sometimes with emoji and invisible characters."""
    language = draw(st.sampled_from(sorted(ALPHABETS)))
    letters = st.sampled_from(ALPHABETS[language])
    extras = st.sampled_from(EMOJI) if draw(st.booleans()) else letters
    word = st.lists(st.one_of(letters, letters, letters, extras), min_size=1, max_size=14).map(
        "".join
    )
    separator = "" if language == "zh" and draw(st.booleans()) else " "
    text = separator.join(draw(st.lists(word, min_size=1, max_size=40)))
    return text[:300], language


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    copy=ad_copy(),
    family=st.sampled_from(STYLE_FAMILIES),
    box_w=st.integers(1, 1200),
    box_h=st.integers(1, 800),
    min_size=st.integers(6, 40),
    extra=st.integers(0, 120),
    max_lines=st.integers(1, 6),
)
def test_fit_is_none_or_valid(
    copy: tuple[str, str],
    family: str,
    box_w: int,
    box_h: int,
    min_size: int,
    extra: int,
    max_lines: int,
) -> None:
    raw, language = copy
    text, _ = clean_text(raw)
    assert undrawable(text) == []  # never tofu
    if not text:
        return
    face = resolve_face(text, family, "bold", language)
    # Every character is drawn by the face or, run by run, by its fallback chain.
    assert all(drawn_by(f, part) for part, f in face_runs(text, face))
    fit = fit_text(
        text,
        face,
        box_w=box_w,
        box_h=box_h,
        max_size=min_size + extra,
        min_size=min_size,
        max_lines=max_lines,
        language=language,
    )
    if fit is not None:
        assert min_size <= fit.size <= min_size + extra
        assert fit.direction == paragraph_direction(language)
        assert_valid_fit(fit, text, box_w, box_h, max_lines)


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1, max_size=300))
def test_cleaning_any_string_leaves_only_drawable_text(text: str) -> None:
    cleaned, warnings = clean_text(text)
    assert undrawable(cleaned) == []
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert all(isinstance(w, str) and w for w in warnings)
    face = resolve_face(cleaned, "Inter", "regular", "en") if cleaned else None
    assert face is None or isinstance(face, FontFace)


def test_font_loaded_from_bytes_still_wraps() -> None:
    data = font_path("Inter-Regular").read_bytes()
    import io

    font = ImageFont.truetype(io.BytesIO(data), 30, layout_engine=ImageFont.Layout.RAQM)
    lines = wrap_lines("one two three four five six", font, 150, "en", "ltr")
    assert lines is not None and len(lines) > 1
    assert all(font.getlength(line) <= 150 for line in lines)
