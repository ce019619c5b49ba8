"""Canvas geometry for background generation and outpainting: pure Pillow/numpy, no models.

Inpainting models repaint everything a little, even where the mask says keep (the VAE round
trip alone shifts colours). So the painter never trusts the model with the product: it paints,
then ``restore`` lays the original pixels back with their own alpha, which makes every opaque
product pixel come back bit-for-bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from adcraft.imagery.diffusion import InvalidGenerationRequest, round_up

_NEUTRAL = (127, 127, 127)


@dataclass(frozen=True)
class Canvas:
    """What the inpainting pipeline gets, and what is put back afterwards."""

    init: Image.Image
    """RGB at the work size: the kept pixels over a neutral or stretched fill."""
    mask: Image.Image
    """'L' at the work size: 255 where the model paints, 0 where pixels are kept."""
    keep: Image.Image
    """RGBA at the work size: the pixels to put back, alpha = how much of them."""
    size: tuple[int, int]
    """The requested output size; the work size may be larger (rounded up) and is cropped."""


def _work_size(width: int, height: int, multiple: int) -> tuple[int, int]:
    return round_up(width, multiple), round_up(height, multiple)


def _fit(size: tuple[int, int], box: tuple[float, float], upscale: bool = True) -> tuple[int, int]:
    scale = min(box[0] / size[0], box[1] / size[1])
    if not upscale:
        scale = min(scale, 1.0)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _alpha_box(product: Image.Image) -> Image.Image:
    rgba = product.convert("RGBA")
    bbox = rgba.getchannel("A").getbbox()
    if bbox is None:
        raise InvalidGenerationRequest("the product cut-out is fully transparent: nothing to keep")
    return rgba.crop(bbox)


def product_canvas(
    product: Image.Image,
    width: int,
    height: int,
    *,
    multiple: int,
    scale: float,
    center: tuple[float, float],
    upscale: bool = False,
) -> Canvas:
    """Place an RGBA cut-out on a canvas and mark everything but its opaque pixels to paint.

    The cut-out keeps its own pixels when it fits in ``scale`` of the canvas; it is shrunk when
    it does not, and enlarged only with ``upscale`` (enlarging blurs the product).
    """
    cut = _alpha_box(product)
    box = _fit(cut.size, (width * scale, height * scale), upscale)
    if box != cut.size:
        cut = cut.resize(box, Image.Resampling.LANCZOS)
    x = min(max(0, round(center[0] * width - box[0] / 2)), width - box[0])
    y = min(max(0, round(center[1] * height - box[1] / 2)), height - box[1])
    work = _work_size(width, height, multiple)
    keep = Image.new("RGBA", work, (0, 0, 0, 0))
    keep.paste(cut, (x, y))
    init = Image.new("RGB", work, _NEUTRAL)
    init.paste(cut.convert("RGB"), (x, y), cut.getchannel("A"))
    alpha = np.asarray(keep.getchannel("A"))
    # Semi-transparent edge pixels are repainted and blended back by alpha in restore(), so
    # the product's silhouette merges into the new scene instead of keeping a studio halo.
    mask = Image.fromarray(np.where(alpha == 255, 0, 255).astype(np.uint8), "L")
    return Canvas(init=init, mask=mask, keep=keep, size=(width, height))


def outpaint_canvas(photo: Image.Image, width: int, height: int, *, multiple: int) -> Canvas:
    """Fit a photo inside a new size (no crop) and mark the new margins to paint."""
    rgb = photo.convert("RGB")
    box = _fit(rgb.size, (width, height))
    if box != rgb.size:
        rgb = rgb.resize(box, Image.Resampling.LANCZOS)
    x, y = (width - box[0]) // 2, (height - box[1]) // 2
    work = _work_size(width, height, multiple)
    # Start the margins from the photo stretched and blurred, not grey: the model then only
    # has to add detail, and the colours at the seam already agree.
    init = rgb.resize(work, Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(8))
    init.paste(rgb, (x, y))
    keep = Image.new("RGBA", work, (0, 0, 0, 0))
    keep.paste(rgb.convert("RGBA"), (x, y))
    mask = Image.new("L", work, 255)
    mask.paste(0, (x, y, x + box[0], y + box[1]))
    return Canvas(init=init, mask=mask, keep=keep, size=(width, height))


def restore(painted: Image.Image, canvas: Canvas) -> tuple[Image.Image, Image.Image]:
    """Lay the kept pixels back over the painted image; return (RGB result, 'L' keep mask)."""
    if painted.size != canvas.keep.size:
        # Some pipelines snap the output size; bring it back so pixels line up.
        painted = painted.resize(canvas.keep.size, Image.Resampling.LANCZOS)
    base = np.asarray(painted.convert("RGB"), dtype=np.uint16)
    keep = np.asarray(canvas.keep, dtype=np.uint16)
    a = keep[..., 3:4]
    mixed = (keep[..., :3] * a + base * (255 - a) + 127) // 255
    # Fully opaque pixels are copied, not mixed, so they equal the original exactly.
    out = np.where(a == 255, keep[..., :3], mixed).astype(np.uint8)
    w, h = canvas.size
    result = Image.fromarray(out, "RGB").crop((0, 0, w, h))
    kept = Image.fromarray(np.where(a[..., 0] == 255, 255, 0).astype(np.uint8), "L")
    return result, kept.crop((0, 0, w, h))
