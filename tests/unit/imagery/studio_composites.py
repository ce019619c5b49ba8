"""Synthetic studio shots with known masks: a transparent product over a seamless background,
with a blurred contact shadow, sensor noise and JPEG artifacts. Shared by tests and benchmarks.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter

_SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "images"
_PACKAGED = Path(__file__).resolve().parents[3] / "src/adcraft/data/examples/images"
IMAGES = _SHARED if _SHARED.exists() else _PACKAGED
"""The development photos: transparent PNG cut-outs and studio JPEGs."""
PRODUCTS = ("food-delivery", "hotel-booking", "smartwatch")
BACKGROUND_KINDS = ("white", "light_grey", "colored", "gradient")

_FLAT = {
    "white": (252, 252, 250),
    "light_grey": (222, 223, 225),
    "colored": (160, 220, 205),  # a mint seamless: away from every test product's colours
}


def studio_background(kind: str, size: tuple[int, int]) -> npt.NDArray[np.float32]:
    """A seamless background as float RGB, HxWx3."""
    w, h = size
    if kind in _FLAT:
        return np.broadcast_to(np.array(_FLAT[kind], np.float32), (h, w, 3)).copy()
    if kind == "gradient":
        # A sweep from bright top to darker floor, like the real studio photos.
        t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
        top = np.array((246, 244, 249), np.float32)
        bottom = np.array((198, 196, 204), np.float32)
        return np.broadcast_to(top + (bottom - top) * t, (h, w, 3)).copy()
    raise ValueError(f"unknown background kind {kind!r}")


def composite(
    product: str,
    kind: str,
    *,
    size: tuple[int, int] = (1200, 900),
    seed: int = 0,
    noise: float = 3.0,
    jpeg_quality: int | None = 90,
) -> tuple[Image.Image, npt.NDArray[np.uint8]]:
    """(RGB photo, true product alpha) for one product over one background kind."""
    rng = np.random.default_rng(seed)
    w, h = size
    cut = Image.open(IMAGES / f"{product}.png").convert("RGBA")
    cut = cut.crop(cut.getbbox())
    scale = 0.62 * h / cut.height
    cut = cut.resize(
        (round(cut.width * scale), round(cut.height * scale)), Image.Resampling.LANCZOS
    )
    x0 = (w - cut.width) // 2 + int(rng.integers(-w // 20, w // 20))
    y0 = int(h * 0.44) - cut.height // 2
    canvas = studio_background(kind, size)

    # Soft contact shadow: a flat ellipse at the product's foot, heavily blurred.
    shadow = Image.new("L", size, 0)
    foot = y0 + cut.height
    ImageDraw.Draw(shadow).ellipse(
        (x0 + cut.width * 0.05, foot - h * 0.03, x0 + cut.width * 0.95, foot + h * 0.035),
        fill=int(255 * 0.45),
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(h * 0.02))
    canvas *= 1.0 - np.asarray(shadow, np.float32)[..., None] / 255.0

    truth = np.zeros((h, w), np.uint8)
    truth[y0 : y0 + cut.height, x0 : x0 + cut.width] = np.asarray(cut)[..., 3]
    fg = np.zeros((h, w, 3), np.float32)
    fg[y0 : y0 + cut.height, x0 : x0 + cut.width] = np.asarray(cut)[..., :3]
    a = truth.astype(np.float32)[..., None] / 255.0
    canvas = canvas * (1.0 - a) + fg * a
    canvas += rng.normal(0.0, noise, canvas.shape).astype(np.float32)
    photo = Image.fromarray(np.clip(canvas + 0.5, 0, 255).astype(np.uint8))
    if jpeg_quality is not None:
        buf = io.BytesIO()
        photo.save(buf, "JPEG", quality=jpeg_quality)
        photo = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return photo, truth


def iou(alpha: npt.NDArray[np.uint8], truth: npt.NDArray[np.uint8]) -> float:
    """Intersection over union of the two masks at the 50% level."""
    a, t = alpha > 127, truth > 127
    return float((a & t).sum() / max((a | t).sum(), 1))
