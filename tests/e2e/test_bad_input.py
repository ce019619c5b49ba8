"""Bad input gets a clear error naming the problem: no traceback, no half-written folder."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from tests.cli_checks import assert_clean_failure
from tests.e2e.test_devset import run_cli


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a size but carries no real pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    crc = struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + crc


BAD_IMAGES = {
    "zero-byte.jpg": b"",
    "not-an-image.jpg": b"hello, this is text and not a picture\n" * 20,
    "huge-header.png": _png_header(30000, 30000),
    "truncated.jpg": (
        Path(__file__).resolve().parents[1].parent / "src/adcraft/data/examples/images/taxi.jpg"
    ).read_bytes()[:5000],
}


@pytest.mark.parametrize("name", sorted(BAD_IMAGES))
def test_bad_image(name: str, tmp_path: Path) -> None:
    img = tmp_path / name
    img.write_bytes(BAD_IMAGES[name])
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--title", "Lamp", "--image", str(img), "--formats", "1:1", "--out", str(out)
    )
    assert_clean_failure(done, out, name)


def test_missing_image_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--title", "Lamp", "--image", str(tmp_path / "nope.png"), "--out", str(out)
    )
    assert_clean_failure(done, out, "nope.png")


def test_unknown_format(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("generate", "--title", "Lamp", "--formats", "meta_feed_sqare", "--out", str(out))
    assert_clean_failure(done, out, "meta_feed_sqare", "meta_feed_square")


def test_regular_price_below_the_price(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--title", "Lamp", "--price", "49", "--regular-price", "39",
        "--currency", "EUR", "--formats", "1:1", "--out", str(out),
    )  # fmt: skip
    assert_clean_failure(done, out, "regular_price", "not above price")


def test_empty_title(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("generate", "--title", "  ", "--out", str(out))
    assert_clean_failure(done, out)


def test_ten_thousand_character_offer(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("generate", "--title", "Lamp", "--offer", "x" * 10_000, "--out", str(out))
    assert_clean_failure(done, out, "offer", "10000")


def test_unknown_style(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("generate", "--title", "Lamp", "--styles", "grunge", "--out", str(out))
    assert_clean_failure(done, out, "grunge")
