"""Text-to-image through the real diffusers provider, on tiny pipelines loaded from disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adcraft.errors import (
    DeviceUnavailable,
    InvalidGenerationRequest,
    LoraMismatch,
    ModelNotFound,
    OutOfMemory,
)
from adcraft.imagery.diffusion import DiffusionSettings, GenerationRequest, LoraSpec
from adcraft.providers.gen_diffusers import DiffusersGenerator

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")


def _settings(model: Path, **extra: object) -> DiffusionSettings:
    return DiffusionSettings(model=str(model), device="cpu", allow_cpu=True, **extra)


def _request(**extra: object) -> GenerationRequest:
    base: dict[str, object] = {
        "prompt": "a red shoe",
        "seed": 7,
        "steps": 2,
        "width": 32,
        "height": 32,
        "cutout": False,
    }
    return GenerationRequest(**(base | extra))


def _pixels(gen: DiffusersGenerator, **extra: object) -> np.ndarray:
    return np.asarray(gen.generate(_request(**extra)).image)


def test_text_to_image_end_to_end_on_cpu(tiny_models: dict[str, Path]) -> None:
    gen = DiffusersGenerator(_settings(tiny_models["sd"]))
    out = gen.generate(_request(width=48, height=32, cutout=True))
    assert out.image.mode == "RGBA"
    assert out.image.size == (48, 32)
    assert out.seed == 7 and out.steps == 2
    assert out.remover == "studio"
    assert gen.device == "cpu"


def test_same_seed_same_image_other_seed_other_image(tiny_models: dict[str, Path]) -> None:
    gen = DiffusersGenerator(_settings(tiny_models["sd"]))
    first, again = _pixels(gen, seed=3), _pixels(gen, seed=3)
    other = _pixels(gen, seed=4)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_random_seed_is_reported_and_replays(tiny_models: dict[str, Path]) -> None:
    gen = DiffusersGenerator(_settings(tiny_models["sd"]))
    out = gen.generate(_request(seed=None))
    replay = gen.generate(_request(seed=out.seed))
    assert np.array_equal(np.asarray(out.image), np.asarray(replay.image))


def test_lora_changes_the_image_and_its_weight_matters(tiny_models: dict[str, Path]) -> None:
    plain = _pixels(DiffusersGenerator(_settings(tiny_models["sd"])))
    styled = DiffusersGenerator(
        _settings(tiny_models["sd"], loras=(LoraSpec(path=tiny_models["lora"], name="brand"),))
    )
    assert styled.load().get_list_adapters() == {"unet": ["brand"]}
    assert not np.array_equal(plain, _pixels(styled))
    off = DiffusersGenerator(
        _settings(tiny_models["sd"], loras=(LoraSpec(path=tiny_models["lora"], weight=0.0),))
    )
    assert np.array_equal(plain, _pixels(off))


def test_lora_file_path_loads_too(tiny_models: dict[str, Path]) -> None:
    file = tiny_models["lora"] / "pytorch_lora_weights.safetensors"
    gen = DiffusersGenerator(_settings(tiny_models["sd"], loras=(LoraSpec(path=file),)))
    assert gen.load().get_list_adapters() == {"unet": ["lora0"]}


def test_lora_for_another_base_model_is_a_clear_error(tiny_models: dict[str, Path]) -> None:
    gen = DiffusersGenerator(
        _settings(tiny_models["sd"], loras=(LoraSpec(path=tiny_models["lora_other_base"]),))
    )
    with pytest.raises(LoraMismatch, match="does not fit base model"):
        gen.generate(_request())


def test_lora_with_no_matching_layers_is_refused(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    import torch
    from safetensors.torch import save_file

    save_file(
        {"foo.lora_A.weight": torch.zeros(2, 2)}, tmp_path / "pytorch_lora_weights.safetensors"
    )
    gen = DiffusersGenerator(_settings(tiny_models["sd"], loras=(LoraSpec(path=tmp_path),)))
    with pytest.raises(LoraMismatch, match="none of its layers match"):
        gen.load()


def test_missing_lora_path(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    spec = LoraSpec(path=tmp_path / "nope")
    with pytest.raises(ModelNotFound, match=r"LoRA .* does not exist"):
        DiffusersGenerator(_settings(tiny_models["sd"], loras=(spec,))).load()


def test_missing_model_path(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match="does not exist"):
        DiffusersGenerator(_settings(tmp_path / "no-such-model")).load()


def test_folder_without_pipeline(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match=r"model_index\.json"):
        DiffusersGenerator(_settings(tmp_path)).load()


def test_uncached_model_id_offline() -> None:
    with pytest.raises(ModelNotFound, match="local Hugging Face cache"):
        DiffusersGenerator(_settings(Path("adcraft-test/not-a-model"))).load()


def test_cpu_refused_unless_allowed(tiny_models: dict[str, Path]) -> None:
    for device in ("cpu", "cuda", "cuda:1"):
        settings = DiffusionSettings(model=str(tiny_models["sd"]), device=device)
        with pytest.raises(DeviceUnavailable, match="allow_cpu"):
            DiffusersGenerator(settings).load()


def test_size_must_suit_the_pipeline(tiny_models: dict[str, Path]) -> None:
    # The tiny VAE downsamples by 2, so odd sizes are what it cannot paint.
    gen = DiffusersGenerator(_settings(tiny_models["sd"]))
    with pytest.raises(InvalidGenerationRequest, match="multiples of 2: width 33"):
        gen.generate(_request(width=33))


def test_out_of_memory_becomes_a_clear_error(tiny_models: dict[str, Path]) -> None:
    import torch

    gen = DiffusersGenerator(_settings(tiny_models["sd"]))

    def explode(*_: object) -> None:
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    handle = gen.load().unet.register_forward_pre_hook(explode)
    try:
        with pytest.raises(OutOfMemory, match="lower width/height"):
            gen.generate(_request())
    finally:
        handle.remove()
    assert gen.generate(_request()).image.size == (32, 32)
