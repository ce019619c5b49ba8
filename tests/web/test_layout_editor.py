"""One size adjusted by hand in the creative dialog: the text block dragged onto the product is
refused with the reason and nothing changes; the product made smaller with the keyboard becomes
a new version of that size only, drawn that way."""

from __future__ import annotations

from typing import Any

import httpx

from tests.web.harness import TENT, WebServer, generate_set, sign_in

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


def test_a_drag_over_the_product_is_refused_and_a_smaller_product_is_saved(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    task_id, by_format = _photo_set(api)
    square = by_format["meta_feed_square"]
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{task_id}")
    page.locator("article.creative[data-format='meta_feed_square']").get_by_role(
        "button", name="Open and edit"
    ).click()
    dialog = page.locator("dialog.detail")
    dialog.get_by_role("button", name="Adjust layout").click()
    editor = dialog.locator("section.layout-editor")
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
