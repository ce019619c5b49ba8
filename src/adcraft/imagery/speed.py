"""Production-speed settings per model family: few-step profiles, the pure part (no torch).

A *few-step* profile is what a distilled model (SDXL-Turbo/Lightning, LCM, FLUX.1-schnell,
Qwen-Image-Lightning, or the base model with the matching distillation LoRA) must be run with:
its scheduler, step count and guidance. Running a full model with these settings is fast but
blurry; running a distilled one with the default settings is slow and burnt. The profile is
chosen from the pipeline's class, so one setting (``mode="few_step"``) fits every family.

family (pipeline classes): scheduler and overrides, steps, guidance in few-step mode

- ``sdxl`` (StableDiffusionXL*): EulerDiscrete with trailing timesteps, 4 steps, guidance 0
- ``sd`` (StableDiffusion* 1.x/2.x): LCM (LCM-LoRA), 4 steps, guidance 1
- ``sd3`` (StableDiffusion3*): FlowMatchEulerDiscrete shift 3, 4 steps, guidance 0
- ``flux`` (Flux*): the pipeline's FlowMatchEulerDiscrete, 4 steps, guidance 0 (schnell)
- ``qwen`` (QwenImage*): FlowMatchEulerDiscrete shift 3 without dynamic shifting, 8 steps,
  no true CFG pass (Qwen-Image-Lightning)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Family = Literal["sdxl", "sd", "sd3", "flux", "qwen", "other"]
SpeedMode = Literal["default", "few_step"]


@dataclass(frozen=True)
class StepProfile:
    """How to call one model family in one mode."""

    steps: int
    guidance: float
    scheduler: str | None = None
    """diffusers scheduler class to swap in (None: keep the pipeline's own)."""
    scheduler_config: dict[str, object] = field(default_factory=dict)
    true_cfg: bool = True
    """False: the family's separate classifier-free pass is switched off (Qwen-Image's
    ``true_cfg_scale``), halving the work per step."""


DEFAULT_PROFILES: dict[Family, StepProfile] = {
    "sdxl": StepProfile(steps=30, guidance=5.0),
    "sd": StepProfile(steps=30, guidance=7.5),
    "sd3": StepProfile(steps=28, guidance=7.0),
    "flux": StepProfile(steps=28, guidance=3.5),
    "qwen": StepProfile(steps=50, guidance=4.0),
    "other": StepProfile(steps=30, guidance=5.0),
}

FEW_STEP_PROFILES: dict[Family, StepProfile] = {
    "sdxl": StepProfile(
        steps=4,
        guidance=0.0,
        scheduler="EulerDiscreteScheduler",
        scheduler_config={"timestep_spacing": "trailing"},
    ),
    "sd": StepProfile(steps=4, guidance=1.0, scheduler="LCMScheduler"),
    "sd3": StepProfile(
        steps=4,
        guidance=0.0,
        scheduler="FlowMatchEulerDiscreteScheduler",
        scheduler_config={"shift": 3.0},
    ),
    "flux": StepProfile(steps=4, guidance=0.0),
    "qwen": StepProfile(
        steps=8,
        guidance=1.0,
        scheduler="FlowMatchEulerDiscreteScheduler",
        scheduler_config={"shift": 3.0, "use_dynamic_shifting": False},
        true_cfg=False,
    ),
    "other": StepProfile(steps=8, guidance=1.0),
}


def family_of(pipeline_class: str) -> Family:
    """The model family of a diffusers pipeline class name (inpainting variants included)."""
    name = pipeline_class
    if name.startswith("QwenImage"):
        return "qwen"
    if name.startswith("Flux"):
        return "flux"
    if name.startswith("StableDiffusion3"):
        return "sd3"
    if name.startswith("StableDiffusionXL"):
        return "sdxl"
    if name.startswith("StableDiffusion"):
        return "sd"
    return "other"


def profile(pipeline_class: str, mode: SpeedMode) -> StepProfile:
    """The step profile for a pipeline class in a mode."""
    table = FEW_STEP_PROFILES if mode == "few_step" else DEFAULT_PROFILES
    return table[family_of(pipeline_class)]
