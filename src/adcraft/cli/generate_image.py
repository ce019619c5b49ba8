"""`adcraft image generate|background|outpaint` and `adcraft lora train`: parse, call, print.

Register with ``from adcraft.cli.generate_image import register; register(app)``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from PIL import Image
from pydantic import ValidationError

from adcraft.cli.options import (
    CpuOpt,
    DeviceOpt,
    DtypeOpt,
    LlmOpt,
    LoraOpt,
    ModelOpt,
    OutOpt,
    SeedOpt,
    StepsOpt,
    err,
    fail,
)
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

if TYPE_CHECKING:
    from adcraft.imagery.diffusion import PromptLLM


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


def diffusion_settings(
    model: str,
    loras: list[str] | None,
    device: str,
    dtype: str,
    allow_cpu: bool,
    **extra: Any,
) -> DiffusionSettings:
    """Settings from the command-line model options (shared with `adcraft generate`);
    ``extra`` sets further DiffusionSettings fields (controlnet...), None meaning default."""
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
            **{k: v for k, v in extra.items() if v is not None},
        }
    )


def prompt_llm(enabled: bool = True) -> PromptLLM | None:
    """The LLM that rewrites and writes descriptions, from ADCRAFT_LLM_*; None for builtin.

    No LLM extra installed or provider ``builtin`` (the default): descriptions pass through
    and scenes are composed offline, as the issue asks.
    """
    if not enabled:
        return None
    try:
        from adcraft.copywriting.settings import LLMSettings
    except ImportError:
        return None
    try:
        settings = LLMSettings()
    except ValidationError as exc:
        raise InputError(f"LLM settings: {exc.errors()[0]['msg']}") from None
    if settings.provider == "builtin":
        return None
    from adcraft.imagery.scene_prompt import chat_prompt_llm

    return chat_prompt_llm(_chat_model(settings))


def _chat_model(settings: Any) -> Any:
    if settings.provider == "openai":
        from adcraft.providers.llm_openai import OpenAIChat

        return OpenAIChat(
            model=settings.model,
            base_url=settings.base_url,
            api_key=settings.api_key.get_secret_value(),
            timeout_s=settings.timeout_s,
            max_retries=settings.max_retries,
            backoff_s=settings.backoff_s,
            max_backoff_s=settings.max_backoff_s,
            concurrency=settings.concurrency,
            max_tokens=settings.max_tokens,
        )
    from adcraft.providers.llm_llamacpp import LlamaCppChat

    return LlamaCppChat(
        settings.gguf_path,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        max_tokens=settings.max_tokens,
    )


def _title_from(path: Path) -> str:
    """A product name from a file name when none is given: 'red-mug_01.png' -> 'red mug 01'."""
    return " ".join(path.stem.replace("_", " ").replace("-", " ").split()) or "product"


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


def _report(result: GeneratedImage, out: Path, **extra: Any) -> None:
    summary: dict[str, Any] = {
        "out": str(out),
        "size": list(result.image.size),
        "seed": result.seed,
        "steps": result.steps,
        "seconds": round(result.seconds, 3),
        "prompt": result.prompt,
        "cutout": result.has_cutout,
        "warnings": list(result.warnings),
        **extra,
    }
    typer.echo(json.dumps(summary, ensure_ascii=False))


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
        llm: LlmOpt = True,
    ) -> None:
        """Paint an image from a description (or the product name) and save it."""
        from adcraft.providers.gen_diffusers import DiffusersGenerator

        try:
            settings = diffusion_settings(model, lora, device, dtype, allow_cpu)
            brief = Brief(product_name=product) if product else None
            text = write_prompt(
                prompt,
                brief=brief,
                style_captions=settings.style_captions,
                llm=prompt_llm(llm),
                isolate=cutout,
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
            fail(exc)
        _report(result, out)

    @image_app.command("background")
    def background_cmd(
        model: ModelOpt,
        product: Annotated[Path, typer.Option(help="Product cut-out (PNG with alpha) or photo")],
        out: OutOpt,
        scene: Annotated[
            str | None,
            typer.Option(help="Scene to paint around the product; omitted: written from the brief"),
        ] = None,
        title: Annotated[
            str | None, typer.Option(help="Product name for the scene (default: file name)")
        ] = None,
        description: Annotated[str, typer.Option(help="Product description")] = "",
        selling_point: Annotated[
            list[str] | None, typer.Option("--selling-point", help="Selling point; repeat")
        ] = None,
        category: Annotated[str | None, typer.Option(help="Product category")] = None,
        style: Annotated[
            str | None,
            typer.Option(help="Visual style: minimal, bold, elegant, festive, energetic, ..."),
        ] = None,
        color: Annotated[
            list[str] | None, typer.Option("--color", help="Palette colour #rrggbb; repeat")
        ] = None,
        controlnet: Annotated[
            str | None, typer.Option(help="ControlNet folder for the base model")
        ] = None,
        controlnet_kind: Annotated[
            str | None, typer.Option(help="Control image: canny or depth")
        ] = None,
        controlnet_scale: Annotated[
            float | None, typer.Option(help="ControlNet strength, 0-2 (default 0.8)")
        ] = None,
        ip_adapter: Annotated[
            Path | None,
            typer.Option(help="IP-Adapter weights file (image_encoder/ next to it)"),
        ] = None,
        style_image: Annotated[
            Path | None, typer.Option(help="Style reference image for the IP-Adapter")
        ] = None,
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
        llm: LlmOpt = True,
    ) -> None:
        """Paint a scene around a product; the product's pixels are kept exactly.

        Without --scene the scene is written from the brief options and --style (by the LLM
        when ADCRAFT_LLM_* configures one, else composed offline) and printed on stderr.
        """
        from adcraft.imagery.cutout import StudioRemover
        from adcraft.imagery.scene_prompt import write_scene
        from adcraft.providers.inpaint_diffusers import DiffusersPainter

        try:
            settings = diffusion_settings(
                model,
                lora,
                device,
                dtype,
                allow_cpu,
                controlnet=controlnet,
                controlnet_kind=controlnet_kind,
                controlnet_scale=controlnet_scale,
                ip_adapter=ip_adapter,
            )
            brief = Brief(
                product_name=title or _title_from(product),
                description=description,
                selling_points=tuple(selling_point or ()),
                category=category,
            )
            written = write_scene(
                scene,
                brief=brief,
                style=style,
                palette=tuple(color or ()),
                llm=prompt_llm(llm),
                style_captions=settings.style_captions,
            )
            err.print(f"scene ({written.source}): {written.text}", highlight=False, markup=False)
            cut = _open(product).convert("RGBA")
            if cut.getchannel("A").getextrema() == (255, 255):
                cut.putalpha(Image.fromarray(StudioRemover().remove(cut.convert("RGB")), "L"))
            request = SceneRequest(
                scene=written.text,
                negative_prompt=negative,
                seed=seed,
                steps=steps,
                guidance=guidance,
                width=width,
                height=height,
                product_scale=scale,
            )
            reference = _open(style_image).convert("RGB") if style_image else None
            result = DiffusersPainter(settings).paint_background(
                cut, request, style_image=reference
            )
            _save(result.image, out)
        except ValidationError as exc:
            fail(InputError(f"settings: {exc.errors()[0]['msg']}"))
        except AdcraftError as exc:
            fail(exc)
        notes = [*written.warnings, *result.warnings]
        _report(result, out, scene_source=written.source, warnings=notes)

    @image_app.command("outpaint")
    def outpaint_cmd(
        model: ModelOpt,
        photo: Annotated[Path, typer.Option(help="Photo to extend")],
        width: Annotated[int, typer.Option(help="Target width in px")],
        height: Annotated[int, typer.Option(help="Target height in px")],
        out: OutOpt,
        prompt: Annotated[str, typer.Option(help="What the new area shows")] = "",
        feather: Annotated[
            float, typer.Option(help="Seam blend band, share of the short side (0: hard edge)")
        ] = 0.04,
        controlnet: Annotated[
            str | None, typer.Option(help="ControlNet folder (canny) for the base model")
        ] = None,
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
            settings = diffusion_settings(
                model, lora, device, dtype, allow_cpu, controlnet=controlnet
            )
            request = OutpaintRequest(
                prompt=prompt,
                seed=seed,
                steps=steps,
                width=width,
                height=height,
                feather=feather,
            )
            result = DiffusersPainter(settings).outpaint(_open(photo), request)
            _save(result.image, out)
        except ValidationError as exc:
            fail(InputError(f"settings: {exc.errors()[0]['msg']}"))
        except AdcraftError as exc:
            fail(exc)
        _report(result, out)

    @lora_app.command("train")
    def train_cmd(
        config: Annotated[Path, typer.Option("--config", help="Training settings (TOML/JSON)")],
    ) -> None:
        """Fine-tune a LoRA on a folder of images + captions; settings from a config file."""
        from adcraft.imagery.lora_train import load_config, train_lora

        def progress(step: int, loss: float) -> None:
            if step == 1 or step % 50 == 0 or step == cfg.steps:
                err.print(f"step {step}/{cfg.steps} loss {loss:.4f}", highlight=False)

        try:
            cfg = load_config(config)
            result = train_lora(cfg, on_step=progress)
        except AdcraftError as exc:
            fail(exc)
        for note in result.skipped:
            err.print(f"skipped {note}", highlight=False)
        summary = {
            "weights": str(result.weights),
            "images": result.images,
            "steps": result.steps,
            "final_loss": result.final_loss,
            "seconds": round(result.seconds, 2),
            "skipped": len(result.skipped),
        }
        typer.echo(json.dumps(summary))
