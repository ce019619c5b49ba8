"""Device check: real-size diffusion architectures with random weights, through adcraft's providers.

    python benchmarks/bench_diffusion_device.py --device-check --out results.json   # one GPU
    python benchmarks/bench_diffusion_device.py --dry-run --out results.json        # CPU, CI

``--device-check`` builds, directly on the GPU and in bfloat16, an SDXL-architecture pipeline
(UNet 2.6 B, two CLIP text encoders, VAE: 3.5 B parameters) and a Qwen-Image-architecture
pipeline (60-layer 20 B MMDiT transformer, Qwen2.5-VL 8 B text encoder, 3D VAE), with random
weights: no download, and the time and memory are those of the real models, because the work
per step does not depend on the weights' values. The pipelines are put in the worker's warm
pool (``adcraft.providers.diffusion_pool``) under a model name, and every figure is taken
through ``DiffusersGenerator`` / ``DiffusersPainter`` exactly as a GPU worker calls them:
text-to-image (cut-out off and on), background painting around a product, outpainting,
few-step mode (``DiffusionSettings.mode='few_step'``), batched variants in one call, and
``torch.compile`` of the denoiser's repeated blocks.

``--dry-run`` builds the same pipeline classes shrunk to a few thousand parameters and runs
every case on CPU at 64 px, so CI proves the script and the providers' code paths work.

Each case reports seconds per image (median over the timed calls, after one warm-up call),
images per minute and the peak GPU memory since the pipeline was built. The results are written
to ``--out`` as JSON after every case, so a run stopped by its time limit keeps what it measured.
Random weights paint noise: the cut-out's timing is realistic only in magnitude.
"""

# ruff: noqa: B023 - every case lambda is called within the loop turn that made it

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from adcraft.imagery.diffusion import (
    DiffusionSettings,
    GenerationRequest,
    OutpaintRequest,
    SceneRequest,
)
from adcraft.providers import diffusers_common as common
from adcraft.providers import diffusion_pool as pool
from adcraft.providers.gen_diffusers import DiffusersGenerator
from adcraft.providers.inpaint_diffusers import DiffusersPainter

PROMPT = "a ceramic coffee mug on a white background, studio product photo"
SCENE = "a sunlit wooden kitchen table by a window, soft morning light"
QWEN_TEMPLATE_WORDS = (
    "system Describe the image by detailing the color , shape size texture quantity text "
    "spatial relationships of objects and background : user assistant"
)


@dataclass(frozen=True)
class Scale:
    """Sizes of one run: real (GPU) or shrunk (CPU dry run)."""

    real: bool
    device: str
    dtype: str
    side: int
    """Square text-to-image and painting side."""
    qwen_sides: tuple[int, ...]
    outpaint_from: tuple[int, int]
    outpaint_to: tuple[int, int]
    timed: int
    """Timed calls per case (after one warm-up)."""
    batch: int
    default_steps: dict[str, int]
    """Steps of the default mode per family (few-step mode takes the family's profile)."""


REAL = Scale(
    True, "cuda", "bfloat16", 1024, (1024, 1328), (768, 768), (1344, 768), 3, 4,
    {"sdxl": 30, "qwen": 50},
)  # fmt: skip
DRY = Scale(False, "cpu", "float32", 64, (64,), (48, 48), (96, 48), 1, 2, {"sdxl": 3, "qwen": 3})


# --- tokenizers: built from a word list, no download --------------------------------------


def _word_tokenizer(words: str, specials: list[str], max_length: int) -> Any:
    """A word-level fast tokenizer: real-model token counts for English prompts."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab: dict[str, int] = {}
    for token in [*specials, "[UNK]", "\n", *f"{words} {PROMPT} {SCENE}".lower().split()]:
        vocab.setdefault(token, len(vocab))
    for c in "abcdefghijklmnopqrstuvwxyz0123456789,.:!?-'":
        vocab.setdefault(c, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    # Words, punctuation and line breaks are tokens, as in the real BPE vocabularies: Qwen's
    # system prompt then also makes the 34 tokens the pipeline drops.
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(" ", behavior="removed"),
            pre_tokenizers.Split("\n", behavior="isolated"),
            pre_tokenizers.Punctuation(behavior="isolated"),
        ]
    )
    tok.add_special_tokens(specials)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token=specials[-1],
        model_max_length=max_length,
    )


def _clip_tokenizer(folder: Path) -> Any:
    """CLIP's own tokenizer class over a character vocabulary (the tests' tiny one, 77 long)."""
    from transformers import CLIPTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for c in "abcdefghijklmnopqrstuvwxyz0123456789,.!?-'":
        vocab[c] = len(vocab)
        vocab[c + "</w>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), "utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n", "utf-8")
    return CLIPTokenizer(
        str(folder / "vocab.json"), str(folder / "merges.txt"), model_max_length=77
    )


# --- architectures --------------------------------------------------------------------------


@contextmanager
def _building(scale: Scale) -> Iterator[None]:
    """Create parameters on the target device in the target dtype (a 20 B model in float32 on
    the host would need 80 GB of RAM and minutes of copying)."""
    import torch

    previous = torch.get_default_dtype()
    torch.manual_seed(0)
    torch.set_default_dtype(common.resolve_dtype(scale.dtype, scale.device))
    try:
        with torch.device(scale.device):
            yield
    finally:
        torch.set_default_dtype(previous)


def build_sdxl(scale: Scale, tmp: Path) -> Any:
    """An SDXL-architecture text-to-image pipeline (stabilityai/sdxl-base-1.0 configs)."""
    from diffusers import (
        AutoencoderKL,
        EulerDiscreteScheduler,
        StableDiffusionXLPipeline,
        UNet2DConditionModel,
    )
    from transformers import (
        CLIPTextConfig,
        CLIPTextModel,
        CLIPTextModelWithProjection,
    )

    real = scale.real
    tokenizer = _clip_tokenizer(tmp / "clip-tokenizer")
    vocab = len(tokenizer.get_vocab())

    def clip(hidden: int, layers: int, heads: int, inter: int, proj: int) -> CLIPTextConfig:
        return CLIPTextConfig(
            bos_token_id=0,
            eos_token_id=1,
            pad_token_id=1,
            vocab_size=vocab,
            max_position_embeddings=77,
            hidden_size=hidden,
            num_hidden_layers=layers,
            num_attention_heads=heads,
            intermediate_size=inter,
            projection_dim=proj,
            hidden_act="gelu",
        )

    with _building(scale):
        text_encoder = CLIPTextModel(
            clip(768, 12, 12, 3072, 768) if real else clip(32, 1, 2, 37, 32)
        )
        text_encoder_2 = CLIPTextModelWithProjection(
            clip(1280, 32, 20, 5120, 1280) if real else clip(32, 1, 2, 37, 32)
        )
        pooled = 1280 if real else 32
        time_dim = 256 if real else 8
        unet = UNet2DConditionModel(
            sample_size=128 if real else 8,
            in_channels=4,
            out_channels=4,
            down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
            up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
            block_out_channels=(320, 640, 1280) if real else (32, 32, 64),
            layers_per_block=2 if real else 1,
            transformer_layers_per_block=(1, 2, 10) if real else (1, 1, 1),
            attention_head_dim=(5, 10, 20) if real else (2, 2, 4),
            cross_attention_dim=2048 if real else 64,
            use_linear_projection=True,
            addition_embed_type="text_time",
            addition_time_embed_dim=time_dim,
            projection_class_embeddings_input_dim=time_dim * 6 + pooled,
            norm_num_groups=32,
        )
        vae = AutoencoderKL(
            in_channels=3,
            out_channels=3,
            down_block_types=("DownEncoderBlock2D",) * (4 if real else 2),
            up_block_types=("UpDecoderBlock2D",) * (4 if real else 2),
            block_out_channels=(128, 256, 512, 512) if real else (32, 32),
            layers_per_block=2 if real else 1,
            latent_channels=4,
            sample_size=1024 if real else 64,
            scaling_factor=0.13025,
            force_upcast=False,  # the fp16-fixed SDXL VAE production uses decodes in bf16
        )
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        steps_offset=1,
        timestep_spacing="leading",
    )
    pipe = StableDiffusionXLPipeline(
        vae=vae,
        text_encoder=text_encoder,
        text_encoder_2=text_encoder_2,
        tokenizer=tokenizer,
        tokenizer_2=tokenizer,
        unet=unet,
        scheduler=scheduler,
    )
    pipe.set_progress_bar_config(disable=True)
    return pipe


def build_qwen(scale: Scale) -> Any:
    """A Qwen-Image-architecture pipeline (Qwen/Qwen-Image configs), text-to-image."""
    from diffusers import (
        AutoencoderKLQwenImage,
        FlowMatchEulerDiscreteScheduler,
        QwenImagePipeline,
        QwenImageTransformer2DModel,
    )
    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration

    real = scale.real
    specials = ["<|im_start|>", "<|im_end|>", "<|endoftext|>"]
    tokenizer = _word_tokenizer(QWEN_TEMPLATE_WORDS, specials, 1024 + 34)
    hidden = 3584 if real else 32
    text = {
        "vocab_size": 152064 if real else len(tokenizer.get_vocab()) + 8,
        "hidden_size": hidden,
        "intermediate_size": 18944 if real else 37,
        "num_hidden_layers": 28 if real else 1,
        "num_attention_heads": 28 if real else 2,
        "num_key_value_heads": 4 if real else 1,
        "max_position_embeddings": 128000 if real else 2048,
        "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24] if real else [2, 3, 3]},
        "rope_theta": 1000000.0,
    }
    vision = {
        "depth": 32 if real else 1,
        "hidden_size": 1280 if real else 16,
        "intermediate_size": 3420 if real else 16,
        "num_heads": 16 if real else 2,
        "out_hidden_size": hidden,
        "fullatt_block_indexes": [7, 15, 23, 31] if real else [0],
    }
    config = Qwen2_5_VLConfig(text_config=text, vision_config=vision, **text)
    with _building(scale):
        text_encoder = Qwen2_5_VLForConditionalGeneration(config)
        transformer = QwenImageTransformer2DModel(
            num_layers=60 if real else 1,
            attention_head_dim=128 if real else 16,
            num_attention_heads=24 if real else 2,
            joint_attention_dim=hidden,
            axes_dims_rope=(16, 56, 56) if real else (4, 6, 6),
        )
        vae = AutoencoderKLQwenImage(
            base_dim=96 if real else 8,
            z_dim=16,
            dim_mult=[1, 2, 4, 4] if real else [1, 2, 2, 2],
            num_res_blocks=2 if real else 1,
            temperal_downsample=[False, True, True],
        )
    scheduler = FlowMatchEulerDiscreteScheduler(
        base_image_seq_len=256,
        base_shift=0.5,
        max_image_seq_len=8192,
        max_shift=0.9,
        shift=1.0,
        shift_terminal=0.02,
        use_dynamic_shifting=True,
        time_shift_type="exponential",
    )
    text_encoder.eval()
    pipe = QwenImagePipeline(
        scheduler=scheduler,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        transformer=transformer,
    )
    prefix = pipe.prompt_template_encode.split("{}")[0]
    dropped = pipe.prompt_template_encode_start_idx
    if len(tokenizer(prefix).input_ids) != dropped:
        raise RuntimeError(f"the word tokenizer does not make the {dropped} system tokens")
    pipe.set_progress_bar_config(disable=True)
    return pipe


def parameters(pipe: Any) -> dict[str, float]:
    """Billions of parameters per model of a pipeline."""
    out = {}
    for name in ("unet", "transformer", "text_encoder", "text_encoder_2", "vae"):
        model = getattr(pipe, name, None)
        if model is not None:
            out[name] = round(sum(p.numel() for p in model.parameters()) / 1e9, 3)
    return out


# --- measuring ------------------------------------------------------------------------------


class Report:
    """Results, written to disk after every case."""

    def __init__(self, out: Path | None, scale: Scale) -> None:
        self.out = out
        self.data: dict[str, Any] = {
            "mode": "device-check" if scale.real else "dry-run",
            "python": platform.python_version(),
            "cases": [],
            "errors": [],
            "skipped": [],
        }
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def add(self, **row: Any) -> None:
        row["at_s"] = round(self.elapsed(), 1)
        self.data["cases"].append(row)
        print(json.dumps(row), flush=True)
        self.save()

    def save(self) -> None:
        if self.out is not None:
            self.out.write_text(json.dumps(self.data, indent=1), "utf-8")


def _sync(scale: Scale) -> None:
    if scale.real:
        import torch

        torch.cuda.synchronize()


def _peak_gib(scale: Scale) -> float | None:
    if not scale.real:
        return None
    import torch

    return round(torch.cuda.max_memory_allocated() / 2**30, 2)


def measure(
    report: Report,
    scale: Scale,
    name: str,
    call: Callable[[int], int],
    *,
    timed: int | None = None,
    **info: Any,
) -> None:
    """One warm-up call, then ``timed`` calls; ``call(seed)`` returns the images it made."""
    timed = scale.timed if timed is None else timed
    try:
        start = time.perf_counter()
        call(0)
        _sync(scale)
        warm = time.perf_counter() - start
        per_image: list[float] = []
        for i in range(timed):
            start = time.perf_counter()
            images = call(i + 1)
            _sync(scale)
            per_image.append((time.perf_counter() - start) / images)
    except Exception as exc:
        report.data["errors"].append({"case": name, "error": f"{type(exc).__name__}: {exc}"})
        traceback.print_exc()
        report.save()
        return
    med = statistics.median(per_image)
    report.add(
        case=name,
        s_per_image=round(med, 3),
        min_s=round(min(per_image), 3),
        images_per_minute=round(60 / med, 1),
        first_call_s=round(warm, 2),
        timed_calls=timed,
        peak_gib=_peak_gib(scale),
        **info,
    )


def _product(side: int) -> Image.Image:
    """An RGBA cut-out: a mug-like rounded body with a handle hole."""
    from PIL import ImageDraw

    size = max(16, side // 3)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((size // 8, size // 6, size * 5 // 8, size - 2), 6, (220, 60, 50, 255))
    draw.ellipse((size // 2, size // 3, size - 2, size * 2 // 3), (220, 60, 50, 255))
    draw.ellipse((size * 5 // 8, size * 5 // 12, size - size // 8, size * 7 // 12), (0, 0, 0, 0))
    return img


def run_family(
    report: Report,
    scale: Scale,
    family: str,
    pipe: Any,
    sides: tuple[int, ...],
    *,
    default_timed: int | None = None,
) -> None:
    """Every case for one pipeline, through the providers as a worker uses them."""
    report.data.setdefault("parameters_billion", {})[family] = parameters(pipe)
    dtype = scale.dtype
    for mode in ("default", "few_step"):
        settings = DiffusionSettings(
            model=f"random-{family}", device=scale.device, dtype=dtype, mode=mode,
            allow_cpu=not scale.real,
        )  # fmt: skip
        # A worker's pool holds one pipeline per settings; the few-step entry shares weights.
        view = type(pipe)(**pipe.components)
        view.set_progress_bar_config(disable=True)
        common.apply_speed(view, settings)
        pool.put(settings, scale.device, "text2image", view)
        gen = DiffusersGenerator(settings)
        # Default mode: SDXL's 30 steps, Qwen-Image's own 50 with its true classifier-free
        # guidance; few-step mode: the family's profile (the request's steps are ignored).
        steps = common.step_kwargs(view, settings, scale.default_steps[family], 5.0, None)[0]
        timed = default_timed if mode == "default" and default_timed is not None else None
        for side in sides:
            req = GenerationRequest(
                prompt=PROMPT, steps=steps, guidance=4.0 if family == "qwen" else 5.0,
                width=side, height=side, cutout=False,
            )  # fmt: skip
            measure(
                report, scale, f"{family} text2image {mode} {side}px",
                lambda s, r=req: len([gen.generate(r.model_copy(update={"seed": s}))]),
                timed=timed, family=family, mode=mode, steps=steps, width=side, height=side,
            )  # fmt: skip
        side = sides[0]
        req = GenerationRequest(
            prompt=PROMPT, steps=steps, width=side, height=side, cutout=True,
            guidance=4.0 if family == "qwen" else 5.0,
        )  # fmt: skip
        if family == "sdxl":
            measure(
                report, scale, f"{family} text2image {mode} {side}px + cut-out",
                lambda s: len([gen.generate(req.model_copy(update={"seed": s}))]),
                timed=timed, family=family, mode=mode, steps=steps, width=side, height=side,
            )  # fmt: skip
        if mode == "few_step" or family == "sdxl":
            batch_req = req.model_copy(update={"cutout": False})
            measure(
                report, scale, f"{family} text2image {mode} {side}px batch of {scale.batch}",
                lambda s: len(gen.generate_batch(batch_req.model_copy(update={"seed": s}),
                                                 scale.batch)),
                timed=1, family=family, mode=mode, steps=steps, batch=scale.batch,
                width=side, height=side,
            )  # fmt: skip
        if mode == "default" and family == "qwen":
            continue  # 50 true-CFG steps for painting too: minutes for little news
        painter = DiffusersPainter.sharing(gen)
        product = _product(side)
        scene = SceneRequest(
            scene=SCENE, steps=steps, width=side, height=side,
            guidance=4.0 if family == "qwen" else 7.5,
        )  # fmt: skip
        measure(
            report, scale, f"{family} background painting {mode} {side}px",
            lambda s: len([painter.paint_background(product, scene.model_copy(
                update={"seed": s}))]),
            timed=timed, family=family, mode=mode, steps=steps, width=side, height=side,
        )  # fmt: skip
        photo = Image.new("RGB", scale.outpaint_from, (40, 90, 160))
        wide = OutpaintRequest(
            seed=1, steps=steps, width=scale.outpaint_to[0], height=scale.outpaint_to[1],
            guidance=4.0 if family == "qwen" else 7.5,
        )  # fmt: skip
        w, h = scale.outpaint_to
        measure(
            report, scale, f"{family} outpaint {mode} {scale.outpaint_from[0]}px -> {w}x{h}",
            lambda s: len([painter.outpaint(photo, wide.model_copy(update={"seed": s}))]),
            timed=timed, family=family, mode=mode, steps=steps, width=w, height=h,
        )  # fmt: skip
        pool.clear()


def run_compiled(report: Report, scale: Scale, family: str, pipe: Any, side: int) -> None:
    """Few-step text-to-image with ``torch.compile`` of the denoiser's repeated blocks."""
    settings = DiffusionSettings(
        model=f"random-{family}", device=scale.device, dtype=scale.dtype, mode="few_step",
        compile=True, allow_cpu=not scale.real,
    )  # fmt: skip
    view = type(pipe)(**pipe.components)
    view.set_progress_bar_config(disable=True)
    common.apply_speed(view, settings)
    pool.put(settings, scale.device, "text2image", view)
    gen = DiffusersGenerator(settings)
    steps = common.step_kwargs(view, settings, 30, 5.0, None)[0]
    req = GenerationRequest(prompt=PROMPT, steps=steps, width=side, height=side, cutout=False)
    measure(
        report, scale, f"{family} text2image few_step {side}px torch.compile",
        lambda s: len([gen.generate(req.model_copy(update={"seed": s}))]),
        family=family, mode="few_step", steps=steps, width=side, height=side, compiled=True,
    )  # fmt: skip
    pool.clear()


def _free(scale: Scale) -> None:
    pool.clear()
    gc.collect()
    if scale.real:
        import torch

        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Parse arguments, build, measure, write the JSON report; returns it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--device-check", action="store_true", help="real sizes on CUDA")
    what.add_argument("--dry-run", action="store_true", help="shrunk models on CPU (CI)")
    parser.add_argument("--out", type=Path, help="JSON report file")
    parser.add_argument("--budget-s", type=float, default=420.0, help="skip cases after this")
    parser.add_argument("--only", choices=("sdxl", "qwen"), help="one family only")
    parser.add_argument("--no-compile", action="store_true", help="skip the compiled case")
    args = parser.parse_args(argv)
    scale = REAL if args.device_check else DRY
    import torch

    if scale.real and not torch.cuda.is_available():
        parser.error("--device-check needs a CUDA device; use --dry-run on CPU")
    if not scale.real:
        torch.set_num_threads(1)  # CI's small shared machine: threads would only contend
    report = Report(args.out, scale)
    report.data["torch"] = torch.__version__
    if scale.real:
        report.data["gpu"] = torch.cuda.get_device_name(0)
        torch.backends.cuda.matmul.allow_tf32 = True
    import diffusers

    report.data["diffusers"] = diffusers.__version__
    with tempfile.TemporaryDirectory() as tmp:
        families = [f for f in ("sdxl", "qwen") if args.only in (None, f)]
        for family in families:
            if report.elapsed() > args.budget_s:
                report.data["skipped"].append(f"{family}: over the time budget")
                continue
            _free(scale)
            start = time.perf_counter()
            try:
                pipe = build_sdxl(scale, Path(tmp)) if family == "sdxl" else build_qwen(scale)
            except Exception as exc:
                report.data["errors"].append({"case": f"build {family}", "error": repr(exc)})
                traceback.print_exc()
                report.save()
                continue
            _sync(scale)
            report.data.setdefault("build_s", {})[family] = round(time.perf_counter() - start, 1)
            if family == "sdxl":
                run_family(report, scale, family, pipe, (scale.side,))
            else:
                run_family(report, scale, family, pipe, scale.qwen_sides, default_timed=1)
            # Compiling on CPU takes minutes of C++ builds: the dry run leaves it out.
            compile_ok = (
                scale.real and not args.no_compile and report.elapsed() < args.budget_s * 0.6
            )
            if family == "sdxl" and compile_ok:
                run_compiled(report, scale, family, pipe, scale.side)
            elif family == "sdxl":
                report.data["skipped"].append("sdxl torch.compile: dry run, flag or time budget")
            del pipe
        _free(scale)
    report.data["total_s"] = round(report.elapsed(), 1)
    report.save()
    return report.data


if __name__ == "__main__":
    result = main()
    sys.exit(1 if result["errors"] or not result["cases"] else 0)
