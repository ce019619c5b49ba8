"""Background generation around a product and outpainting, through the real inpaint provider."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from adcraft.imagery.diffusion import DiffusionSettings, OutpaintRequest, SceneRequest
from adcraft.imagery.scene import feather_width, outpaint_canvas, restore
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
    # feather=0: no blend band, so every photo pixel comes back exactly.
    request = OutpaintRequest(seed=3, steps=2, width=47, height=24, feather=0.0)
    out = painter.outpaint(photo, request)
    assert out.image.size == (47, 24)
    kept = np.asarray(out.keep_mask) == 255
    ys, xs = np.nonzero(kept)
    assert (ys.min(), ys.max(), xs.min(), xs.max()) == (0, 23, 11, 34)
    assert np.array_equal(np.asarray(out.image)[:, 11:35], np.asarray(photo))


def _seam_step(image: np.ndarray, columns: range) -> float:
    """The largest jump of the column-mean colour between neighbouring columns in a range.

    Averaging down each column first cancels the tiny random model's pixel noise, which
    differs row to row, and keeps the seam, which runs the whole height.
    """
    profile = image.astype(float).mean(axis=0)[columns.start - 1 : columns.stop]
    return float(np.abs(np.diff(profile, axis=0)).mean(axis=1).max())


def test_outpaint_feathers_the_seam(tiny_models: dict[str, Path]) -> None:
    painter = DiffusersPainter(_settings(tiny_models["inpaint"]))
    photo = Image.new("RGB", (24, 24), (10, 120, 200))
    hard, soft = (
        painter.outpaint(
            photo, OutpaintRequest(seed=3, steps=2, width=48, height=24, feather=feather)
        )
        for feather in (0.0, 0.15)
    )
    band = feather_width(48, 24, 0.15)
    assert band == 4
    # The photo spans columns 12..35; only its inner part (outside the bands) is kept exactly,
    # and it touches the top and bottom edges, which are no seam: no band there.
    kept = np.asarray(soft.keep_mask) == 255
    ys, xs = np.nonzero(kept)
    assert (ys.min(), ys.max(), xs.min(), xs.max()) == (0, 23, 12 + band, 35 - band)
    assert np.all(np.asarray(soft.image)[kept] == (10, 120, 200))
    # Across each seam the feathered jump is a fraction of the hard one.
    h, s = np.asarray(hard.image), np.asarray(soft.image)
    texture = max(_seam_step(s, range(1, 8)), _seam_step(s, range(40, 47)))
    for seam in (range(8, 20), range(28, 40)):
        assert _seam_step(s, seam) < 0.6 * _seam_step(h, seam), (_seam_step(s, seam), seam)
        # ...and not much above the painted texture's own column-to-column change.
        assert _seam_step(s, seam) < 2 * texture


def test_feather_band_blends_photo_and_painted_pixels() -> None:
    photo = Image.new("RGB", (24, 24), (200, 200, 200))
    canvas = outpaint_canvas(photo, 48, 24, multiple=8, feather=0.15)
    mask = np.asarray(canvas.mask)
    assert np.all(mask[:, 12:16] == 255) and np.all(mask[:, 16:32] == 0)  # the band is painted
    painted = Image.new("RGB", canvas.init.size, (0, 0, 0))
    out, _ = restore(painted, canvas)
    row = np.asarray(out)[5, :, 0].astype(int)
    alpha = np.asarray(canvas.keep.getchannel("A"))[5].astype(int)
    # result = photo * a + painted * (1 - a): rising into the photo on the left, falling out
    # of it on the right, painted-only outside, photo-only inside.
    assert np.array_equal(row, (200 * alpha + 127) // 255)
    assert list(row[11:17]) == sorted(row[11:17]) and 0 < row[12] < row[15] < 200
    assert list(row[31:37]) == sorted(row[31:37], reverse=True)
    assert np.all(row[:12] == 0) and np.all(row[16:32] == 200)


def test_painter_can_share_the_generators_weights(tiny_models: dict[str, Path]) -> None:
    gen = DiffusersGenerator(_settings(tiny_models["sd"]))
    painter = DiffusersPainter.sharing(gen)
    out = painter.paint_background(
        _product(), SceneRequest(scene="a desk", seed=1, steps=2, width=32, height=32)
    )
    assert out.image.size == (32, 32)
    assert painter.load().unet is gen.load().unet
