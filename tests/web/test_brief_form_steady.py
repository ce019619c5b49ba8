"""The brief form does not move under the marketer when the photo arrives: the picture's frame
is there, one fixed height, from the moment "Upload a photo" is chosen, and a tall or a wide
picture fills the same frame. Positions are compared once each state is reached, so nothing
depends on timing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from tests.web.harness import WebServer, sign_in


def _top(page: Any, selector: str) -> float:
    """Where ``selector`` starts on the page (not in the window, which scrolls)."""
    return float(
        page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top + scrollY")
    )


def test_the_form_below_the_photo_stays_put_when_a_photo_arrives(
    page: Any, server: WebServer, tmp_path: Path, artifacts: Path
) -> None:
    sign_in(page, server.url, server.key)
    page.get_by_label("Upload a photo").check()
    frame = page.locator(".chosen.empty .frame")
    frame.get_by_text("No picture chosen yet").wait_for()
    below = "fieldset.image-source + *"  # the first thing after the picture's fieldset
    before = _top(page, below)
    frame_h = frame.bounding_box()["height"]
    picture = page.locator("fieldset.image-source")
    picture.screenshot(path=str(artifacts / "photo-frame-empty.png"))

    for name, size in (("tall.png", (300, 900)), ("wide.png", (1200, 300))):
        path = tmp_path / name
        Image.new("RGB", size, (200, 90, 40)).save(path)
        page.get_by_label("Photo file").set_input_files(str(path))
        # This picture's own caption, then its pixels: the previous picture's are on the page.
        page.locator(".chosen:not(.empty) figcaption", has_text=name).wait_for()
        page.wait_for_function(
            "() => { const i = document.querySelector('.chosen img');"
            " return i && i.complete && i.naturalWidth > 0; }"
        )
        assert _top(page, below) == before, f"the form moved when {name} appeared"
        shown = page.locator(".chosen .frame").bounding_box()["height"]
        assert shown == frame_h
        img = page.locator(".chosen img").bounding_box()
        assert img["height"] <= frame_h + 0.5  # the picture fits its frame, whatever its shape
        picture.screenshot(path=str(artifacts / f"photo-frame-{name}"))

    # Removing the picture brings the empty frame back, and still nothing below moves.
    page.locator(".chosen").get_by_role("button", name="Remove").click()
    frame.get_by_text("No picture chosen yet").wait_for()
    assert _top(page, below) == before
