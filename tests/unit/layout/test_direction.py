"""Paragraph direction comes from the brief's language, and bidi orders mixed text inside it:
checked in the layout (what the manifest records) and in the pixels (where each part lands)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from adcraft.compose import CopyBook, Variant, plan_creative
from adcraft.cv import cv2
from adcraft.domain.brief import Brief, Price
from adcraft.domain.creative import TEXT_KINDS
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.layout import bidi
from adcraft.layout.fonts import faces
from adcraft.layout.styles import get_style
from adcraft.layout.typography import fit_text, paragraph_direction, resolve_face
from adcraft.render.text import line_art, visual_pieces
from tests.unit.layout.test_solve_properties import _job

SKYFLY = "SkyFly: טיסות לאילת מ-249 ₪"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("he", "rtl"),
        ("ar", "rtl"),
        ("fa", "rtl"),
        ("ur", "rtl"),
        ("he-IL", "rtl"),
        ("ar_EG", "rtl"),
        ("en", "ltr"),
        ("ja", "ltr"),
        ("ru", "ltr"),
    ],
)
def test_paragraph_direction_is_the_languages(language: str, expected: str) -> None:
    assert paragraph_direction(language) == expected


def test_latin_first_hebrew_is_still_a_right_to_left_paragraph() -> None:
    face = resolve_face(SKYFLY, "Inter", "bold", "he")
    fit = fit_text(
        SKYFLY, face, box_w=2000, box_h=500, max_size=40, min_size=12, max_lines=2, language="he"
    )
    assert fit is not None and fit.direction == "rtl"
    # The same words in an English brief stay a left-to-right paragraph.
    fit_en = fit_text(
        SKYFLY, face, box_w=2000, box_h=500, max_size=40, min_size=12, max_lines=2, language="en"
    )
    assert fit_en is not None and fit_en.direction == "ltr"


def _match_x(haystack: Image.Image, needle: Image.Image) -> tuple[int, float]:
    """Left x of the best match of ``needle`` in ``haystack`` (both masks) and its score."""
    hay = np.asarray(haystack, dtype=np.float32)
    pin = np.asarray(needle, dtype=np.float32)
    pad = np.zeros((max(hay.shape[0], pin.shape[0]) + 4, hay.shape[1] + 4), np.float32)
    pad[2 : 2 + hay.shape[0], 2 : 2 + hay.shape[1]] = hay
    scores = cv2.matchTemplate(pad, pin, cv2.TM_CCOEFF_NORMED)
    _, best, _, (x, _) = cv2.minMaxLoc(scores)
    return x - 2, float(best)


def test_rtl_line_puts_the_latin_brand_right_and_the_shekel_beside_its_number() -> None:
    face = "Heebo-Bold"
    size = 48
    rtl = line_art(face, size, SKYFLY, True)
    ltr = line_art(face, size, SKYFLY, False)
    brand = line_art(face, size, "SkyFly", False).mask
    shekel = line_art(face, size, "249 ₪", True).mask
    x_brand, score = _match_x(rtl.mask, brand)
    assert score > 0.9
    x_price, score_price = _match_x(rtl.mask, shekel)
    assert score_price > 0.9
    width = rtl.mask.width
    # Right to left: the sentence starts at the right edge, so the brand is drawn there and
    # "249 ₪" (₪ to the left of its number, as Hebrew reads) closes the line at the left.
    assert x_brand + brand.width > width * 0.8
    assert x_price < width * 0.2
    # The left-to-right paragraph (the old behaviour) puts the brand at the left instead.
    x_brand_ltr, _ = _match_x(ltr.mask, brand)
    assert x_brand_ltr < width * 0.2


def test_bidi_levels_and_visual_order() -> None:
    # Hebrew paragraph: letters level 1, Latin and digits level 2, the colon and spaces take
    # the paragraph's level between runs of different direction.
    text = "SkyFly: מ-249"
    levels = bidi.levels(text, rtl=True)
    assert levels[:6] == [2] * 6  # SkyFly
    assert levels[6] == 1  # ":" between L and R
    assert levels[8] == 1  # מ
    assert levels[-3:] == [2, 2, 2]  # 249
    assert bidi.levels("abc", rtl=False) == [0, 0, 0]
    assert bidi.levels("שלום 20%", rtl=True)[-3:] == [2, 2, 2]  # the % joins its number
    assert bidi.visual_order([1, 2, 1]) == [2, 1, 0]
    assert bidi.visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]
    assert bidi.visual_order([1, 2, 2, 1]) == [3, 1, 2, 0]


def test_runs_of_several_faces_keep_bidi_order() -> None:
    face = faces()["NotoSansArabic-Bold"]
    pieces = visual_pieces("خصم ❤ 20%", face, rtl=True)
    # Seen left to right: the number (after an Arabic letter its digits are Arabic numbers
    # and the % a neutral, so UAX #9 shows "%20" as browsers do), the heart in the symbol
    # face, then the Arabic word at the right, where the sentence starts.
    where = {p.text.strip(): i for i, p in enumerate(pieces) if p.text.strip()}
    assert where["20"] < where["❤"] < where["خصم"]
    assert pieces[where["❤"]].face.id.startswith("NotoSansSymbols2")


@pytest.mark.parametrize(
    ("language", "title", "offer"),
    [
        ("he", SKYFLY, "250 ₪ הנחה על כל הטיסות"),
        ("ar", "SkyFly: رحلات إلى دبي", "خصم 30% على كل الرحلات"),
    ],
)
def test_every_text_element_of_an_rtl_brief_is_rtl(language: str, title: str, offer: str) -> None:
    brief = Brief(
        product_name=title, offer=offer, language=language, price=Price(amount=249, currency="ILS")
    )
    job = _job(brief, with_product=True)
    book = CopyBook(job)
    kinds: set[str] = set()
    for i, template in enumerate(("classic", "promo")):
        variant = Variant(i, get_style("minimal" if i == 0 else "bold"), load_template(template))
        for fmt_id in ("1:1", "300x250", "728x90", "9:16"):
            fmt = default_registry().select(fmt_id)[0]
            layout = plan_creative(job, book, variant, fmt).layout
            for el in layout.elements:
                if el.kind in TEXT_KINDS and el.lines:
                    kinds.add(el.kind)
                    assert el.direction == "rtl", (fmt.id, el.kind, el.text)
                    if el.align != "center":
                        assert el.align == "right", (fmt.id, el.kind)
    # Badges, prices and buttons (digits and currency only, often) are RTL too.
    assert {"headline", "cta", "price"} <= kinds


def test_a_number_after_a_latin_brand_and_a_colon_stays_with_its_hebrew_words() -> None:
    """ "Staywell Hotels: 20% הנחה": by rule W7 alone "20%" joins the Latin run and is drawn at
    its far (left) end, away from "הנחה", so the line reads "… Hotels: 20%" then "הנחה". With
    the mark it sits between the brand and its word, as a Hebrew reader expects."""
    face, size = "Heebo-Bold", 48
    line = "Staywell Hotels: 20% הנחה"
    drawn = line_art(face, size, line, True).mask
    brand = line_art(face, size, "Staywell Hotels", False).mask
    percent = line_art(face, size, "20%", False).mask
    word = line_art(face, size, "הנחה", True).mask
    x_brand, s1 = _match_x(drawn, brand)
    x_percent, s2 = _match_x(drawn, percent)
    x_word, s3 = _match_x(drawn, word)
    assert min(s1, s2, s3) > 0.9
    # Right to left: the brand at the right, then "20%", then "הנחה" at the left.
    assert x_word < x_percent < x_brand
    # A number joined to a Latin word by a space is part of a name: "iPhone 15" stays whole.
    assert bidi.mark_numbers("iPhone 15 במבצע") == "iPhone 15 במבצע"
    assert bidi.mark_numbers(line) == f"Staywell Hotels: {bidi.RLM}20% הנחה"
