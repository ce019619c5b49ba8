"""Background generation around a product and outpainting, through the real inpaint provider."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from adcraft.imagery.diffusion import DiffusionSettings, OutpaintRequest, SceneRequest
from adcraft.providers.gen_diffusers import DiffusersGenerator
from adcraft.providers.inpaint_diffusers import DiffusersPainter

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")


def _settings(model: Path) -> DiffusionSettings:
    return DiffusionSettings(model=str(model), device="cpu", allow_cpu=True)


def _product() -> Image.Image:
    """A cut-out: an opaque textured disc with a soft (partly transparent) rim."""
    rng = np.random.default_rng(5)
    rgb = rng.integers(0, 256, (20, 16, 3), dtype=np.uint8)
    img = Image.fromarray(rgb, "RGB").convert("RGBA")
    alpha = Image.new("L", img.size, 0)
    ImageDraw.Draw(alpha).ellipse((1, 1, 14, 18), fill=255)
    soft = np.asarray(alpha).copy()
    soft[0, :] = 90  # a rim row of partial alpha
    img.putalpha(Image.fromarray(soft, "L"))
    return img


@pytest.mark.parametrize("model", ["inpaint", "sd"])
def test_scene_keeps_every_opaque_product_pixel(tiny_models: dict[str, Path], model: str) -> None:
    # "inpaint": a 9-channel inpainting UNet; "sd": a plain checkpoint run as latent-blend inpaint.
    painter = DiffusersPainter(_settings(tiny_models[model]))
    product = _product()
    request = SceneRequest(scene="a kitchen counter", seed=1, steps=2, width=40, height=32)
    out = painter.paint_background(product, request)
    assert out.image.size == (40, 32) and out.image.mode == "RGB"
    assert out.keep_mask is not None
    # The cut-out fits, so it keeps its own size; find where it was placed.
    kept = np.asarray(out.keep_mask) == 255
    ys, xs = np.nonzero(kept)
    top, left = ys.min(), xs.min() - 1  # the disc starts 1 px in from the cut-out's left edge
    placed = np.asarray(out.image)[top - 1 : top + 19, left : left + 16]
    opaque = np.asarray(product.getchannel("A")) == 255
    assert kept.sum() == opaque.sum()
    assert np.array_equal(placed[opaque], np.asarray(product.convert("RGB"))[opaque])
    # Around the product the model painted a scene: not the neutral grey it started from.
    assert not np.all(np.asarray(out.image)[~kept] == 127)


def test_large_cutout_is_shrunk_to_the_requested_share(tiny_models: dict[str, Path]) -> None:
    painter = DiffusersPainter(_settings(tiny_models["inpaint"]))
    big = _product().resize((64, 80))
    out = painter.paint_background(
        big, SceneRequest(scene="a park", seed=1, steps=2, width=32, height=32, product_scale=0.5)
    )
    assert out.keep_mask is not None
    ys, xs = np.nonzero(np.asarray(out.keep_mask))
    assert ys.max() - ys.min() < 16 and xs.max() - xs.min() < 16


def test_scene_is_reproducible_by_seed(tiny_models: dict[str, Path]) -> None:
    painter = DiffusersPainter(_settings(tiny_models["inpaint"]))
    request = SceneRequest(scene="a beach", seed=9, steps=2, width=32, height=32)
    a = painter.paint_background(_product(), request)
    b = painter.paint_background(_product(), request)
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))


def test_outpaint_extends_to_the_new_aspect_without_cropping(
    tiny_models: dict[str, Path],
) -> None:
    painter = DiffusersPainter(_settings(tiny_models["inpaint"]))
    photo = Image.fromarray(
        np.random.default_rng(2).integers(0, 256, (24, 24, 3), dtype=np.uint8), "RGB"
    )
    # 1.91:1 like a link ad, at a size that is not a multiple of the pipeline's step.
    out = painter.outpaint(photo, OutpaintRequest(seed=3, steps=2, width=47, height=24))
    assert out.image.size == (47, 24)
    kept = np.asarray(out.keep_mask) == 255
    ys, xs = np.nonzero(kept)
    assert (ys.min(), ys.max(), xs.min(), xs.max()) == (0, 23, 11, 34)
    assert np.array_equal(np.asarray(out.image)[:, 11:35], np.asarray(photo))


def test_painter_can_share_the_generators_weights(tiny_models: dict[str, Path]) -> None:
    gen = DiffusersGenerator(_settings(tiny_models["sd"]))
    painter = DiffusersPainter.sharing(gen)
    out = painter.paint_background(
        _product(), SceneRequest(scene="a desk", seed=1, steps=2, width=32, height=32)
    )
    assert out.image.size == (32, 32)
    assert painter.load().unet is gen.load().unet
