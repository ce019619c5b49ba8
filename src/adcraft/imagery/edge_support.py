"""How much of a photo's visible structure a product mask explains.

A studio backdrop is smooth, so almost every crisp edge in the frame belongs to the product: its
outline, its seams, its print. A mask that leaves crisp edges out (the lower half of a white mug
on a white table, a trainer's pale sole against light grey) missed part of the product even
when what it kept looks clean; the share of unexplained edges is a cue for the confidence.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from adcraft.cv import cv2

BoolMap = npt.NDArray[np.bool_]
FloatMap = npt.NDArray[np.float32]

REACH = 3
"""Edges within this many working pixels of the mask count as its outline."""


def edge_strength(lightness: FloatMap) -> FloatMap:
    """Gradient magnitude of Lab lightness after a 3x3 mean (noise would otherwise dominate)."""
    smooth = cv2.blur(lightness, (3, 3))
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    return np.asarray(cv2.magnitude(gx, gy), np.float32)


def unexplained_edges(strength: FloatMap, backdrop: BoolMap, mask: BoolMap) -> float:
    """Share of the frame's crisp edges lying away from the mask (0 = all explained)."""
    if not backdrop.any() or not mask.any():
        return 0.0
    # Crisp: well above what the backdrop's grain and the sweep's gradient produce.
    floor = float(np.percentile(strength[backdrop], 99.5))
    crisp = strength > max(3.0 * floor, 12.0)
    total = int(crisp.sum())
    if total == 0:
        return 0.0
    size = 2 * REACH + 1
    near = cv2.dilate(mask.astype(np.uint8), np.ones((size, size), np.uint8)) > 0
    return float((crisp & ~near).sum()) / total
