"""Small display sizes: the solver shortens the field that is really too long, a 320x50 keeps a
button that needs more than a third of its row, and small print goes where there is room.

Blaming the wrong field costs the ad its message: when a call to action too wide for the column
made the copy not fit, the solver blamed the longest text (the headline), the copywriter was
asked for ever shorter headlines, and the button that was the problem never changed.
"""

from __future__ import annotations

import pytest

from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.errors import CopyTooLong
from adcraft.layout.solve import SolveInput, solve
from adcraft.layout.styles import get_style

HEADLINE = "Fresh coffee beans roasted every week"
WIDE_CTA = "Bestellensiejetztundsparensieheutevielgeldjetzt"  # one word, wider than the column


def _input(
    format_id: str,
    copy: dict[str, str],
    language: str,
    *,
    aspect: float | None = 0.67,
    style: str = "minimal",
    extra: dict[str, str] | None = None,
) -> SolveInput:
    more = {"extra_fields": extra} if extra else {}
    return SolveInput(
        template=load_template("classic"),
        fmt=default_registry()[format_id],
        style=get_style(style),
        copy=copy,
        language=language,
        product_aspect=aspect,
        **more,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("aspect", [None, 0.67])
@pytest.mark.parametrize("format_id", ["iab_medium_rectangle", "iab_large_rectangle"])
def test_a_button_too_wide_for_the_column_is_blamed_not_the_headline(
    format_id: str, aspect: float | None
) -> None:
    with pytest.raises(CopyTooLong) as caught:
        solve(_input(format_id, {"headline": HEADLINE, "cta": WIDE_CTA}, "de", aspect=aspect))
    assert caught.value.field == "cta", str(caught.value)
    # The estimate is for the button's own width: shorter than what it has now.
    assert caught.value.fits_chars < len(WIDE_CTA) - 5


def test_the_headline_alone_fits_where_the_button_was_blamed() -> None:
    # The headline the old solver asked to shorten lays out fine beside a normal button.
    layout = solve(_input("iab_medium_rectangle", {"headline": HEADLINE, "cta": "Bestellen"}, "de"))
    shown = {e.kind: e.text for e in layout.elements if e.text}
    assert shown["headline"] == HEADLINE and shown["cta"] == "Bestellen"


@pytest.mark.parametrize(
    ("cta", "style"), [("Jetzt bestellen", "minimal"), ("Jetzt kaufen", "bold")]
)
def test_a_mobile_banner_keeps_a_button_wider_than_a_third_of_its_row(cta: str, style: str) -> None:
    # "Jetzt bestellen" at 12 px is about 109 px with its padding: more than a third of the
    # 320x50's row (98 px), well under its 42 %.
    copy = {"headline": "Röstwerk Kaffee", "cta": cta}
    layout = solve(_input("iab_mobile_leaderboard", copy, "de", style=style))
    buttons = [e for e in layout.elements if e.kind == "cta"]
    assert buttons and buttons[0].text.casefold() == cta.casefold()
    headline = next(e for e in layout.elements if e.kind == "headline")
    assert headline.text.casefold() == "röstwerk kaffee"
    # Button and headline do not overlap.
    hx, _, hw, _ = headline.box
    assert hx + hw <= buttons[0].box[0]


@pytest.mark.parametrize("format_id", ["iab_banner", "iab_leaderboard"])
def test_the_deadline_goes_on_a_small_print_line_where_the_banner_has_room(format_id: str) -> None:
    copy = {"headline": "20% off all tents", "cta": "Shop now"}
    extra = {"disclaimer": "This weekend only"}
    layout = solve(_input(format_id, copy, "en", extra=extra))
    shown = {e.kind: e for e in layout.elements if e.text}
    assert shown["disclaimer"].text == "This weekend only"
    assert shown["headline"].text == "20% off all tents" and shown["cta"].text == "Shop now"
    # Small print under the headline, inside the banner.
    head, small = shown["headline"].box, shown["disclaimer"].box
    assert small[1] >= head[1] + head[3]
    assert small[1] + small[3] <= layout.height


def test_small_print_is_the_first_thing_left_out_when_there_is_no_room() -> None:
    copy = {"headline": "Trail 3: 20% off all tents and free shipping", "cta": "Shop now"}
    extra = {"disclaimer": "This weekend only, while stocks last in all our stores"}
    layout = solve(_input("iab_mobile_leaderboard", copy, "en", extra=extra))
    kinds = {e.kind for e in layout.elements}
    assert {"headline", "cta"} <= kinds
    assert "disclaimer" not in kinds and "disclaimer" in layout.dropped_fields
