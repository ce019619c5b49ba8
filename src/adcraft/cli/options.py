"""Option definitions and error reporting shared by every `adcraft` command.

One definition per option, so `--bank`, `--device` or `--model` mean the same thing (same help,
same environment variable) in `generate`, `bank ...` and `image ...`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.text import Text

err = Console(stderr=True, soft_wrap=True)  # no hard wraps inside paths and commands


def fail(problem: str | Exception) -> NoReturn:
    """Print ``error: problem`` on stderr and exit with status 2 (bad input, never a traceback)."""
    # Text, not markup: a message may hold brackets (paths, JSON) that rich would eat.
    err.print(Text.assemble(("error:", "bold red"), " ", str(problem)), highlight=False)
    raise typer.Exit(2)


def warn(message: str) -> None:
    """Print ``warning: message`` on stderr."""
    err.print(Text.assemble(("warning:", "yellow"), " ", message), highlight=False)


# Settings
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="TOML settings file (else ADCRAFT_CONFIG)")
]

# Image bank
BankOpt = Annotated[
    Path | None, typer.Option("--bank", help="Bank folder (default: $ADCRAFT_BANK_PATH)")
]
EncoderOpt = Annotated[
    str | None,
    typer.Option("--encoder", help="'use' (default), 'minilm' or a sentence-transformers folder"),
]
QdrantOpt = Annotated[
    str | None, typer.Option("--qdrant-url", help="Qdrant server (default: embedded local mode)")
]

# Diffusion models
ModelOpt = Annotated[
    str,
    typer.Option(
        "--model", envvar="ADCRAFT_DIFFUSION__MODEL", help="Diffusers pipeline folder or cached id"
    ),
]
GenModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        envvar="ADCRAFT_DIFFUSION__MODEL",
        help="Diffusers pipeline folder or cached id (--image-source generate)",
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
LlmOpt = Annotated[
    bool,
    typer.Option(
        "--llm/--no-llm",
        help="Rewrite or write descriptions with the LLM of ADCRAFT_LLM_* (builtin: none)",
    ),
]

# Where `generate` gets its picture
SourceOpt = Annotated[
    str,
    typer.Option(
        "--image-source",
        help="Where the picture comes from: photo (--image), bank (image bank) or generate",
    ),
]
DescriptionOpt = Annotated[
    str | None,
    typer.Option("--image-description", help="What the picture should show (bank and generate)"),
]
GenSizeOpt = Annotated[
    int, typer.Option("--generate-size", help="Side of the generated square image, px")
]
BackgroundImageOpt = Annotated[
    str | None,
    typer.Option(
        "--background-image",
        help="A scene or picture (path or http(s) URL) used as every creative's background",
    ),
]
