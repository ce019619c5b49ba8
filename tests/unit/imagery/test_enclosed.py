"""Cut-outs of products that enclose background (rings, wheels, mug handles) and of white
products on light grey: IoU floors per category on a small seeded set, the fallback to
U²-Netp when the studio remover is unsure, and how that fallback is reported."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from PIL import Image, ImageDraw

from adcraft.errors import ProviderUnavailable
from adcraft.imagery.cutout import BackgroundRemover, StudioRemover
from adcraft.imagery.load import LoadedImage
from adcraft.imagery.removers import DEFAULT_REMOVER, StudioWithFallback, get_remover
from adcraft.imagery.visual import build_visual
from tests.unit.imagery.hole_composites import BACKGROUNDS, hole_composite
from tests.unit.imagery.studio_composites import iou

SIZE = (480, 360)


def _has_u2netp() -> bool:
    try:
        import onnxruntime  # type: ignore[import-untyped]  # noqa: F401

        get_remover("u2netp")
    except (ImportError, ProviderUnavailable):
        return False
    return True


needs_u2netp = pytest.mark.skipif(not _has_u2netp(), reason="u2netp (adcraft[cutout]) missing")


def _mean_iou(remover: BackgroundRemover, category: str) -> float:
    scores = []
    for background in BACKGROUNDS:
        photo, truth = hole_composite(category, background, seed=0, size=SIZE)
        scores.append(iou(remover.remove(photo), truth))
    return statistics.mean(scores)


@pytest.mark.parametrize("category", ["ring", "wheel"])
def test_studio_remover_opens_enclosed_background(category: str) -> None:
    # No model needed: the inside of a ring and the gaps between spokes are recognised.
    new = _mean_iou(StudioRemover(), category)
    old = _mean_iou(StudioRemover(enclosed_background=False), category)
    assert new >= 0.9
    assert new >= old + 0.2  # filling every hole, as before, loses most of these shapes


@needs_u2netp
@pytest.mark.parametrize(("category", "floor"), [("mug", 0.93), ("white_shoe", 0.95)])
def test_default_remover_floor(category: str, floor: float) -> None:
    assert DEFAULT_REMOVER == "auto"
    assert _mean_iou(get_remover(), category) >= floor


def test_confident_studio_cutout_needs_no_model() -> None:
    def no_model() -> BackgroundRemover:
        raise AssertionError("the model must not be asked for a confident cut-out")

    photo, truth = hole_composite("ring", "plain", seed=1, size=SIZE)
    result = StudioWithFallback(fallback=no_model).analyse(photo)
    assert result.remover == "studio" and result.notes == () and result.confidence >= 0.7
    assert iou(result.alpha, truth) >= 0.9


class _Stripe:
    """A stand-in model: it must only be asked when the studio remover is unsure."""

    name = "stripe"

    def __init__(self) -> None:
        self.calls = 0

    def remove(self, image: Image.Image) -> np.ndarray:
        self.calls += 1
        alpha = np.zeros((image.height, image.width), np.uint8)
        alpha[:, : image.width // 2] = 255
        return alpha


def test_unsure_studio_shot_goes_to_the_model_and_says_so() -> None:
    # A white mug on a textured white backdrop: the studio remover finds almost nothing.
    photo, _ = hole_composite("mug", "textured", seed=2, size=SIZE)
    studio = StudioRemover().analyse(photo)
    assert studio.confidence < 0.7 and studio.backdrop >= 0.5
    model = _Stripe()
    result = StudioWithFallback(fallback=lambda: model).analyse(photo)
    assert model.calls == 1
    assert result.remover == "stripe" and (result.alpha[:, 0] == 255).all()
    assert any("stripe cut this photo out" in n for n in result.notes)


def test_busy_scene_is_not_sent_to_the_model() -> None:
    # Not a studio shot: the photo is framed whole, as before; no model guesses a salient blob.
    rng = np.random.default_rng(0)
    img = Image.new("RGB", (480, 360), (90, 120, 60))
    draw = ImageDraw.Draw(img)
    for _ in range(150):
        x, y, s = (int(v) for v in rng.integers(-40, 480, 3))
        draw.ellipse((x, y, x + abs(s) // 3, y + abs(s) // 4), fill=tuple(rng.integers(0, 256, 3)))
    model = _Stripe()
    result = StudioWithFallback(fallback=lambda: model).analyse(img)
    assert model.calls == 0 and result.remover == "studio" and result.confidence < 0.5


def test_missing_model_keeps_the_studio_cutout_with_a_note() -> None:
    def missing() -> BackgroundRemover:
        raise ProviderUnavailable("pip install 'adcraft[cutout]'")

    photo, _ = hole_composite("white_shoe", "plain", seed=0, size=SIZE)
    remover = StudioWithFallback(fallback=missing)
    result = remover.analyse(photo)
    assert result.remover == "studio"
    assert any(
        "fallback model is unavailable" in n and "adcraft[cutout]" in n for n in result.notes
    )
    assert np.array_equal(result.alpha, StudioRemover().analyse(photo).alpha)


def test_visual_reports_the_fallback_per_image() -> None:
    photo, _ = hole_composite("white_shoe", "gradient", seed=0, size=SIZE)
    model = _Stripe()
    loaded = LoadedImage(image=photo, source_name="shoe.jpg", has_alpha=False)
    visual = build_visual(loaded, StudioWithFallback(fallback=lambda: model))
    assert visual.has_cutout and visual.remover == "stripe"
    assert any("'shoe.jpg'" in w and "stripe cut this photo out" in w for w in visual.warnings)


def test_white_label_on_a_thick_product_stays_product() -> None:
    # Same colour as the backdrop but framed by a solid body: kept, and flagged as a guess.
    img = Image.new("RGB", (400, 300), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((100, 60, 300, 240), fill=(40, 60, 120))
    draw.rectangle((150, 110, 250, 190), fill=(250, 250, 250))
    result = StudioRemover().analyse(img)
    assert result.alpha[150, 200] == 255
    assert 0.5 <= result.confidence < 0.7
