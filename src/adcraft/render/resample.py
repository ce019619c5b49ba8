"""Fast enlargement of small rendered layers (gradients, blurred shapes, shadows).

Pillow's resampler is plain C; OpenCV's is SIMD-vectorised and several times faster on the
full-canvas layers every creative needs.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from adcraft.cv import cv2


def upscale(small: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Bilinear enlargement of an L or RGB image to ``size`` (width, height)."""
    if small.mode not in ("L", "RGB"):
        raise ValueError(f"upscale takes L or RGB images, not {small.mode}")
    out = cv2.resize(np.asarray(small), size, interpolation=cv2.INTER_LINEAR)
    return Image.fromarray(out, small.mode)
