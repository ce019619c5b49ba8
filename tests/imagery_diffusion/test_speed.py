"""Production-speed settings: few-step profiles, batched variants, the warm pool, the device
check's CPU dry run. Real tiny pipelines on CPU, no timing asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from adcraft.imagery.diffusion import DiffusionSettings, GenerationRequest
from adcraft.imagery.speed import family_of, profile
from adcraft.providers import diffusion_pool as pool

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("cls", "family"),
    [
        ("StableDiffusionXLPipeline", "sdxl"),
        ("StableDiffusionXLInpaintPipeline", "sdxl"),
        ("StableDiffusionPipeline", "sd"),
        ("StableDiffusion3Pipeline", "sd3"),
        ("FluxFillPipeline", "flux"),
        ("QwenImageInpaintPipeline", "qwen"),
        ("KandinskyPipeline", "other"),
    ],
)
def test_family_of_pipeline_classes(cls: str, family: str) -> None:
    assert family_of(cls) == family


def test_few_step_profiles_are_few_steps_without_extra_guidance_pass() -> None:
    for cls in ("StableDiffusionXLPipeline", "FluxPipeline", "QwenImagePipeline"):
        fast, slow = profile(cls, "few_step"), profile(cls, "default")
        assert fast.steps <= 8 < slow.steps
        assert fast.guidance <= 1.0 < slow.guidance
    assert profile("QwenImagePipeline", "few_step").true_cfg is False


@pytest.fixture()
def settings(tiny_models: dict[str, Path]) -> DiffusionSettings:
    pool.clear()
    return DiffusionSettings(model=str(tiny_models["sd"]), device="cpu", allow_cpu=True)


def _request(**extra: object) -> GenerationRequest:
    base: dict[str, object] = {"prompt": "a red shoe", "seed": 5, "steps": 2, "width": 32,
                               "height": 32, "cutout": False}  # fmt: skip
    return GenerationRequest(**(base | extra))


def test_warm_pool_loads_a_model_once_per_worker(settings: DiffusionSettings) -> None:
    from adcraft.providers.gen_diffusers import DiffusersGenerator

    first, second = DiffusersGenerator(settings), DiffusersGenerator(settings)
    assert first.load() is second.load()
    assert pool.size() == 1
    few = DiffusersGenerator(settings.model_copy(update={"mode": "few_step"}))
    assert few.load() is not first.load()  # another scheduler: another pool entry
    assert pool.size() == 2
    first.close()
    assert pool.size() == 1
    pool.clear()


def test_few_step_mode_swaps_the_scheduler_and_steps(settings: DiffusionSettings) -> None:
    from adcraft.providers.gen_diffusers import DiffusersGenerator

    gen = DiffusersGenerator(settings.model_copy(update={"mode": "few_step"}))
    result = gen.generate(_request(steps=30))
    assert type(gen.load().scheduler).__name__ == "LCMScheduler"  # the SD 1.x profile
    assert result.steps == profile("StableDiffusionPipeline", "few_step").steps
    pool.clear()


def test_batched_variants_match_single_calls_with_their_seeds(
    settings: DiffusionSettings,
) -> None:
    from adcraft.providers.gen_diffusers import DiffusersGenerator

    gen = DiffusersGenerator(settings)
    batch = gen.generate_batch(_request(seed=11), 3)
    assert [r.seed for r in batch] == [11, 12, 13]
    alone = gen.generate(_request(seed=12))
    a, b = np.asarray(batch[1].image, np.int16), np.asarray(alone.image, np.int16)
    assert np.abs(a - b).max() <= 2  # batched matmuls may round differently, not more
    assert not np.array_equal(np.asarray(batch[0].image), np.asarray(batch[1].image))
    pool.clear()


def test_device_check_dry_run_covers_every_case(tmp_path: Path) -> None:
    pytest.importorskip("diffusers")
    out = tmp_path / "dry.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_diffusion_device.py"), "--dry-run",
         "--out", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text("utf-8"))
    assert data["errors"] == []
    names = {c["case"] for c in data["cases"]}
    for family in ("sdxl", "qwen"):
        for what in ("text2image few_step", "background painting few_step", "outpaint few_step"):
            assert any(n.startswith(f"{family} {what}") for n in names), (family, what)
        assert any(n.startswith(f"{family} text2image default") for n in names)
        assert any(family in n and "batch of" in n for n in names)
    assert all(c["s_per_image"] > 0 for c in data["cases"])
