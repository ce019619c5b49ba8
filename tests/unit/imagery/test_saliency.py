"""saliency_map: shape, range and that it finds the odd thing out."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from adcraft.imagery.saliency import saliency_map


def test_finds_the_odd_object_on_a_plain_background() -> None:
    img = Image.new("RGB", (640, 480), (230, 230, 235))
    ImageDraw.Draw(img).ellipse((420, 280, 500, 360), fill=(200, 40, 40))
    sal = saliency_map(img)
    assert sal.shape == (480, 640) and sal.dtype == np.float32
    inside = sal[290:350, 430:490].mean()
    elsewhere = sal[:200, :300].mean()
    assert inside > 0.3 and inside > 4 * elsewhere
    peak_y, peak_x = np.unravel_index(int(np.argmax(sal)), sal.shape)
    assert 380 <= peak_x <= 540 and 240 <= peak_y <= 400


def test_uniform_image_is_all_zero() -> None:
    sal = saliency_map(Image.new("RGB", (100, 60), "white"))
    assert sal.shape == (60, 100) and float(sal.max()) == 0.0


@settings(max_examples=40, deadline=None)
@given(
    w=st.integers(1, 400),
    h=st.integers(1, 400),
    seed=st.integers(0, 2**16),
    mode=st.sampled_from(["RGB", "RGBA", "L"]),
)
def test_any_size_gives_a_finite_map_in_range(w: int, h: int, seed: int, mode: str) -> None:
    rng = np.random.default_rng(seed)
    img = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).convert(mode)
    sal = saliency_map(img)
    assert sal.shape == (h, w)
    assert np.isfinite(sal).all() and sal.min() >= 0.0 and sal.max() <= 1.0
