"""A sale price shows what it is taken from: the brief's regular price is drawn struck through
before the price ("~~239 €~~ 179 €"), and a discount that promises more than the two prices
give is never publishable."""

from __future__ import annotations

import numpy as np
import pytest

from adcraft import generate
from adcraft.copywriting.claimcheck import context_for_brief, sale_contradictions
from adcraft.domain.brief import Brief, Price
from adcraft.domain.creative import Background, Element, Layout
from adcraft.errors import InvalidBrief
from adcraft.layout.fonts import resolve_face
from adcraft.layout.styles import get_style
from adcraft.pipeline import _palette
from adcraft.render.color import contrast_ratio
from adcraft.render.draw import render
from adcraft.render.text import line_art

EUR = "EUR"


def _brief(offer: str, price: float, regular: float | None, language: str = "de") -> Brief:
    return Brief(
        product_name="Barista Pro",
        offer=offer,
        price=Price(amount=price, currency=EUR),
        regular_price=Price(amount=regular, currency=EUR) if regular is not None else None,
        language=language,
    )


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"regular_price": Price(amount=239, currency=EUR)}, "without price"),
        (
            {
                "price": Price(amount=179, currency=EUR),
                "regular_price": Price(amount=239, currency="USD"),
            },
            "one currency",
        ),
        (
            {
                "price": Price(amount=179, currency=EUR),
                "regular_price": Price(amount=179, currency=EUR),
            },
            "not above price",
        ),
    ],
)
def test_a_regular_price_that_cannot_be_struck_is_refused_by_name(
    fields: dict[str, Price], says: str
) -> None:
    with pytest.raises(InvalidBrief, match="regular_price") as err:
        Brief(product_name="Barista Pro", **fields)
    assert says in str(err.value)


def test_the_price_pill_starts_with_the_struck_regular_price_in_every_size() -> None:
    brief = _brief("Nur diese Woche: 25% Rabatt", 179, 239)
    made = generate(
        brief,
        formats="meta_feed_square,iab_medium_rectangle,iab_leaderboard,iab_mobile_leaderboard",
        variants=2,
        workers=1,
    )
    pills = [e for c in made.creatives for e in c.elements if e.kind == "price"]
    assert len(pills) == len(made.creatives)
    for pill in pills:
        assert pill.struck == "239\u00a0€"
        # The prior price leads (alone on its line in a narrow pill); the sale price follows.
        assert pill.lines[0].startswith(pill.struck)
        assert "".join(pill.lines).endswith("179\u00a0€")
    assert all(c.publishable for c in made.creatives), [
        c.publishable_reasons for c in made.creatives
    ]


def test_a_price_led_headline_still_gets_the_struck_regular_price() -> None:
    """Without a sale, a headline that states the price gets no pill (test_price_once.py); with
    one, the pill stays: the headline does not say what the price was."""
    brief = Brief(
        product_name="Habla Spanish Course",
        offer="Primera semana gratis",
        price=Price(amount=19.99, currency=EUR),
        regular_price=Price(amount=29.99, currency=EUR),
        language="es",
    )
    made = generate(brief, formats="iab_leaderboard,iab_half_page", variants=6, workers=1, seed=1)
    price_led = 0
    for c in made.creatives:
        texts = [e.text or "" for e in c.elements if e.kind not in ("price", "product")]
        price_led += any("19,99" in t for t in texts)
        pills = [e for e in c.elements if e.kind == "price"]
        assert [p.struck for p in pills] == ["29,99\u00a0€"], (c.file, texts)
    assert price_led, "no variant led with the price: the test would prove nothing"


def test_without_a_regular_price_the_pill_is_the_price_alone() -> None:
    made = generate(_brief("Nur diese Woche: 25% Rabatt", 179, None), formats="1:1", variants=1)
    (pill,) = [e for e in made.creatives[0].elements if e.kind == "price"]
    assert pill.struck is None and pill.lines == ("179\u00a0€",)


def _drawn(struck: str | None, text: str, language: str) -> np.ndarray:
    rtl = language in ("he", "ar")
    face = resolve_face(text, "Inter", "bold", language)
    size = 40
    width = round(line_art(face.id, size, text, rtl).advance)
    pill = Element(
        kind="price",
        box=(40, 40, width + 80, 90),
        text=text,
        lines=(text,),
        font=face.id,
        font_size=size,
        line_height=round(size * 1.2),
        plate="rounded",
        plate_box=(40, 40, width + 80, 90),
        align="center",
        direction="rtl" if rtl else "ltr",
        struck=struck,
    )
    layout = Layout(
        format_id="test",
        width=width + 160,
        height=170,
        template="test",
        style="minimal",
        arrangement="text_only",
        background=Background(kind="solid", colors=("#ffffff",)),
        elements=(pill,),
    )
    palette = _palette(Brief(product_name="x"), None)
    return np.asarray(render(layout, None, palette, get_style("minimal")).image.convert("L"))


@pytest.mark.parametrize(
    ("struck", "text", "language"),
    [("239\u00a0€", "239\u00a0€ 179\u00a0€", "de"), ("249\u00a0₪", "249\u00a0₪ 199\u00a0₪", "he")],
)
def test_the_prior_price_is_struck_through_and_set_lighter_than_the_price(
    struck: str, text: str, language: str
) -> None:
    plain, drawn = _drawn(None, text, language), _drawn(struck, text, language)
    size = 40
    rtl = language == "he"
    face = resolve_face(text, "Inter", "bold", language)
    line_w = line_art(face.id, size, text, rtl).advance
    struck_w = line_art(face.id, size, struck, rtl).advance
    left = 40 + (line_w + 80 - line_w) / 2  # the line is centred in its plate
    start = round(left + line_w - struck_w if rtl else left)
    end = round(start + struck_w)
    prior = slice(start + 2, end - 2)
    price = slice(round(left), start - 4) if rtl else slice(end + 4, round(left + line_w))
    plate = np.median(drawn[:, 5:15])  # the plate's colour, left of the text
    # The strike: rows inked across the whole prior price, one thin line in the middle third
    # of the figures' height, and nothing of the kind across the price.
    inked = np.abs(drawn.astype(int) - plate) > 40
    across = np.nonzero(inked[:, prior].all(axis=1))[0]
    assert across.size, "nothing was struck"
    assert across.size <= max(1, round(size * 0.07)) + 1
    assert not inked[:, price].all(axis=1).any()
    ink_rows = np.nonzero((plain[:, prior] < 128).any(axis=1))[0]
    top, bottom = ink_rows.min(), ink_rows.max()
    assert top + (bottom - top) / 3 <= across.mean() <= top + 2 * (bottom - top) / 3
    # The sale price is drawn exactly as without a sale; the prior price is lighter, yet
    # still at least 4.5:1 against the plate.
    assert np.array_equal(plain[:, price], drawn[:, price])
    darkest_prior, darkest_price = int(drawn[:, prior].min()), int(drawn[:, price].min())
    assert darkest_prior > darkest_price + 30
    assert contrast_ratio((darkest_prior,) * 3, (int(plate),) * 3) >= 4.5


@pytest.mark.parametrize(
    ("offer", "regular", "faulty"),
    [
        ("Nur diese Woche: 25% Rabatt", 239, False),  # 25.1 % off
        ("Nur diese Woche: 30% Rabatt", 239, True),
        ("Spare 60 €", 239, False),  # saves 60 €
        ("Spare 100 €", 239, True),
        ("25% Rabatt für Neukunden", 200, False),  # a condition: about someone, not the prices
    ],
)
def test_a_discount_larger_than_the_prices_give_is_a_brief_fault(
    offer: str, regular: float, faulty: bool
) -> None:
    brief = _brief(offer, 179, regular)
    faults = sale_contradictions(context_for_brief(brief))
    assert bool(faults) == faulty, faults
    if faulty:
        made = generate(brief, formats="1:1", variants=1)
        assert not made.creatives[0].publishable
        assert any(
            "promises more than the prices give" in r for r in made.creatives[0].publishable_reasons
        )
