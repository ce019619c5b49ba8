"""Generated pictures and painted scenes for the service, built from ``DiffusionServiceSettings``.

Whether this installation can paint (``generation_status``) is decided here, once, for
``/capabilities``, the generate route's refusal and the workers alike; the picture source and
the scene painter are providers chosen by name (``diffusion.generator``, ``diffusion.painter``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from adcraft.config import DiffusionServiceSettings
from adcraft.errors import GenerationUnavailable
from adcraft.imagery.aspect_scenes import GroupScenePainter
from adcraft.imagery.gated_source import GatedImageSource
from adcraft.imagery.source import ImageSource
from adcraft.scoring.gates import Gate, GateInput, run_gates
from adcraft.wiring.registry import create, register

PICTURE_GATES = ("blur", "exposure", "nsfw")
"""The gates that judge a picture on its own (the others need a finished creative)."""
_ALLOW_CPU = "ADCRAFT_DIFFUSION__ALLOW_CPU=true"


@dataclass(frozen=True)
class GenerationStatus:
    """Whether generated pictures and scenes can be asked for, and why not."""

    available: bool
    reason: str = ""
    device: str = ""
    """'gpu' or 'cpu' (explicitly allowed) when available."""

    def as_dict(self) -> dict[str, Any]:
        """The ``/capabilities`` entry."""
        out: dict[str, Any] = {"available": self.available}
        if self.reason:
            out["reason"] = self.reason
        if self.device:
            out["device"] = self.device
        return out


def _cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def generation_status(
    settings: DiffusionServiceSettings, cuda: Callable[[], bool] = _cuda_available
) -> GenerationStatus:
    """Can this installation paint? Checked without loading a model."""
    if not settings.configured:
        return GenerationStatus(
            False,
            "no diffusion model is configured on this server: set ADCRAFT_DIFFUSION__MODEL to "
            "a diffusers pipeline folder, or upload a photo or pick one from the image bank",
        )
    missing = [m for m in ("torch", "diffusers") if importlib.util.find_spec(m) is None]
    if missing:
        return GenerationStatus(
            False,
            f"the diffusion extra is not installed ({', '.join(missing)} missing): "
            "pip install 'adcraft[diffusion]'",
        )
    for model in filter(None, (settings.model, settings.inpaint_model)):
        path = Path(model).expanduser()
        if model.startswith((".", "/", "~")) and not (path / "model_index.json").is_file():
            return GenerationStatus(
                False,
                f"the configured diffusion model {path.name!r} is not a diffusers pipeline "
                "folder on this server: fix ADCRAFT_DIFFUSION__MODEL",
            )
    if settings.device == "cpu":
        gpu = False
    elif settings.gpu_visible_to_api is not None:
        gpu = settings.gpu_visible_to_api
    else:
        gpu = cuda()
    if gpu:
        return GenerationStatus(True, device="gpu")
    if not settings.allow_cpu:
        return GenerationStatus(
            False,
            "no GPU is available for generation and running diffusion on CPU is not "
            "allowed (minutes per image): start a GPU worker, or set "
            f"{_ALLOW_CPU} to accept slow generation",
        )
    return GenerationStatus(True, device="cpu")


def require_generation(settings: DiffusionServiceSettings, what: str) -> None:
    """Raise GenerationUnavailable (a 422 problem) naming why ``what`` cannot be made here."""
    status = generation_status(settings)
    if not status.available:
        raise GenerationUnavailable(f"{what} cannot be made on this server: {status.reason}")


def _diffusion_settings(s: DiffusionServiceSettings, model: str | None) -> Any:
    from adcraft.imagery.diffusion import DiffusionSettings

    return DiffusionSettings(
        model=model or s.model or "",
        device=s.device,
        dtype=s.dtype,
        allow_cpu=s.allow_cpu,
        mode=s.mode,
    )


@register("image_source", "diffusers")
def diffusers_picture_source(options: Mapping[str, Any]) -> Any:
    """Text-to-image with the configured diffusers pipeline, cut out on a studio background."""
    from adcraft.imagery.generated_source import GeneratedImageSource
    from adcraft.providers.gen_diffusers import DiffusersGenerator

    s: DiffusionServiceSettings = options["settings"]
    generator = DiffusersGenerator(_diffusion_settings(s, s.model))
    return GeneratedImageSource(
        generator, steps=s.steps, width=s.size, height=s.size, model_name=Path(s.model or "").name
    )


@register("painter", "diffusers")
def diffusers_painter(options: Mapping[str, Any]) -> Any:
    """Scenes around the product with the configured (inpainting) pipeline."""
    from adcraft.providers.inpaint_diffusers import DiffusersPainter

    s: DiffusionServiceSettings = options["settings"]
    return DiffusersPainter(_diffusion_settings(s, s.inpaint_model or s.model))


def picture_check(gates: list[Gate]) -> Callable[[Image.Image], list[str]]:
    """The picture gates among ``gates`` as a check of one picture: failed reasons."""
    chosen = [g for g in gates if g.name in PICTURE_GATES]

    def check(picture: Image.Image) -> list[str]:
        item = GateInput(id="picture", image=picture.convert("RGB"), product=picture)
        (results,) = run_gates(chosen, [item])
        return [f"{r.gate}: {r.reason}" for r in results if r.subject == "product" and not r.passed]

    return check


def picture_source(settings: DiffusionServiceSettings, gates: list[Gate]) -> GatedImageSource:
    """The configured generator, held to the picture gates with ``max_attempts`` seeds."""
    require_generation(settings, "a generated picture")
    inner: ImageSource = create("image_source", settings.generator, {"settings": settings})
    return GatedImageSource(inner, picture_check(gates), settings.max_attempts)


def scene_painter(settings: DiffusionServiceSettings, scene: str, seed: int) -> GroupScenePainter:
    """The configured painter, painting ``scene`` per aspect group from ``seed``."""
    require_generation(settings, "a painted scene")
    painter = create("painter", settings.painter, {"settings": settings})
    return GroupScenePainter(painter, scene, seed, side=settings.size, steps=settings.steps)
