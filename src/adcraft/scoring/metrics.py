"""Layout-quality metrics of a rendered creative (pure numpy, no drawing).

The PosterLayout (CVPR 2023) metrics Ove, Occ, Uti, Ali, Rea, Und_l and Und_s, computed on
one layout at output resolution, plus checks a marketer cares about: text over the product,
safe zones, WCAG contrast, whitespace. Terms used below:

* text boxes: elements whose kind is in ``TEXT_KINDS`` (headline, body, cta, price, badge,
  disclaimer);
* foreground: text boxes and the logo, the paper's "non-underlay" elements;
* underlays: ``plate`` elements and the ``plate_box`` of text drawn on a pill, rect or scrim;
* S: the saliency map in [0, 1] (the product's alpha on the canvas; uint8 maps are read as
  0..255);
* M: the union of foreground and underlay boxes (the product is content, not layout).

Elements are never dropped as "invalid" the way the paper does; ``validity`` reports how
many would have been.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from adcraft.cv import cv2
from adcraft.domain.creative import TEXT_KINDS, Box, Element, Layout
from adcraft.render.color import contrast_ratio

FOREGROUND_KINDS: frozenset[str] = TEXT_KINDS | {"logo"}
"""Kinds that must stay readable: checked for overlap, safe zone and canvas bounds."""


def _edges(box: Box) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return x, y, x + w, y + h


def _union(boxes: Iterable[Box], shape: tuple[int, int]) -> np.ndarray:
    """A mask of the boxes (clipped to the canvas)."""
    hgt, wid = shape
    mask = np.zeros(shape, dtype=bool)
    for box in boxes:
        x0, y0, x1, y1 = _edges(box)
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(wid, x1), min(hgt, y1)
        if x1 > x0 and y1 > y0:
            mask[y0:y1, x0:x1] = True
    return mask


def _inter(a: Box, b: Box) -> int:
    ax0, ay0, ax1, ay1 = _edges(a)
    bx0, by0, bx1, by1 = _edges(b)
    return max(0, min(ax1, bx1) - max(ax0, bx0)) * max(0, min(ay1, by1) - max(ay0, by0))


def _area(b: Box) -> int:
    return max(0, b[2]) * max(0, b[3])


def _iou(a: Box, b: Box) -> float:
    i = _inter(a, b)
    u = _area(a) + _area(b) - i
    return i / u if u > 0 else 0.0


def _contains(outer: Box, inner: Box) -> bool:
    ox0, oy0, ox1, oy1 = _edges(outer)
    ix0, iy0, ix1, iy1 = _edges(inner)
    # All four edges: the original PosterLayout code forgets the right one.
    return ox0 <= ix0 and oy0 <= iy0 and ix1 <= ox1 and iy1 <= oy1


def _hull(e: Element) -> Box:
    """The element's box joined with its plate: a button's pill must stay in bounds too."""
    if e.plate_box is None:
        return e.box
    x0, y0, x1, y1 = _edges(e.box)
    px0, py0, px1, py1 = _edges(e.plate_box)
    x0, y0, x1, y1 = min(x0, px0), min(y0, py0), max(x1, px1), max(y1, py1)
    return x0, y0, x1 - x0, y1 - y0


def _g(delta: float) -> float:
    # PosterLayout's g(δ) = −log10(1 − δ); δ capped so a full-canvas gap stays finite.
    # max() also turns −0.0 (δ = 0) into 0.0 for the manifest.
    return max(0.0, -math.log10(1.0 - min(delta, 0.999)))


def _alignment(boxes: Sequence[Box], width: int, height: int) -> tuple[float, float]:
    """(PosterLayout Ali, per-element Ali) over normalised left/top/centres/right/bottom.

    PosterLayout: n · min over the 6 coordinates of g(smallest pairwise gap). Per element
    (LayoutGAN++/RALF): mean over elements of g(smallest gap to any other element on any
    coordinate); it rewards every element lining up with something, not just one pair.
    """
    n = len(boxes)
    if n <= 1:
        return 0.0, 0.0
    b = np.array([_edges(x) for x in boxes], dtype=np.float64)
    b[:, [0, 2]] /= width
    b[:, [1, 3]] /= height
    b = b.clip(0.0, 1.0)
    coords = np.stack(
        [b[:, 0], b[:, 1], (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2, b[:, 2], b[:, 3]],
        axis=1,
    )
    gaps = np.abs(coords[:, None, :] - coords[None, :, :])  # n x n x 6
    gaps[np.arange(n), np.arange(n), :] = np.inf
    per_coord = gaps.min(axis=(0, 1))
    paper = n * min(_g(float(d)) for d in per_coord)
    per_element = float(np.mean([_g(float(d)) for d in gaps.min(axis=(1, 2))]))
    return paper, per_element


def _sobel_magnitude(rgb: np.ndarray) -> np.ndarray:
    """sqrt((Gx² + Gy²) / 2) of the gray image, divided by its maximum (0 for a flat image).

    Computed as the PosterLayout reference code does, with OpenCV: 8-bit BT.601 gray, 3x3
    Sobel, edges replicated. About five times faster than the same sums in numpy.
    """
    if rgb.shape[0] == 0 or rgb.shape[1] == 0:
        return np.zeros(rgb.shape[:2], dtype=np.float32)
    gray = cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2GRAY)
    # asarray(float32) of a float32 Mat is the same buffer (no copy); it only types the arrays.
    gx = np.asarray(
        cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3, borderType=cv2.BORDER_REPLICATE),
        dtype=np.float32,
    )
    gy = np.asarray(
        cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3, borderType=cv2.BORDER_REPLICATE),
        dtype=np.float32,
    )
    # sqrt(Gx² + Gy²) in numpy: the gradients of 8-bit gray are exact in float32, and numpy's
    # IEEE arithmetic makes the result independent of memory alignment (cv2.magnitude's SIMD
    # path is not, by an ulp, which could flip a rounded score). The 1/sqrt(2) cancels below.
    gx *= gx
    gy *= gy
    gx += gy
    mag: np.ndarray = np.sqrt(gx, out=gx)
    peak = float(mag.max())
    return mag / peak if peak > 0 else np.zeros_like(mag)


def _balance(mask: np.ndarray) -> float:
    """1 − mean of the horizontal and vertical seesaw imbalance of ``mask`` about the centre.

    Imbalance on an axis is |Σ m·d| / Σ m·|d| with d the signed distance from the centre: 0
    when the ink's moments cancel, 1 when all ink sits on one side. Empty canvas: 1.
    """
    hgt, wid = mask.shape
    out = []
    for mass, size in ((mask.sum(axis=0), wid), (mask.sum(axis=1), hgt)):
        d = np.arange(size, dtype=np.float64) + 0.5 - size / 2
        lever = float(np.abs(d) @ mass)
        out.append(abs(float(d @ mass)) / lever if lever > 0 else 0.0)
    return 1.0 - (out[0] + out[1]) / 2


def _outside(box: Box, area: Box) -> bool:
    return not _contains(area, box)


# Pixel metrics are computed on a canvas no longer than this (PosterLayout's canvas is
# 513x750): the measures are coarse by nature, and full-size arrays cost more than the render.
WORK_LONG_SIDE = 750


def compute_metrics(
    layout: Layout,
    *,
    saliency: np.ndarray,
    background: np.ndarray,
    safe_box: tuple[int, int, int, int],
) -> dict[str, float]:
    """All layout metrics of one creative; pixel measures on a canvas of at most 750 px.

    Geometric counts (overlap pixels, safe-zone violations) stay exact at output size.
    """
    f = -(-max(layout.width, layout.height) // WORK_LONG_SIDE)
    if f > 1:
        small = layout.model_copy(
            update={
                "width": -(-layout.width // f),
                "height": -(-layout.height // f),
                "elements": tuple(_shrink_element(e, f) for e in layout.elements),
            }
        )
        saliency, background = saliency[::f, ::f], _every_nth(background, f)
    else:
        small = layout
    m = _compute_metrics(small, saliency=saliency, background=background)
    m.update(_compute_geometry(layout, safe_box))
    return m


def _every_nth(rgb: np.ndarray, f: int) -> np.ndarray:
    """``rgb[::f, ::f]`` as a contiguous array: OpenCV's nearest-neighbour resize makes it
    several times faster than copying the strided view."""
    h, w = rgb.shape[:2]
    size = (-(-w // f), -(-h // f))
    if w % f or h % f or rgb.ndim != 3 or rgb.shape[2] > 4:
        return np.ascontiguousarray(rgb[::f, ::f])  # the resize would sample other pixels
    return cv2.resize(rgb, size, interpolation=cv2.INTER_NEAREST)


def _shrink(box: tuple[int, int, int, int], f: int) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return x // f, y // f, -(-(x + w) // f) - x // f, -(-(y + h) // f) - y // f


def _shrink_element(e: Element, f: int) -> Element:
    plate = _shrink(e.plate_box, f) if e.plate_box else None
    return e.model_copy(update={"box": _shrink(e.box, f), "plate_box": plate})


def _compute_geometry(layout: Layout, safe_box: tuple[int, int, int, int]) -> dict[str, float]:
    """Counts that must be exact at output size: overlapping pixels and boxes leaving areas."""
    fg = [e.box for e in layout.elements if e.kind in FOREGROUND_KINDS]
    overlap = _multiply_covered_px(fg, layout.width, layout.height)
    # Product and decorative plates may bleed on purpose; text, logo and buttons may not.
    checked = [_hull(e) for e in layout.elements if e.kind in FOREGROUND_KINDS]
    whole = (0, 0, layout.width, layout.height)
    return {
        "text_overlap_px": float(overlap),
        "safe_zone_violations": float(sum(_outside(b, safe_box) for b in checked)),
        "out_of_canvas": float(sum(_outside(b, whole) for b in checked)),
    }


def _multiply_covered_px(boxes: Sequence[Box], width: int, height: int) -> int:
    """Canvas pixels covered by two or more boxes, exactly, without a canvas-sized array.

    The union of the pairwise intersections, measured on the grid their edges cut the canvas
    into (a handful of cells: layouts have few boxes).
    """
    clipped = []
    for box in boxes:
        x0, y0, x1, y1 = _edges(box)
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
        if x1 > x0 and y1 > y0:
            clipped.append((x0, y0, x1, y1))
    pairs = []
    for i, a in enumerate(clipped):
        for b in clipped[i + 1 :]:
            x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
            if x1 > x0 and y1 > y0:
                pairs.append((x0, y0, x1, y1))
    if not pairs:
        return 0
    xs = sorted({v for r in pairs for v in (r[0], r[2])})
    ys = sorted({v for r in pairs for v in (r[1], r[3])})
    covered = np.zeros((len(ys) - 1, len(xs) - 1), dtype=bool)
    for x0, y0, x1, y1 in pairs:
        covered[ys.index(y0) : ys.index(y1), xs.index(x0) : xs.index(x1)] = True
    cell_w = np.diff(np.array(xs, dtype=np.int64))
    cell_h = np.diff(np.array(ys, dtype=np.int64))
    return int(cell_h @ covered.astype(np.int64) @ cell_w)


def _compute_metrics(
    layout: Layout, *, saliency: np.ndarray, background: np.ndarray
) -> dict[str, float]:
    """The pixel and layout metrics of one creative (the exact geometric counts are
    ``_compute_geometry``'s), as defined in this module's docstring and comments.

    Ranges: overlap, occlusion, text_over_product, utility, readability_rea, underlay_l,
    underlay_s, whitespace_balance, whitespace_share, text_share and validity lie in [0, 1];
    alignment and alignment_per_element are >= 0 (lower is better); underlay_count and
    element_count are counts; min_contrast lies in [1, 21] (21 when there is no colored text).
    """
    wid, hgt = layout.width, layout.height
    if saliency.shape != (hgt, wid):
        raise ValueError(f"saliency is {saliency.shape}, expected {(hgt, wid)} (height, width)")
    if background.ndim != 3 or background.shape[:2] != (hgt, wid) or background.shape[2] < 3:
        raise ValueError(f"background is {background.shape}, expected {(hgt, wid, 3)}")
    shape = (hgt, wid)
    canvas_px = float(wid * hgt)
    if saliency.dtype == np.uint8:  # an 8-bit alpha map, as the renderer keeps it
        sal = saliency.astype(np.float32) * np.float32(1 / 255)
    else:
        sal = np.nan_to_num(saliency.astype(np.float32, copy=False), nan=0.0).clip(0.0, 1.0)

    elements = layout.elements
    texts = [e for e in elements if e.kind in TEXT_KINDS]
    fg = [e.box for e in elements if e.kind in FOREGROUND_KINDS]
    underlays = [e.box for e in elements if e.kind == "plate"] + [
        e.plate_box for e in texts if e.plate != "none" and e.plate_box is not None
    ]
    everything = [e.box for e in elements] + [e.plate_box for e in elements if e.plate_box]
    m: dict[str, float] = {"element_count": float(len(elements))}

    # Val: elements whose on-canvas area is under 0.1% of the canvas are "invalid".
    tiny = sum(_inter(e.box, (0, 0, wid, hgt)) < 0.001 * canvas_px for e in elements)
    m["validity"] = 1.0 - tiny / len(elements) if elements else 1.0

    # Ove: mean IoU over unordered foreground pairs (equal to RALF's mean over ordered pairs).
    pairs = [(a, b) for i, a in enumerate(fg) for b in fg[i + 1 :]]
    m["overlap"] = float(np.mean([_iou(a, b) for a, b in pairs])) if pairs else 0.0
    fg_mask = _union(fg, shape)
    under_mask = _union(underlays, shape)

    # Occ and Uti over M (foreground + underlays), as in the paper.
    m_mask = fg_mask | under_mask
    s_in_m = sal[m_mask]
    m["occlusion"] = float(s_in_m.mean()) if s_in_m.size else 0.0
    free = canvas_px - float(sal.sum())  # Σ(1 − S)
    m["utility"] = (
        min(1.0, max(0.0, (s_in_m.size - float(s_in_m.sum())) / free)) if free > 0 else 0.0
    )
    salient = sal > 0.5
    n_salient = int(np.count_nonzero(salient))
    m["text_over_product"] = (
        float(np.count_nonzero(salient & fg_mask)) / n_salient if n_salient else 0.0
    )

    m["alignment"], m["alignment_per_element"] = _alignment(fg, wid, hgt)

    # Rea: how busy the background is where text sits without a plate to calm it.
    text_mask = _union((e.box for e in texts), shape)
    bare = text_mask & ~under_mask
    m["readability_rea"] = float(_sobel_magnitude(background)[bare].mean()) if bare.any() else 0.0

    # Und_l / Und_s; with no underlay nothing is misplaced, so both are 1 (see underlay_count).
    m["underlay_count"] = float(len(underlays))
    fg_sized = [b for b in fg if _area(b) > 0]
    if underlays:
        m["underlay_l"] = float(
            np.mean(
                [max((_inter(u, e) / _area(e) for e in fg_sized), default=0.0) for u in underlays]
            )
        )
        m["underlay_s"] = sum(any(_contains(u, e) for e in fg_sized) for u in underlays) / len(
            underlays
        )
    else:
        m["underlay_l"] = m["underlay_s"] = 1.0

    ratios = [
        contrast_ratio(e.color, e.background_color) for e in texts if e.color and e.background_color
    ]
    m["min_contrast"] = min(ratios) if ratios else 21.0

    ink = _union(everything, shape)
    m["whitespace_balance"] = _balance(ink)
    m["whitespace_share"] = 1.0 - float(np.count_nonzero(ink)) / canvas_px
    m["text_share"] = float(np.count_nonzero(text_mask)) / canvas_px
    return m


def product_quality(sharpness: float, exposure: float, clipped: float) -> dict[str, float]:
    """Scores in [0, 1] from a Visual's measurements (imagery.visual); clipping: lower is better.

    ``sharpness`` is already normalised to 0..1 by the imagery stage, ``exposure`` is the mean
    grey 0..1 and ``clipped`` the share of blown or crushed pixels.
    """
    s = min(1.0, max(0.0, sharpness)) if math.isfinite(sharpness) else 0.0
    e = exposure if math.isfinite(exposure) else 0.5
    c = clipped if math.isfinite(clipped) else 0.0
    return {
        "product_sharpness": s,
        # Flat 1 for mean gray 0.2..0.8 (white sneakers are not overexposed), 0 at the ends.
        "product_exposure": min(1.0, max(0.0, 1.0 - (abs(e - 0.5) - 0.3) / 0.2)),
        "product_clipping": min(1.0, max(0.0, c)),
    }
