"""load_image: hostile and odd files fail with a clear ImageInputError; odd modes normalise."""

from __future__ import annotations

import contextlib
import io
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from adcraft.errors import ImageInputError, ImageTooLarge, UnsafeURL
from adcraft.imagery.load import LoadedImage, load_image
from tests.unit.imagery.studio_composites import IMAGES


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(
    width: int,
    height: int,
    *,
    depth: int = 8,
    colour: int = 0,
    idat: bytes | None = None,
    extra: bytes = b"",
) -> bytes:
    """A PNG from parts; ``idat`` None gives a header-only file with no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    body = _chunk(b"IHDR", ihdr) + extra
    if idat is not None:
        body += _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def _bomb(width: int, height: int) -> bytes:
    """A real, tiny PNG (1-bit, all zero) that decodes to width x height pixels."""
    row = b"\x00" * (1 + (width + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    return _png(width, height, depth=1, idat=data)


def _encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def _error(source: str | Path | bytes, **kwargs: object) -> ImageInputError:
    with pytest.raises(ImageInputError) as info:
        load_image(source, **kwargs)  # type: ignore[arg-type]
    return info.value


# --- bad input ----------------------------------------------------------------------------


def test_zero_bytes() -> None:
    assert "empty" in str(_error(b""))


def test_zero_byte_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "zero-byte.jpg"
    path.write_bytes(b"")
    msg = str(_error(path))
    assert "zero-byte.jpg" in msg and "empty" in msg


def test_truncated_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "truncated.jpg"
    path.write_bytes(_encode(Image.new("RGB", (400, 300), "teal"), "JPEG")[:400])
    msg = str(_error(path))
    assert "truncated.jpg" in msg and "truncated" in msg


def test_random_bytes() -> None:
    data = np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    assert "not a supported image" in str(_error(data))


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "not-an-image.jpg"
    path.write_text("hello, this is text and not a picture\n" * 20)
    msg = str(_error(path))
    assert "not-an-image.jpg" in msg and "not a supported image" in msg


def test_unsupported_format() -> None:
    assert "not a supported image" in str(_error(_encode(Image.new("RGB", (8, 8)), "PPM")))


def test_header_claiming_30000_squared_is_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLarge):
        load_image(_png(30000, 30000))


def test_pixel_cap_is_checked_on_the_header() -> None:
    # No pixel data at all: only a header check can answer "too large" rather than "damaged".
    start = time.perf_counter()
    with pytest.raises(ImageTooLarge, match="megapixel limit"):
        load_image(_png(8000, 8000), max_pixels=50_000_000)
    assert time.perf_counter() - start < 1.0


def test_pixel_cap_is_configurable() -> None:
    data = _encode(Image.new("RGB", (100, 100)), "PNG")
    with pytest.raises(ImageTooLarge):
        load_image(data, max_pixels=5_000)
    assert load_image(data, max_pixels=10_000).image.size == (100, 100)


def test_decompression_bomb_beyond_pillows_limit() -> None:
    bomb = _bomb(20_000, 20_000)
    assert len(bomb) < 100_000
    with pytest.raises(ImageTooLarge):
        load_image(bomb, max_pixels=10**10)


def test_decompression_bomb_warning_is_an_error() -> None:
    # 100 MP lies between Pillow's warning and error limits.
    with pytest.raises(ImageTooLarge):
        load_image(_bomb(10_000, 10_000), max_pixels=10**10)


def test_text_chunk_bomb() -> None:
    text = _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a" * (8 * 2**20)))
    with pytest.raises(ImageTooLarge, match="expands too far"):
        load_image(_png(2, 2, idat=zlib.compress(b"\x00\x00\x00" * 2), extra=text))


def test_byte_cap() -> None:
    with pytest.raises(ImageTooLarge, match="MiB"):
        load_image(b"\x89PNG" + b"\x00" * 2000, max_bytes=1000)


def test_file_over_byte_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(b"\x00" * 5000)
    with pytest.raises(ImageTooLarge, match=r"big\.png"):
        load_image(path, max_bytes=1000)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "nope.png" in str(_error(tmp_path / "nope.png"))
    assert "not a file" in str(_error(tmp_path))


def test_fully_transparent_image() -> None:
    data = _encode(Image.new("RGBA", (10, 10), (255, 0, 0, 0)), "PNG")
    assert "fully transparent" in str(_error(data))


def test_non_http_url_is_refused() -> None:
    with pytest.raises(UnsafeURL, match="ftp"):
        load_image("ftp://example.com/a.png")


def test_a_file_name_with_a_colon_is_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("shot:1.png").write_bytes(_encode(Image.new("RGB", (3, 3)), "PNG"))
    assert load_image("shot:1.png").image.size == (3, 3)
    with pytest.raises(UnsafeURL):
        load_image("data:image/png;base64,AAAA")


def test_url_goes_through_the_fetcher() -> None:
    seen: list[str] = []
    data = _encode(Image.new("RGB", (4, 3), "red"), "PNG")

    def fetcher(url: str) -> bytes:
        seen.append(url)
        return data

    loaded = load_image("https://cdn.example.com/p/x.png?token=secret", fetcher=fetcher)
    assert seen == ["https://cdn.example.com/p/x.png?token=secret"]
    assert loaded.image.size == (4, 3)
    assert loaded.source_name == "https://cdn.example.com/p/x.png"  # no token in messages


# --- normalisation ------------------------------------------------------------------------


def test_cmyk_jpeg_becomes_rgb() -> None:
    img = Image.new("CMYK", (16, 16), (0, 255, 255, 0))  # full magenta + yellow: red
    loaded = load_image(_encode(img, "JPEG", quality=95))
    assert loaded.image.mode == "RGB" and not loaded.has_alpha
    r, g, b = np.asarray(loaded.image)[8, 8].astype(int)
    assert r > 200 and g < 60 and b < 60


def test_16_bit_grey_png_is_scaled_not_clipped() -> None:
    img = Image.fromarray(np.array([[0, 256, 32768, 65535]], dtype=np.uint16))
    assert img.mode.startswith("I;16")
    loaded = load_image(_encode(img, "PNG"))
    assert loaded.image.mode == "RGB"
    assert np.asarray(loaded.image)[0, :, 0].tolist() == [0, 1, 128, 255]


def test_16_bit_rgb_png() -> None:
    raw = b"\x00" + struct.pack(">HHHHHH", 65535, 0, 0, 0, 32768, 65535)
    loaded = load_image(_png(2, 1, depth=16, colour=2, idat=zlib.compress(raw)))
    assert np.asarray(loaded.image).tolist() == [[[255, 0, 0], [0, 128, 255]]]


def test_float_and_32_bit_images() -> None:
    f = Image.fromarray(np.array([[0.0, 0.5, 1.0]], dtype=np.float32))
    loaded = load_image(_encode(f, "TIFF"))
    assert np.asarray(loaded.image)[0, :, 0].tolist() == [0, 128, 255]
    i = Image.fromarray(np.array([[0, 1000, 4000]], dtype=np.int32))
    assert np.asarray(load_image(_encode(i, "TIFF")).image)[0, :, 0].tolist() == [0, 4, 16]


def test_palette_png_with_transparency_becomes_rgba() -> None:
    img = Image.new("P", (10, 10), 0)
    img.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    img.paste(1, (0, 0, 5, 10))
    loaded = load_image(_encode(img, "PNG", transparency=0))
    assert loaded.image.mode == "RGBA" and loaded.has_alpha
    arr = np.asarray(loaded.image)
    assert arr[0, 0].tolist() == [0, 0, 255, 255]
    assert arr[0, 9, 3] == 0


def test_grey_with_alpha_becomes_rgba() -> None:
    img = Image.new("LA", (4, 4), (128, 255))
    img.putpixel((0, 0), (0, 0))
    loaded = load_image(_encode(img, "PNG"))
    assert loaded.image.mode == "RGBA" and loaded.has_alpha


def test_opaque_alpha_counts_as_no_alpha() -> None:
    loaded = load_image(_encode(Image.new("RGBA", (5, 5), (1, 2, 3, 255)), "PNG"))
    assert loaded.image.mode == "RGB" and not loaded.has_alpha


@pytest.mark.parametrize("mode", ["1", "L", "P", "RGB", "YCbCr"])
def test_plain_modes_become_rgb(mode: str) -> None:
    img = Image.new("RGB", (6, 6), (200, 30, 40)).convert(mode)
    fmt = "JPEG" if mode == "YCbCr" else "TIFF"
    loaded = load_image(_encode(img, fmt))
    assert loaded.image.mode == "RGB" and not loaded.has_alpha


def test_animated_gif_uses_the_first_frame_with_a_warning() -> None:
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "lime", "blue")]
    data = _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    loaded = load_image(data)
    assert np.asarray(loaded.image)[4, 4].tolist() == [255, 0, 0]
    assert any("first" in w for w in loaded.warnings)


def test_exif_orientation_6_is_applied() -> None:
    # Stored landscape: left half red, right half blue. Orientation 6 means "rotate 90° CW to
    # display", which puts the stored left edge on top.
    img = Image.new("RGB", (40, 20), "blue")
    img.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    loaded = load_image(_encode(img, "JPEG", exif=exif.tobytes(), quality=95))
    assert loaded.image.size == (20, 40)
    top, bottom = np.asarray(loaded.image)[5, 10], np.asarray(loaded.image)[35, 10]
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]


def test_webp_bmp_and_tiff_load() -> None:
    img = Image.new("RGB", (9, 7), (10, 200, 30))
    for fmt in ("WEBP", "BMP", "TIFF"):
        assert load_image(_encode(img, fmt)).image.size == (9, 7)


@pytest.mark.skipif(not IMAGES.exists(), reason="development images not available")
def test_development_images_load() -> None:
    for path in sorted(IMAGES.glob("*.[jp][pn]g")):
        loaded = load_image(path)
        assert isinstance(loaded, LoadedImage)
        assert loaded.image.mode in ("RGB", "RGBA")
        assert loaded.has_alpha == path.name.endswith(".png")
        assert loaded.source_name == str(path)


# --- fuzzing ------------------------------------------------------------------------------

_SEEDS = [
    _encode(Image.new("RGB", (32, 24), (200, 100, 50)), "JPEG"),
    _encode(Image.new("RGBA", (20, 20), (0, 90, 200, 128)), "PNG"),
    _encode(Image.new("P", (16, 16), 3), "GIF"),
    _encode(Image.new("RGB", (12, 12), "white"), "WEBP"),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(_SEEDS),
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=6),
)
def test_damaged_files_load_or_fail_cleanly(
    seed: bytes, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(seed[: max(1, cut)] if cut < len(seed) else seed)
    for pos, value in flips:
        data[pos % len(data)] = value
    try:
        loaded = load_image(bytes(data))
    except ImageInputError as exc:
        assert "<bytes>" in str(exc)
    else:
        assert loaded.image.mode in ("RGB", "RGBA")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_fail_cleanly(data: bytes) -> None:
    with contextlib.suppress(ImageInputError):
        load_image(data)
