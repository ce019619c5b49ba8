"""The product picture as layout and scoring see it: a cut-out (or framed photo) and its stats."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from PIL import Image

from adcraft.cv import cv2
from adcraft.domain.visual import Visual
from adcraft.errors import ImageInputError
from adcraft.imagery.cutout import BackgroundRemover, CutoutResult, to_lab
from adcraft.imagery.load import LoadedImage
from adcraft.imagery.removers import StudioWithFallback

DEFAULT_MIN_CONFIDENCE = 0.5
"""Below this cut-out confidence the photo is used whole, as a framed picture."""
STATS_SIDE = 512
"""Sharpness is measured at this long side, so it means the same for every photo size."""
SHARPNESS_HALF = 30.0
"""Laplacian variance (grey 0..255, at STATS_SIDE) scored 0.5: a crisp but smooth render."""
SMALL_SIDE = 400
_MAX_COLORS = 5


@runtime_checkable
class ConfidentRemover(Protocol):
    """A remover that also says how much to trust its mask (``StudioRemover`` does)."""

    name: str

    def remove(self, image: Image.Image) -> npt.NDArray[np.uint8]:
        """Alpha mask of the same size as ``image``."""
        ...

    def analyse(self, image: Image.Image) -> CutoutResult:
        """The mask with a confidence."""
        ...


def build_visual(
    loaded: LoadedImage,
    remover: BackgroundRemover | None = None,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    cut_out: bool = True,
) -> Visual:
    """Cut the product out (or keep the photo whole when that is unsafe) and measure it;
    ``cut_out=False`` keeps a photo whole, framed, as a marketer may ask for one size."""
    name = loaded.source_name
    notes: list[str] = []
    if loaded.has_alpha:
        rgba, has_cutout, used = loaded.image.convert("RGBA"), True, "alpha"
    elif not cut_out:
        rgba, has_cutout, used = loaded.image.convert("RGBA"), False, "none"
    else:
        rgba, has_cutout, used = _remove_background(loaded, remover, min_confidence, notes)
    rgba = _crop_to_alpha(rgba, name)
    if max(rgba.size) < SMALL_SIDE:
        notes.append(
            f"the product in {name!r} is only {rgba.width}x{rgba.height} px: "
            "it will look soft on large formats; use a bigger image"
        )
    rgb, alpha = _stats_copy(rgba)
    product = alpha > 128
    if not product.any():
        product = np.ones_like(product)
    luma = np.asarray(Image.fromarray(rgb).convert("L"), dtype=np.float32)
    px = rgb[product]
    return Visual(
        image=rgba,
        has_cutout=has_cutout,
        dominant_colors=dominant_colors(px),
        sharpness=_sharpness(luma, product),
        exposure=float(luma[product].mean() / 255.0),
        clipped=float(((px >= 250).all(axis=1) | (px <= 5).all(axis=1)).mean()),
        remover=used,
        source_name=name,
        warnings=tuple(notes),
    )


def _remove_background(
    loaded: LoadedImage,
    remover: BackgroundRemover | None,
    min_confidence: float,
    notes: list[str],
) -> tuple[Image.Image, bool, str]:
    """(RGBA, has_cutout, remover name): the cut-out, or the opaque photo as a fallback."""
    chosen: BackgroundRemover = remover if remover is not None else StudioWithFallback()
    photo = loaded.image.convert("RGB")
    used = chosen.name
    if isinstance(chosen, ConfidentRemover):
        result = chosen.analyse(photo)
        alpha, confidence = result.alpha, result.confidence
        # The default remover may hand a photo to its fallback model: report which one cut it.
        used = result.remover if isinstance(chosen, StudioWithFallback) else chosen.name
        notes.extend(f"{loaded.source_name!r}: {note}" for note in result.notes)
    else:
        # A remover without a confidence (e.g. a segmentation model) is trusted as is.
        alpha, confidence = chosen.remove(photo), 1.0
    if alpha.shape != (photo.height, photo.width) or alpha.dtype != np.uint8:
        raise ValueError(
            f"remover {chosen.name!r} returned a {alpha.dtype} mask of shape {alpha.shape}, "
            f"expected uint8 {(photo.height, photo.width)}"
        )
    if confidence < min_confidence or int(alpha.max()) <= 128:
        notes.append(
            f"the background of {loaded.source_name!r} is not plain enough to cut the product "
            f"out (confidence {confidence:.2f}): the photo is used as a framed picture"
        )
        return photo.convert("RGBA"), False, "none"
    out = photo.convert("RGBA")
    out.putalpha(Image.fromarray(alpha))
    return out, True, used


def _crop_to_alpha(rgba: Image.Image, name: str) -> Image.Image:
    """Crop to the visible product plus a margin of about 1% so edges are not shaved."""
    alpha = np.asarray(rgba.getchannel("A"))
    rows = np.nonzero((alpha > 8).any(axis=1))[0]
    cols = np.nonzero((alpha > 8).any(axis=0))[0]
    if len(rows) == 0:
        raise ImageInputError(f"image {name!r} has no visible pixels: nothing to show")
    margin = max(2, round(0.01 * max(rows[-1] - rows[0], cols[-1] - cols[0])))
    box = (
        max(0, int(cols[0]) - margin),
        max(0, int(rows[0]) - margin),
        min(rgba.width, int(cols[-1]) + 1 + margin),
        min(rgba.height, int(rows[-1]) + 1 + margin),
    )
    return rgba if box == (0, 0, rgba.width, rgba.height) else rgba.crop(box)


def _stats_copy(rgba: Image.Image) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
    """RGB and alpha arrays at STATS_SIDE on the long side (up or down)."""
    scale = STATS_SIDE / max(rgba.size)
    size = (max(1, round(rgba.width * scale)), max(1, round(rgba.height * scale)))
    method = Image.Resampling.BOX if scale < 1 else Image.Resampling.BICUBIC
    small = rgba.resize(size, method) if size != rgba.size else rgba
    arr = np.asarray(small)
    return np.ascontiguousarray(arr[..., :3]), np.ascontiguousarray(arr[..., 3])


def _sharpness(luma: npt.NDArray[np.float32], product: npt.NDArray[np.bool_]) -> float:
    """Normalised variance of the Laplacian inside the product (its outline excluded)."""
    # The cut-out edge is the sharpest thing in the picture whatever the focus: erode it away.
    # A 7x7 erosion (Pillow's MinFilter(7), a hundred times faster in OpenCV).
    inner = cv2.erode(product.astype(np.uint8), np.ones((7, 7), np.uint8))
    inside = inner[1:-1, 1:-1] > 0
    y = luma
    lap = y[:-2, 1:-1] + y[2:, 1:-1] + y[1:-1, :-2] + y[1:-1, 2:] - 4.0 * y[1:-1, 1:-1]
    values = lap[inside] if inside.sum() >= 64 else lap.ravel()
    if values.size == 0:
        return 0.0
    var = float(values.var())
    return var / (var + SHARPNESS_HALF)


def dominant_colors(pixels: npt.NDArray[np.uint8], count: int = _MAX_COLORS) -> tuple[str, ...]:
    """Up to ``count`` '#rrggbb' colours of an (N, 3) pixel array, most prominent first."""
    if len(pixels) == 0:
        return ()
    if len(pixels) > 20_000:
        # A regular stride keeps the result deterministic and the quantiser fast.
        pixels = pixels[:: len(pixels) // 20_000 + 1]
    strip = Image.fromarray(np.ascontiguousarray(pixels.reshape(1, -1, 3)))
    quant = strip.quantize(colors=12, method=Image.Quantize.MEDIANCUT)
    palette = np.array(quant.getpalette() or [], dtype=np.uint8).reshape(-1, 3)
    counts = np.bincount(np.asarray(quant).ravel(), minlength=len(palette))
    order = [int(i) for i in np.argsort(-counts, kind="stable") if counts[i] > 0]
    colours = palette[order]
    lab = to_lab(colours)
    chosen: list[int] = []
    for i in range(len(colours)):
        # Merge shades a viewer would call the same colour.
        if all(np.linalg.norm(lab[i] - lab[j]) >= 12.0 for j in chosen):
            chosen.append(i)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    extreme = ((lab[:, 0] > 92) | (lab[:, 0] < 10)) & (chroma < 8)
    # Near-white and near-black say little about a product unless they are all there is.
    if any(not extreme[i] for i in chosen):
        chosen = [i for i in chosen if not extreme[i]]
    return tuple("#{:02x}{:02x}{:02x}".format(*colours[i]) for i in chosen[:count])
