"""Diffusion: wall time of the tiny test pipelines on CPU, images/minute of a real model on GPU.

    python benchmarks/bench_diffusion.py                       # tiny pipelines, CPU
    python benchmarks/bench_diffusion.py --model PATH [--lora PATH] [--steps 30] \
        [--size 1024x1024] [--images 10] [--device cuda:0] [--dtype auto]

The tiny pipelines are the ones the tests build (random weights, a few thousand parameters):
their figures measure adcraft's and diffusers' overhead per call, not image quality. The real
model part runs only when CUDA is available; it loads through ``DiffusersGenerator`` exactly
as a worker does, paints one warm-up image, then ``--images`` more, background removal
included, and reports images per minute.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.imagery_diffusion

from PIL import Image
from tests.imagery_diffusion.tiny import save_tiny_controlnet, save_tiny_lora, save_tiny_pipeline

from adcraft.imagery.diffusion import (
    DiffusionSettings,
    GenerationRequest,
    LoraSpec,
    OutpaintRequest,
    SceneRequest,
)
from adcraft.imagery.lora_train import LoraTrainConfig, train_lora
from adcraft.providers.gen_diffusers import DiffusersGenerator
from adcraft.providers.inpaint_diffusers import DiffusersPainter


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm-up: first call pays for lazy initialisation
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _row(name: str, secs: list[float]) -> None:
    med = statistics.median(secs)
    print(f"{name:<52} median {med * 1000:8.1f} ms   min {min(secs) * 1000:8.1f} ms")


def tiny(repeat: int) -> None:
    """Per-call wall time of the tiny pipelines on CPU."""
    import torch

    torch.set_num_threads(2)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        sd = save_tiny_pipeline(root / "sd")
        inpaint = save_tiny_pipeline(root / "inpaint", inpaint=True)
        lora = save_tiny_lora(root / "lora")
        print(f"build + save tiny pipelines: {time.perf_counter() - start:.2f} s")
        for name, model, loras in (("text2image", sd, ()), ("text2image + LoRA", sd, (lora,))):
            settings = DiffusionSettings(
                model=str(model),
                device="cpu",
                allow_cpu=True,
                loras=tuple(LoraSpec(path=p) for p in loras),
            )
            start = time.perf_counter()
            gen = DiffusersGenerator(settings)
            gen.load()
            print(f"load {name}: {time.perf_counter() - start:.2f} s")
            for size, steps, cut in ((32, 2, False), (64, 20, False), (64, 20, True)):
                req = GenerationRequest(
                    prompt="a red shoe", seed=1, steps=steps, width=size, height=size, cutout=cut
                )
                label = f"{name} {size}x{size} {steps} steps{' + cutout' if cut else ''}"
                _row(label, _times(lambda r=req, g=gen: g.generate(r), repeat))
        painters(inpaint, save_tiny_controlnet(root / "controlnet"), repeat)
        data = root / "data"
        data.mkdir()
        for i in range(4):
            Image.new("RGB", (64, 64), (60 * i, 40, 90)).save(data / f"{i}.png")
            (data / f"{i}.txt").write_text(f"a flat colour square number {i}", "utf-8")
        cfg = LoraTrainConfig(
            model=str(sd), data_dir=data, output_dir=root / "trained", rank=4, steps=20,
            resolution=32, device="cpu", allow_cpu=True,
        )  # fmt: skip
        start = time.perf_counter()
        result = train_lora(cfg)
        secs = time.perf_counter() - start
        print(f"LoRA training 20 steps at 32 px (incl. load + save): {secs:.2f} s")
        print(f"  final loss {result.final_loss:.4f}, {secs / cfg.steps * 1000:.0f} ms/step")


def painters(inpaint: Path, controlnet: Path, repeat: int) -> None:
    """Backgrounds and outpainting, plain and with a ControlNet (the same tiny inpaint model)."""
    product = Image.new("RGBA", (24, 24), (0, 0, 0, 0))
    product.paste((200, 30, 40, 255), (4, 4, 20, 20))
    scene = SceneRequest(scene="a table", seed=1, steps=20, width=64, height=64)
    photo = Image.new("RGB", (48, 48), (20, 90, 160))
    wide = OutpaintRequest(seed=1, steps=20, width=96, height=48)
    for label, cn in (("", None), (" + ControlNet", controlnet)):
        painter = DiffusersPainter(
            DiffusionSettings(
                model=str(inpaint),
                device="cpu",
                allow_cpu=True,
                controlnet=str(cn) if cn else None,
            )
        )
        _row(f"background around product 64x64 20 steps{label}", _times(
            lambda p=painter: p.paint_background(product, scene), repeat
        ))  # fmt: skip
        _row(
            f"outpaint 48x48 -> 96x48 20 steps{label}",
            _times(lambda p=painter: p.outpaint(photo, wide), repeat),
        )


def real(args: argparse.Namespace) -> None:
    """Images per minute of a real model on one GPU."""
    import torch

    if not torch.cuda.is_available():
        print("real model: skipped (no CUDA device on this machine)")
        return
    width, height = (int(v) for v in args.size.lower().split("x"))
    settings = DiffusionSettings(
        model=args.model,
        device=args.device,
        dtype=args.dtype,
        loras=tuple(LoraSpec(path=Path(p)) for p in args.lora or ()),
    )
    start = time.perf_counter()
    gen = DiffusersGenerator(settings)
    gen.load()
    print(f"load {args.model} on {gen.device}: {time.perf_counter() - start:.1f} s")
    req = GenerationRequest(
        prompt="a ceramic coffee mug, studio product photo",
        seed=0,
        steps=args.steps,
        guidance=args.guidance,
        width=width,
        height=height,
    )
    gen.generate(req)  # warm-up
    torch.cuda.synchronize()
    start = time.perf_counter()
    for i in range(args.images):
        gen.generate(req.model_copy(update={"seed": i + 1}))
    torch.cuda.synchronize()
    secs = time.perf_counter() - start
    peak = torch.cuda.max_memory_allocated() / 2**30
    print(
        f"{args.images} images {width}x{height}, {args.steps} steps: {secs / args.images:.2f} s "
        f"per image, {60 * args.images / secs:.1f} images/minute, peak {peak:.1f} GiB"
    )


def main() -> None:
    """Parse arguments and run the tiny and (with CUDA) the real benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="real diffusers pipeline folder or cached id (GPU only)")
    parser.add_argument("--lora", action="append")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--guidance", type=float, default=5.0)
    parser.add_argument("--size", default="1024x1024")
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--dtype", default="auto")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per tiny case")
    args = parser.parse_args()
    if args.model:
        real(args)
    else:
        tiny(args.repeat)


if __name__ == "__main__":
    main()
