"""The LoRA training loop on a tiny pipeline: a couple of steps, weights the generator loads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from adcraft.errors import DeviceUnavailable, InputError
from adcraft.imagery.diffusion import DiffusionSettings, GenerationRequest
from adcraft.imagery.diffusion import LoraSpec as Spec
from adcraft.imagery.lora_train import (
    LoraTrainConfig,
    load_config,
    read_captions,
    style_captions,
    train_lora,
)
from adcraft.providers.gen_diffusers import DiffusersGenerator


def _dataset(folder: Path) -> Path:
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i, caption in enumerate(["a blue mug on a desk", "a green lamp, flat illustration"]):
        arr = rng.integers(0, 256, (40, 30, 3), dtype=np.uint8)
        Image.fromarray(arr, "RGB").save(folder / f"img{i}.png")
        (folder / f"img{i}.txt").write_text(caption, "utf-8")
    Image.new("RGB", (30, 30)).save(folder / "uncaptioned.png")
    (folder / "broken.jpg").write_bytes(b"not a jpeg")
    (folder / "broken.txt").write_text("a broken file", "utf-8")
    return folder


def test_two_training_steps_give_weights_the_generator_loads(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    data = _dataset(tmp_path / "data")
    config = tmp_path / "lora.toml"
    config.write_text(
        f'model = "{tiny_models["sd"]}"\n'
        'data_dir = "data"\noutput_dir = "out"\n'
        "rank = 2\nsteps = 2\nresolution = 16\nlearning_rate = 0.05\n"
        'trigger = "acme style"\ndevice = "cpu"\nallow_cpu = true\n',
        "utf-8",
    )
    cfg = load_config(config)
    assert cfg.data_dir == data
    losses: list[float] = []
    result = train_lora(cfg, on_step=lambda step, loss: losses.append(loss))
    assert len(losses) == 2 and all(np.isfinite(losses))
    assert result.images == 2 and result.weights.exists()
    assert {s.split(":")[0] for s in result.skipped} == {"uncaptioned.png", "broken.jpg"}
    meta = json.loads((result.output_dir / "adcraft_lora.json").read_text("utf-8"))
    assert meta["base_model"] == str(tiny_models["sd"]) and meta["steps"] == 2
    assert style_captions(result.output_dir)[0] == "a blue mug on a desk"

    settings = DiffusionSettings(
        model=str(tiny_models["sd"]),
        device="cpu",
        allow_cpu=True,
        loras=(Spec(path=result.output_dir, name="acme"),),
    )
    gen = DiffusersGenerator(settings)
    assert gen.load().get_list_adapters() == {"unet": ["acme"]}
    request = GenerationRequest(prompt="acme style, a mug", seed=1, steps=2, width=16, height=16)
    styled = np.asarray(gen.generate(request.model_copy(update={"cutout": False})).image)
    plain_settings = settings.model_copy(update={"loras": ()})
    plain = np.asarray(
        DiffusersGenerator(plain_settings)
        .generate(request.model_copy(update={"cutout": False}))
        .image
    )
    assert not np.array_equal(styled, plain), "the trained adapter must change the output"


def test_training_refuses_cpu_without_the_flag(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    cfg = LoraTrainConfig(
        model=str(tiny_models["sd"]),
        data_dir=_dataset(tmp_path / "d"),
        output_dir=tmp_path / "o",
        device="cpu",
        steps=1,
    )
    with pytest.raises(DeviceUnavailable, match="allow_cpu"):
        train_lora(cfg)
    assert not (tmp_path / "o").exists()


def test_folder_without_captions_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / "d" / "a.png")
    with pytest.raises(InputError, match=r"no usable captioned images.*a.png: no caption"):
        read_captions(tmp_path / "d")


def test_captions_from_metadata_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"")
    Image.new("RGB", (8, 8)).save(tmp_path / "a.png")
    (tmp_path / "metadata.jsonl").write_text('{"file_name": "a.png", "text": "a cat"}\n', "utf-8")
    pairs, skipped = read_captions(tmp_path)
    assert pairs == [(tmp_path / "a.png", "a cat")] and skipped == []


def test_bad_config_names_the_field(tmp_path: Path) -> None:
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"model": "m", "data_dir": "d", "output_dir": "o", "rank": 0}))
    with pytest.raises(InputError, match="rank"):
        load_config(cfg)
