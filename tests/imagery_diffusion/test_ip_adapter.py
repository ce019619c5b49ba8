"""IP-Adapter: a style reference image steers backgrounds, through the real inpaint provider.

The adapter is tiny and random (weights for the tiny UNet's cross-attention layers plus a tiny
CLIP image encoder), saved in the layout of the published IP-Adapter repositories.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from adcraft.errors import InvalidGenerationRequest, IPAdapterMismatch, ModelNotFound
from adcraft.imagery.diffusion import DiffusionSettings
from adcraft.providers.gen_diffusers import DiffusersGenerator
from adcraft.providers.inpaint_diffusers import DiffusersPainter
from tests.imagery_diffusion.test_background import _product
from tests.imagery_diffusion.test_controlnet import SCENE, _opaque_pixels_kept

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")

RED = Image.new("RGB", (40, 40), (230, 20, 20))
NOISE = Image.fromarray(
    np.random.default_rng(0).integers(0, 256, (40, 40, 3), dtype=np.uint8), "RGB"
)


def _settings(model: Path, ip_adapter: Path | None = None, **extra: Any) -> DiffusionSettings:
    return DiffusionSettings(
        model=str(model), device="cpu", allow_cpu=True, ip_adapter=ip_adapter, **extra
    )


def test_style_image_steers_the_scene_and_keeps_the_product(tiny_models: dict[str, Path]) -> None:
    painter = DiffusersPainter(
        _settings(tiny_models["inpaint"], tiny_models["ip_adapter"], ip_adapter_scale=1.0)
    )
    red = painter.paint_background(_product(), SCENE, style_image=RED)
    noise = painter.paint_background(_product(), SCENE, style_image=NOISE)
    assert not np.array_equal(np.asarray(red.image), np.asarray(noise.image))
    assert _opaque_pixels_kept(red, _product()) and red.warnings == ()
    # No style image: the adapter runs at scale 0, the same image as without an adapter.
    none = painter.paint_background(_product(), SCENE)
    plain = DiffusersPainter(_settings(tiny_models["inpaint"])).paint_background(_product(), SCENE)
    assert np.array_equal(np.asarray(none.image), np.asarray(plain.image))


def test_ip_adapter_with_a_controlnet(tiny_models: dict[str, Path]) -> None:
    settings = _settings(
        tiny_models["sd"], tiny_models["ip_adapter"], controlnet=str(tiny_models["controlnet"])
    )
    out = DiffusersPainter(settings).paint_background(_product(), SCENE, style_image=RED)
    assert _opaque_pixels_kept(out, _product())


def test_style_image_without_an_adapter_is_ignored_with_a_warning(
    tiny_models: dict[str, Path],
) -> None:
    painter = DiffusersPainter(_settings(tiny_models["inpaint"]))
    out = painter.paint_background(_product(), SCENE, style_image=RED)
    assert out.warnings == ("the style image was ignored: no IP-Adapter is configured",)


def test_adapter_for_another_base_model_is_refused(tiny_models: dict[str, Path]) -> None:
    painter = DiffusersPainter(
        _settings(tiny_models["inpaint"], tiny_models["ip_adapter_other_base"])
    )
    with pytest.raises(IPAdapterMismatch, match="does not fit base model"):
        painter.load()


def test_encoder_that_does_not_fit_the_adapter_is_refused(tiny_models: dict[str, Path]) -> None:
    painter = DiffusersPainter(
        _settings(tiny_models["inpaint"], tiny_models["ip_adapter_other_encoder"])
    )
    with pytest.raises(IPAdapterMismatch, match="16-wide embeddings, the adapter takes 8"):
        painter.load()


def test_missing_adapter_files_and_shared_painters(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    with pytest.raises(ModelNotFound, match="does not exist"):
        DiffusersPainter(_settings(tiny_models["inpaint"], tmp_path / "ipa.safetensors")).load()
    gen = DiffusersGenerator(_settings(tiny_models["sd"], tiny_models["ip_adapter"]))
    with pytest.raises(InvalidGenerationRequest, match="use one"):
        DiffusersPainter.sharing(gen)
