"""Rectangles in output pixels, and the few operations the layout engine needs on them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle; x/y is the top-left corner."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        """x of the right edge (exclusive)."""
        return self.x + self.w

    @property
    def bottom(self) -> int:
        """y of the bottom edge (exclusive)."""
        return self.y + self.h

    def inset(self, dx: int, dy: int | None = None) -> Rect:
        """Shrink by dx horizontally and dy vertically on each side (never below zero size)."""
        dy = dx if dy is None else dy
        w, h = max(0, self.w - 2 * dx), max(0, self.h - 2 * dy)
        return Rect(self.x + dx, self.y + dy, w, h)

    def split_x(self, left_w: int, gap: int = 0) -> tuple[Rect, Rect]:
        """Cut into a left part of ``left_w`` and the rest, ``gap`` apart."""
        left = Rect(self.x, self.y, left_w, self.h)
        right = Rect(self.x + left_w + gap, self.y, max(0, self.w - left_w - gap), self.h)
        return left, right

    def split_y(self, top_h: int, gap: int = 0) -> tuple[Rect, Rect]:
        """Cut into a top part of ``top_h`` and the rest, ``gap`` apart."""
        top = Rect(self.x, self.y, self.w, top_h)
        bottom = Rect(self.x, self.y + top_h + gap, self.w, max(0, self.h - top_h - gap))
        return top, bottom

    def fit(self, aspect: float, scale: float = 1.0) -> tuple[int, int]:
        """Largest (w, h) of the given w/h aspect inside this rect, times ``scale``."""
        w = min(self.w, self.h * aspect) * scale
        h = w / aspect
        return max(1, round(w)), max(1, round(h))

    def as_box(self) -> tuple[int, int, int, int]:
        """(x, y, w, h) tuple as stored in a Layout."""
        return self.x, self.y, self.w, self.h


def intersection_area(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    """Pixel area shared by two (x, y, w, h) boxes."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)
