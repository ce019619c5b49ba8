"""The `image` and `lora` commands, on a fresh Typer app, with tiny pipelines on CPU."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from PIL import Image
from typer.testing import CliRunner

from adcraft.cli.generate_image import register

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _cpu(model: Path) -> list[str]:
    return ["--model", str(model), "--device", "cpu", "--allow-cpu", "--steps", "2"]


def test_generate_writes_a_png_and_prints_the_seed(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "gen.png"
    args = ["image", "generate", *_cpu(tiny_models["sd"]), "--prompt", "a red shoe"]
    args += ["--seed", "5", "--width", "32", "--height", "24", "--out", str(out)]
    args += ["--lora", f"{tiny_models['lora']}:0.8"]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["seed"] == 5 and summary["size"] == [32, 24]
    assert "plain light studio background" in summary["prompt"]
    assert Image.open(out).mode == "RGBA"


def test_generate_writes_the_prompt_from_the_product_name(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    args = ["image", "generate", *_cpu(tiny_models["sd"]), "--product", "Trail 3 Tent"]
    args += ["--no-cutout", "--width", "16", "--height", "16", "--out", str(tmp_path / "t.png")]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert "photo of Trail 3 Tent" in json.loads(result.stdout.splitlines()[-1])["prompt"]


def test_missing_model_exits_2_with_advice(tmp_path: Path) -> None:
    args = ["image", "generate", *_cpu(tmp_path / "nowhere"), "--prompt", "x"]
    result = runner.invoke(_app(), [*args, "--out", str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert not (tmp_path / "x.png").exists()


def test_background_keeps_the_product(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    product = Image.new("RGBA", (12, 12), (0, 0, 0, 0))
    product.paste((200, 30, 40, 255), (2, 2, 10, 10))
    product.save(tmp_path / "p.png")
    out = tmp_path / "scene.png"
    args = [
        "image",
        "background",
        *_cpu(tiny_models["inpaint"]),
        "--product",
        str(tmp_path / "p.png"),
    ]
    args += ["--scene", "a wooden table", "--width", "32", "--height", "32", "--out", str(out)]
    result = runner.invoke(_app(), [*args, "--seed", "1"])
    assert result.exit_code == 0, result.output
    pixels = np.asarray(Image.open(out).convert("RGB")).reshape(-1, 3)
    assert (np.all(pixels == (200, 30, 40), axis=1)).sum() == 64


def test_outpaint_to_a_wide_format(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    Image.new("RGB", (20, 20), (10, 120, 200)).save(tmp_path / "photo.png")
    out = tmp_path / "wide.png"
    args = [
        "image",
        "outpaint",
        *_cpu(tiny_models["inpaint"]),
        "--photo",
        str(tmp_path / "photo.png"),
    ]
    result = runner.invoke(_app(), [*args, "--width", "38", "--height", "20", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert Image.open(out).size == (38, 20)
    # --feather 0: a hard edge, and the whole photo comes back exactly.
    args += ["--width", "38", "--height", "20", "--feather", "0", "--out", str(out)]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert np.all(np.asarray(Image.open(out).convert("RGB"))[:, 9:29] == (10, 120, 200))


def test_lora_train_command(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    Image.new("RGB", (24, 24), (90, 60, 30)).save(data / "a.png")
    (data / "a.txt").write_text("a brown square", "utf-8")
    config = tmp_path / "train.json"
    config.write_text(
        json.dumps(
            {
                "model": str(tiny_models["sd"]),
                "data_dir": "data",
                "output_dir": "lora",
                "rank": 2,
                "steps": 1,
                "resolution": 16,
                "device": "cpu",
                "allow_cpu": True,
            }
        )
    )
    result = runner.invoke(_app(), ["lora", "train", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "lora" / "pytorch_lora_weights.safetensors").exists()


def _cutout(tmp_path: Path) -> Path:
    product = Image.new("RGBA", (12, 12), (0, 0, 0, 0))
    product.paste((200, 30, 40, 255), (2, 2, 10, 10))
    product.save(tmp_path / "red-mug.png")
    return tmp_path / "red-mug.png"


def _background(model: Path, tmp_path: Path, *extra: str) -> list[str]:
    args = ["image", "background", *_cpu(model), "--product", str(_cutout(tmp_path))]
    return [*args, "--width", "32", "--height", "32", "--seed", "1", *extra]


def test_background_without_a_scene_writes_one_from_the_brief(
    tiny_models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ADCRAFT_LLM_PROVIDER", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file with LLM settings here
    out = tmp_path / "scene.png"
    args = _background(tiny_models["inpaint"], tmp_path, "--style", "festive", "--category", "mug")
    result = runner.invoke(_app(), [*args, "--color", "#1b2a4a", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["scene_source"] == "offline"
    assert summary["prompt"].startswith("advertising photo of red mug (mug)")  # from the file name
    assert "on a wooden kitchen counter" in summary["prompt"] and "deep blue" in summary["prompt"]
    assert f"scene (offline): {summary['prompt']}" in " ".join(result.stderr.split())
    pixels = np.asarray(Image.open(out).convert("RGB")).reshape(-1, 3)
    assert (np.all(pixels == (200, 30, 40), axis=1)).sum() == 64


def test_background_scene_from_the_configured_llm(
    tiny_models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("openai", reason="needs the 'llm' extra")
    from tests.copywriting_llm.server import FakeOpenAI, Reply

    monkeypatch.chdir(tmp_path)
    with FakeOpenAI([Reply(content="a red mug on a sunny breakfast table")]) as server:
        monkeypatch.setenv("ADCRAFT_LLM_PROVIDER", "openai")
        monkeypatch.setenv("ADCRAFT_LLM_BASE_URL", server.url)
        monkeypatch.setenv("ADCRAFT_LLM_MAX_RETRIES", "0")
        args = _background(tiny_models["inpaint"], tmp_path, "--title", "Red Mug")
        result = runner.invoke(_app(), [*args, "--out", str(tmp_path / "s.png")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["scene_source"], summary["prompt"]) == (
        "llm",
        "a red mug on a sunny breakfast table",
    )
    assert '"product": "Red Mug"' in server.requests[0]["messages"][-1]["content"]


def test_background_with_a_controlnet(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "cn.png"
    args = _background(tiny_models["inpaint"], tmp_path, "--scene", "a wooden table", "--no-llm")
    args += ["--controlnet", str(tiny_models["controlnet"]), "--controlnet-kind", "depth"]
    result = runner.invoke(_app(), [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["scene_source"] == "given"
    pixels = np.asarray(Image.open(out).convert("RGB")).reshape(-1, 3)
    assert (np.all(pixels == (200, 30, 40), axis=1)).sum() == 64


def test_background_with_a_mismatched_controlnet_exits_2(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    args = _background(tiny_models["inpaint"], tmp_path, "--scene", "a table")
    args += ["--controlnet", str(tiny_models["controlnet_other_base"])]
    result = runner.invoke(_app(), [*args, "--out", str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert "does not fit base model" in result.output
    bad_kind = _background(tiny_models["inpaint"], tmp_path, "--controlnet-kind", "pose")
    result = runner.invoke(_app(), [*bad_kind, "--out", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "canny" in result.output


def test_background_with_an_ip_adapter_style_image(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    Image.new("RGB", (40, 40), (230, 20, 20)).save(tmp_path / "brand.png")
    args = _background(tiny_models["inpaint"], tmp_path, "--scene", "a wooden table", "--no-llm")
    args += ["--ip-adapter", str(tiny_models["ip_adapter"])]
    args += ["--style-image", str(tmp_path / "brand.png"), "--out", str(tmp_path / "ipa.png")]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["warnings"] == []
    pixels = np.asarray(Image.open(tmp_path / "ipa.png").convert("RGB")).reshape(-1, 3)
    assert (np.all(pixels == (200, 30, 40), axis=1)).sum() == 64
