"""What the diffusers adapters share: device and dtype choice, loading, LoRA, error mapping.

torch and diffusers are imported inside functions so that importing adcraft stays light.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from adcraft.errors import ProviderUnavailable
from adcraft.imagery.diffusion import (
    DeviceUnavailable,
    DiffusionSettings,
    GenerationFailed,
    LoraMismatch,
    LoraSpec,
    ModelNotFound,
    OutOfMemory,
)

log = logging.getLogger(__name__)
Task = Literal["text2image", "inpaint"]
LORA_SIDECAR = "adcraft_lora.json"
"""Written next to trained weights by ``adcraft lora train``: base model, captions, settings."""
_INSTALL = "pip install 'adcraft[diffusion]'"


def import_torch() -> Any:
    """The torch module, or a ProviderUnavailable that says how to install it."""
    try:
        import torch
    except ImportError as exc:
        raise ProviderUnavailable(f"diffusion needs torch and diffusers: {_INSTALL}") from exc
    return torch


def import_diffusers() -> Any:
    """The diffusers module, or a ProviderUnavailable that says how to install it."""
    import_torch()
    try:
        import diffusers
    except ImportError as exc:
        raise ProviderUnavailable(f"diffusion needs diffusers: {_INSTALL}") from exc
    return diffusers


def resolve_device(settings: DiffusionSettings) -> str:
    """The torch device to run on; CPU only when the settings allow it."""
    torch = import_torch()
    cpu_hint = "set allow_cpu=True (CLI: --allow-cpu) to run on CPU, at minutes per image"
    if settings.device == "cpu":
        if not settings.allow_cpu:
            raise DeviceUnavailable(
                f"device 'cpu' was asked for but CPU is not allowed: {cpu_hint}"
            )
        return "cpu"
    if not torch.cuda.is_available():
        if settings.allow_cpu:
            log.warning(
                "no CUDA device; running %s on CPU because allow_cpu is set", settings.model
            )
            return "cpu"
        raise DeviceUnavailable(
            f"no CUDA device on this machine: run on a GPU worker, or {cpu_hint}"
        )
    index = int(settings.device.partition(":")[2] or 0)
    count = int(torch.cuda.device_count())
    if index >= count:
        raise DeviceUnavailable(
            f"device {settings.device} does not exist: this machine has {count} GPU(s), "
            f"cuda:0..cuda:{count - 1}; run one worker per GPU"
        )
    return f"cuda:{index}"


def resolve_dtype(name: str, device: str) -> Any:
    """The torch dtype for a settings name on a device."""
    torch = import_torch()
    if name == "auto":
        if device == "cpu":
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}[name]


def _looks_like_path(model: str) -> bool:
    return model.startswith((".", "/", "~")) or "\\" in model or model.count("/") > 1


def check_model(model: str) -> None:
    """Fail early and clearly when a local model folder is missing or is not a pipeline."""
    path = Path(model).expanduser()
    if path.exists():
        if path.is_dir() and not (path / "model_index.json").exists():
            raise ModelNotFound(
                f"{path} is not a diffusers pipeline folder (no model_index.json): save the "
                "pipeline with save_pretrained(), or point at the folder holding model_index.json"
            )
        return
    if _looks_like_path(model):
        raise ModelNotFound(
            f"model path {path} does not exist: copy the model there (e.g. `hf download "
            "<id> --local-dir PATH`) or fix --model / ADCRAFT_DIFFUSION__MODEL"
        )


def load_pipeline(settings: DiffusionSettings, device: str, task: Task) -> Any:
    """Load a pipeline for the task from a local folder or a cached model id, on ``device``."""
    diffusers = import_diffusers()
    check_model(settings.model)
    loader = (
        diffusers.AutoPipelineForInpainting if task == "inpaint" else diffusers.DiffusionPipeline
    )
    kwargs: dict[str, Any] = {
        "dtype": resolve_dtype(settings.dtype, device),
        "local_files_only": settings.local_files_only,
    }
    if settings.variant:
        kwargs["variant"] = settings.variant
    try:
        pipe = loader.from_pretrained(settings.model, **kwargs)
    except OSError as exc:
        where = "in the local Hugging Face cache" if settings.local_files_only else "anywhere"
        raise ModelNotFound(
            f"could not load model {settings.model!r} ({where}): {_first_line(exc)}; pass a "
            "local folder, download it first, or set local_files_only=False"
        ) from exc
    except ValueError as exc:
        raise ModelNotFound(
            f"model {settings.model!r} has no {task} pipeline: {_first_line(exc)}"
        ) from exc
    with oom_guard(device, "loading the model"):
        pipe = pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    apply_loras(pipe, settings)
    return pipe


def _lora_location(spec: LoraSpec) -> tuple[str, dict[str, Any]]:
    path = spec.path.expanduser()
    if not path.exists():
        raise ModelNotFound(f"LoRA {path} does not exist: train one with `adcraft lora train`")
    if path.is_file():
        return str(path.parent), {"weight_name": path.name}
    return str(path), {}


def _trained_on(spec: LoraSpec) -> str:
    folder = spec.path if spec.path.is_dir() else spec.path.parent
    try:
        meta = json.loads((folder / LORA_SIDECAR).read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    base = meta.get("base_model") if isinstance(meta, dict) else None
    return f" (it was trained on {base})" if base else ""


def _registered(pipe: Any) -> set[str]:
    names: set[str] = set()
    for adapters in pipe.get_list_adapters().values():
        names.update(adapters)
    return names


def apply_loras(pipe: Any, settings: DiffusionSettings) -> None:
    """Load every LoRA in the settings and set their weights; refuse ones that do not fit."""
    if not settings.loras:
        return
    if not hasattr(pipe, "load_lora_weights"):
        raise LoraMismatch(f"the {type(pipe).__name__} pipeline does not support LoRA adapters")
    names: list[str] = []
    for index, spec in enumerate(settings.loras):
        name = spec.adapter_name(index)
        where, extra = _lora_location(spec)
        hint = f"LoRA {spec.path} does not fit base model {settings.model}{_trained_on(spec)}"
        try:
            pipe.load_lora_weights(where, adapter_name=name, **extra)
        except (RuntimeError, ValueError, KeyError, TypeError) as exc:
            raise LoraMismatch(
                f"{hint}: {_first_line(exc)}; use a LoRA trained on this base model"
            ) from exc
        # diffusers only warns when no key matches any layer; an adapter that changes nothing
        # would silently give unstyled images, so treat it as a mismatch.
        if name not in _registered(pipe):
            raise LoraMismatch(f"{hint}: none of its layers match; use a LoRA for this model")
        names.append(name)
    pipe.set_adapters(names, adapter_weights=[s.weight for s in settings.loras])


def size_multiple(pipe: Any) -> int:
    """The multiple that width and height must be for this pipeline."""
    factor = int(getattr(pipe, "vae_scale_factor", 8) or 8)
    # Transformer pipelines (SD3, FLUX, Qwen-Image, PixArt) pack 2x2 latent patches.
    return factor * 2 if getattr(pipe, "transformer", None) is not None else factor


def call_kwargs(pipe: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    """Keep the keyword arguments this pipeline's __call__ accepts (FLUX has no negative)."""
    params = inspect.signature(pipe.__call__).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return {k: v for k, v in wanted.items() if v is not None}
    return {k: v for k, v in wanted.items() if k in params and v is not None}


def generator(device: str, seed: int) -> Any:
    """A seeded torch generator on the device (same seed + device + settings → same image)."""
    torch = import_torch()
    return torch.Generator(device=device).manual_seed(seed)


@contextlib.contextmanager
def oom_guard(device: str, doing: str) -> Iterator[None]:
    """Turn CUDA out-of-memory into OutOfMemory with advice, and free the cache."""
    torch = import_torch()
    try:
        yield
    except torch.OutOfMemoryError as exc:
        if device.startswith("cuda"):
            torch.cuda.empty_cache()
        raise OutOfMemory(
            f"{device} ran out of memory while {doing}: lower width/height, use dtype float16 or "
            "bfloat16, drop adapters, or give this worker a GPU of its own"
        ) from exc
    except RuntimeError as exc:
        if "out of memory" in str(exc).lower():
            raise OutOfMemory(f"{device} ran out of memory while {doing}: {exc}") from exc
        raise GenerationFailed(f"the pipeline failed while {doing}: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:300]
