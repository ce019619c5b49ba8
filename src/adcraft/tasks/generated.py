"""Generated pictures and painted scenes in the workers: build them through ``adcraft.wiring``,
keep what was painted in the store, and paint again (new seed) for a new look.

A version's ``render`` records them so an edit re-renders with the same pixels and a new look
paints new ones::

    "picture": {"source": "generated:sd", "description": "...", "seed": 7, "key": "..."}
    "scene": {"text": "...", "seed": 7, "keys": {"square": "...", "wide": "..."}}

A missing ``key`` (or group key) means "paint it with the recorded seed": the API clears them
when it asks for a new look, and the worker fills them in with what it painted.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from PIL import Image

from adcraft.config import Settings
from adcraft.domain.brief import Brief
from adcraft.domain.creative import ImageOrigin
from adcraft.errors import InputError
from adcraft.imagery.aspect_scenes import SCENE_CENTER, GroupScenePainter, groups_for
from adcraft.imagery.gated_source import GatedImageSource
from adcraft.imagery.scene_prompt import write_scene
from adcraft.imagery.source import ImageRequest
from adcraft.render.backgrounds import Scene, make_scene, scene_file
from adcraft.scoring.gates import Gate
from adcraft.store.base import AssetStore

NEW_LOOK_STEP = 7919
"""How far a new look moves a seed (a prime: looks never cycle back quickly)."""
MAX_SEED = 2**31 - 1


def needs_generator(request: dict[str, Any]) -> bool:
    """Whether a task paints (a generated picture, a scene): it goes to the GPU queue."""
    render = request.get("render") or {}
    return (
        request.get("image_source") == "generate"
        or request.get("background") == "scene"
        or (request.get("action") == "regenerate_image" and bool(_painted(render)))
    )


def _painted(render: dict[str, Any]) -> list[str]:
    return [k for k in ("picture", "scene") if render.get(k)]


def new_look(render: dict[str, Any]) -> dict[str, Any]:
    """The render of a new look: every seed moved on, painted pixels dropped to be redone."""
    out = dict(render)
    out["seed"] = next_seed(int(render["seed"]))
    out["look"] = int(render.get("look", 0)) + 1
    if render.get("picture"):
        picture = dict(render["picture"])
        out["picture"] = {**picture, "seed": next_seed(int(picture["seed"])), "key": None}
    if render.get("scene"):
        scene = dict(render["scene"])
        out["scene"] = {**scene, "seed": next_seed(int(scene["seed"])), "keys": {}}
    return out


def next_seed(seed: int) -> int:
    """A different seed, deterministically."""
    return (seed + NEW_LOOK_STEP) % MAX_SEED


def scene_text(request_scene: str | None, brief: Brief, style: str | None) -> str:
    """What to paint around the product: the request's scene, else one written from the brief
    and the first style (offline, deterministic)."""
    written = write_scene(
        request_scene, brief=brief, style=style, palette=tuple(brief.brand.colors)
    )
    return written.text


def build_picture_source(settings: Settings, gates: list[Gate]) -> GatedImageSource:
    """The configured generator, held to the picture gates (adcraft.wiring)."""
    from adcraft.wiring.diffusion import picture_source

    return picture_source(settings.diffusion, gates)


def build_scene_painter(settings: Settings, text: str, seed: int) -> GroupScenePainter:
    """The configured painter for ``text`` from ``seed`` (adcraft.wiring)."""
    from adcraft.wiring.diffusion import scene_painter

    return scene_painter(settings.diffusion, text, seed)


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def keep_picture(
    store: AssetStore, tenant_id: str, source: GatedImageSource, origin: ImageOrigin | None
) -> dict[str, Any]:
    """Store the picture a generate task painted; its ``render["picture"]`` entry."""
    assert source.picture is not None and source.seed is not None
    key = store.put(tenant_id, _png(source.picture.image), "png", "image/png")
    return {
        "source": source.picture.source,
        "description": origin.description if origin else source.picture.description,
        "seed": source.seed,
        "key": key,
    }


def keep_scenes(store: AssetStore, tenant_id: str, painter: GroupScenePainter) -> dict[str, Any]:
    """Store the scenes a task painted; its ``render["scene"]`` entry."""
    keys = {
        group: store.put(tenant_id, _png(p.image), "png", "image/png")
        for group, p in painter.painted.items()
    }
    return {"text": painter.scene, "seed": painter.seed, "keys": keys}


def picture_bytes(
    store: AssetStore,
    settings: Settings,
    tenant_id: str,
    picture: dict[str, Any],
    product: str,
    gates: list[Gate],
) -> tuple[bytes, dict[str, Any]]:
    """A version's picture: the stored one, or painted anew with its seed (a new look)."""
    if picture.get("key"):
        return store.get(str(picture["key"])), picture
    source = build_picture_source(settings, gates)
    sourced = source.get(
        ImageRequest(
            product=product, description=picture.get("description"), seed=int(picture["seed"])
        )
    )
    data = _png(sourced.image)
    key = store.put(tenant_id, data, "png", "image/png")
    return data, {**picture, "seed": source.seed, "key": key}


def version_scenes(
    store: AssetStore,
    settings: Settings,
    tenant_id: str,
    scene: dict[str, Any],
    product: Image.Image | None,
    sizes: list[tuple[int, int]],
) -> tuple[dict[str, Scene], dict[str, Any]]:
    """A version's scenes by group: the stored ones, or painted anew with its seed."""
    keys: dict[str, str] = dict(scene.get("keys") or {})
    images: dict[str, Image.Image] = {}
    wanted = groups_for(sizes)
    missing = [g for g in wanted if g not in keys]
    if missing:
        if product is None:
            raise InputError("a painted scene needs the product picture, which is missing")
        # Built only when something must be painted: an edit re-renders on any worker.
        painter = build_scene_painter(settings, str(scene["text"]), int(scene["seed"]))
        for group, painted in painter.paint(product, missing).items():
            images[group] = painted.image
            keys[group] = store.put(tenant_id, _png(painted.image), "png", "image/png")
    for group in wanted:
        if group not in images:
            images[group] = Image.open(io.BytesIO(store.get(keys[group]))).convert("RGB")
    scenes = {
        g: replace(make_scene(img, focus=SCENE_CENTER), src=scene_file(g))
        for g, img in images.items()
    }
    return scenes, {**scene, "keys": keys}
