"""ControlNet conditioning for backgrounds and outpainting, through the real inpaint provider.

The ControlNet is a tiny random one built from the tiny UNet's config (``from_unet``), saved
to a folder and loaded from the path in the settings, exactly as a real one would be.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from adcraft.errors import ControlNetMismatch, ModelNotFound
from adcraft.imagery.diffusion import DiffusionSettings, OutpaintRequest, SceneRequest
from adcraft.imagery.scene import control_image, product_canvas
from adcraft.providers import inpaint_diffusers
from adcraft.providers.gen_diffusers import DiffusersGenerator
from adcraft.providers.inpaint_diffusers import DiffusersPainter
from tests.imagery_diffusion.test_background import _product

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")

SCENE = SceneRequest(scene="a kitchen counter", seed=4, steps=2, width=40, height=32)


def _settings(model: Path, controlnet: Path | None = None, **extra: Any) -> DiffusionSettings:
    return DiffusionSettings(
        model=str(model),
        device="cpu",
        allow_cpu=True,
        controlnet=str(controlnet) if controlnet else None,
        **extra,
    )


def _opaque_pixels_kept(out: Any, product: Image.Image) -> bool:
    kept = np.asarray(out.keep_mask) == 255
    ys, xs = np.nonzero(kept)
    top, left = ys.min() - 1, xs.min() - 1
    placed = np.asarray(out.image)[top : top + 20, left : left + 16]
    opaque = np.asarray(product.getchannel("A")) == 255
    return bool(np.array_equal(placed[opaque], np.asarray(product.convert("RGB"))[opaque]))


@pytest.mark.parametrize("model", ["inpaint", "sd"])
def test_controlnet_steers_the_scene_and_keeps_the_product(
    tiny_models: dict[str, Path], model: str
) -> None:
    cn = tiny_models["controlnet"]
    painter = DiffusersPainter(_settings(tiny_models[model], cn, controlnet_scale=1.0))
    assert type(painter.load()).__name__ == "StableDiffusionControlNetInpaintPipeline"
    out = painter.paint_background(_product(), SCENE)
    assert out.image.size == (40, 32)
    assert _opaque_pixels_kept(out, _product())
    # Scale 0 switches the ControlNet off: the same image as the plain pipeline, which shows
    # the rest of the call is unchanged and the difference at scale 1 is the ControlNet's.
    off = DiffusersPainter(_settings(tiny_models[model], cn, controlnet_scale=0.0))
    plain = DiffusersPainter(_settings(tiny_models[model]))
    off_img = np.asarray(off.paint_background(_product(), SCENE).image)
    plain_img = np.asarray(plain.paint_background(_product(), SCENE).image)
    assert np.array_equal(off_img, plain_img)
    assert not np.array_equal(np.asarray(out.image), plain_img)


def test_the_control_image_reaches_the_pipeline(
    tiny_models: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    painter = DiffusersPainter(_settings(tiny_models["inpaint"], tiny_models["controlnet"]))
    seen: list[Image.Image] = []

    def fake(fill: int) -> Any:
        def make(canvas: Any, kind: str, *, outline: bool = True) -> Image.Image:
            seen.append(Image.new("RGB", canvas.init.size, (fill,) * 3))
            return seen[-1]

        return make

    outs = []
    for fill in (0, 255):
        monkeypatch.setattr(inpaint_diffusers, "control_image", fake(fill))
        outs.append(np.asarray(painter.paint_background(_product(), SCENE).image))
    assert len(seen) == 2
    assert not np.array_equal(outs[0], outs[1])  # same seed, only the control image differs


def test_canny_and_depth_control_images_differ(tiny_models: dict[str, Path]) -> None:
    cn = tiny_models["controlnet"]
    images = [
        np.asarray(
            DiffusersPainter(_settings(tiny_models["inpaint"], cn, controlnet_kind=kind))
            .paint_background(_product(), SCENE)
            .image
        )
        for kind in ("canny", "depth")
    ]
    assert not np.array_equal(images[0], images[1])


def test_control_images_are_made_from_the_kept_pixels() -> None:
    canvas = product_canvas(
        _product(), 40, 32, multiple=8, scale=0.6, center=(0.5, 0.55), upscale=False
    )
    alpha = np.asarray(canvas.keep.getchannel("A"))
    canny = np.asarray(control_image(canvas, "canny"))[..., 0]
    assert canny.shape == alpha.shape and set(np.unique(canny)) <= {0, 255}
    # Edges only on and right around the product; the area to paint is left free.
    ys, xs = np.nonzero(canny)
    py, px = np.nonzero(alpha)
    assert ys.min() >= py.min() - 2 and ys.max() <= py.max() + 2
    assert xs.min() >= px.min() - 2 and xs.max() <= px.max() + 2
    depth = np.asarray(control_image(canvas, "depth"))[..., 0].astype(int)
    assert depth[alpha == 255].min() > depth[alpha == 0].max() - 1  # product nearest
    assert depth[0, 0] < depth[-1, 0]  # the floor recedes towards the top


def test_outpaint_with_controlnet_any_size(tiny_models: dict[str, Path]) -> None:
    painter = DiffusersPainter(_settings(tiny_models["inpaint"], tiny_models["controlnet"]))
    photo = Image.fromarray(
        np.random.default_rng(2).integers(0, 256, (24, 24, 3), dtype=np.uint8), "RGB"
    )
    # ControlNet pipelines want multiples of 8 even where the VAE's factor is 2.
    out = painter.outpaint(photo, OutpaintRequest(seed=3, steps=2, width=47, height=24))
    assert out.image.size == (47, 24)
    kept = np.asarray(out.keep_mask) == 255
    assert np.array_equal(np.asarray(out.image)[kept], np.asarray(photo)[kept[:, 11:35]])


def test_shared_weights_with_a_controlnet(tiny_models: dict[str, Path]) -> None:
    gen = DiffusersGenerator(_settings(tiny_models["sd"], tiny_models["controlnet"]))
    painter = DiffusersPainter.sharing(gen)
    pipe = painter.load()
    assert pipe.unet is gen.load().unet and pipe.controlnet is not None
    assert _opaque_pixels_kept(painter.paint_background(_product(), SCENE), _product())


def test_controlnet_for_another_base_model_is_refused(tiny_models: dict[str, Path]) -> None:
    painter = DiffusersPainter(
        _settings(tiny_models["inpaint"], tiny_models["controlnet_other_base"])
    )
    with pytest.raises(ControlNetMismatch, match=r"block_out_channels .*trained for this model"):
        painter.load()


def test_controlnet_with_another_image_scale_is_refused(tiny_models: dict[str, Path]) -> None:
    painter = DiffusersPainter(
        _settings(tiny_models["inpaint"], tiny_models["controlnet_other_factor"])
    )
    with pytest.raises(ControlNetMismatch, match="control image down 8x, the VAE 2x"):
        painter.load()


def test_missing_or_wrong_controlnet_folder(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match="does not exist"):
        DiffusersPainter(_settings(tiny_models["inpaint"], tmp_path / "nowhere")).load()
    # A pipeline folder is not a ControlNet folder.
    with pytest.raises(ModelNotFound, match="not a ControlNet folder"):
        DiffusersPainter(_settings(tiny_models["inpaint"], tiny_models["sd"])).load()
