"""One size adjusted by hand in the creative dialog: the text block dragged onto the product is
refused with the reason and nothing changes; the product made smaller with the keyboard becomes
a new version of that size only, drawn that way."""

from __future__ import annotations

import io
from typing import Any

import httpx
import numpy as np
from PIL import Image

from tests.web.harness import TENT, WebServer, generate_set, sign_in
from tests.web.test_accessibility import _audit

FORMATS = ["meta_feed_square", "iab_medium_rectangle"]


def _photo_set(api: httpx.Client) -> tuple[str, dict[str, dict[str, Any]]]:
    up = api.post(
        "/assets",
        files={"file": ("tent.jpg", TENT.read_bytes(), "image/jpeg")},
        data={"kind": "image"},
    )
    assert up.status_code == 201, up.text
    task_id, items = generate_set(api, FORMATS, image_asset_id=up.json()["id"])
    return task_id, {c["format"]: c for c in items}


def _centre(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _open_editor(page: Any, server: WebServer, task_id: str) -> tuple[Any, Any]:
    """The square creative's dialog with its layout editor open: (dialog, editor)."""
    page.goto(f"{server.url}/#/task/{task_id}")
    page.locator("article.creative[data-format='meta_feed_square']").get_by_role(
        "button", name="Open and edit"
    ).click()
    dialog = page.locator("dialog.detail")
    dialog.get_by_role("button", name="Adjust layout").click()
    return dialog, dialog.locator("section.layout-editor")


def test_a_drag_over_the_product_is_refused_and_a_smaller_product_is_saved(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    task_id, by_format = _photo_set(api)
    square = by_format["meta_feed_square"]
    sign_in(page, server.url, server.key)
    dialog, editor = _open_editor(page, server, task_id)
    text = editor.get_by_role("button", name="Text block", exact=False)
    product = editor.get_by_role("button", name="Product", exact=False)

    # Drag the text block by its centre onto the product's centre, then save.
    editor.locator(".layout-stage").scroll_into_view_if_needed()
    (tx, ty), (px, py) = _centre(text), _centre(product)
    page.mouse.move(tx, ty)
    page.mouse.down()
    page.mouse.move((tx + px) / 2, (ty + py) / 2, steps=5)
    page.mouse.move(px, py, steps=5)
    page.mouse.up()
    editor.get_by_role("button", name="Save this size").click()
    editor.get_by_text("would cover the product").wait_for(timeout=60_000)
    assert api.get(f"/creatives/{square['id']}").json()["version"] == 1

    # Undo, then two steps smaller with the keyboard: saved as version 2 of this size only.
    editor.get_by_role("button", name="Undo moves").click()
    product.focus()
    page.keyboard.press("-")
    page.keyboard.press("-")
    editor.get_by_text("at 91% of its size", exact=False).wait_for()
    editor.get_by_role("button", name="Save this size").click()
    dialog.get_by_text("Version 2 is ready.").wait_for(timeout=60_000)
    now = api.get(f"/creatives/{square['id']}").json()
    assert now["version"] == 2 and now["placement"]["product_scale"] == 0.907
    old_w = next(b["box"][2] for b in square["layout"] if b["kind"] == "product")
    new_w = next(b["box"][2] for b in now["layout"] if b["kind"] == "product")
    assert new_w == round(old_w * 0.907)
    assert api.get(f"/creatives/{by_format['iab_medium_rectangle']['id']}").json()["version"] == 1
    # The history names the change.
    dialog.get_by_text("layout adjusted", exact=False).wait_for()


def test_a_framed_photo_is_cropped_with_the_sliders_and_a_cut_out_offers_no_crop(
    audited: Any, server: WebServer, api: httpx.Client
) -> None:
    """The photo crop is offered where it can work (a photo the engine drew framed) and saved
    as a new version of that size showing the part chosen; a cut-out offers none."""
    page = audited  # a tab that may load axe
    halves = Image.new("RGB", (800, 600), (220, 20, 20))
    halves.paste((20, 20, 220), (400, 0, 800, 600))
    data = io.BytesIO()
    halves.save(data, "PNG")
    up = api.post("/assets", files={"file": ("halves.png", data.getvalue(), "image/png")})
    assert up.status_code == 201, up.text
    task_id, items = generate_set(api, ["meta_feed_square"], image_asset_id=up.json()["id"])
    (square,) = items
    assert next(b for b in square["layout"] if b["kind"] == "product").get("framed") is True
    sign_in(page, server.url, server.key)
    dialog, editor = _open_editor(page, server, task_id)
    editor.get_by_text("The whole photo is shown.").wait_for()
    assert _audit(page, "photo crop") == []  # WCAG 2.2 AA, as every page
    across = editor.get_by_label("Focus across (% from the left)")
    assert across.is_disabled()  # no focal point while the whole photo is shown
    editor.get_by_label("Zoom (%)").fill("200")
    across.fill("25")
    editor.get_by_text("Photo zoomed to 200%, centred 25% across and 50% down.").wait_for()
    editor.get_by_role("button", name="Save this size").click()
    dialog.get_by_text("Version 2 is ready.").wait_for(timeout=60_000)
    now = api.get(f"/creatives/{square['id']}").json()
    assert now["placement"]["photo_zoom"] == 2 and now["placement"]["photo_x"] == 0.25
    image = Image.open(io.BytesIO(api.get(now["image_url"]).content)).convert("RGB")
    x, y, w, h = next(b["box"] for b in now["layout"] if b["kind"] == "product")
    inner = np.asarray(image.crop((x + w // 4, y + h // 4, x + 3 * w // 4, y + 3 * h // 4)))
    assert ((inner[..., 0] > 150) & (inner[..., 2] < 90)).mean() > 0.98  # the red half only

    # The tent is cut out: no crop, until this size keeps the photo's background.
    tent_task, tents = _photo_set(api)
    dialog, editor = _open_editor(page, server, tent_task)
    editor.locator(".layout-stage").wait_for()
    assert not editor.locator("fieldset.crop").is_visible()
    editor.get_by_label("Keep the photo’s background in this size", exact=False).check()
    editor.get_by_label("Zoom (%)").fill("150")
    editor.get_by_text("Photo zoomed to 150%", exact=False).wait_for()
    assert _audit(page, "keep background") == []
    editor.get_by_role("button", name="Save this size").click()
    dialog.get_by_text("Version 2 is ready.").wait_for(timeout=60_000)
    tent = api.get(f"/creatives/{tents['meta_feed_square']['id']}").json()
    assert tent["placement"]["keep_background"] is True and tent["placement"]["photo_zoom"] == 1.5
    assert next(b for b in tent["layout"] if b["kind"] == "product").get("framed") is True
