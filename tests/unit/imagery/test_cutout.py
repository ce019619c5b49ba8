"""StudioRemover: accurate masks on studio composites, confident on real studio shots,
unconfident on busy scenes; plus the connected-component labelling it is built on."""

from __future__ import annotations

from collections import deque

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image, ImageDraw, ImageFilter

from adcraft.imagery.components import label
from adcraft.imagery.cutout import StudioRemover, cutout
from tests.unit.imagery.studio_composites import (
    BACKGROUND_KINDS,
    IMAGES,
    PRODUCTS,
    composite,
    iou,
)

needs_images = pytest.mark.skipif(not IMAGES.exists(), reason="development images not available")
STUDIO_PHOTOS = sorted(p.name for p in IMAGES.glob("*.jpg")) if IMAGES.exists() else []


@needs_images
@pytest.mark.parametrize("kind", BACKGROUND_KINDS)
@pytest.mark.parametrize("product", PRODUCTS)
def test_composite_iou(product: str, kind: str) -> None:
    photo, truth = composite(product, kind, seed=PRODUCTS.index(product))
    result = StudioRemover().analyse(photo)
    assert result.alpha.shape == truth.shape and result.alpha.dtype == np.uint8
    assert iou(result.alpha, truth) >= 0.95
    assert result.confidence >= 0.5


@needs_images
def test_contact_shadow_is_not_part_of_the_product() -> None:
    photo, truth = composite("smartwatch", "white")
    alpha = StudioRemover().analyse(photo).alpha
    rows = np.nonzero((truth > 127).any(axis=1))[0]
    # Where the shadow is darkest, clear of the product's soft bottom edge: how far that edge
    # reaches varies by a few pixels between CPUs (float paths in OpenCV and numpy), and the
    # edge is the IoU tests' business, not this one's. The shadow covers ~20 % of this band.
    below = slice(rows[-1] + 12, rows[-1] + 60)
    assert (alpha[below] > 127).mean() < 0.002


def _components(mask: npt.NDArray[np.bool_]) -> list[int]:
    comps = label(mask)
    return sorted(comps.areas().tolist(), reverse=True)


@needs_images
@pytest.mark.parametrize("name", STUDIO_PHOTOS)
def test_real_studio_photos_give_one_confident_product(name: str) -> None:
    photo = Image.open(IMAGES / name).convert("RGB")
    result = StudioRemover().analyse(photo)
    assert result.confidence >= 0.7
    mask = result.alpha > 127
    areas = _components(mask)
    # One product: the main part holds nearly everything (steam over a cup is allowed).
    assert areas[0] >= 0.9 * sum(areas)
    assert 0.03 <= mask.mean() <= 0.6
    edge = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]])
    assert not edge.any()
    # The background colour reported is the photo's, not the product's.
    border = np.asarray(photo)[:4].reshape(-1, 3).mean(axis=0)
    assert np.abs(np.array(result.background_rgb) - border).max() < 40


def _busy_scene(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (900, 700), (90, 120, 60))
    draw = ImageDraw.Draw(img)
    for _ in range(250):
        x, y, s = (
            int(rng.integers(-50, 900)),
            int(rng.integers(-50, 700)),
            int(rng.integers(10, 160)),
        )
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        draw.ellipse((x, y, x + s, y + s * 0.7), fill=colour)
    return img.filter(ImageFilter.GaussianBlur(2))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_busy_scene_is_not_confident(seed: int) -> None:
    assert StudioRemover().analyse(_busy_scene(seed)).confidence < 0.5


def test_two_colour_scene_is_not_confident() -> None:
    arr = np.zeros((600, 800, 3), np.uint8)
    arr[:300], arr[300:] = (120, 170, 230), (70, 140, 50)  # sky over grass
    assert StudioRemover().analyse(Image.fromarray(arr)).confidence < 0.5


def test_empty_background_gives_an_empty_mask() -> None:
    result = StudioRemover().analyse(Image.new("RGB", (640, 480), (235, 236, 240)))
    assert result.alpha.max() == 0 and result.confidence == 0.0
    assert result.background_rgb == (235, 236, 240)


def test_dark_background() -> None:
    img = Image.new("RGB", (500, 400), (20, 20, 24))
    ImageDraw.Draw(img).rounded_rectangle((150, 100, 350, 300), 30, fill=(230, 120, 40))
    mask = Image.new("L", (500, 400), 0)
    ImageDraw.Draw(mask).rounded_rectangle((150, 100, 350, 300), 30, fill=255)
    result = StudioRemover().analyse(img)
    assert iou(result.alpha, np.asarray(mask)) >= 0.97


def test_enclosed_light_panel_is_kept() -> None:
    # A white label inside a dark product on a white background is product, not a hole.
    img = Image.new("RGB", (400, 300), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((100, 60, 300, 240), fill=(40, 60, 120))
    draw.rectangle((150, 110, 250, 190), fill=(250, 250, 250))
    alpha = StudioRemover().analyse(img).alpha
    assert alpha[150, 200] == 255


@pytest.mark.parametrize("size", [(1, 1), (3, 2), (7, 40), (2000, 9)])
def test_tiny_and_thin_images_do_not_crash(size: tuple[int, int]) -> None:
    img = Image.new("RGB", size, (200, 10, 10))
    result = StudioRemover().analyse(img)
    assert result.alpha.shape == (size[1], size[0])
    assert 0.0 <= result.confidence <= 1.0


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "CMYK"])
def test_any_mode_is_accepted(mode: str) -> None:
    img = Image.new("RGB", (120, 90), (240, 240, 240))
    ImageDraw.Draw(img).ellipse((30, 20, 90, 70), fill=(20, 90, 200))
    alpha = StudioRemover().remove(img.convert(mode))
    assert alpha.shape == (90, 120) and alpha[45, 60] == 255 and alpha[5, 5] == 0


def test_deterministic() -> None:
    img = _busy_scene(3).resize((300, 200))
    remover = StudioRemover()
    assert np.array_equal(remover.remove(img), remover.remove(img))


def test_cutout_uses_the_given_remover() -> None:
    class Half:
        name = "half"

        def remove(self, image: Image.Image) -> npt.NDArray[np.uint8]:
            alpha = np.zeros((image.height, image.width), np.uint8)
            alpha[:, : image.width // 2] = 255
            return alpha

    out = cutout(Image.new("RGB", (10, 4), "red"), Half())
    assert out.mode == "RGBA" and out.size == (10, 4)
    assert np.asarray(out)[..., 3].tolist()[0] == [255] * 5 + [0] * 5


# --- labelling ----------------------------------------------------------------------------


def _reference_labels(mask: npt.NDArray[np.bool_], eight: bool) -> int:
    """Breadth-first flood fill: the obviously correct, slow component count."""
    h, w = mask.shape
    seen = np.zeros_like(mask)
    steps = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy or dx)]
    if not eight:
        steps = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    count = 0
    for y in range(h):
        for x in range(w):
            if mask[y, x] and not seen[y, x]:
                count += 1
                seen[y, x] = True
                queue = deque([(y, x)])
                while queue:
                    cy, cx = queue.popleft()
                    for dy, dx in steps:
                        ny, nx = cy + dy, cx + dx
                        if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                            seen[ny, nx] = True
                            queue.append((ny, nx))
    return count


@settings(max_examples=200, deadline=None)
@given(
    mask=arrays(np.bool_, st.tuples(st.integers(1, 24), st.integers(1, 24))),
    eight=st.booleans(),
)
def test_label_matches_flood_fill(mask: npt.NDArray[np.bool_], eight: bool) -> None:
    comps = label(mask, eight=eight)
    assert comps.count == _reference_labels(mask, eight)
    assert int(comps.areas().sum()) == int(mask.sum())
    assert np.array_equal(comps.paint(np.ones(comps.count, bool)), mask)
    # Every component painted alone is connected.
    for i in range(comps.count):
        keep = np.zeros(comps.count, bool)
        keep[i] = True
        assert _reference_labels(comps.paint(keep), eight) == 1


def test_label_touches_border() -> None:
    mask = np.zeros((6, 6), bool)
    mask[0, 0] = True
    mask[2:4, 2:4] = True
    comps = label(mask)
    touching = dict(zip(comps.areas().tolist(), comps.touches_border().tolist(), strict=True))
    assert touching == {1: True, 4: False}
