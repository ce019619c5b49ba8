"""One size adjusted by hand through the API: the creative says where its product and text are
drawn; a move that keeps the layout's guarantees becomes a new version drawn that way, one that
would put text over the product fails with the reason and changes nothing."""

from __future__ import annotations

from typing import Any

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
