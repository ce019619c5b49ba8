"""Model-free background removal for products shot on plain or studio backgrounds.

The background of a studio shot is smooth: one colour, or a gentle sweep from light to dark.
``StudioRemover`` fits that background from the image border, measures how far each pixel is
from it in Lab space, thresholds, keeps the components that make up the product, drops the soft
contact shadow and fills holes. All the heavy work happens on a copy about 512 px long; only the
final mask is upscaled and its edge refined at full resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter

from adcraft.imagery.components import label
from adcraft.imagery.edge_support import edge_strength, unexplained_edges
from adcraft.imagery.enclosed import backdrop_spread, open_enclosed_background

BoolMap = npt.NDArray[np.bool_]
FloatMap = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]

WORK_SIDE = 512
"""Long side of the working copy: big enough for thin parts, small enough for < 150 ms."""


class BackgroundRemover(Protocol):
    """Anything that turns a photo into an alpha mask of its product."""

    name: str

    def remove(self, image: Image.Image) -> npt.NDArray[np.uint8]:
        """Alpha mask (uint8, 255 = product) of the same size as ``image``."""
        ...


@dataclass(frozen=True)
class CutoutResult:
    """A mask with how much to trust it."""

    alpha: npt.NDArray[np.uint8]
    confidence: float
    """0..1: near 1 for a plain background and a clean separation, near 0 for a busy scene."""
    background_rgb: tuple[int, int, int]
    """Median colour of the image border."""
    backdrop: float = 1.0
    """0..1: how much the border looks like a plain studio backdrop (low for a scene)."""
    remover: str = "studio"
    """The remover that made ``alpha`` (a fallback may stand in for the one asked)."""
    notes: tuple[str, ...] = ()
    """What a user should know about this cut-out (a fallback taken or missing)."""


# --- colour -------------------------------------------------------------------------------

_LINEAR = np.where(
    np.arange(256) / 255.0 <= 0.04045,
    np.arange(256) / 255.0 / 12.92,
    ((np.arange(256) / 255.0 + 0.055) / 1.055) ** 2.4,
).astype(np.float32)
_RGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]],
    dtype=np.float32,
) / np.array([[0.9505], [1.0], [1.089]], dtype=np.float32)


def to_lab(rgb: npt.NDArray[np.uint8]) -> FloatMap:
    """CIE Lab (D65) of an sRGB uint8 array shaped (..., 3)."""
    xyz = _LINEAR[rgb] @ _RGB_TO_XYZ.T
    f = np.where(xyz > 0.008856, np.cbrt(xyz), xyz * 7.787 + 16.0 / 116.0)
    lab = np.empty_like(f)
    lab[..., 0] = 116.0 * f[..., 1] - 16.0
    lab[..., 1] = 500.0 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200.0 * (f[..., 1] - f[..., 2])
    return lab.astype(np.float32, copy=False)


def _vote3(mask: BoolMap, need: int) -> BoolMap:
    """True where at least ``need`` of the 3x3 neighbourhood is set: 5 is a majority vote
    (removes specks and pinholes, keeps thin parts), 9 an erosion. Box blur is fast."""
    img = Image.fromarray(mask.astype(np.uint8) * 255).filter(ImageFilter.BoxBlur(1))
    return np.asarray(img) >= need * 255 / 9 - 0.5


def _max3(values: FloatMap) -> FloatMap:
    """3x3 maximum filter of a float map (edges clamped), done separably in numpy."""
    out = values.copy()
    np.maximum(out[1:], values[:-1], out=out[1:])
    np.maximum(out[:-1], values[1:], out=out[:-1])
    rows = out.copy()
    np.maximum(out[:, 1:], rows[:, :-1], out=out[:, 1:])
    np.maximum(out[:, :-1], rows[:, 1:], out=out[:, :-1])
    return out


def _mean3(rgb: npt.NDArray[np.uint8], ys: IntArray, xs: IntArray) -> npt.NDArray[np.uint8]:
    """The 3x3 mean colour around each listed pixel (rows wrap at the side edges)."""
    h, w = rgb.shape[:2]
    flat = rgb.reshape(-1, 3)
    offsets = np.array([dy * w + dx for dy in (-1, 0, 1) for dx in (-1, 0, 1)])
    idx = np.clip((ys * w + xs)[:, None] + offsets[None, :], 0, h * w - 1)
    total: npt.NDArray[np.uint16] = flat[idx].sum(axis=1, dtype=np.uint16)
    return ((total + 4) // 9).astype(np.uint8)


def _upper_weight(mask: BoolMap) -> FloatMap | None:
    """Per row: 1 over the product's upper part, 0 over its foot, a short ramp between."""
    rows = np.nonzero(mask.any(axis=1))[0]
    if len(rows) == 0:
        return None
    top, height = float(rows[0]), float(rows[-1] - rows[0] + 1)
    split, ramp = top + 0.6 * height, 0.1 * height + 1.0
    y = np.arange(mask.shape[0], dtype=np.float32)
    weight: FloatMap = np.clip((split - y) / ramp + 0.5, 0.0, 1.0).astype(np.float32)
    return weight


def _fill_holes(mask: BoolMap) -> BoolMap:
    """Fill background pockets that do not reach the image edge."""
    holes = label(~mask, eight=False)
    return mask | holes.paint(~holes.touches_border())


# --- background model ---------------------------------------------------------------------


def _poly_terms(x: FloatMap, y: FloatMap) -> list[FloatMap]:
    """Quadratic surface terms: enough for flat, linear and curved studio sweeps."""
    return [np.ones_like(x), x, y, x * y, x * x, y * y]


def _centres(n: int, at: npt.NDArray[np.intp] | None = None) -> FloatMap:
    """Pixel centres mapped to [-1, 1], so the same surface fits any resolution."""
    idx = np.arange(n) if at is None else at
    return ((idx + 0.5) / n * 2.0 - 1.0).astype(np.float32)


@dataclass(frozen=True)
class _Background:
    """A smooth Lab colour surface fitted to the image border."""

    coef: FloatMap
    """(6, 3) coefficients of the quadratic terms for L, a and b."""
    spread: float
    """Robust spread (ΔE) of the border around the fit: JPEG noise is 1-3, a scene is 10+."""
    inliers: float
    """Share of border pixels the fit explains; low when the product or clutter reaches it."""
    border_fit: BoolMap
    rgb: tuple[int, int, int]

    def at(self, x: FloatMap, y: FloatMap) -> FloatMap:
        """Background Lab at normalised coordinates (broadcast together)."""
        xb, yb = np.broadcast_arrays(x, y)
        terms = np.stack(_poly_terms(xb, yb), axis=-1)
        return (terms @ self.coef).astype(np.float32, copy=False)


def _fit_background(lab: FloatMap, rgb: npt.NDArray[np.uint8]) -> _Background:
    """Fit a quadratic colour surface to the border, ignoring what does not fit."""
    h, w = lab.shape[:2]
    band = max(2, round(min(h, w) * 0.02))
    border = np.zeros((h, w), bool)
    border[:band], border[-band:], border[:, :band], border[:, -band:] = True, True, True, True
    yy, xx = np.nonzero(border)
    yy, xx = yy[::2], xx[::2]  # half the border pixels fit just as well, twice as fast
    design = np.stack(_poly_terms(_centres(w, xx), _centres(h, yy)), axis=1)
    colours = lab[yy, xx]
    fit = np.ones(len(colours), bool)
    spread = 0.0
    coef = np.zeros((6, 3), np.float32)
    for _ in range(4):
        d_fit = design[fit]
        # Normal equations: 6 unknowns, so this is exact enough and 30x faster than lstsq.
        coef = np.linalg.solve(d_fit.T @ d_fit + 1e-6 * np.eye(6), d_fit.T @ colours[fit])
        resid = np.linalg.norm(colours - design @ coef, axis=1)
        spread = float(np.median(resid[fit])) * 1.4826
        # Trim what is far from the surface: the product where it crosses the edge, props.
        fit = resid <= max(3.0 * spread, 2.5)
    border_fit = np.zeros((h, w), bool)
    border_fit[yy[fit], xx[fit]] = True
    med = np.median(rgb[yy, xx], axis=0)
    return _Background(
        coef, spread, float(fit.mean()), border_fit, (int(med[0]), int(med[1]), int(med[2]))
    )


def _plainness(bg: _Background) -> float:
    """0..1: how much the border looks like a studio backdrop (smooth, and explained by it)."""
    c_plain = np.clip((10.0 - bg.spread) / 6.0, 0.0, 1.0)
    c_border = np.clip((bg.inliers - 0.5) / 0.35, 0.0, 1.0)
    return float(min(c_plain, c_border))


def _otsu(values: FloatMap, top: float) -> float:
    """Otsu's threshold of values clipped to [0, top]."""
    hist, edges = np.histogram(np.clip(values, 0, top), bins=256, range=(0, top))
    p = hist.astype(np.float64) / max(hist.sum(), 1)
    centres = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(p)
    m0 = np.cumsum(p * centres)
    between = (m0[-1] * w0 - m0) ** 2 / np.maximum(w0 * (1 - w0), 1e-12)
    return float(centres[int(np.argmax(between))])


# --- the remover --------------------------------------------------------------------------


class StudioRemover:
    """Background removal for plain, gradient and softly shadowed studio backgrounds."""

    name = "studio"

    def __init__(
        self,
        *,
        work_side: int = WORK_SIDE,
        shadow_weight: float = 0.1,
        darkest_shadow: float = 0.35,
        enclosed_background: bool = True,
    ) -> None:
        self.work_side = work_side
        self.enclosed_background = enclosed_background
        """Open the pockets that show the backdrop (False: fill every hole, as before)."""
        self.shadow_weight = shadow_weight
        """How much pure darkening of the background counts towards the product."""
        self.darkest_shadow = darkest_shadow
        """Luminance ratio to the background below which a same-hue pixel is no shadow."""

    def remove(self, image: Image.Image) -> npt.NDArray[np.uint8]:
        """Alpha mask (uint8, 255 = product) of the same size as ``image``."""
        return self.analyse(image).alpha

    def analyse(self, image: Image.Image) -> CutoutResult:
        """The mask, a confidence in it and the background colour."""
        full = image.convert("RGB")
        scale = min(1.0, self.work_side / max(full.size))
        size = (max(8, round(full.width * scale)), max(8, round(full.height * scale)))
        small = full.resize(size, Image.Resampling.BOX, reducing_gap=2.0)
        rgb = np.asarray(small)
        lab = to_lab(rgb)
        bg = _fit_background(lab, rgb)
        h, w = rgb.shape[:2]
        dist, dark, plain = self._distance(lab, bg.at(_centres(w)[None, :], _centres(h)[:, None]))
        noise = float(np.percentile(dist[bg.border_fit], 99)) if bg.border_fit.any() else 5.0
        t_low = max(4.0, 1.5 * noise)
        t_high = min(max(_otsu(dist, 100.0), 2.0 * t_low), 40.0)
        mask = self._segment(dist, dark, t_low, t_high)
        # Shadows fall on the floor, at the product's foot. Higher up, a darker rim is the
        # product's own shading (a silhouette line), so there darkening counts in full.
        upper = _upper_weight(mask)
        if upper is not None:
            dist = np.maximum(dist, upper[:, None] * plain)
            mask = self._segment(dist, dark, t_low, t_high)
        mask, doubt = self._pockets(mask, dist, plain, bg, t_low)
        contrast = float(np.median(dist[mask])) / t_low if mask.any() else 0.0
        confidence = self._confidence(bg, mask, contrast)
        # A pocket that looks like the backdrop but was kept as product on one failed cue
        # (enclosed.py) makes the mask a guess: below the confidence a model is asked at.
        confidence = min(confidence, float(np.clip(1.0 - 40.0 * doubt, 0.6, 1.0)))
        # Crisp edges left outside the mask are product parts it missed (edge_support.py).
        missed = unexplained_edges(edge_strength(lab[..., 0]), bg.border_fit, mask)
        confidence = min(confidence, float(np.clip((0.5 - missed) / 0.2, 0.0, 1.0)))
        alpha = self._refine(mask, dist, upper, full, bg, t_low)
        return CutoutResult(alpha, confidence, bg.rgb, backdrop=_plainness(bg))

    def _distance(self, lab: FloatMap, bg: FloatMap) -> tuple[FloatMap, BoolMap, FloatMap]:
        """Shadow-tolerant distance to the background, shadow-like pixels, and plain ΔE."""
        # In the cube-root range of Lab, dimming a colour by k scales (L + 16, a, b) by
        # k ** (1/3): the shades of the background lie on a ray from the origin. A shadow is a
        # point near that ray, a little darker; the product is off the ray or much darker.
        p0, p1, p2 = lab[..., 0] + 16.0, lab[..., 1], lab[..., 2]
        v0, v1, v2 = bg[..., 0] + 16.0, bg[..., 1], bg[..., 2]
        along = (p0 * v0 + p1 * v1 + p2 * v2) / np.maximum(v0 * v0 + v1 * v1 + v2 * v2, 1e-6)
        shade = np.clip(along, self.darkest_shadow ** (1 / 3), 1.0)
        off_ray = np.sqrt((p0 - shade * v0) ** 2 + (p1 - shade * v1) ** 2 + (p2 - shade * v2) ** 2)
        darkening = (1.0 - shade) * v0 * self.shadow_weight
        dist = np.sqrt(off_ray * off_ray + darkening * darkening).astype(np.float32)
        dark = (along < 1.0) & (off_ray < 3.0 + 0.5 * darkening)
        plain = np.sqrt((p0 - v0) ** 2 + (p1 - v1) ** 2 + (p2 - v2) ** 2).astype(np.float32)
        return dist, dark, plain

    def _segment(self, dist: FloatMap, dark: BoolMap, t_low: float, t_high: float) -> BoolMap:
        """Threshold with hysteresis and keep the product's components (holes still open)."""
        comps = label(_vote3(dist > t_low, 5))
        if comps.count == 0:
            return np.zeros(dist.shape, bool)
        areas = comps.areas()
        strong = comps.sums((dist > t_high).astype(np.float32))
        confirmed = strong >= np.maximum(4, 0.02 * areas)
        if not confirmed.any():
            return np.zeros(dist.shape, bool)
        main = int(np.argmax(np.where(confirmed, areas, -1)))
        # Faint but sizeable parts (steam, a frosted lid) have no strong pixels; noise blobs
        # are small and only just above the threshold on average.
        faint = (areas >= max(50, 0.01 * areas[main])) & (comps.sums(dist) >= 1.25 * t_low * areas)
        valid = confirmed | faint
        centre_row = comps.row_sums() / np.maximum(areas, 1)
        # A separate dark, same-hue blob below the product is its shadow on the floor; one
        # above it (steam, a floating part) belongs to the product.
        shadow = (comps.sums(dark.astype(np.float32)) / np.maximum(areas, 1) > 0.6) & (
            centre_row > centre_row[main]
        )
        # Parts at the border are kept only when big (a product cropped by the frame).
        edge_junk = comps.touches_border() & (areas < 0.2 * areas[main])
        keep = valid & (areas >= max(9, 0.005 * areas[main])) & ~edge_junk & ~shadow
        keep[main] = True
        return comps.paint(keep)

    def _pockets(
        self, mask: BoolMap, dist: FloatMap, plain: FloatMap, bg: _Background, t_low: float
    ) -> tuple[BoolMap, float]:
        """Fill the product's holes, or open those that show the backdrop; and the doubt."""
        if not self.enclosed_background:
            return _fill_holes(mask), 0.0
        grain = backdrop_spread(dist[bg.border_fit]) if bg.border_fit.any() else 0.0
        pockets = open_enclosed_background(mask, dist, plain, t_low, grain)
        return pockets.mask, pockets.doubt

    def _confidence(self, bg: _Background, mask: BoolMap, contrast: float) -> float:
        """How plain the background was and how cleanly the product stands out."""
        share = float(mask.mean())
        c_share = min(np.clip((share - 0.002) / 0.01, 0, 1), np.clip((0.92 - share) / 0.1, 0, 1))
        c_contrast = np.clip((contrast - 1.0) / 1.5, 0.0, 1.0)
        return float(min(_plainness(bg), c_share, c_contrast))

    def _refine(
        self,
        mask: BoolMap,
        dist: FloatMap,
        upper: FloatMap | None,
        full: Image.Image,
        bg: _Background,
        t_low: float,
    ) -> npt.NDArray[np.uint8]:
        """Upscale the mask and re-decide a band around its edge from full-resolution pixels."""
        alpha = np.zeros((full.height, full.width), np.uint8)
        rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
        if len(rows) == 0:
            return alpha
        # Work only inside the product's box (plus a margin): full-res pixels cost time.
        h, w = mask.shape
        sx, sy = full.width / w, full.height / h
        x0, x1 = max(cols[0] - 3, 0), min(cols[-1] + 4, w)
        y0, y1 = max(rows[0] - 3, 0), min(rows[-1] + 4, h)
        fx0, fy0 = int(x0 * sx), int(y0 * sy)
        fx1, fy1 = min(round(x1 * sx), full.width), min(round(y1 * sy), full.height)
        soft = Image.fromarray(mask.astype(np.uint8) * 255).filter(ImageFilter.BoxBlur(2))
        up = np.asarray(
            soft.resize(
                (fx1 - fx0, fy1 - fy0),
                Image.Resampling.BILINEAR,
                box=(fx0 / sx, fy0 / sy, fx1 / sx, fy1 / sy),
            )
        )
        crop = np.where(up >= 128, 255, 0).astype(np.uint8)
        ys, xs = np.nonzero((up > 8) & (up < 247))
        if len(ys):
            # A 3x3 mean takes the JPEG and sensor noise out of the edge's position.
            px = _mean3(np.asarray(full.crop((fx0, fy0, fx1, fy1))), ys, xs)
            ref = bg.at(_centres(full.width, xs + fx0), _centres(full.height, ys + fy0))
            d, _, plain = self._distance(to_lab(px), ref)
            if upper is not None:
                rows_low = (ys + fy0 + 0.5) / sy - 0.5
                d = np.maximum(d, np.interp(rows_low, np.arange(h), upper) * plain)
            # An edge pixel mixes product and background, so its distance is about alpha times
            # the product's own distance just inside: the 50% point sits at half of that.
            level = Image.fromarray(_max3(np.where(_vote3(mask, 9), dist, 0.0).astype(np.float32)))
            level = level.resize(
                up.shape[::-1],
                Image.Resampling.BILINEAR,
                box=(fx0 / sx, fy0 / sy, fx1 / sx, fy1 / sy),
            )
            fg = np.asarray(level)[ys, xs]
            mid = np.maximum(1.75 * t_low, 0.5 * fg)
            width = np.maximum(1.5 * t_low, 0.5 * fg)
            # Lean towards the coarse decision away from its edge so noise makes no specks.
            lean = 0.5 * (up[ys, xs].astype(np.float32) / 255.0 - 0.5)
            a = np.clip(0.5 + (d - mid) / width + lean, 0.0, 1.0)
            crop[ys, xs] = (a * 255.0 + 0.5).astype(np.uint8)
        # About a pixel of feathering so the edge anti-aliases over any new background.
        feather = ImageFilter.Kernel((3, 3), [1, 2, 1, 2, 4, 2, 1, 2, 1])
        alpha[fy0:fy1, fx0:fx1] = np.asarray(Image.fromarray(crop).filter(feather))
        return alpha


def cutout(image: Image.Image, remover: BackgroundRemover | None = None) -> Image.Image:
    """The image as RGBA with its background removed."""
    alpha = (remover or StudioRemover()).remove(image)
    out = image.convert("RGBA")
    out.putalpha(Image.fromarray(alpha))
    return out
