"""Near-duplicate detection with real perceptual hashes on synthetic creatives."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from adcraft.scoring.duplicates import find_duplicates


def _creative(seed: int, size: int = 400) -> Image.Image:
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (size, size), tuple(int(v) for v in rng.integers(0, 255, 3)))
    d = ImageDraw.Draw(im)
    for _ in range(6):
        x0, y0 = (int(v) for v in rng.integers(0, size // 2, 2))
        w, h = (int(v) for v in rng.integers(size // 6, size // 2, 2))
        d.rectangle((x0, y0, x0 + w, y0 + h), fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    return im


def _recompressed(im: Image.Image) -> Image.Image:
    buf = io.BytesIO()
    im.resize((300, 300)).save(buf, "JPEG", quality=70)
    return Image.open(io.BytesIO(buf.getvalue()))


def test_copies_are_grouped_and_different_creatives_kept() -> None:
    a, b = _creative(1), _creative(2)
    groups = find_duplicates([a, b, _recompressed(a), a.copy()])
    assert groups.keep == [0, 1]
    assert groups.duplicate_of == {2: 0, 3: 0}
