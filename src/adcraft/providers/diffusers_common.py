"""What the diffusers adapters share: device and dtype choice, loading, LoRA, error mapping.

torch and diffusers are imported inside functions so that importing adcraft stays light.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from adcraft.errors import (
    ControlNetMismatch,
    DeviceUnavailable,
    GenerationFailed,
    InvalidGenerationRequest,
    IPAdapterMismatch,
    LoraMismatch,
    ModelNotFound,
    OutOfMemory,
    ProviderUnavailable,
)
from adcraft.imagery import speed
from adcraft.imagery.diffusion import DiffusionSettings, LoraSpec

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
    """Load a pipeline for the task from a local folder or a cached model id, on ``device``.

    For inpainting with ``settings.controlnet`` the ControlNet is loaded first and the
    ControlNet variant of the inpainting pipeline is built around it.
    """
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
    controlnet = load_controlnet(settings, device) if task == "inpaint" else None
    if controlnet is not None:
        kwargs["controlnet"] = controlnet
    try:
        pipe = loader.from_pretrained(settings.model, **kwargs)
    except OSError as exc:
        where = "in the local Hugging Face cache" if settings.local_files_only else "anywhere"
        raise ModelNotFound(
            f"could not load model {settings.model!r} ({where}): {_first_line(exc)}; pass a "
            "local folder, download it first, or set local_files_only=False"
        ) from exc
    except ValueError as exc:
        if controlnet is not None:
            raise _no_controlnet_variant(settings, exc) from exc
        raise ModelNotFound(
            f"model {settings.model!r} has no {task} pipeline: {_first_line(exc)}"
        ) from exc
    if controlnet is not None:
        check_controlnet_fits(pipe, controlnet, settings)
    with oom_guard(device, "loading the model"):
        pipe = pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    apply_loras(pipe, settings)
    if task == "inpaint":
        apply_ip_adapter(pipe, settings, device)
    apply_speed(pipe, settings)
    return pipe


def inpaint_from(pipe: Any, settings: DiffusionSettings, device: str) -> Any:
    """An inpainting pipeline sharing a loaded text-to-image pipeline's weights (plus the
    settings' ControlNet, the only new weights loaded)."""
    diffusers = import_diffusers()
    if settings.ip_adapter is not None:
        # load_ip_adapter swaps the attention processors of the UNet both pipelines share:
        # the generator would then demand a style image on every call.
        raise InvalidGenerationRequest(
            "an IP-Adapter changes the UNet a shared painter shares with the generator: build "
            "the painter with DiffusersPainter(settings) to use one"
        )
    controlnet = load_controlnet(settings, device)
    extra = {"controlnet": controlnet} if controlnet is not None else {}
    try:
        shared = diffusers.AutoPipelineForInpainting.from_pipe(pipe, **extra)
    except ValueError as exc:
        if controlnet is not None:
            raise _no_controlnet_variant(settings, exc) from exc
        raise ModelNotFound(f"{type(pipe).__name__} has no inpainting pipeline: {exc}") from exc
    if controlnet is not None:
        check_controlnet_fits(shared, controlnet, settings)
        with oom_guard(device, "loading the ControlNet"):
            controlnet.to(device)
    shared.set_progress_bar_config(disable=True)
    if settings.mode == "few_step":
        # from_pipe copies the scheduler's config, not a swapped scheduler's class.
        step = speed.profile(type(shared).__name__, "few_step")
        if step.scheduler is not None:
            cls = getattr(diffusers, step.scheduler)
            shared.scheduler = cls.from_config(pipe.scheduler.config, **step.scheduler_config)
    return shared


def _no_controlnet_variant(settings: DiffusionSettings, exc: BaseException) -> ControlNetMismatch:
    return ControlNetMismatch(
        f"model {settings.model!r} has no ControlNet inpainting pipeline in diffusers "
        f"({_first_line(exc)}): drop --controlnet, or use an SD 1.x/2.x, SDXL, SD3 or FLUX base"
    )


def load_controlnet(settings: DiffusionSettings, device: str) -> Any | None:
    """The settings' ControlNet, loaded in the pipeline's dtype; None when none is set."""
    if not settings.controlnet:
        return None
    diffusers = import_diffusers()
    where = settings.controlnet
    path = Path(where).expanduser()
    if path.exists() and path.is_dir() and not (path / "config.json").exists():
        raise ModelNotFound(
            f"{path} is not a ControlNet folder (no config.json): point --controlnet at the "
            "folder a ControlNetModel was saved to with save_pretrained()"
        )
    if not path.exists() and _looks_like_path(where):
        raise ModelNotFound(f"ControlNet path {path} does not exist: copy the ControlNet there")
    # FLUX and SD3 ControlNets are other classes; a local config names its own.
    cls = getattr(diffusers, _config_class(path) or "ControlNetModel", diffusers.ControlNetModel)
    try:
        return cls.from_pretrained(
            str(path) if path.exists() else where,
            dtype=resolve_dtype(settings.dtype, device),
            local_files_only=settings.local_files_only,
        )
    except OSError as exc:
        raise ModelNotFound(
            f"could not load ControlNet {where!r}: {_first_line(exc)}; pass a local folder"
        ) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise ControlNetMismatch(
            f"{where!r} is not a loadable ControlNet: {_first_line(exc)}"
        ) from exc


def _config_class(path: Path) -> str | None:
    try:
        config = json.loads((path / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    name = config.get("_class_name") if isinstance(config, dict) else None
    return name if isinstance(name, str) and "ControlNet" in name else None


_MUST_MATCH = ("block_out_channels", "cross_attention_dim", "layers_per_block")


def check_controlnet_fits(pipe: Any, controlnet: Any, settings: DiffusionSettings) -> None:
    """Refuse a ControlNet built for another base model before it fails mid-denoising.

    A UNet ControlNet mirrors the UNet's encoder: its residuals are added to the UNet's skip
    connections, so the channel layout and text width must be the same, its input is the
    latent (not the 9-channel inpaint input), and its condition encoder must shrink the
    control image by the VAE's factor. Transformer ControlNets are left to diffusers.
    """
    unet = getattr(pipe, "unet", None)
    if unet is None or not hasattr(controlnet.config, "block_out_channels"):
        return
    hint = f"ControlNet {settings.controlnet} does not fit base model {settings.model}"
    got, want = controlnet.config, unet.config
    for key in _MUST_MATCH:
        if _norm(getattr(got, key, None)) != _norm(getattr(want, key, None)):
            raise ControlNetMismatch(
                f"{hint}: {key} is {getattr(got, key, None)} but the UNet has "
                f"{getattr(want, key, None)}; use a ControlNet trained for this model family"
            )
    latent = int(getattr(getattr(pipe, "vae", None), "config", {}).get("latent_channels", 4))
    if int(got.in_channels) != latent:
        raise ControlNetMismatch(
            f"{hint}: it takes {got.in_channels} input channels, the latents have {latent}"
        )
    shrink = 2 ** (len(got.conditioning_embedding_out_channels) - 1)
    factor = int(getattr(pipe, "vae_scale_factor", 8) or 8)
    if shrink != factor:
        raise ControlNetMismatch(
            f"{hint}: it scales the control image down {shrink}x, the VAE {factor}x"
        )


def apply_ip_adapter(pipe: Any, settings: DiffusionSettings, device: str) -> None:
    """Load the settings' IP-Adapter and its CLIP image encoder; refuse ones that do not fit."""
    if settings.ip_adapter is None:
        return
    if not hasattr(pipe, "load_ip_adapter"):
        raise IPAdapterMismatch(f"the {type(pipe).__name__} pipeline does not take an IP-Adapter")
    weights = settings.ip_adapter.expanduser()
    encoder_dir = (settings.ip_adapter_encoder or weights.parent / "image_encoder").expanduser()
    for path, what in ((weights, "IP-Adapter weights"), (encoder_dir, "IP-Adapter image encoder")):
        if not path.exists():
            raise ModelNotFound(f"{what} {path} does not exist: copy them there")
    hint = f"IP-Adapter {weights} does not fit base model {settings.model}"
    # The encoder is loaded here, not by load_ip_adapter, so it may live anywhere on disk.
    encoder = _load_image_encoder(encoder_dir, settings, device)
    pipe.register_modules(image_encoder=encoder)
    try:
        pipe.load_ip_adapter(
            str(weights.parent),
            subfolder="",
            weight_name=weights.name,
            image_encoder_folder=None,
            local_files_only=True,
        )
    except (RuntimeError, ValueError, KeyError) as exc:
        raise IPAdapterMismatch(
            f"{hint}: {_first_line(exc)}; use the IP-Adapter made for this model family"
        ) from exc
    layers = getattr(getattr(pipe.unet, "encoder_hid_proj", None), "image_projection_layers", [])
    wanted = (
        getattr(getattr(layers[0], "image_embeds", None), "in_features", None) if layers else None
    )
    got = getattr(encoder.config, "projection_dim", None)
    if wanted is not None and got is not None and wanted != got:
        raise IPAdapterMismatch(
            f"{hint}: its image encoder {encoder_dir} gives {got}-wide embeddings, the adapter "
            f"takes {wanted}; use the encoder published with these weights"
        )
    pipe.to(device)
    pipe.set_ip_adapter_scale(settings.ip_adapter_scale)


def _load_image_encoder(folder: Path, settings: DiffusionSettings, device: str) -> Any:
    import_torch()
    from transformers import CLIPVisionModelWithProjection

    try:
        encoder = CLIPVisionModelWithProjection.from_pretrained(
            str(folder), dtype=resolve_dtype(settings.dtype, device), local_files_only=True
        )
        return encoder.to(device)  # type: ignore[arg-type]  # transformers' stubs want a model
    except (OSError, ValueError) as exc:
        raise ModelNotFound(
            f"{folder} is not a CLIP image encoder folder: {_first_line(exc)}"
        ) from exc


def _norm(value: Any) -> Any:
    # Configs store tuples as lists, and layers_per_block as an int or a per-block list.
    return list(value) if isinstance(value, (list, tuple)) else value


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
    multiple = factor * 2 if getattr(pipe, "transformer", None) is not None else factor
    if getattr(pipe, "controlnet", None) is not None:
        # ControlNet pipelines check for multiples of 8 whatever the VAE's factor.
        multiple = math.lcm(multiple, 8)
    return multiple


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


def apply_speed(pipe: Any, settings: DiffusionSettings) -> None:
    """Apply the settings' speed options to a loaded pipeline: few-step scheduler, attention
    backend, ``torch.compile`` of the denoiser."""
    step = speed.profile(type(pipe).__name__, settings.mode)
    if step.scheduler is not None:
        diffusers = import_diffusers()
        cls = getattr(diffusers, step.scheduler)
        pipe.scheduler = cls.from_config(pipe.scheduler.config, **step.scheduler_config)
    denoiser = getattr(pipe, "transformer", None) or getattr(pipe, "unet", None)
    if denoiser is None:
        return
    if settings.attention_backend and hasattr(denoiser, "set_attention_backend"):
        try:
            denoiser.set_attention_backend(settings.attention_backend)
        except (ValueError, RuntimeError, ImportError) as exc:
            raise InvalidGenerationRequest(
                f"attention backend {settings.attention_backend!r} is not usable here: "
                f"{_first_line(exc)}; leave it unset for PyTorch's own"
            ) from exc
    if settings.compile:
        # Compile the repeated block, not the whole model: minutes less warm-up, same speed.
        if hasattr(denoiser, "compile_repeated_blocks"):
            try:
                denoiser.compile_repeated_blocks(fullgraph=True)
                return
            except (ValueError, AttributeError):
                pass
        denoiser.compile()


def step_kwargs(
    pipe: Any, settings: DiffusionSettings, steps: int, guidance: float, negative: str | None
) -> tuple[int, dict[str, Any]]:
    """Steps and guidance arguments for one call: the request's in default mode, the family's
    few-step profile in ``few_step`` mode (a distilled model's settings are not a choice)."""
    name = type(pipe).__name__
    if settings.mode == "few_step":
        step = speed.profile(name, "few_step")
        steps, guidance = step.steps, step.guidance
    kwargs: dict[str, Any] = {"num_inference_steps": steps, "guidance_scale": guidance}
    if speed.family_of(name) == "qwen":
        # Qwen-Image's classifier-free guidance is its own pass, on only with a negative prompt.
        cfg = settings.mode != "few_step" and guidance > 1.0
        kwargs["true_cfg_scale"] = guidance if cfg else 1.0
        kwargs["negative_prompt"] = (negative or " ") if cfg else None
    else:
        kwargs["negative_prompt"] = negative or None
    return steps, kwargs
