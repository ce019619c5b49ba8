"""One size adjusted by hand through the API: the creative says where its product and text are
drawn; a move that keeps the layout's guarantees becomes a new version drawn that way, one that
would put text over the product fails with the reason and changes nothing."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from PIL import Image

from tests.platform.conftest import Stack, make_done_set, wait_task


def _box(creative: dict[str, Any], kind: str) -> list[int]:
    return next(list(b["box"]) for b in creative["layout"] if b["kind"] == kind)


def _place(stack: Stack, creative: dict[str, Any], **moves: float) -> dict[str, Any]:
    r = stack.a.post(
        f"/creatives/{creative['id']}/versions", json={"action": "place", "placement": moves}
    )
    assert r.status_code == 202, r.text
    return wait_task(stack.a, r.json()["id"])


def test_a_size_is_adjusted_or_refused_with_the_reason(local_stack: Stack) -> None:
    done = make_done_set(local_stack)
    square = next(c for c in done.creatives if c["width"] == c["height"])
    kinds = {b["kind"] for b in square["layout"]}
    assert {"product", "headline", "cta"} <= kinds, square["layout"]
    product, headline = _box(square, "product"), _box(square, "headline")

    # The headline moved onto the product's centre: refused, nothing changes.
    dx = (product[0] + product[2] / 2 - (headline[0] + headline[2] / 2)) / square["width"]
    dy = (product[1] + product[3] / 2 - (headline[1] + headline[3] / 2)) / square["height"]
    failed = _place(local_stack, square, text_dx=round(dx, 4), text_dy=round(dy, 4))
    assert failed["status"] == "failed"
    assert failed["error"]["type"] == "PlacementRefused"
    assert "would cover the product" in failed["error"]["detail"]
    assert local_stack.a.get(f"/creatives/{square['id']}").json()["version"] == 1

    # A smaller product: a new version, drawn that way, and it says so.
    done_task = _place(local_stack, square, product_scale=0.8)
    assert done_task["status"] == "completed", done_task
    now = local_stack.a.get(f"/creatives/{square['id']}").json()
    assert now["version"] == 2 and now["placement"]["product_scale"] == 0.8
    assert _box(now, "product")[2] == round(product[2] * 0.8)
    assert now["image_sha256"] != square["image_sha256"]
    # Only this size changed: the other keeps its version and the engine's own layout.
    other = next(
        c for c in done.creatives if c["id"] != square["id"] and c["variant"] == square["variant"]
    )
    again = local_stack.a.get(f"/creatives/{other['id']}").json()
    assert again["version"] == 1 and again["placement"] is None
    # A text edit started from the other size re-renders every size: the square keeps its
    # adjustment.
    r = local_stack.a.post(
        f"/creatives/{other['id']}/versions",
        json={"action": "edit", "copy": {"cta": again["copy"]["cta"]}},
    )
    assert wait_task(local_stack.a, r.json()["id"])["status"] == "completed"
    kept = local_stack.a.get(f"/creatives/{square['id']}").json()
    assert kept["version"] == 3 and kept["placement"]["product_scale"] == 0.8
    assert _box(kept, "product") == _box(now, "product")

    # Bad input is named: a scale out of range, an unknown move.
    bad = local_stack.a.post(
        f"/creatives/{square['id']}/versions",
        json={"action": "place", "placement": {"product_scale": 5}},
    )
    assert bad.status_code == 422 and "product_scale" in bad.text
    bad = local_stack.a.post(
        f"/creatives/{square['id']}/versions",
        json={"action": "place", "placement": {"logo_dx": 0.1}},
    )
    assert bad.status_code == 422 and "logo_dx" in bad.text


def test_a_framed_photo_is_cropped_per_size_and_a_cut_out_is_not(local_stack: Stack) -> None:
    """A photo the engine could not cut out is drawn framed, and one size may show a part of
    it (zoom and focal point); a cut-out product is refused a crop, with what to do instead."""
    done = make_done_set(local_stack)
    square = next(c for c in done.creatives if c["width"] == c["height"])
    assert not any(b.get("framed") for b in square["layout"])  # the tent is cut out
    refused = _place(local_stack, square, photo_zoom=1.5)
    assert refused["status"] == "failed" and "cut out of its photo" in refused["error"]["detail"]
    # This size keeps the photo's background: framed whole, and then it may be cropped.
    kept = _place(local_stack, square, keep_background=True, photo_zoom=1.5)
    assert kept["status"] == "completed", kept
    now = local_stack.a.get(f"/creatives/{square['id']}").json()
    assert next(b for b in now["layout"] if b["kind"] == "product").get("framed") is True
    assert now["placement"]["keep_background"] is True

    halves = Image.new("RGB", (800, 600), (220, 20, 20))
    halves.paste((20, 20, 220), (400, 0, 800, 600))
    data = io.BytesIO()
    halves.save(data, "PNG")
    a = local_stack.a
    up = a.post("/assets", files={"file": ("halves.png", data.getvalue(), "image/png")})
    assert up.status_code == 201, up.text
    r = a.post(
        "/generate",
        json={
            "brief": {"product_name": "Trail 3 Tent"},
            "image_asset_id": up.json()["id"],
            "formats": ["meta_feed_square"],
            "variants": 1,
        },
    )
    task = wait_task(a, r.json()["id"])
    (made,) = a.get("/creatives", params={"task": task["id"]}).json()["items"]
    product = next(b for b in made["layout"] if b["kind"] == "product")
    assert product.get("framed") is True
    done_task = _place(local_stack, made, photo_zoom=2.0, photo_x=0.25, photo_y=0.5)
    assert done_task["status"] == "completed", done_task
    now = a.get(f"/creatives/{made['id']}").json()
    assert now["placement"]["photo_zoom"] == 2.0 and now["version"] == 2
    image = Image.open(io.BytesIO(a.get(now["image_url"]).content)).convert("RGB")
    x, y, w, h = _box(now, "product")
    inner = np.asarray(image.crop((x + w // 4, y + h // 4, x + 3 * w // 4, y + 3 * h // 4)))
    red = (inner[..., 0] > 150) & (inner[..., 2] < 90)
    assert red.mean() > 0.98  # only the left, red half's middle is shown
