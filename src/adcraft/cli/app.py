"""The `adcraft` command: parse, call the pipeline, print. No logic of its own."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from adcraft.allocator import keep_freed_buffers
from adcraft.cli.image_source import BankChoice, GeneratorChoice, open_image_source
from adcraft.cli.options import (
    BackgroundImageOpt,
    BankOpt,
    CpuOpt,
    DescriptionOpt,
    DeviceOpt,
    DtypeOpt,
    EncoderOpt,
    GenModelOpt,
    GenSizeOpt,
    LoraOpt,
    QdrantOpt,
    SourceOpt,
    StepsOpt,
    err,
    fail,
    warn,
)
from adcraft.domain.creative import Creative
from adcraft.domain.formats import default_registry
from adcraft.errors import AdcraftError
from adcraft.layout.styles import DEFAULT_STYLE_ORDER
from adcraft.pipeline import generate as run_pipeline
from adcraft.products import brief_from_flags, describe, load_brand_kit

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Automated ad creatives.",
)
EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples" / "products.json"


@app.command("generate")
def generate_cmd(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the creative set to")],
    product_file: Annotated[Path | None, typer.Option(help="products.json catalogue")] = None,
    product_id: Annotated[str | None, typer.Option(help="Product id in the catalogue")] = None,
    title: Annotated[str | None, typer.Option(help="Product title")] = None,
    description: Annotated[str, typer.Option(help="Product description")] = "",
    selling_point: Annotated[list[str] | None, typer.Option(help="Repeat for each point")] = None,
    offer: Annotated[list[str] | None, typer.Option(help="Offer text; repeat for more")] = None,
    price: Annotated[float | None, typer.Option(help="Price amount")] = None,
    regular_price: Annotated[
        float | None,
        typer.Option(help="Price before the sale, drawn struck through before --price"),
    ] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 code")] = "USD",
    price_period: Annotated[
        str | None,
        typer.Option(
            help="What a recurring price is paid for: day, night, week, month or year "
            "(drawn with the price: '9,99 €/Monat', '$35/mo')"
        ),
    ] = None,
    price_min_term: Annotated[
        int | None,
        typer.Option(
            help="How many periods the buyer commits to (12 with --price-period month: a "
            "12-month contract), said in the terms line beside the price",
        ),
    ] = None,
    cta: Annotated[str | None, typer.Option(help="Call to action")] = None,
    image: Annotated[str | None, typer.Option(help="Product photo: path or http(s) URL")] = None,
    logo: Annotated[Path | None, typer.Option(help="Brand logo image")] = None,
    brand_kit: Annotated[Path | None, typer.Option(help="Brand kit JSON")] = None,
    language: Annotated[str, typer.Option(help="Copy language (ISO 639-1)")] = "en",
    formats: Annotated[
        str, typer.Option(help="'all', a platform, ids or aliases, comma-separated")
    ] = "all",
    styles: Annotated[
        str | None, typer.Option(help=f"Comma-separated: {', '.join(DEFAULT_STYLE_ORDER)}")
    ] = None,
    variants: Annotated[int, typer.Option(help="Number of variants")] = 6,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bytes)")] = 0,
    image_format: Annotated[str, typer.Option(help="png, jpeg or webp")] = "jpeg",
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: CPU count)")
    ] = None,
    copy_provider: Annotated[
        str | None,
        typer.Option(help="builtin, openai or llamacpp (default: ADCRAFT_LLM_PROVIDER or builtin)"),
    ] = None,
    image_source: SourceOpt = "photo",
    image_description: DescriptionOpt = None,
    background_image: BackgroundImageOpt = None,
    bank: BankOpt = None,
    encoder: EncoderOpt = None,
    qdrant_url: QdrantOpt = None,
    model: GenModelOpt = None,
    lora: LoraOpt = None,
    device: DeviceOpt = "cuda",
    dtype: DtypeOpt = "auto",
    allow_cpu: CpuOpt = False,
    steps: StepsOpt = 30,
    generate_size: GenSizeOpt = 1024,
) -> None:
    """Generate ranked ad creatives for every requested format."""
    bank_choice = BankChoice(bank, encoder, qdrant_url)
    gen_choice = GeneratorChoice(
        model, list(lora or []), device, dtype, allow_cpu, steps, generate_size
    )
    try:
        from adcraft.cli.copy import build_copywriter

        copywriter = build_copywriter(copy_provider)
        kit = load_brand_kit(brand_kit, logo)
        brief = brief_from_flags(
            product_file=product_file,
            product_id=product_id,
            title=title,
            description=description,
            selling_points=selling_point,
            offers=offer,
            price=price,
            regular_price=regular_price,
            currency=currency,
            price_period=price_period,
            price_min_term=price_min_term,
            cta=cta,
            language=language,
            image=image,
            brand=kit,
        )
        style_list = [s.strip() for s in styles.split(",")] if styles else None
        sourcing = open_image_source(
            image_source, photo=image, bank=bank_choice, generator=gen_choice
        )
        with sourcing as source, _progress() as bar:
            task = bar.add_task("starting", total=None)

            def report(done: int, total: int, step: str) -> None:
                bar.update(task, completed=done, total=total, description=step)

            result = run_pipeline(
                brief,
                formats=formats,
                styles=style_list,
                variants=variants,
                seed=seed,
                out_dir=out,
                image_format=image_format,
                workers=workers,
                copywriter=copywriter,
                progress=report,
                image_source=source,
                image_description=image_description,
                background_image=background_image,
            )
    except ValidationError as exc:
        fail(describe(exc))
        return
    except AdcraftError as exc:
        fail(str(exc))
        return
    for w in result.warnings:
        warn(w)
    best = result.creatives[0]
    _publishability(result.creatives)
    typer.echo(
        f"{len(result.creatives)} creatives in {result.out_dir}  "
        f"(best: {best.file}, score {best.score:.1f}); contact sheet: {result.contact_sheet}"
    )


def _publishability(creatives: Sequence[Creative]) -> None:
    """Say which creatives cannot go out as they are, and which had text cut to fit."""
    held = [c for c in creatives if not c.publishable]
    for c in held[:_SHOWN_FAULTS]:
        err.print(f"[yellow]not publishable:[/] {c.file}: {'; '.join(c.publishable_reasons)}")
    if len(held) > _SHOWN_FAULTS:
        err.print(f"[yellow]not publishable:[/] … and {len(held) - _SHOWN_FAULTS} more")
    cut = [c for c in creatives if c.truncated]
    if cut:
        fields = sorted({f for c in cut for f in c.truncated})
        names = ", ".join(fields)
        err.print(f"[yellow]truncated:[/] {len(cut)} creative(s) cut text to fit: {names}")
    typer.echo(
        f"{len(creatives) - len(held)} of {len(creatives)} creatives publishable as they are"
    )


_SHOWN_FAULTS = 5


@app.command("demo")
def demo_cmd(
    out: Annotated[Path, typer.Option(help="Folder to write the demo set to")] = Path("out/demo"),
    product_id: Annotated[
        str, typer.Option(help="Product id from examples/products.json")
    ] = "tent-trail3",
) -> None:
    """Generate the demo set: one product, every format, six variants."""
    generate_cmd(out=out, product_file=EXAMPLES, product_id=product_id)


@app.command("formats")
def formats_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List the known ad formats."""
    fmts = list(default_registry())
    if as_json:
        typer.echo(json.dumps([f.model_dump(mode="json") for f in fmts], indent=1))
        return
    for f in fmts:
        size = f"{f.width}x{f.height}" if f.width else "text"
        typer.echo(f"{f.id:36} {size:>10}  {f.kind:8} {f.platform}")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:32}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not sys.stderr.isatty(),
    )


def _register_commands() -> None:
    """Each command group is a module of this package that adds itself: one line per group."""
    from adcraft.analytics import cli as analytics_cli
    from adcraft.cli import (
        catalog,
        copy,
        generate_image,
        imagery,
        migrate,
        platform,
        tenants,
        users,
    )
    from adcraft.experiments import cli as experiments_cli

    platform.register(app)
    tenants.register(app)
    users.register(app)
    copy.register(app)
    generate_image.register(app)
    imagery.register(app)
    catalog.register(app)
    migrate.register(app)
    analytics_cli.register(app)
    experiments_cli.register(app)


_register_commands()


def main() -> None:
    """Entry point of the `adcraft` command and `python -m adcraft`."""
    keep_freed_buffers()  # this process is ours: recycle the big image buffers
    app()
