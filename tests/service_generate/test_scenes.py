"""Scenes painted per aspect group: through the pipeline port (product pixels kept bit for
bit) and through the API (every group the formats need, a new look repaints them)."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from adcraft.db.models import Version
from adcraft.domain.aspect import GROUP_RATIO, group_size
from adcraft.imagery.aspect_scenes import GroupScenePainter
from adcraft.imagery.diffusion import DiffusionSettings
from tests.platform.conftest import Stack, tent_bytes, wait_task

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")

BRIEF = {"product_name": "Trail 3 Tent", "offer": "20% off all tents this weekend"}
# square, portrait, tall, landscape, wide banner
FORMATS = ["1:1", "4:5", "9:16", "1.91:1", "728x90"]


def _disc() -> Image.Image:
    """A red disc on transparency: every opaque pixel is (200, 30, 30)."""
    img = Image.new("RGBA", (24, 24), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((2, 2, 21, 21), fill=(200, 30, 30, 255))
    return img


def test_each_group_gets_its_own_scene_with_the_product_pixels_kept(
    tiny_models: dict[str, Path],
) -> None:
    from adcraft.providers.inpaint_diffusers import DiffusersPainter

    settings = DiffusionSettings(model=str(tiny_models["inpaint"]), device="cpu", allow_cpu=True)
    painter = GroupScenePainter(
        DiffusersPainter(settings), "a forest clearing", seed=4, side=96, steps=2
    )
    groups = painter.groups_for([(1080, 1080), (1080, 1350), (1080, 1920), (1200, 628), (728, 90)])
    assert groups == ["square", "portrait", "landscape", "tall", "wide"]
    painted = painter.paint(_disc(), groups)
    opaque = int((np.asarray(_disc())[..., 3] == 255).sum())
    for group, scene in painted.items():
        assert scene.image.size == group_size(group, 96)
        w, h = scene.image.size
        assert abs(w / h - GROUP_RATIO[group]) / GROUP_RATIO[group] < 0.2
        assert scene.keep_mask is not None
        keep = np.asarray(scene.keep_mask) == 255
        assert keep.sum() == opaque, group  # the whole product, at its own size
        assert (np.asarray(scene.image)[keep] == (200, 30, 30)).all(), group
    seeds = {s.seed for s in painted.values()}
    assert len(seeds) == len(groups)  # each group painted from its own seed


def _scene_keys(stack: Stack, creative_id: str) -> list[dict[str, str]]:
    with stack.container.sessions() as s:
        rows = s.scalars(
            select(Version).where(Version.creative_id == creative_id).order_by(Version.number)
        ).all()
        return [dict(v.render["scene"]["keys"]) for v in rows]


def test_scene_backgrounds_through_the_api(gen_stack: Stack) -> None:
    a = gen_stack.a
    r = a.post(
        "/generate/upload",
        data={
            "request": (
                '{"brief": {"product_name": "Trail 3 Tent", "offer": "20% off"},'
                f' "background": "scene", "formats": {FORMATS!r}, "variants": 1}}'
            ).replace("'", '"')
        },
        files={"image": ("tent.jpg", tent_bytes(), "image/jpeg")},
    )
    assert r.status_code == 202, r.text
    task = wait_task(a, r.json()["id"], timeout=300)
    assert task["status"] == "completed", task
    items = a.get("/creatives", params={"task": task["id"]}).json()["items"]
    assert len(items) == len(FORMATS)
    first = a.get(f"/creatives/{items[0]['id']}/versions").json()[0]["look"]
    assert first["scene_groups"] == sorted(GROUP_RATIO)
    (keys,) = _scene_keys(gen_stack, items[0]["id"])
    for group, key in keys.items():
        size = Image.open(io.BytesIO(gen_stack.container.store.get(key))).size
        assert size == group_size(group, 64)  # type: ignore[arg-type]
    assert len(set(keys.values())) == 5  # five different scenes, not one crop

    r = a.post(f"/creatives/{items[0]['id']}/versions", json={"action": "regenerate_image"})
    assert wait_task(a, r.json()["id"], timeout=300)["status"] == "completed"
    old, new = a.get(f"/creatives/{items[0]['id']}/versions").json()
    assert new["look"]["scene_seed"] != old["look"]["scene_seed"]
    before, after = _scene_keys(gen_stack, items[0]["id"])
    assert set(after) == set(before) and not set(after.values()) & set(before.values())
    assert httpx.get(new["image_url"]).content != httpx.get(old["image_url"]).content
