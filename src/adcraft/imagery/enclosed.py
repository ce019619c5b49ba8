"""Background the product encloses: the inside of a ring, the gaps between a wheel's spokes, the
loop of a mug's handle.

A product mask found by colour distance has pockets wherever the product surrounds something
that looks like the backdrop. Most are the backdrop seen through the product; some are product
that happens to share its colour (a white label on a dark box, the shaded lower half of a white
trainer). Each pocket is judged on four cues, all measured at the working resolution:

* colour: its pixels sit within the backdrop's noise of the fitted background surface;
* texture: its grain matches the backdrop's (a printed panel is smoother or busier);
* contrast: the product right around it stands clearly apart from the backdrop, as an object
  seen against the background does (a shaded part of the product fades into it instead);
* wall: the product around it is thin next to the product's own size (a ring's band, a
  handle, spokes) rather than a solid body framing a panel.

A pocket that passes all four is opened; one that matches the backdrop's colour but fails one
other cue is kept as product and counted as doubt, which lowers the cut-out's confidence so
that a model can decide instead (``imagery.removers``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from adcraft.cv import cv2

BoolMap = npt.NDArray[np.bool_]
FloatMap = npt.NDArray[np.float32]

MIN_POCKET_SHARE = 0.002
"""Pockets smaller than this share of the product are pinholes (noise, specular dots): filled."""
COLOUR_MATCH = 0.85
"""Share of a pocket's inner pixels that must sit within the backdrop's noise."""
MIN_CONTRAST = 2.0
"""Median distance of the product around a pocket, in noise thresholds, for an object edge."""
MAX_WALL = 0.45
"""Thinnest product around a pocket, relative to the product's inscribed radius."""


@dataclass(frozen=True)
class Pockets:
    """The product mask with its enclosed pockets decided."""

    mask: BoolMap
    """Product pixels: product-coloured pockets filled, enclosed background left open."""
    opened: int
    """Pockets recognised as enclosed background."""
    doubt: float
    """Area of pockets decided on one failed cue, as a share of the product (0 = none)."""


def backdrop_spread(values: FloatMap) -> float:
    """Median absolute deviation scaled to a standard deviation."""
    return float(np.median(np.abs(values - np.median(values)))) * 1.4826


def _cues(
    pocket: BoolMap,
    product: BoolMap,
    dist: FloatMap,
    plain: FloatMap,
    to_outside: FloatMap,
    t_low: float,
    backdrop_grain: float,
    size: float,
) -> tuple[bool, int]:
    """(colour matches the backdrop, how many of the other three cues say 'background')."""
    kernel = np.ones((3, 3), np.uint8)
    as_u8 = pocket.astype(np.uint8)
    inner = cv2.erode(as_u8, kernel) > 0
    if inner.sum() < 4:
        inner = pocket
    values = dist[inner]
    colour = (
        float((values <= t_low).mean()) >= COLOUR_MATCH and float(np.median(values)) <= 0.7 * t_low
    )
    if not colour:
        return False, 0
    # Texture: the robust spread of the distance inside vs on the border's backdrop (robust,
    # so JPEG ringing next to a strong edge does not count). Both near zero is a match.
    grain = backdrop_spread(values)
    texture = 0.4 * backdrop_grain - 0.5 <= grain <= 2.5 * backdrop_grain + 1.0
    # Contrast: skip the mixed edge pixel, read the product two pixels out.
    near = cv2.dilate(as_u8, kernel) > 0
    band = (cv2.dilate(as_u8, np.ones((5, 5), np.uint8)) > 0) & ~near & product
    if not band.any():
        band = near & product
    # Plain colour distance here: a grey spoke low in the frame is no shadow, even though the
    # shadow-tolerant distance discounts its darkening there.
    contrast = bool(band.any()) and float(np.median(plain[band])) >= MIN_CONTRAST * t_low
    # Wall: how far the pocket's rim is from the outer backdrop, against the product's size.
    rim = near & product
    wall = bool(rim.any()) and float(np.percentile(to_outside[rim], 5)) <= MAX_WALL * size
    return True, int(texture) + int(contrast) + int(wall)


def open_enclosed_background(
    mask: BoolMap, dist: FloatMap, plain: FloatMap, t_low: float, backdrop_grain: float
) -> Pockets:
    """Fill the product's pockets except those that are the backdrop seen through it.

    ``dist`` is the shadow-tolerant distance to the fitted backdrop, ``plain`` the plain ΔE,
    ``t_low`` the backdrop's noise threshold and ``backdrop_grain`` its robust spread."""
    h, w = mask.shape
    _, labels, stats, _ = cv2.connectedComponentsWithStats((~mask).astype(np.uint8), connectivity=4)
    x, y, bw, bh, area = (stats[:, i] for i in range(5))
    enclosed = (x > 0) & (y > 0) & (x + bw < w) & (y + bh < h)
    enclosed[0] = False  # label 0 is the product itself
    if not enclosed.any():
        return Pockets(mask, 0, 0.0)
    filled = mask | enclosed[labels]
    product_area = float(filled.sum())
    to_outside = cv2.distanceTransform(filled.astype(np.uint8), cv2.DIST_L2, 3)
    size = float(to_outside.max())  # the product's inscribed radius
    out = filled.copy()
    opened, doubtful = 0, 0.0
    for i in np.flatnonzero(enclosed & (area >= max(16.0, MIN_POCKET_SHARE * product_area))):
        # Work in the pocket's box plus a margin: the cues only look a few pixels out.
        x0, y0 = max(int(x[i]) - 4, 0), max(int(y[i]) - 4, 0)
        x1, y1 = min(int(x[i] + bw[i]) + 4, w), min(int(y[i] + bh[i]) + 4, h)
        pocket = labels[y0:y1, x0:x1] == i
        colour, votes = _cues(
            pocket,
            mask[y0:y1, x0:x1],
            dist[y0:y1, x0:x1],
            plain[y0:y1, x0:x1],
            to_outside[y0:y1, x0:x1],
            t_low,
            backdrop_grain,
            size,
        )
        if colour and votes == 3:
            out[y0:y1, x0:x1] &= ~pocket
            opened += 1
        elif colour and votes == 2:
            doubtful += float(area[i])
    return Pockets(out, opened, doubtful / max(product_area, 1.0))
