"""A hand adjustment of one size moves the product and the text block, and is refused — with
every reason — where it would put text over the product, text where the platform's own UI
covers the image, or the product off the image."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image
from pydantic import ValidationError

from adcraft.compose import CopyBook, Job, Made, Variant, make_creative, plan_creative
from adcraft.domain.brief import Brief
from adcraft.domain.creative import TEXT_KINDS, Element, Layout
from adcraft.domain.formats import Format, default_registry
from adcraft.domain.template import load_template
from adcraft.layout.placement import Placement, PlacementRefused, crop_box, place
from adcraft.layout.styles import get_style
from adcraft.tasks.outputs import layout_boxes
from tests.unit.layout.test_solve_properties import _job

BRIEF = Brief(product_name="Trail 3 Tent", offer="20% off this weekend")
VARIANT = Variant(0, get_style("minimal"), load_template("classic"))


def _plan(format_id: str) -> tuple[Format, Layout]:
    fmt = default_registry()[format_id]
    job = _job(BRIEF, with_product=True)
    return fmt, plan_creative(job, CopyBook(job), VARIANT, fmt).layout


def _one(layout: Layout, kind: str) -> Element:
    return next(e for e in layout.elements if e.kind == kind)


def _text_bounds(layout: Layout) -> tuple[int, int, int, int]:
    boxes = [e.plate_box or e.box for e in layout.elements if e.kind in TEXT_KINDS]
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    return left, top, max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)


def test_moves_are_applied_to_the_product_and_to_the_text_block_as_one() -> None:
    fmt, layout = _plan("meta_feed_square")
    p = Placement(product_dy=0.02, product_scale=0.9, text_dy=-0.02)
    moved = place(layout, p, fmt.safe_box())
    _, y, w, h = _one(layout, "product").box
    _, ny, nw, nh = _one(moved, "product").box
    assert (nw, nh) == (round(w * 0.9), round(h * 0.9))
    assert abs((ny + nh / 2) - (y + h / 2) - 0.02 * fmt.size[1]) <= 1
    for old, new in zip(layout.elements, moved.elements, strict=True):
        if old.kind in TEXT_KINDS:
            assert new.box == (old.box[0], old.box[1] - round(0.02 * 1080), *old.box[2:])
    assert place(layout, Placement(), fmt.safe_box()) is layout


def test_text_moved_onto_the_product_is_refused_naming_it() -> None:
    fmt, layout = _plan("meta_feed_square")
    product = _one(layout, "product").box
    left, top, right, bottom = _text_bounds(layout)
    # Move the text block so its centre lands on the product's centre.
    dx = ((product[0] + product[2] / 2) - (left + right) / 2) / fmt.size[0]
    dy = ((product[1] + product[3] / 2) - (top + bottom) / 2) / fmt.size[1]
    with pytest.raises(PlacementRefused, match="would cover the product"):
        place(layout, Placement(text_dx=dx, text_dy=dy), fmt.safe_box())


def test_text_moved_under_the_platforms_own_buttons_is_refused() -> None:
    fmt, layout = _plan("meta_stories")  # the bottom 20 % is Meta's reply bar and CTA
    _, _, _, bottom = _text_bounds(layout)
    down = (fmt.size[1] * 0.85 - bottom) / fmt.size[1]
    with pytest.raises(PlacementRefused, match="safe area"):
        place(layout, Placement(text_dy=down), fmt.safe_box())


def test_every_broken_rule_is_named_at_once() -> None:
    fmt, layout = _plan("meta_feed_square")
    with pytest.raises(PlacementRefused) as refused:
        place(layout, Placement(product_dx=0.9, text_dy=0.9), fmt.safe_box())
    said = str(refused.value)
    assert "the product would leave the image" in said and "safe area" in said


def test_an_adjusted_creative_is_drawn_where_it_was_placed() -> None:
    fmt = default_registry()["meta_feed_square"]
    job = _job(BRIEF, with_product=True)
    plain = make_creative(job, CopyBook(job), VARIANT, fmt)
    moved = make_creative(job, CopyBook(job), VARIANT, fmt, Placement(product_scale=0.8))
    assert _one(moved.layout, "product").box[2] == round(_one(plain.layout, "product").box[2] * 0.8)
    assert moved.data != plain.data
    assert moved.publishable


def test_an_adjustment_that_other_changes_no_longer_fit_is_set_aside_with_a_warning() -> None:
    from adcraft.tasks.render_job import make_placed

    fmt, layout = _plan("meta_feed_square")
    product = _one(layout, "product").box
    left, top, right, bottom = _text_bounds(layout)
    onto = {
        "text_dx": ((product[0] + product[2] / 2) - (left + right) / 2) / fmt.size[0],
        "text_dy": ((product[1] + product[3] / 2) - (top + bottom) / 2) / fmt.size[1],
    }
    job = _job(BRIEF, with_product=True)
    # Saving this adjustment is refused...
    with pytest.raises(PlacementRefused):
        make_placed(job, CopyBook(job), VARIANT, fmt, onto, "place")
    # ...but when new text no longer fits a saved one, the size keeps the engine's layout.
    made, notes = make_placed(job, CopyBook(job), VARIANT, fmt, onto, "regenerate_text")
    assert [e.box for e in made.layout.elements if e.kind == "headline"] == [
        e.box for e in layout.elements if e.kind == "headline"
    ]
    assert notes and "set aside" in notes[0] and "would cover the product" in notes[0]


def _framed_job() -> Job:
    """A framed photo (no cut-out): red on its left half, blue on its right."""
    job = _job(BRIEF, with_product=True)
    assert job.visual is not None
    photo = Image.new("RGBA", (400, 600), (220, 20, 20, 255))
    photo.paste((20, 20, 220, 255), (200, 0, 400, 600))
    return replace(job, visual=replace(job.visual, image=photo, has_cutout=False))


def _product_pixels(made: Made) -> np.ndarray:
    x, y, w, h = _one(made.layout, "product").box
    rgb = np.asarray(Image.open(io.BytesIO(made.data)).convert("RGB"), dtype=np.int16)
    return rgb[y + h // 4 : y + 3 * h // 4, x + w // 4 : x + 3 * w // 4].reshape(-1, 3)


def test_a_photo_is_cropped_around_the_chosen_focal_point() -> None:
    """Zoomed in twice on the left half's centre, the size shows only the red half's middle."""
    fmt = default_registry()["meta_feed_square"]
    job = _framed_job()
    whole = _product_pixels(make_creative(job, CopyBook(job), VARIANT, fmt))
    crop = Placement(photo_zoom=2.0, photo_x=0.25, photo_y=0.5)
    made = make_creative(job, CopyBook(job), VARIANT, fmt, crop)
    zoomed = _product_pixels(made)
    red = (zoomed[:, 0] > 150) & (zoomed[:, 2] < 90)
    assert red.mean() > 0.98
    assert 0.3 < ((whole[:, 0] > 150) & (whole[:, 2] < 90)).mean() < 0.7  # both halves before
    assert made.publishable
    assert layout_boxes(made.layout.elements)[0] == {
        "kind": "product",
        "box": list(_one(made.layout, "product").box),
        "framed": True,
    }
    # The photo keeps its shape, so the layout is the engine's own.
    plain = make_creative(job, CopyBook(job), VARIANT, fmt)
    assert [e.box for e in made.layout.elements] == [e.box for e in plain.layout.elements]


def test_the_crop_stays_inside_the_photo() -> None:
    assert crop_box(400, 600, Placement(photo_zoom=2.0, photo_x=0.0, photo_y=1.0)) == (
        0,
        300,
        200,
        300,
    )
    assert crop_box(400, 600, Placement(photo_zoom=4.0, photo_x=0.5, photo_y=0.5)) == (
        150,
        225,
        100,
        150,
    )


def test_a_cut_out_product_is_never_cropped() -> None:
    """Cropping a cut-out would end its outline in a straight cut: refused, saying what to do."""
    fmt = default_registry()["meta_feed_square"]
    job = _job(BRIEF, with_product=True)  # a cut-out
    with pytest.raises(PlacementRefused, match=r"cut out of its photo.*larger instead"):
        make_creative(job, CopyBook(job), VARIANT, fmt, Placement(photo_zoom=1.5))


def test_a_zoom_past_the_photos_sharpness_is_refused_as_bad_input() -> None:
    with pytest.raises(ValidationError, match="photo_zoom"):
        Placement.model_validate({"photo_zoom": 8})


def test_a_size_may_keep_the_photos_background_and_then_crop_it() -> None:
    """The cut-out is the engine's choice; one size may show the photo whole instead (framed),
    and then crop it. A picture given transparent has no background to keep: refused."""
    fmt = default_registry()["meta_feed_square"]
    framed = _framed_job()
    job = replace(_job(BRIEF, with_product=True), framed_visual=framed.visual)
    kept = make_creative(job, CopyBook(job), VARIANT, fmt, Placement(keep_background=True))
    assert _one(kept.layout, "product").plate == "rounded"
    cut = make_creative(job, CopyBook(job), VARIANT, fmt)
    assert _one(cut.layout, "product").plate == "none" and kept.data != cut.data
    zoomed = make_creative(
        job,
        CopyBook(job),
        VARIANT,
        fmt,
        Placement(keep_background=True, photo_zoom=2.0, photo_x=0.25),
    )
    red = _product_pixels(zoomed)
    assert ((red[:, 0] > 150) & (red[:, 2] < 90)).mean() > 0.98
    transparent = _job(BRIEF, with_product=True)  # no framed photo: it came transparent
    with pytest.raises(PlacementRefused, match="no background to keep"):
        make_creative(
            transparent, CopyBook(transparent), VARIANT, fmt, Placement(keep_background=True)
        )
