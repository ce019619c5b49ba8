"""Encoding under file caps, determinism and format choice."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, JpegImagePlugin

from adcraft.domain.formats import Format, default_registry
from adcraft.errors import InputError, OutputError
from adcraft.render.encode import choose_format, encode

CAP = 150 * 1024


def _noisy_photo(size: int = 1080, sigma: float = 8.0, seed: int = 0) -> Image.Image:
    """A gradient with sensor-like Gaussian noise: the hard case for a file cap."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, size)[:, None, None]
    grad = np.array([240, 200, 180]) * (1 - y) + np.array([60, 40, 120]) * y
    arr = np.broadcast_to(grad, (size, size, 3)) + rng.normal(0, sigma, (size, size, 3))
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


@pytest.fixture(scope="module")
def noisy() -> Image.Image:
    return _noisy_photo()


def _decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_lossy_fits_under_cap_at_the_highest_quality(noisy: Image.Image, fmt: str) -> None:
    uncapped = encode(noisy, fmt)
    assert len(uncapped) > CAP  # the cap really bites
    data = encode(noisy, fmt, max_bytes=CAP)
    assert len(data) <= CAP
    im = _decode(data)
    assert im.size == (1080, 1080) and im.format == fmt.upper()


def test_uncapped_jpeg_is_baseline_420_without_metadata(noisy: Image.Image) -> None:
    src = noisy.copy()
    src.info["dpi"] = (300, 300)
    src.info["icc_profile"] = b"not a real profile"
    im = _decode(encode(src, "jpg"))
    assert im.format == "JPEG" and im.mode == "RGB"
    assert "progressive" not in im.info and "icc_profile" not in im.info
    assert "exif" not in im.info and "dpi" not in im.info
    assert isinstance(im, JpegImagePlugin.JpegImageFile)
    assert im.layer[0][1:3] == (2, 2)  # luma sampled 2x2 against chroma: 4:2:0


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_bytes_are_deterministic(noisy: Image.Image, fmt: str) -> None:
    small = noisy.resize((300, 250))
    assert encode(small, fmt) == encode(small.copy(), fmt)
    if fmt != "png":  # the quality search; the PNG palette path is checked below
        assert encode(noisy, fmt, max_bytes=CAP) == encode(noisy, fmt, max_bytes=CAP)


def test_png_is_lossless_and_keeps_alpha() -> None:
    rng = np.random.default_rng(5)
    arr = rng.integers(0, 256, (40, 60, 4), dtype=np.uint8)
    im = _decode(encode(Image.fromarray(arr, "RGBA"), "png"))
    assert im.mode == "RGBA" and np.array_equal(np.asarray(im), arr)


def test_png_falls_back_to_a_palette_under_the_cap() -> None:
    # Two crossing gradients with faint noise: lossless is over the cap, a palette fits.
    ys, xs = np.mgrid[0:600, 0:800].astype(np.float64)
    arr = np.stack([ys / 600 * 255, xs / 800 * 255, np.full_like(ys, 90.0)], axis=2)
    rng = np.random.default_rng(2)
    arr = (arr + rng.normal(0, 2, arr.shape)).clip(0, 255).astype(np.uint8)
    img = Image.fromarray(arr)
    lossless = encode(img, "png")
    cap = len(lossless) // 2
    data = encode(img, "png", max_bytes=cap)
    assert len(data) <= cap
    assert data == encode(img, "png", max_bytes=cap)
    assert _decode(data).mode == "P"


def test_png_that_cannot_fit_names_the_numbers(noisy: Image.Image) -> None:
    with pytest.raises(OutputError) as err:
        encode(noisy, "png", max_bytes=CAP)
    msg = str(err.value)
    assert msg.startswith("cannot fit 1080x1080 PNG under 150 KB: best was ")
    assert msg.endswith(" KB; use jpeg")
    best_kb = int(msg.split("best was ")[1].split(" KB")[0])
    assert best_kb > 150


def test_jpeg_that_cannot_fit_even_at_quality_40() -> None:
    rng = np.random.default_rng(0)
    white_noise = Image.fromarray(rng.integers(0, 256, (500, 500, 3), dtype=np.uint8))
    with pytest.raises(OutputError, match=r"cannot fit 500x500 JPEG under 20 KB: best was \d+ KB"):
        encode(white_noise, "jpeg", max_bytes=20 * 1024)


def test_jpeg_flattens_alpha_over_white() -> None:
    rgba = Image.new("RGBA", (16, 16), (255, 0, 0, 0))
    im = _decode(encode(rgba, "jpeg"))
    assert im.mode == "RGB"
    assert all(v > 250 for v in im.getpixel((8, 8)))  # type: ignore[union-attr]


def test_encode_rejects_unknown_format_and_bad_cap() -> None:
    img = Image.new("RGB", (8, 8))
    with pytest.raises(InputError, match="png, jpeg or webp"):
        encode(img, "gif")
    with pytest.raises(InputError, match="positive"):
        encode(img, "png", max_bytes=0)


def test_choose_format() -> None:
    reg = default_registry()
    meta = reg["meta_feed_square"]  # jpg, png
    assert choose_format(meta, None) == ("png", None)
    assert choose_format(meta, "JPG") == ("jpeg", None)
    assert choose_format(meta, "png") == ("png", None)
    name, warning = choose_format(meta, "webp")
    assert name == "jpeg" and warning is not None
    assert "meta_feed_square does not accept webp" in warning
    anything = Format(id="custom", width=10, height=10)
    assert choose_format(anything, "webp") == ("webp", None)
    video = reg["tiktok_infeed_vertical"]
    name, warning = choose_format(video, None)
    assert name == "jpeg" and warning is not None and "mp4" in warning
    png_only = Format(id="p", width=10, height=10, file_types=("png",))
    assert choose_format(png_only, "jpeg")[0] == "png"
