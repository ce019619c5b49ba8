"""Brand colours in CSS notation become the #rrggbb a browser gives for them."""

from __future__ import annotations

import pytest

from adcraft.domain.colors import to_hex

# What Chromium's canvas answers for each (fillStyle), where a naive conversion is one off.
CHROMIUM = {
    "hsl(210, 80%, 50%)": "#1980e6",
    "hsl(46, 50%, 50%)": "#bfa140",
    "hsl(92, 100%, 25%)": "#3c8000",
    "hsl(138, 100%, 50%)": "#00ff4d",
    "hsl(230, 50%, 25%)": "#202b60",
    "hsl(322, 100%, 50%)": "#ff00a1",
    "hsl(0.5turn 100% 25%)": "#008080",
    "hsl(-120, 100%, 50%)": "#0000ff",
    "rgb(10%, 20%, 30%)": "#1a334d",
    "rgb(26.5, 95, 208)": "#1b5fd0",
    "rgb(26 95 208 / 100%)": "#1a5fd0",
    "RebeccaPurple": "#663399",
    "1A5FD0": "#1a5fd0",
    "#abcf": "#aabbcc",
}


@pytest.mark.parametrize(("typed", "want"), CHROMIUM.items())
def test_same_hex_as_the_browser(typed: str, want: str) -> None:
    assert to_hex(typed) == want


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("rgba(0, 0, 0, 0.5)", "partly transparent (alpha 0.5)"),
        ("hsl(210 80% 50% / 40%)", "partly transparent (alpha 40%)"),
        ("#00000080", "partly transparent (alpha #80)"),
        ("transparent", "is transparent"),
        ("rgb(256, 0, 0)", "256 is outside 0–255"),
        ("hsl(210, 80, 50)", "hsl() takes a hue and two percentages"),
        ("rgb(1, 2)", "rgb() takes three values"),
        ("currentcolor", "is not a colour"),
        ("abcd", "is not a colour"),
    ],
)
def test_refused_with_the_value_and_why(typed: str, said: str) -> None:
    with pytest.raises(ValueError) as err:
        to_hex(typed)
    assert repr(typed) in str(err.value) and said in str(err.value)
