"""A picture as every creative's background (kind "image"), cover-fitted around the product."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from adcraft import Brief, generate
from adcraft.domain.creative import Background, Element, Layout
from adcraft.render.backgrounds import (
    SCENE_FILE,
    make_scene,
    paint,
    plan_scene_background,
    remember_scene,
)
from tests.manifest_checks import check_set

EXAMPLES = Path(__file__).resolve().parents[2] / "src/adcraft/data/examples"
TENT = EXAMPLES / "images/tent-trail3.jpg"


def _busy_scene(path: Path) -> Path:
    """Hard stripes in light and dark: no single ink reads on it without help."""
    x = np.arange(1400)[None, :, None]
    y = np.arange(900)[:, None, None]
    stripes = ((x // 37 + y // 53) % 2) * 200 + 30
    rgb = np.broadcast_to(stripes, (900, 1400, 3)).astype(np.uint8).copy()
    rgb[..., 2] = (x[..., 0] * 255 // 1400).astype(np.uint8)
    Image.fromarray(rgb).save(path)
    return path


def test_background_image_renders_and_passes_the_checks(tmp_path: Path) -> None:
    scene = _busy_scene(tmp_path / "scene.png")
    brief = Brief(
        product_name="Trail 3 Tent", offer="20% off all tents this weekend only", image=TENT
    )
    out = tmp_path / "out"
    generate(
        brief,
        formats=["1:1", "9:16", "1.91:1", "iab_medium_rectangle"],
        variants=2,
        seed=2,
        out_dir=out,
        image_format="png",
        background_image=scene,
    )
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    for c in manifest["creatives"]:
        bg = c["background"]
        assert bg["kind"] == "image" and bg["params"]["src"] == SCENE_FILE
        x, y, w, h = bg["params"]["crop"]
        assert x >= 0 and y >= 0 and x + w <= 1400.01 and y + h <= 900.01
        assert abs(w / h - c["width"] / c["height"]) < 0.01  # cover-fit: no stretching
    assert Image.open(out / SCENE_FILE).size == (1400, 900)
    report = check_set(out)
    assert report.creatives == 8 and not report.problems, report.problems


def _layout(width: int, height: int, product: tuple[int, int, int, int] | None) -> Layout:
    els = () if product is None else (Element(kind="product", box=product),)
    bg = plan_scene_background(make_scene(Image.new("RGB", (8, 8))), _empty(8, 8))
    return _empty(width, height).model_copy(update={"background": bg, "elements": els})


def _empty(width: int, height: int) -> Layout:
    return Layout(
        format_id="t",
        width=width,
        height=height,
        template="t",
        style="t",
        arrangement="t",
        background=Background(kind="solid", colors=("#ffffff",)),
        elements=(),
    )


@pytest.mark.parametrize(
    ("focus", "product", "expected_left"),
    [
        (0.5, None, 100.0),  # no product: the centred crop
        (0.5, (0, 0, 200, 200), 180.0),  # product on the left: the focus slides under it
        (0.5, (800, 0, 200, 200), 20.0),  # product on the right: likewise
        (0.9, (0, 0, 200, 200), 200.0),  # further than the scene allows: clamped at its edge
    ],
)
def test_crop_follows_the_product(
    focus: float, product: tuple[int, int, int, int] | None, expected_left: float
) -> None:
    # A 400x200 scene in a 1000x1000 format: scale 5, crop 200x200, free to slide 0..200.
    scene = make_scene(Image.new("RGB", (400, 200), (10, 20, 30)), focus=(focus, 0.5))
    bg = plan_scene_background(scene, _layout(1000, 1000, product))
    assert bg.params["crop"] == [expected_left, 0.0, 200.0, 200.0]
    assert bg.colors == ("#0a141e",)


def test_paint_draws_the_crop_and_falls_back_to_the_mean_colour() -> None:
    left, right = (200, 10, 10), (10, 10, 200)
    img = Image.new("RGB", (400, 200), left)
    img.paste(right, (200, 0, 400, 200))
    scene = make_scene(img, focus=(0.95, 0.5))  # e.g. where a painter put the product
    bg = plan_scene_background(scene, _layout(300, 300, (200, 0, 100, 100)))
    assert bg.params["crop"] == [200.0, 0.0, 200.0, 200.0]
    remember_scene(scene)
    drawn = np.asarray(paint(bg, (300, 300)))
    assert tuple(drawn[150, 150]) == right
    stranger = bg.model_copy(update={"params": {**bg.params, "sha256": "not-in-this-process"}})
    assert tuple(np.asarray(paint(stranger, (4, 4)))[0, 0]) == (105, 10, 105)


def test_worker_processes_draw_the_same_scene(tmp_path: Path) -> None:
    # 16 creatives: enough for the process pool, whose workers get the scene by pickle.
    scene = _busy_scene(tmp_path / "scene.png")
    brief = Brief(product_name="Trail 3 Tent", offer="20% off", image=TENT)
    files = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        generate(
            brief,
            formats=["1:1", "9:16", "1.91:1", "4:5"],
            variants=4,
            out_dir=out,
            background_image=scene,
            workers=workers,
        )
        files.append({p.name: p.read_bytes() for p in sorted(out.glob("*.jpg"))})
    assert len(files[0]) == 16 and files[0] == files[1]
