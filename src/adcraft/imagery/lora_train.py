"""Fine-tune a LoRA for the company style on a folder of images and captions (diffusers + peft).

The adapter goes on the UNet's attention projections of an SD 1.x/2.x or SDXL pipeline; the
weights are written with the pipeline's own ``save_lora_weights``, so
``pipe.load_lora_weights(output_dir)`` (and ``LoraSpec(path=output_dir)``) load them. Next to
them ``adcraft_lora.json`` records the base model and a few captions, which the generator's
prompt rewriter imitates. Runs on a GPU; CPU only with ``allow_cpu`` (tests, smoke runs).
torch, diffusers and peft are imported inside functions.
"""

from __future__ import annotations

import csv
import importlib
import json
import random
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adcraft.errors import DeviceUnavailable, InputError, ModelNotFound, ProviderUnavailable

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
SIDECAR = "adcraft_lora.json"
WEIGHTS = "pytorch_lora_weights.safetensors"


class LoraTrainConfig(BaseModel):
    """Settings of one LoRA training run (read from a TOML or JSON file)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = Field(min_length=1)
    """Base pipeline: a local diffusers folder or a model id in the local cache."""
    data_dir: Path
    """Images with captions: ``IMAGE.txt`` beside each image, ``metadata.jsonl``
    (``{"file_name": ..., "text": ...}`` per line) or ``captions.csv`` (file_name,text)."""
    output_dir: Path
    rank: int = Field(default=16, ge=1, le=256)
    alpha: int | None = Field(default=None, gt=0)
    """LoRA alpha; defaults to the rank (scale 1)."""
    target_modules: tuple[str, ...] = ("to_q", "to_k", "to_v", "to_out.0")
    learning_rate: float = Field(default=1e-4, gt=0, le=1)
    steps: int = Field(default=1000, ge=1, le=200_000)
    batch_size: int = Field(default=1, ge=1, le=64)
    gradient_accumulation: int = Field(default=1, ge=1, le=64)
    resolution: int = Field(default=512, ge=8, le=2048)
    random_flip: bool = True
    trigger: str = ""
    """Words put before every caption (e.g. 'acme style'); use them in prompts later."""
    max_grad_norm: float = Field(default=1.0, gt=0)
    mixed_precision: Literal["no", "fp16", "bf16"] = "bf16"
    """Precision of the frozen weights on GPU; LoRA weights always train in float32."""
    seed: int = Field(default=0, ge=0)
    device: str = Field(default="cuda", pattern=r"^(cpu|cuda(:\d{1,2})?)$")
    allow_cpu: bool = False
    local_files_only: bool = True


@dataclass(frozen=True)
class TrainResult:
    """What a training run produced."""

    output_dir: Path
    weights: Path
    steps: int
    images: int
    final_loss: float
    seconds: float
    skipped: tuple[str, ...]
    """Images left out, each with why."""


StepFn = Callable[[int, float], None]


def load_config(path: Path) -> LoraTrainConfig:
    """Read a training config from TOML or JSON; relative paths are relative to the file."""
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except FileNotFoundError:
        raise InputError(f"training config {path} does not exist") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"training config {path} is not valid TOML/JSON: {exc}") from None
    if isinstance(data, dict):
        for key in ("data_dir", "output_dir"):
            if key in data and not Path(data[key]).expanduser().is_absolute():
                data[key] = str(path.parent / Path(data[key]).expanduser())
    try:
        return LoraTrainConfig.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"training config {path}: {exc}") from None


def read_captions(data_dir: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """(image, caption) pairs of a folder, and the images skipped with why."""
    if not data_dir.is_dir():
        raise InputError(f"training data folder {data_dir} does not exist")
    table: dict[str, str] = {}
    meta = data_dir / "metadata.jsonl"
    if meta.exists():
        for n, line in enumerate(meta.read_text("utf-8").splitlines(), 1):
            if line.strip():
                try:
                    row = json.loads(line)
                    table[str(row["file_name"])] = str(row["text"])
                except (ValueError, KeyError, TypeError):
                    raise InputError(f"{meta} line {n}: want {{'file_name', 'text'}}") from None
    table_csv = data_dir / "captions.csv"
    if table_csv.exists():
        with table_csv.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("file_name") and row.get("text"):
                    table[row["file_name"]] = row["text"]
    pairs: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for image in sorted(p for p in data_dir.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
        side = image.with_suffix(".txt")
        caption = side.read_text("utf-8").strip() if side.exists() else table.get(image.name, "")
        if not caption.strip():
            skipped.append(f"{image.name}: no caption (add {side.name} or a metadata.jsonl row)")
            continue
        try:
            with Image.open(image) as img:
                img.verify()
        except (OSError, UnidentifiedImageError, SyntaxError) as exc:
            skipped.append(f"{image.name}: not a readable image ({exc})")
            continue
        pairs.append((image, " ".join(caption.split())))
    if not pairs:
        why = "; ".join(skipped[:5]) or "no .png/.jpg/.jpeg/.webp files"
        raise InputError(f"no usable captioned images in {data_dir}: {why}")
    return pairs, skipped


def _device(cfg: LoraTrainConfig, torch: Any) -> str:
    hint = "set allow_cpu = true to train on CPU (tests and smoke runs only)"
    if cfg.device == "cpu" or not torch.cuda.is_available():
        if not cfg.allow_cpu:
            raise DeviceUnavailable(f"LoRA training needs a CUDA GPU: {hint}")
        return "cpu"
    index = int(cfg.device.partition(":")[2] or 0)
    if index >= torch.cuda.device_count():
        raise DeviceUnavailable(f"{cfg.device} does not exist on this machine")
    return f"cuda:{index}"


def _pixels(path: Path, size: int, flip: bool, torch: Any) -> Any:
    """Resize the short side to ``size``, centre-crop, scale to [-1, 1], CHW."""
    import numpy as np

    with Image.open(path) as img:
        rgb = img.convert("RGB")
    scale = size / min(rgb.size)
    rgb = rgb.resize(
        (max(size, round(rgb.width * scale)), max(size, round(rgb.height * scale))),
        Image.Resampling.BICUBIC,
    )
    left, top = (rgb.width - size) // 2, (rgb.height - size) // 2
    rgb = rgb.crop((left, top, left + size, top + size))
    if flip:
        rgb = rgb.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    arr = np.asarray(rgb, dtype=np.float32) / 127.5 - 1.0
    return torch.from_numpy(arr).permute(2, 0, 1)


def _load(cfg: LoraTrainConfig, device: str, torch: Any) -> tuple[Any, Any]:
    try:
        diffusers: Any = importlib.import_module("diffusers")
        importlib.import_module("peft")  # fail early, with the install hint
    except ImportError as exc:
        raise ProviderUnavailable("LoRA training needs: pip install 'adcraft[diffusion]'") from exc
    path = Path(cfg.model).expanduser()
    if cfg.model.startswith((".", "/", "~")) and not (path / "model_index.json").exists():
        raise ModelNotFound(f"base model {path} is not a diffusers pipeline folder")
    mixed = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(cfg.mixed_precision)
    dtype = torch.float32 if device == "cpu" or mixed is None else mixed
    try:
        pipe = diffusers.DiffusionPipeline.from_pretrained(
            cfg.model, dtype=dtype, local_files_only=cfg.local_files_only
        )
    except OSError as exc:
        raise ModelNotFound(f"could not load base model {cfg.model!r}: {exc}") from exc
    if getattr(pipe, "unet", None) is None or getattr(pipe, "text_encoder", None) is None:
        raise InputError(
            f"{type(pipe).__name__} has no UNet: adcraft trains LoRAs for SD 1.x/2.x and SDXL; "
            "for FLUX or Qwen-Image use diffusers' train_dreambooth_lora_* example scripts"
        )
    pipe.to(device)
    # The SDXL VAE overflows in float16; it is small, so it always encodes in float32.
    pipe.vae.to(dtype=torch.float32)
    pipe.set_progress_bar_config(disable=True)
    scheduler = diffusers.DDPMScheduler.from_config(pipe.scheduler.config)
    return pipe, scheduler


def train_lora(cfg: LoraTrainConfig, *, on_step: StepFn | None = None) -> TrainResult:
    """Train the LoRA described by ``cfg`` and save it; return where and how it went."""
    try:
        import torch
    except ImportError as exc:
        raise ProviderUnavailable("LoRA training needs: pip install 'adcraft[diffusion]'") from exc
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    started = time.perf_counter()
    pairs, skipped = read_captions(cfg.data_dir)
    device = _device(cfg, torch)
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    pipe, scheduler = _load(cfg, device, torch)
    unet, vae = pipe.unet, pipe.vae
    for module in (unet, vae, pipe.text_encoder, getattr(pipe, "text_encoder_2", None)):
        if module is not None:
            module.requires_grad_(False)
    alpha = cfg.alpha or cfg.rank
    config = LoraConfig(
        r=cfg.rank,
        lora_alpha=alpha,
        init_lora_weights="gaussian",
        target_modules=list(cfg.target_modules),
    )
    try:
        unet.add_adapter(config)
    except ValueError as exc:
        raise InputError(
            f"target_modules {cfg.target_modules} do not fit this UNet: {exc}"
        ) from exc
    params = [p for p in unet.parameters() if p.requires_grad]
    for p in params:  # train the adapter in float32 even when the frozen weights are half
        p.data = p.data.float()
    optimizer = torch.optim.AdamW(params, lr=cfg.learning_rate)
    sdxl = getattr(unet.config, "addition_embed_type", None) == "text_time"
    order: list[int] = []
    loss_value = float("nan")
    unet.train()
    for step in range(cfg.steps):
        for _ in range(cfg.gradient_accumulation):
            batch = []
            for _ in range(cfg.batch_size):
                if not order:
                    order = rng.sample(range(len(pairs)), len(pairs))
                batch.append(pairs[order.pop()])
            loss = _loss(pipe, scheduler, batch, cfg, device, sdxl, rng, torch)
            (loss / cfg.gradient_accumulation).backward()
            loss_value = float(loss.detach())
        torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if on_step is not None:
            on_step(step + 1, loss_value)
    utils: Any = importlib.import_module("diffusers.utils")
    layers = utils.convert_state_dict_to_diffusers(get_peft_model_state_dict(unet))
    cfg.output_dir.mkdir(parents=True, exist_ok=True)
    type(pipe).save_lora_weights(cfg.output_dir, unet_lora_layers=layers, safe_serialization=True)
    seconds = time.perf_counter() - started
    _write_sidecar(cfg, pairs, loss_value, seconds, type(pipe).__name__)
    return TrainResult(
        output_dir=cfg.output_dir,
        weights=cfg.output_dir / WEIGHTS,
        steps=cfg.steps,
        images=len(pairs),
        final_loss=loss_value,
        seconds=seconds,
        skipped=tuple(skipped),
    )


def _loss(
    pipe: Any,
    scheduler: Any,
    batch: list[tuple[Path, str]],
    cfg: LoraTrainConfig,
    device: str,
    sdxl: bool,
    rng: random.Random,
    torch: Any,
) -> Any:
    """Denoising loss of one batch: noise the latents, predict the noise (or v), MSE."""
    vae, unet = pipe.vae, pipe.unet
    flips = [cfg.random_flip and rng.random() < 0.5 for _ in batch]
    pixels = torch.stack(
        [_pixels(p, cfg.resolution, f, torch) for (p, _), f in zip(batch, flips, strict=True)]
    )
    captions = [f"{cfg.trigger}, {c}" if cfg.trigger else c for _, c in batch]
    with torch.no_grad():
        pixels = pixels.to(device, dtype=vae.dtype)
        latents = vae.encode(pixels).latent_dist.sample() * vae.config.scaling_factor
        encoded = pipe.encode_prompt(
            prompt=captions,
            device=device,
            num_images_per_prompt=1,
            do_classifier_free_guidance=False,
        )
    latents = latents.float()
    noise = torch.randn_like(latents)
    steps = scheduler.config.num_train_timesteps
    t = torch.randint(0, steps, (latents.shape[0],), device=device).long()
    noisy = scheduler.add_noise(latents, noise, t)
    kwargs: dict[str, Any] = {}
    if sdxl:
        size = cfg.resolution
        time_ids = torch.tensor([[size, size, 0, 0, size, size]] * len(batch), device=device)
        kwargs["added_cond_kwargs"] = {"text_embeds": encoded[2], "time_ids": time_ids}
    if scheduler.config.prediction_type == "v_prediction":
        target = scheduler.get_velocity(latents, noise, t)
    else:
        target = noise
    dtype = unet.dtype
    with torch.autocast(
        device_type=device.split(":")[0], dtype=dtype, enabled=dtype != torch.float32
    ):
        pred = unet(noisy.to(dtype), t, encoder_hidden_states=encoded[0], **kwargs).sample
    return torch.nn.functional.mse_loss(pred.float(), target.float())


def _write_sidecar(
    cfg: LoraTrainConfig, pairs: list[tuple[Path, str]], loss: float, seconds: float, kind: str
) -> None:
    meta = {
        "base_model": cfg.model,
        "pipeline": kind,
        "rank": cfg.rank,
        "alpha": cfg.alpha or cfg.rank,
        "target_modules": list(cfg.target_modules),
        "steps": cfg.steps,
        "resolution": cfg.resolution,
        "trigger": cfg.trigger,
        "images": len(pairs),
        "final_loss": loss,
        "seconds": round(seconds, 2),
        "example_captions": [c for _, c in pairs[:8]],
    }
    (cfg.output_dir / SIDECAR).write_text(json.dumps(meta, indent=2, ensure_ascii=False), "utf-8")


def style_captions(lora_dir: Path) -> tuple[str, ...]:
    """The example captions recorded next to a trained LoRA (empty when there are none)."""
    folder = lora_dir if lora_dir.is_dir() else lora_dir.parent
    try:
        meta = json.loads((folder / SIDECAR).read_text("utf-8"))
        return tuple(str(c) for c in meta.get("example_captions", []))
    except (OSError, ValueError, AttributeError):
        return ()
