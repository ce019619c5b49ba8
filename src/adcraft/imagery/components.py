"""Connected components of boolean masks, stored as horizontal runs: labelling, areas, border
contact and repainting, all vectorised in numpy (no per-pixel Python loops)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

BoolMap = npt.NDArray[np.bool_]
FloatMap = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Components:
    """Connected components of a mask, stored as horizontal runs."""

    count: int
    run_label: IntArray
    run_row: IntArray
    run_start: IntArray
    run_end: IntArray
    shape: tuple[int, int]

    def areas(self) -> IntArray:
        """Pixel count of each component."""
        return np.bincount(self.run_label, self.run_end - self.run_start, self.count).astype(
            np.intp
        )

    def touches_border(self) -> BoolMap:
        """Whether each component reaches the image edge."""
        h, w = self.shape
        edge = (
            (self.run_row == 0)
            | (self.run_row == h - 1)
            | (self.run_start == 0)
            | (self.run_end == w)
        )
        return np.bincount(self.run_label, edge, self.count) > 0

    def paint(self, keep: BoolMap) -> BoolMap:
        """A mask of the components flagged in ``keep``."""
        h, w = self.shape
        out = np.zeros(h * w + 1, np.int8)
        sel = keep[self.run_label]
        base = self.run_row[sel] * w
        # Mark run starts +1 and run ends -1, then a cumulative sum fills the runs.
        np.add.at(out, base + self.run_start[sel], 1)
        np.add.at(out, base + self.run_end[sel], -1)
        return (np.cumsum(out[:-1]) > 0).reshape(h, w)

    def row_sums(self) -> npt.NDArray[np.float64]:
        """Per-component sum of the row index of its pixels."""
        weights = (self.run_row * (self.run_end - self.run_start)).astype(np.float64)
        return np.bincount(self.run_label, weights, self.count).astype(np.float64)

    def sums(self, values: FloatMap) -> npt.NDArray[np.float64]:
        """Per-component sum of a per-pixel map."""
        w = self.shape[1]
        csum = np.concatenate([[0.0], np.cumsum(values.ravel(), dtype=np.float64)])
        base = self.run_row * w
        run_sums = csum[base + self.run_end] - csum[base + self.run_start]
        return np.bincount(self.run_label, run_sums, self.count).astype(np.float64)


def label(mask: BoolMap, *, eight: bool = True) -> Components:
    """Connected components of a boolean mask (8- or 4-connected), run-based and vectorised."""
    h, w = mask.shape
    padded = np.zeros((h, w + 1), np.int8)
    padded[:, :w] = mask
    step = np.diff(padded.ravel(), prepend=np.int8(0))
    starts = np.flatnonzero(step == 1)
    ends = np.flatnonzero(step == -1)
    rows = starts // (w + 1)
    s = starts - rows * (w + 1)
    e = ends - rows * (w + 1)
    n = len(s)
    # Runs sorted by (row, start) are also sorted by (row, end), so the runs of the row above
    # that overlap a run form one contiguous range found with two binary searches.
    k = w + 4
    c = 1 if eight else 0
    above = (rows - 1) * k
    lo = np.searchsorted(rows * k + e, above + s - c, side="right")
    hi = np.searchsorted(rows * k + s, above + e + c, side="left")
    cnt = np.maximum(hi - lo, 0)
    b = np.repeat(np.arange(n), cnt)
    a = np.repeat(lo, cnt) + np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    parent = np.arange(n)
    # Hook roots to the smaller root over every edge, then jump pointers until flat.
    while len(a):
        pa, pb = parent[a], parent[b]
        differ = pa != pb
        if not differ.any():
            break
        a, b, pa, pb = a[differ], b[differ], pa[differ], pb[differ]
        np.minimum.at(parent, np.maximum(pa, pb), np.minimum(pa, pb))
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    roots, run_label = np.unique(parent, return_inverse=True)
    return Components(len(roots), run_label.astype(np.intp), rows, s, e, (h, w))
