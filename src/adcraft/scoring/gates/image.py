"""Blur and exposure of the product picture and of the finished creative.

Blur: variance of the 4-neighbour Laplacian of the grey image (0..255) on a copy whose longest
side is 512 px (Pech-Pacheco et al. 2000). The measure depends on scale, so every picture is
measured at one size; on a cut-out only the product's inner pixels count (its outline is the
sharpest thing in the picture whatever the focus).

Exposure: mean luminance (Rec. 601 grey, 0..1) of the product's pixels or of the whole
creative, held to a dark and a bright limit.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from adcraft.scoring.gates.base import GateInput, GateResult, Subject
from adcraft.scoring.image_memo import per_image

SIDE = 512


@per_image
def _grey_and_mask(image: Image.Image) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """The 512 px grey copy (0..255) and opaque-area mask, read-only and kept per image: the
    blur and exposure gates both measure them, and every variant shares its product picture."""
    im = image.copy()
    im.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
    if im.mode in ("RGBA", "LA") or "transparency" in im.info:
        rgba = np.asarray(im.convert("RGBA"))
        mask = rgba[..., 3] > 127
        grey = np.asarray(Image.fromarray(rgba[..., :3]).convert("L"), dtype=np.float32)
        if mask.sum() >= 64:
            return grey, mask
        return grey, np.ones_like(mask)
    grey = np.asarray(im.convert("L"), dtype=np.float32)
    return grey, np.ones(grey.shape, dtype=bool)


def laplacian_variance(image: Image.Image) -> float:
    """Variance of the Laplacian inside the picture's opaque area, at 512 px."""
    grey, mask = _grey_and_mask(image)
    inner = cv2.erode(mask.astype(np.uint8), np.ones((7, 7), np.uint8))[1:-1, 1:-1] > 0
    y = grey
    lap = y[:-2, 1:-1] + y[2:, 1:-1] + y[1:-1, :-2] + y[1:-1, 2:] - 4.0 * y[1:-1, 1:-1]
    values = lap[inner] if inner.sum() >= 64 else lap.ravel()
    return float(values.var()) if values.size else 0.0


def mean_luminance(image: Image.Image) -> float:
    """Mean grey 0..1 of the picture's opaque area."""
    grey, mask = _grey_and_mask(image)
    return float(grey[mask].mean() / 255.0)


class _PictureGate:
    """Shared walk: each creative's product picture (measured once) and its own image."""

    name = ""

    def _judge(self, subject: Subject, value: float) -> GateResult:
        raise NotImplementedError

    def _measure(self, image: Image.Image) -> float:
        raise NotImplementedError

    def check(self, items: Sequence[GateInput]) -> list[list[GateResult]]:
        """Product picture (when there is one) and finished creative, per item."""
        seen: dict[int, GateResult] = {}
        out: list[list[GateResult]] = []
        for item in items:
            results = []
            if item.product is not None:
                key = id(item.product)  # one picture behind every creative of a set
                if key not in seen:
                    seen[key] = self._judge("product", self._measure(item.product))
                results.append(seen[key])
            results.append(self._judge("creative", self._measure(item.image)))
            out.append(results)
        return out


class BlurGate(_PictureGate):
    """Fails a picture whose Laplacian variance is under the limit for its subject."""

    name = "blur"

    def __init__(self, min_product: float, min_creative: float) -> None:
        self.limits: dict[Subject, float] = {"product": min_product, "creative": min_creative}

    def _measure(self, image: Image.Image) -> float:
        return laplacian_variance(image)

    def _judge(self, subject: Subject, value: float) -> GateResult:
        limit = self.limits[subject]
        ok = value >= limit
        what = "product photo" if subject == "product" else "creative"
        reason = (
            f"{what} is sharp (detail {value:.0f}, at least {limit:g} needed)"
            if ok
            else f"{what} looks blurred (detail {value:.0f}, below {limit:g})"
        )
        return GateResult(
            gate=self.name,
            subject=subject,
            passed=ok,
            reason=reason,
            value=round(value, 2),
            threshold=f">= {limit:g}",
        )


class ExposureGate(_PictureGate):
    """Fails a picture whose mean luminance is outside ``dark_below..bright_above``."""

    name = "exposure"

    def __init__(self, dark_below: float, bright_above: float) -> None:
        self.dark_below = dark_below
        self.bright_above = bright_above

    def _measure(self, image: Image.Image) -> float:
        return mean_luminance(image)

    def _judge(self, subject: Subject, value: float) -> GateResult:
        what = "product photo" if subject == "product" else "creative"
        if value < self.dark_below:
            ok, reason = (
                False,
                f"{what} is too dark (brightness {value:.0%}, below {self.dark_below:.0%})",
            )
        elif value > self.bright_above:
            ok, reason = (
                False,
                f"{what} is washed out (brightness {value:.0%}, above {self.bright_above:.0%})",
            )
        else:
            ok, reason = True, f"{what} is well exposed (brightness {value:.0%})"
        return GateResult(
            gate=self.name,
            subject=subject,
            passed=ok,
            reason=reason,
            value=round(value, 4),
            threshold=f"{self.dark_below:g}..{self.bright_above:g}",
        )
