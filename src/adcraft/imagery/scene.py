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

from adcraft.errors import InvalidGenerationRequest
from adcraft.imagery.diffusion import round_up

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


def feather_width(width: int, height: int, feather: float) -> int:
    """Pixels of the blend band for a share of the short side (0 = no band, else >= 2)."""
    if feather <= 0:
        return 0
    return max(2, round(feather * min(width, height)))


def _edge_ramp(
    size: tuple[int, int], band: int, sides: tuple[bool, bool, bool, bool]
) -> np.ndarray:
    """Alpha over a rectangle: 255 inside, ramping down towards the flagged sides
    (left, top, right, bottom) over ``band`` pixels; the outermost pixel keeps 1/(band+1)."""
    w, h = size
    ramp = np.arange(1, band + 1) / (band + 1)

    def axis(n: int, low: bool, high: bool) -> np.ndarray:
        out = np.ones(n)
        k = min(band, n // 2)
        if low:
            out[:k] = np.minimum(out[:k], ramp[:k])
        if high:
            out[n - k :] = np.minimum(out[n - k :], ramp[:k][::-1])
        return out

    # Smoothstep so the blend starts and ends without a kink (a kink reads as a faint line).
    x = axis(w, sides[0], sides[2])
    y = axis(h, sides[1], sides[3])
    a: np.ndarray = np.minimum.outer(y, x)
    a = a * a * (3 - 2 * a)
    return np.round(a * 255).astype(np.uint8)


def outpaint_canvas(
    photo: Image.Image, width: int, height: int, *, multiple: int, feather: float = 0.0
) -> Canvas:
    """Fit a photo inside a new size (no crop) and mark the new margins to paint.

    With ``feather`` the photo's edges that meet a new margin are repainted over a band and
    blended back with a ramped alpha, so the painted margin fades into the photo instead of
    meeting it at a hard seam. Pixels inside the band's inner edge are kept exactly.
    """
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
    # Only sides that border a new margin are seams; an edge on the canvas border is not.
    sides = (x > 0, y > 0, x + box[0] < width, y + box[1] < height)
    band = feather_width(width, height, feather)
    alpha = _edge_ramp(box, band, sides) if band else np.full(box[::-1], 255, np.uint8)
    photo_rgba = rgb.convert("RGBA")
    photo_rgba.putalpha(Image.fromarray(alpha, "L"))
    keep = Image.new("RGBA", work, (0, 0, 0, 0))
    keep.paste(photo_rgba, (x, y))
    # Paint wherever the photo is not kept fully: the margins and the blend band.
    placed = np.asarray(keep.getchannel("A"))
    mask = Image.fromarray(np.where(placed == 255, 0, 255).astype(np.uint8), "L")
    return Canvas(init=init, mask=mask, keep=keep, size=(width, height))


def _edges(gray: np.ndarray) -> np.ndarray:
    """A canny-like edge map (white lines on black) from a grayscale array, numpy only.

    Sobel magnitude over a lightly blurred image, thresholded relative to its strongest
    edges. No non-maximum suppression: lines come out 1-2 px wide, which canny ControlNets
    read fine, and it avoids an OpenCV dependency.
    """
    g = gray.astype(np.float32)
    p = np.pad(g, 1, mode="edge")
    gx = (p[:-2, 2:] + 2 * p[1:-1, 2:] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[1:-1, :-2] + p[2:, :-2])
    gy = (p[2:, :-2] + 2 * p[2:, 1:-1] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[:-2, 1:-1] + p[:-2, 2:])
    mag = np.hypot(gx, gy)
    peak = float(mag.max())
    if peak <= 0:
        return np.zeros(g.shape, np.uint8)
    return np.where(mag >= max(0.2 * peak, 40.0), 255, 0).astype(np.uint8)


def control_image(canvas: Canvas, kind: str, *, outline: bool = True) -> Image.Image:
    """The ControlNet condition for a canvas, from the kept pixels only (RGB, work size).

    ``canny``: edges of the kept pixels (with ``outline``, the product's silhouette too); the
    area to paint is black, so the model is free there but keeps the lines it is shown.
    ``depth``: the product as near (white) over a floor receding to the top (dark), which makes
    depth ControlNets paint a surface the product stands on at a matching perspective.
    """
    alpha_img = canvas.keep.getchannel("A")
    alpha = np.asarray(alpha_img)
    if kind == "depth":
        h, w = alpha.shape
        floor = np.linspace(0.0, 110.0, h, dtype=np.float32)[:, None].repeat(w, axis=1)
        blurred = np.asarray(alpha_img.filter(ImageFilter.GaussianBlur(2)), dtype=np.float32)
        gray = np.round(np.maximum(floor, blurred * (235 / 255))).astype(np.uint8)
    elif kind == "canny":
        # Edges of the init, not of the bare kept pixels: for outpainting the blurred stretch
        # around the photo means its border is not mistaken for a line in the scene.
        edges = _edges(np.asarray(canvas.init.convert("L")))
        near = np.asarray(alpha_img.filter(ImageFilter.MaxFilter(3))) > 0
        gray = np.where(near, edges, 0).astype(np.uint8)
        if outline:
            # The silhouette is an edge even where the product and the fill share a colour.
            gray = np.maximum(gray, _edges(alpha))
    else:
        raise InvalidGenerationRequest(f"unknown control kind {kind!r}: use canny or depth")
    return Image.fromarray(gray, "L").convert("RGB")


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
