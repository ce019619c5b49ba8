"""`adcraft image generate|background|outpaint` and `adcraft lora train`: parse, call, print.

Register with ``from adcraft.cli_generate_image import register; register(app)``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from PIL import Image
from rich.console import Console

from adcraft.domain.brief import Brief
from adcraft.errors import AdcraftError, InputError, OutputError
from adcraft.imagery.diffusion import (
    DiffusionSettings,
    GeneratedImage,
    GenerationRequest,
    LoraSpec,
    OutpaintRequest,
    SceneRequest,
    write_prompt,
)

_err = Console(stderr=True)
ModelOpt = Annotated[
    str,
    typer.Option(
        "--model", envvar="ADCRAFT_DIFFUSION__MODEL", help="Diffusers pipeline folder or cached id"
    ),
]
LoraOpt = Annotated[
    list[str] | None,
    typer.Option("--lora", help="LoRA folder or .safetensors, optionally PATH:WEIGHT; repeat"),
]
DeviceOpt = Annotated[str, typer.Option(help="cuda, cuda:N (one worker per GPU) or cpu")]
DtypeOpt = Annotated[str, typer.Option(help="auto, float16, bfloat16 or float32")]
CpuOpt = Annotated[bool, typer.Option("--allow-cpu", help="Allow running on CPU (slow)")]
SeedOpt = Annotated[int | None, typer.Option(help="Seed; omitted: random, and printed")]
StepsOpt = Annotated[int, typer.Option(help="Denoising steps")]
OutOpt = Annotated[Path, typer.Option("--out", help="Image file to write (.png keeps alpha)")]


def _lora(text: str) -> LoraSpec:
    path, sep, weight = text.rpartition(":")
    if sep and path and _is_number(weight):
        return LoraSpec(path=Path(path), weight=float(weight))
    return LoraSpec(path=Path(text))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _settings(
    model: str, loras: list[str] | None, device: str, dtype: str, allow_cpu: bool
) -> DiffusionSettings:
    from adcraft.imagery.lora_train import style_captions

    specs = tuple(_lora(t) for t in loras or ())
    captions = tuple(c for s in specs for c in style_captions(s.path))
    return DiffusionSettings.model_validate(
        {
            "model": model,
            "device": device,
            "dtype": dtype,
            "allow_cpu": allow_cpu,
            "loras": specs,
            "style_captions": captions,
        }
    )


def _save(image: Image.Image, out: Path) -> None:
    if image.mode == "RGBA" and out.suffix.lower() in (".jpg", ".jpeg"):
        raise InputError(f"{out}: JPEG cannot keep the cut-out's transparency; use .png or .webp")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    try:
        image.save(tmp, format=Image.registered_extensions().get(out.suffix.lower(), "PNG"))
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"could not write {out}: {exc}") from exc


def _report(result: GeneratedImage, out: Path) -> None:
    summary = {
        "out": str(out),
        "size": list(result.image.size),
        "seed": result.seed,
        "steps": result.steps,
        "seconds": round(result.seconds, 3),
        "prompt": result.prompt,
        "cutout": result.has_cutout,
        "warnings": list(result.warnings),
    }
    typer.echo(json.dumps(summary, ensure_ascii=False))


def _fail(exc: AdcraftError) -> NoReturn:
    _err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _open(path: Path) -> Image.Image:
    from adcraft.imagery.load import load_image

    return load_image(path).image


def register(app: typer.Typer) -> None:
    """Add the `image` and `lora` command groups to an app."""
    image_app = typer.Typer(no_args_is_help=True, help="Generate images with diffusion models.")
    lora_app = typer.Typer(no_args_is_help=True, help="Train LoRA adapters for a brand style.")
    app.add_typer(image_app, name="image")
    app.add_typer(lora_app, name="lora")

    @image_app.command("generate")
    def generate_cmd(
        model: ModelOpt,
        out: OutOpt,
        prompt: Annotated[str | None, typer.Option(help="Image description")] = None,
        product: Annotated[
            str | None, typer.Option(help="Product name: writes the prompt when none is given")
        ] = None,
        negative: Annotated[str, typer.Option(help="Negative prompt")] = "",
        lora: LoraOpt = None,
        seed: SeedOpt = None,
        steps: StepsOpt = 30,
        guidance: Annotated[float, typer.Option(help="Classifier-free guidance")] = 5.0,
        width: Annotated[int, typer.Option(help="Width in px")] = 1024,
        height: Annotated[int, typer.Option(help="Height in px")] = 1024,
        cutout: Annotated[bool, typer.Option(help="Remove the background")] = True,
        device: DeviceOpt = "cuda",
        dtype: DtypeOpt = "auto",
        allow_cpu: CpuOpt = False,
    ) -> None:
        """Paint an image from a description (or the product name) and save it."""
        from adcraft.providers.gen_diffusers import DiffusersGenerator

        try:
            settings = _settings(model, lora, device, dtype, allow_cpu)
            brief = Brief(product_name=product) if product else None
            text = write_prompt(
                prompt, brief=brief, style_captions=settings.style_captions, isolate=cutout
            )
            request = GenerationRequest(
                prompt=text,
                negative_prompt=negative,
                seed=seed,
                steps=steps,
                guidance=guidance,
                width=width,
                height=height,
                cutout=cutout,
            )
            result = DiffusersGenerator(settings).generate(request)
            _save(result.image, out)
        except AdcraftError as exc:
            _fail(exc)
        _report(result, out)

    @image_app.command("background")
    def background_cmd(
        model: ModelOpt,
        product: Annotated[Path, typer.Option(help="Product cut-out (PNG with alpha) or photo")],
        scene: Annotated[str, typer.Option(help="Scene to paint around the product")],
        out: OutOpt,
        negative: Annotated[str, typer.Option(help="Negative prompt")] = "",
        lora: LoraOpt = None,
        seed: SeedOpt = None,
        steps: StepsOpt = 30,
        guidance: Annotated[float, typer.Option(help="Classifier-free guidance")] = 7.5,
        width: Annotated[int, typer.Option(help="Width in px")] = 1024,
        height: Annotated[int, typer.Option(help="Height in px")] = 1024,
        scale: Annotated[float, typer.Option(help="Largest share of the canvas")] = 0.6,
        device: DeviceOpt = "cuda",
        dtype: DtypeOpt = "auto",
        allow_cpu: CpuOpt = False,
    ) -> None:
        """Paint a scene around a product; the product's pixels are kept exactly."""
        from adcraft.imagery.cutout import StudioRemover
        from adcraft.providers.inpaint_diffusers import DiffusersPainter

        try:
            settings = _settings(model, lora, device, dtype, allow_cpu)
            cut = _open(product).convert("RGBA")
            if cut.getchannel("A").getextrema() == (255, 255):
                cut.putalpha(Image.fromarray(StudioRemover().remove(cut.convert("RGB")), "L"))
            request = SceneRequest(
                scene=scene,
                negative_prompt=negative,
                seed=seed,
                steps=steps,
                guidance=guidance,
                width=width,
                height=height,
                product_scale=scale,
            )
            result = DiffusersPainter(settings).paint_background(cut, request)
            _save(result.image, out)
        except AdcraftError as exc:
            _fail(exc)
        _report(result, out)

    @image_app.command("outpaint")
    def outpaint_cmd(
        model: ModelOpt,
        photo: Annotated[Path, typer.Option(help="Photo to extend")],
        width: Annotated[int, typer.Option(help="Target width in px")],
        height: Annotated[int, typer.Option(help="Target height in px")],
        out: OutOpt,
        prompt: Annotated[str, typer.Option(help="What the new area shows")] = "",
        lora: LoraOpt = None,
        seed: SeedOpt = None,
        steps: StepsOpt = 30,
        device: DeviceOpt = "cuda",
        dtype: DtypeOpt = "auto",
        allow_cpu: CpuOpt = False,
    ) -> None:
        """Extend a photo to another size or aspect ratio instead of cropping it."""
        from adcraft.providers.inpaint_diffusers import DiffusersPainter

        try:
            settings = _settings(model, lora, device, dtype, allow_cpu)
            request = OutpaintRequest(
                prompt=prompt, seed=seed, steps=steps, width=width, height=height
            )
            result = DiffusersPainter(settings).outpaint(_open(photo), request)
            _save(result.image, out)
        except AdcraftError as exc:
            _fail(exc)
        _report(result, out)

    @lora_app.command("train")
    def train_cmd(
        config: Annotated[Path, typer.Option("--config", help="Training settings (TOML/JSON)")],
    ) -> None:
        """Fine-tune a LoRA on a folder of images + captions; settings from a config file."""
        from adcraft.imagery.lora_train import load_config, train_lora

        def progress(step: int, loss: float) -> None:
            if step == 1 or step % 50 == 0 or step == cfg.steps:
                _err.print(f"step {step}/{cfg.steps} loss {loss:.4f}", highlight=False)

        try:
            cfg = load_config(config)
            result = train_lora(cfg, on_step=progress)
        except AdcraftError as exc:
            _fail(exc)
        for note in result.skipped:
            _err.print(f"skipped {note}", highlight=False)
        summary = {
            "weights": str(result.weights),
            "images": result.images,
            "steps": result.steps,
            "final_loss": result.final_loss,
            "seconds": round(result.seconds, 2),
            "skipped": len(result.skipped),
        }
        typer.echo(json.dumps(summary))
