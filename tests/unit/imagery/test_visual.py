"""build_visual: alpha used as given, removal when confident, framed photo when not; stats."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageDraw, ImageFilter

from adcraft.imagery.cutout import CutoutResult
from adcraft.imagery.load import LoadedImage, load_image
from adcraft.imagery.visual import build_visual, dominant_colors
from tests.unit.imagery.studio_composites import IMAGES, composite

needs_images = pytest.mark.skipif(not IMAGES.exists(), reason="development images not available")


def _loaded(img: Image.Image, name: str = "product.png") -> LoadedImage:
    return LoadedImage(img, img.mode == "RGBA", name, ())


def _sticker(size: tuple[int, int] = (800, 600)) -> Image.Image:
    """A red disc with a blue bar on a transparent canvas."""
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((200, 100, 600, 500), fill=(220, 30, 30, 255))
    draw.rectangle((350, 250, 450, 350), fill=(20, 60, 200, 255))
    return img


def test_alpha_input_is_used_as_is_and_cropped() -> None:
    visual = build_visual(_loaded(_sticker()))
    assert visual.remover == "alpha" and visual.has_cutout
    assert visual.image.mode == "RGBA"
    # Cropped to the disc (401 px) plus a margin of about 1%.
    assert 401 <= visual.image.width <= 415 and 401 <= visual.image.height <= 415
    assert visual.dominant_colors[0] == "#dc1e1e"
    assert "#143cc8" in visual.dominant_colors
    assert visual.source_name == "product.png" and visual.warnings == ()


@needs_images
def test_studio_photo_is_cut_out() -> None:
    photo, truth = composite("hotel-booking", "gradient")
    visual = build_visual(_loaded(photo, "hotel.jpg"))
    assert visual.remover == "studio" and visual.has_cutout
    rows, cols = np.nonzero(truth > 127)
    assert abs(visual.image.height - (rows.max() - rows.min())) < 0.05 * photo.height
    assert abs(visual.image.width - (cols.max() - cols.min())) < 0.05 * photo.width
    alpha = np.asarray(visual.image.getchannel("A"))
    assert alpha.min() == 0 and alpha.max() == 255


@needs_images
def test_real_studio_photo() -> None:
    visual = build_visual(load_image(IMAGES / "taxi.jpg"))
    assert visual.remover == "studio" and visual.has_cutout
    assert visual.image.width < 1000 and visual.image.height < 800
    assert any(int(c[1:3], 16) > 200 and int(c[5:7], 16) < 140 for c in visual.dominant_colors)


def test_busy_photo_is_kept_whole_as_a_framed_picture() -> None:
    rng = np.random.default_rng(5)
    img = Image.new("RGB", (600, 400), (40, 110, 60))
    draw = ImageDraw.Draw(img)
    for _ in range(200):
        x, y, s = (
            int(rng.integers(-40, 600)),
            int(rng.integers(-40, 400)),
            int(rng.integers(8, 120)),
        )
        draw.rectangle((x, y, x + s, y + s), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    visual = build_visual(_loaded(img, "street.jpg"))
    assert visual.remover == "none" and not visual.has_cutout
    assert visual.image.size == (600, 400) and visual.image.mode == "RGBA"
    assert np.asarray(visual.image.getchannel("A")).min() == 255
    assert any("framed picture" in w and "street.jpg" in w for w in visual.warnings)


def test_min_confidence_can_force_the_fallback() -> None:
    img = Image.new("RGB", (400, 300), (245, 245, 245))
    ImageDraw.Draw(img).ellipse((120, 80, 280, 220), fill=(30, 120, 200))
    assert build_visual(_loaded(img)).has_cutout
    assert not build_visual(_loaded(img), min_confidence=1.01).has_cutout


class _Stripe:
    """A remover without a confidence: its mask is trusted."""

    name = "stripe"

    def remove(self, image: Image.Image) -> npt.NDArray[np.uint8]:
        alpha = np.zeros((image.height, image.width), np.uint8)
        alpha[:, 10:20] = 255
        return alpha


def test_custom_remover_without_confidence() -> None:
    visual = build_visual(_loaded(Image.new("RGB", (50, 30), "green")), _Stripe())
    assert visual.remover == "stripe" and visual.has_cutout
    assert visual.image.size == (14, 30)  # columns 10..19 plus a 2 px margin each side


def test_custom_remover_with_confidence() -> None:
    class Unsure(_Stripe):
        name = "unsure"

        def analyse(self, image: Image.Image) -> CutoutResult:
            return CutoutResult(self.remove(image), 0.2, (0, 0, 0))

    visual = build_visual(_loaded(Image.new("RGB", (50, 30), "green")), Unsure())
    assert visual.remover == "none" and not visual.has_cutout


def test_remover_with_a_wrong_mask_shape_is_a_bug() -> None:
    class Broken(_Stripe):
        def remove(self, image: Image.Image) -> npt.NDArray[np.uint8]:
            return np.zeros((3, 3), np.uint8)

    with pytest.raises(ValueError, match="shape"):
        build_visual(_loaded(Image.new("RGB", (50, 30), "green")), Broken())


def test_sharpness_exposure_and_clipping() -> None:
    rng = np.random.default_rng(0)
    texture = rng.integers(60, 200, (300, 300), dtype=np.uint8)
    sharp = Image.fromarray(texture).convert("RGBA")
    blurred = sharp.filter(ImageFilter.GaussianBlur(3))
    s_sharp = build_visual(_loaded(sharp)).sharpness
    s_blur = build_visual(_loaded(blurred)).sharpness
    assert 0.0 <= s_blur < 0.3 < s_sharp <= 1.0

    grey = build_visual(_loaded(Image.new("RGBA", (100, 100), (128, 128, 128, 255))))
    assert grey.exposure == pytest.approx(128 / 255, abs=0.01) and grey.clipped == 0.0
    half = Image.new("RGBA", (100, 100), (255, 255, 255, 255))
    half.paste((0, 0, 0, 255), (0, 0, 100, 30))
    assert build_visual(_loaded(half)).clipped == pytest.approx(1.0, abs=0.02)


def test_small_product_warns() -> None:
    img = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((50, 50, 150, 150), fill=(200, 100, 0, 255))
    visual = build_visual(_loaded(img, "tiny.png"))
    assert any("tiny.png" in w and "bigger image" in w for w in visual.warnings)


def test_dominant_colors_order_and_extremes() -> None:
    px = np.array([[250, 250, 250]] * 500 + [[200, 20, 20]] * 300 + [[20, 20, 200]] * 200)
    colours = dominant_colors(px.astype(np.uint8))
    assert colours == ("#c81414", "#1414c8")  # white dropped: other colours exist
    only_white = dominant_colors(np.full((100, 3), 252, np.uint8))
    assert only_white == ("#fcfcfc",)
    assert dominant_colors(np.zeros((0, 3), np.uint8)) == ()
    many = np.random.default_rng(1).integers(0, 256, (5000, 3), dtype=np.uint8)
    assert 1 <= len(dominant_colors(many)) <= 5
