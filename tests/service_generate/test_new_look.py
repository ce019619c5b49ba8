"""A new look of a photo creative (no generator involved) never repeats the previous image:
every style's background moves (placement, angle, tint or scale) with the new seed."""

from __future__ import annotations

import io
import itertools

import httpx
import pytest
from PIL import Image

from adcraft.domain.creative import Background
from adcraft.layout.styles import DEFAULT_STYLE_ORDER
from adcraft.render.backgrounds import paint, vary_background
from tests.platform.conftest import Stack, tent_bytes, wait_task

KINDS = [
    Background(kind="solid", colors=("#f4efe6",)),
    Background(kind="radial", colors=("#334455", "#112233"), params={"center": [1.0, 0.5]}),
    Background(kind="spotlight", colors=("#ddeeff", "#001122"), params={"radius": 0.55}),
    Background(kind="linear", colors=("#aa3344", "#221111"), params={"angle": 35}),
    Background(
        kind="podium",
        colors=("#eeeeee", "#cccccc"),
        params={"podium": [20, 70, 60, 10], "podium_color": "#bbbbbb"},
    ),
    Background(kind="pattern", colors=("#ffffff", "#dddddd"), params={"step": 6}),
    Background(
        kind="shapes",
        colors=("#ffffff", "#ff8800", "#0088ff"),
        params={"circles": [[0.5, 0.5, 0.3, 1], [0.0, 0.0, 0.2, 2], [1.0, 1.0, 0.15, 1]]},
    ),
]


@pytest.mark.parametrize("bg", KINDS, ids=[b.kind for b in KINDS])
def test_every_background_kind_changes_with_each_look(bg: Background) -> None:
    images = [paint(vary_background(bg, look, seed=3), (120, 100)).tobytes() for look in range(8)]
    assert paint(vary_background(bg, 0, 3), (120, 100)).tobytes() == paint(bg, (120, 100)).tobytes()
    assert all(a != b for a, b in itertools.pairwise(images)), "a look repeats"
    assert len(set(images[:7])) == 7  # the first six new looks are all different
    assert vary_background(bg, 2, 3) == vary_background(bg, 2, 3)  # deterministic


def test_new_look_of_a_photo_creative_differs_in_every_style(gen_stack: Stack) -> None:
    a = gen_stack.a
    up = a.post(
        "/assets",
        files={"file": ("tent.jpg", tent_bytes(), "image/jpeg")},
        data={"kind": "image", "caption": "green tent"},
    )
    styles = list(DEFAULT_STYLE_ORDER)
    r = a.post(
        "/generate",
        json={
            "brief": {"product_name": "Trail 3 Tent", "offer": "20% off this weekend"},
            "image_asset_id": up.json()["id"],
            "formats": ["1:1"],
            "styles": styles,
            "variants": len(styles),
        },
    )
    task = wait_task(a, r.json()["id"], timeout=300)
    assert task["status"] == "completed", task
    items = a.get("/creatives", params={"task": task["id"], "limit": 100}).json()["items"]
    assert sorted(c["style"] for c in items) == sorted(styles)
    for c in items:
        r = a.post(f"/creatives/{c['id']}/versions", json={"action": "regenerate_image"})
        assert wait_task(a, r.json()["id"], timeout=300)["status"] == "completed"
        old, new = a.get(f"/creatives/{c['id']}/versions").json()
        assert new["look"]["count"] == 1 and new["look"]["seed"] != old["look"]["seed"]
        before, after = httpx.get(old["image_url"]).content, httpx.get(new["image_url"]).content
        assert before != after, f"style {c['style']}: the new look repeats the image"
        assert Image.open(io.BytesIO(after)).size == (1080, 1080)
