"""`adcraft bank ...` and `adcraft cutout`: parse, call the imagery modules, print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from adcraft.cli.options import BankOpt, EncoderOpt, QdrantOpt, err, fail
from adcraft.errors import AdcraftError

if TYPE_CHECKING:
    from adcraft.imagery.bank.config import BankSettings
    from adcraft.imagery.bank.models import IngestReport


def _settings(bank: Path | None, encoder: str | None, qdrant_url: str | None) -> BankSettings:
    from adcraft.imagery.bank.config import BankSettings

    return BankSettings.from_env(path=bank, encoder=encoder, qdrant_url=qdrant_url)


def register(app: typer.Typer) -> None:
    """Add the `bank` command group and the `cutout` command to ``app``."""
    bank_app = typer.Typer(no_args_is_help=True, help="Image bank searched by text.")
    app.add_typer(bank_app, name="bank")

    @bank_app.command("add")
    def bank_add(
        folder: Annotated[Path, typer.Argument(help="Folder of images")],
        captions: Annotated[
            Path | None, typer.Option(help="captions.csv/.json (default: the folder's own)")
        ] = None,
        bank: BankOpt = None,
        encoder: EncoderOpt = None,
        qdrant_url: QdrantOpt = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
    ) -> None:
        """Add (or replace) the usable images of a folder; report skipped files and why."""
        from adcraft.imagery.bank.config import get_captioner, open_bank
        from adcraft.imagery.bank.ingest import ingest_folder

        try:
            settings = _settings(bank, encoder, qdrant_url)
            store = open_bank(settings)
            try:
                report = ingest_folder(
                    store, folder, captions=captions, captioner=get_captioner(settings)
                )
            finally:
                store.close()
        except AdcraftError as exc:
            fail(exc)
            return
        _print_report(report, as_json)

    @bank_app.command("build")
    def bank_build(
        folder: Annotated[Path | None, typer.Argument(help="Folder of images")] = None,
        demo: Annotated[bool, typer.Option("--demo", help="Build the Fluent Emoji demo")] = False,
        cache: Annotated[
            Path | None, typer.Option(help="Where the demo packages are fetched to")
        ] = None,
        bank: BankOpt = None,
        encoder: EncoderOpt = None,
        qdrant_url: QdrantOpt = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
    ) -> None:
        """Rebuild a bank from scratch: from a folder, or the demo bank with --demo."""
        from adcraft.imagery.bank.config import get_captioner, open_bank
        from adcraft.imagery.bank.demo import build_demo
        from adcraft.imagery.bank.ingest import ingest_folder

        if demo == (folder is not None):
            err.print("[bold red]error:[/] give a FOLDER or --demo (one of them)")
            raise typer.Exit(2)
        try:
            settings = _settings(bank, encoder, qdrant_url)
            store = open_bank(settings)
            try:
                if demo:
                    where = cache or Path(store.root).parent / "demo-cache"
                    report = build_demo(store, where)
                else:
                    store.clear()
                    report = ingest_folder(
                        store, folder or Path("."), captioner=get_captioner(settings)
                    )
            finally:
                store.close()
        except AdcraftError as exc:
            fail(exc)
            return
        _print_report(report, as_json)

    @bank_app.command("search")
    def bank_search(
        description: Annotated[str, typer.Argument(help="Image description ('' for none)")],
        product: Annotated[str, typer.Option("--product", help="Product/offer text")] = "",
        top: Annotated[int, typer.Option("--top", min=1, max=300)] = 10,
        seed: Annotated[int | None, typer.Option(help="Also pick one image (seeded)")] = None,
        bank: BankOpt = None,
        encoder: EncoderOpt = None,
        qdrant_url: QdrantOpt = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    ) -> None:
        """Rank bank images for a product text and an image description."""
        from adcraft.imagery.bank.config import open_bank
        from adcraft.imagery.bank.search import sample, search

        try:
            store = open_bank(_settings(bank, encoder, qdrant_url))
            try:
                result = search(store, product, description or None, top=top)
            finally:
                store.close()
        except AdcraftError as exc:
            fail(exc)
            return
        picked = sample(result.hits, seed=seed) if seed is not None else None
        if as_json:
            data = result.model_dump(mode="json")
            data["picked"] = picked.id if picked else None
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for w in result.warnings:
            err.print(f"[yellow]warning:[/] {w}", highlight=False)
        for rank, hit in enumerate(result.hits, 1):
            typer.echo(f"{rank:>3}  {hit.score:.3f}  {hit.id:<24} {hit.caption}")
        if picked:
            typer.echo(f"picked: {picked.id}")

    @app.command("cutout")
    def cutout_cmd(
        image: Annotated[str, typer.Argument(help="Photo: path or http(s) URL")],
        out: Annotated[Path, typer.Option("--out", help="Output PNG")],
        remover: Annotated[
            str,
            typer.Option(
                "--remover",
                help="auto (studio, U²-Netp when unsure), studio, u2netp or "
                "onnx:<model.onnx>[#preset]",
            ),
        ] = "auto",
    ) -> None:
        """Remove the background of a photo and write the RGBA cut-out as PNG."""
        from PIL import Image

        from adcraft.imagery.load import load_image
        from adcraft.imagery.removers import StudioWithFallback, get_remover

        try:
            loaded = load_image(image)
            chosen = get_remover(remover)
            used = chosen.name
            notes: tuple[str, ...] = ()
            if isinstance(chosen, StudioWithFallback):
                result = chosen.analyse(loaded.image.convert("RGB"))
                alpha, used, notes = result.alpha, result.remover, result.notes
            else:
                alpha = chosen.remove(loaded.image.convert("RGB"))
            rgba = loaded.image.convert("RGBA")
            rgba.putalpha(Image.fromarray(alpha))
            out.parent.mkdir(parents=True, exist_ok=True)
            rgba.save(out, "PNG")
        except AdcraftError as exc:
            fail(exc)
            return
        except OSError as exc:
            err.print(f"[bold red]error:[/] cannot write {out}: {exc.strerror or exc}")
            raise typer.Exit(2) from None
        for note in notes:
            err.print(f"[yellow]warning:[/] {note}", highlight=False)
        covered = float((alpha > 127).mean())
        typer.echo(f"wrote {out} (remover: {used}, product covers {covered:.0%})")


def _print_report(report: IngestReport, as_json: bool) -> None:
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    for skip in report.skipped:
        typer.echo(f"skipped {skip.file}: {skip.reason}")
    typer.echo(report.summary())
