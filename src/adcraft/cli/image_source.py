"""Where `adcraft generate` gets its picture: the product photo, the image bank or a generator.

Only wiring: the options are those of `adcraft bank ...` and `adcraft image generate`, turned
into an ``ImageSource`` that lives as long as the command (the bank holds a folder lock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from adcraft.errors import InputError
from adcraft.imagery.source import ImageSource

SOURCES = ("photo", "bank", "generate")


@dataclass(frozen=True)
class BankChoice:
    """The bank options of `adcraft bank ...`."""

    path: Path | None = None
    encoder: str | None = None
    qdrant_url: str | None = None


@dataclass(frozen=True)
class GeneratorChoice:
    """The model options of `adcraft image generate`."""

    model: str | None = None
    loras: list[str] = field(default_factory=list)
    device: str = "cuda"
    dtype: str = "auto"
    allow_cpu: bool = False
    steps: int = 30
    size: int = 1024


@contextmanager
def open_image_source(
    kind: str, *, photo: str | None, bank: BankChoice, generator: GeneratorChoice
) -> Iterator[ImageSource | None]:
    """The source for ``kind`` (None: the brief's photo), closed when the command ends."""
    if kind not in SOURCES:
        raise InputError(f"unknown image source {kind!r}: use {', '.join(SOURCES)}")
    if kind != "photo" and photo:
        raise InputError(
            f"--image and --image-source {kind} both give the picture: pass only one of them"
        )
    if kind == "photo":
        yield None
    elif kind == "bank":
        with _bank_source(bank) as source:
            yield source
    else:
        yield _generated_source(generator)


@contextmanager
def _bank_source(choice: BankChoice) -> Iterator[ImageSource]:
    from adcraft.imagery.bank.config import BankSettings, open_bank
    from adcraft.imagery.bank.source import BankImageSource
    from adcraft.imagery.bank.store import MANIFEST

    settings = BankSettings.from_env(
        path=choice.path, encoder=choice.encoder, qdrant_url=choice.qdrant_url
    )
    # open_bank creates a missing bank; a typo in --bank must not leave an empty one behind.
    if not (settings.path / MANIFEST).exists():
        raise InputError(
            f"there is no image bank at {settings.path}: build one with "
            "`adcraft bank add FOLDER` or `adcraft bank build --demo`, or pass --bank PATH"
        )
    bank = open_bank(settings)
    try:
        yield BankImageSource(bank)
    finally:
        bank.close()


def _generated_source(choice: GeneratorChoice) -> ImageSource:
    from adcraft.cli.generate_image import diffusion_settings
    from adcraft.imagery.generated_source import GeneratedImageSource
    from adcraft.providers.gen_diffusers import DiffusersGenerator

    if not choice.model:
        raise InputError(
            "--image-source generate needs a model: pass --model PATH "
            "(or set ADCRAFT_DIFFUSION__MODEL)"
        )
    settings = diffusion_settings(
        choice.model, choice.loras, choice.device, choice.dtype, choice.allow_cpu
    )
    generator = DiffusersGenerator(settings)
    # Load now, so a missing model or device fails before any other work starts.
    generator.load()
    return GeneratedImageSource(
        generator,
        style_captions=settings.style_captions,
        steps=choice.steps,
        width=choice.size,
        height=choice.size,
    )
