"""Google responsive display ads refuse an image whose text covers more than 20 % of it: the
layout keeps under a format's text cap (smaller text, then no body), and a creative that still
covers more is not publishable."""

from __future__ import annotations

import numpy as np
import pytest

from adcraft import generate
from adcraft.domain.creative import TEXT_KINDS, Layout
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.layout.solve import SolveInput, solve
from adcraft.layout.styles import get_style
from adcraft.products import brief_from_record, find_record
from tests.conftest import PRODUCTS, PRODUCTS_FILE

# The reviewer's case: coffee-maker (with its photo), google_rda_landscape v2 covered 20.9 %.
COFFEE = brief_from_record(find_record(PRODUCTS, "coffee-maker"), PRODUCTS_FILE.parent)


def test_google_responsive_display_caps_text_at_a_fifth_of_the_image() -> None:
    formats = default_registry()
    assert formats["google_rda_landscape"].max_text_share == 0.2
    assert formats["google_rda_square"].max_text_share == 0.2
    assert formats["meta_feed_square"].max_text_share is None


def test_the_reviewers_creative_keeps_under_the_cap_and_is_publishable() -> None:
    made = generate(COFFEE, formats="google_rda_landscape,google_rda_square", variants=2)
    assert len(made.creatives) == 4
    for c in made.creatives:
        assert c.metrics["text_share"] <= 0.2, (c.file, c.metrics["text_share"])
        assert not [r for r in c.publishable_reasons if "of the image" in r], c.publishable_reasons
        assert any(e.kind == "headline" for e in c.elements)  # still an ad, not an empty image


def text_share(layout: Layout) -> float:
    """The share of the canvas text and logo cover, counted pixel by pixel."""
    mask = np.zeros((layout.height, layout.width), dtype=bool)
    for e in layout.elements:
        if e.kind in TEXT_KINDS or e.kind == "logo":
            x, y, w, h = e.box
            mask[max(0, y) : max(0, y + h), max(0, x) : max(0, x + w)] = True
    return float(mask.mean())


def _layout(cap: float | None) -> tuple[float, tuple[str, ...]]:
    fmt = default_registry()["google_rda_landscape"].model_copy(update={"max_text_share": cap})
    layout = solve(
        SolveInput(
            template=load_template("classic"),
            fmt=fmt,
            style=get_style("bold"),
            copy={
                "headline": "Nur diese Woche: 25% Rabatt auf die Barista Mini",
                "body": "15 bar, in 30 Sekunden bereit, mit Milchaufschäumer für jede Küche.",
                "cta": "Jetzt kaufen",
            },
            language="de",
            product_aspect=1.0,
        )
    )
    return text_share(layout), layout.dropped_fields


def test_the_layout_sets_text_smaller_then_leaves_out_the_body_to_keep_under_the_cap() -> None:
    free, _ = _layout(None)
    assert free > 0.12  # the test would prove nothing if the text were small anyway
    share, dropped = _layout(0.95 * free)
    assert share <= 0.95 * free and "body" not in dropped  # a little smaller is enough
    share, dropped = _layout(0.6 * free)
    assert share <= 0.6 * free and "body" in dropped
    # A cap nothing keeps to leaves the layout as it was: the creative is then not publishable.
    assert _layout(0.2 * free) == (free, ())


def test_a_creative_over_the_cap_is_not_publishable_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A cap no layout can keep (1 % of the image) stands in for text that will not shrink.
    registry = default_registry()
    strict = registry["google_rda_landscape"].model_copy(update={"max_text_share": 0.01})
    monkeypatch.setitem(registry._by_id, "google_rda_landscape", strict)
    made = generate(COFFEE, formats="google_rda_landscape", variants=1)
    (c,) = made.creatives
    assert not c.publishable
    assert any(
        r.startswith("google_rda_landscape: text covers ") and "more than the 1%" in r
        for r in c.publishable_reasons
    ), c.publishable_reasons
