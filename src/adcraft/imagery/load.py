"""Read a product photo or logo from a path, bytes or URL, safely, into a normalised RGB(A) image.

Only a handful of raster formats are opened, the pixel count in the header is checked before
any pixel is decoded, and every way decoding can fail becomes an ``ImageInputError`` that names
the image and says what to do.
"""

from __future__ import annotations

import io
import math
import re
import struct
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from adcraft.errors import ImageInputError, ImageTooLarge, UnsafeURL
from adcraft.imagery.fetch import display_url, fetch_url
from adcraft.problem_codes import refuse

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "TIFF", "BMP")
DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_MAX_BYTES = 40 * 2**20
WORK_MAX_SIDE = 4096
"""Longest side a photo is decoded at for rendering: about twice the largest ad size, so crops
around the product stay sharp. JPEGs are decoded straight at a reduced scale (draft mode)."""
LOGO_MAX_PIXELS = 16_000_000
"""Logos are drawn a few hundred pixels wide: a bigger one is refused rather than decoded."""
CONTENT_TYPES = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
    "TIFF": ("tif", "image/tiff"),
    "BMP": ("bmp", "image/bmp"),
}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)
_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


@dataclass(frozen=True)
class LoadedImage:
    """A decoded image, upright and in RGB or RGBA."""

    image: Image.Image
    has_alpha: bool
    """True when the image is RGBA and some pixel is not fully opaque."""
    source_name: str
    """How to name the image to a person: the path, a URL without query, or '<bytes>'."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImageHeader:
    """What an image's header says, read without decoding a pixel."""

    format: str
    width: int
    height: int
    ext: str
    content_type: str


def load_image(
    source: str | Path | bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetcher: Callable[[str], bytes] | None = None,
    max_side: int | None = None,
) -> LoadedImage:
    """Read and normalise an image from a file path, raw bytes or an http(s) URL.

    Pillow's own decompression-bomb limit (about 89 megapixels) also applies. With ``max_side``
    a JPEG is decoded at the smallest of 1/1, 1/2, 1/4, 1/8 scale that keeps its longest side at
    least that long (the decoder never allocates the full-size image).
    """
    data, name = _read_source(source, max_bytes, fetcher)
    return decode_image(data, name, max_pixels=max_pixels, max_side=max_side)


def probe_image(data: bytes, name: str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> ImageHeader:
    """Type and size from the header alone (Pillow's lazy open): the API process checks uploads
    with this and leaves decoding to the workers, so a hostile image costs it no pixel memory."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            declared = _sniff_size(data)
            if declared is not None:
                _check_size(declared, name, max_pixels)
            with Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS)) as opened:
                _check_size(opened.size, name, max_pixels)
                fmt = str(opened.format)
                width, height = opened.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb(name, exc) from exc
        except ImageInputError:
            raise
        except UnidentifiedImageError as exc:
            raise _unidentified(name, data) from exc
        except Exception as exc:
            raise ImageInputError(f"image {name!r} cannot be read: {exc}") from exc
    ext, ctype = CONTENT_TYPES.get(fmt, ("bin", "application/octet-stream"))
    return ImageHeader(fmt, width, height, ext, ctype)


def _read_source(
    source: str | Path | bytes, max_bytes: int, fetcher: Callable[[str], bytes] | None
) -> tuple[bytes, str]:
    """The raw bytes of the source and a name to show for it."""
    if isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), "<bytes>"
    elif isinstance(source, str) and _is_url(source):
        scheme = source.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            raise UnsafeURL(
                f"image URL scheme {scheme!r} is not supported: give an http(s) link or a file"
            )
        name = display_url(source)
        data = (fetcher or partial(fetch_url, max_bytes=max_bytes))(source)
    else:
        data, name = _read_file(Path(source), max_bytes), str(source)
    if len(data) > max_bytes:
        raise refuse(
            "image_file_too_big",
            kind=ImageTooLarge,
            name=name,
            mib=round(len(data) / 2**20, 1),
            max_mib=round(max_bytes / 2**20),
        )
    if not data:
        raise refuse("image_empty", kind=ImageInputError, name=name)
    return data, name


def _is_url(text: str) -> bool:
    """Whether a string is meant as a URL rather than a file path."""
    match = _SCHEME.match(text)
    if not match:
        return False
    if match.group(1).lower() in ("http", "https"):
        return True
    # 'C:\\photo.jpg' or an existing file whose name has a colon is a path, not a scheme.
    is_drive = len(match.group(1)) == 1 and text[2:3] in ("\\", "/")
    try:
        exists = Path(text).exists()
    except (OSError, ValueError):
        exists = False
    return not is_drive and not exists


def _read_file(path: Path, max_bytes: int) -> bytes:
    """File contents, refusing missing, non-regular and oversized files before reading."""
    try:
        if not path.exists():
            raise ImageInputError(f"image file '{path}' does not exist: check the path")
        if not path.is_file():
            raise ImageInputError(f"image path '{path}' is not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise ImageTooLarge(
                f"image '{path}' is {size / 2**20:.1f} MiB, above the "
                f"{max_bytes / 2**20:.0f} MiB limit: export a smaller file"
            )
        with path.open("rb") as fh:
            # One byte past the cap tells a file that grew since stat() from one that fits.
            return fh.read(max_bytes + 1)
    except OSError as exc:
        raise ImageInputError(f"cannot read image '{path}': {exc.strerror or exc}") from exc


def decode_image(
    data: bytes, name: str, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int | None = None
) -> LoadedImage:
    """Decode image bytes into an upright RGB or RGBA image; ``name`` is used in messages.

    ``max_side``: JPEGs are decoded in draft mode at the smallest scale that keeps the longest
    side at least this long (see ``load_image``).
    """
    notes: list[str] = []
    with warnings.catch_warnings():
        # Pillow warns (not raises) between its bomb limit and twice that: make it an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            declared = _sniff_size(data)
            if declared is not None:
                _check_size(declared, name, max_pixels)
            opened = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
            _check_size(opened.size, name, max_pixels)
            if getattr(opened, "is_animated", False):
                notes.append(f"image {name!r} is animated or has several pages: using the first")
                opened.seek(0)
            if max_side is not None and opened.format == "JPEG":
                _draft(opened, max_side)
            opened.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb(name, exc) from exc
        except ImageInputError:
            raise
        except UnidentifiedImageError as exc:
            raise _unidentified(name, data) from exc
        except _DECODE_ERRORS as exc:
            text = str(exc).lower()
            if "too large" in text:
                # Pillow caps how far a compressed text or profile chunk may expand.
                raise ImageTooLarge(
                    f"image {name!r} has a chunk that expands too far to decode safely"
                ) from exc
            if "truncat" in text or isinstance(exc, EOFError):
                raise refuse("image_damaged", kind=ImageInputError, name=name) from exc
            raise ImageInputError(
                f"image {name!r} is damaged and cannot be decoded: {exc}"
            ) from exc
        except Exception as exc:
            # Hostile files reach odd corners of the decoders; none may surface as a traceback.
            raise ImageInputError(f"image {name!r} cannot be decoded: {exc}") from exc
    img = _normalise_mode(_upright(opened, name, notes), name, notes)
    has_alpha = img.mode == "RGBA"
    if has_alpha:
        lo, hi = img.getchannel("A").getextrema()
        if hi == 0:
            raise refuse("image_transparent", kind=ImageInputError, name=name)
        if lo == 255:
            # An alpha channel that hides nothing says nothing about the product's shape.
            img, has_alpha = img.convert("RGB"), False
    return LoadedImage(img, has_alpha, name, tuple(notes))


def _draft(img: Image.Image, max_side: int) -> None:
    """Ask the JPEG decoder for a reduced scale whose longest side is still >= max_side."""
    w, h = img.size
    longest = max(w, h)
    if longest <= max_side:
        return
    scale = max_side / longest
    # Pillow keeps both sides at or above the requested box: ask for the proportional box.
    img.draft(img.mode, (max(1, math.ceil(w * scale)), max(1, math.ceil(h * scale))))


def _sniff_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read straight from a PNG, GIF, BMP or JPEG header, if it is one.

    Checked before Pillow parses anything, so even a file that is only a header claiming
    30000x30000 is refused for its size rather than reported as damaged.
    """
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return int(w), int(h)
        if data.startswith(b"GIF8"):
            w, h = struct.unpack("<HH", data[6:10])
            return int(w), int(h)
        if data.startswith(b"BM"):
            w, h = struct.unpack("<ii", data[18:26])
            return abs(int(w)), abs(int(h))
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG markers to the first start-of-frame and read its size."""
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return int(w), int(h)
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    return None


def _check_size(size: tuple[int, int], name: str, max_pixels: int) -> None:
    """Refuse by the header's dimensions, before decoding a single pixel."""
    w, h = size
    if w <= 0 or h <= 0:
        raise ImageInputError(f"image {name!r} has no pixels ({w}x{h})")
    if w * h > max_pixels:
        raise refuse(
            "image_too_many_pixels",
            kind=ImageTooLarge,
            name=name,
            width=w,
            height=h,
            mp=round(w * h / 1e6),
            max_mp=round(max_pixels / 1e6),
        )


def _upright(img: Image.Image, name: str, notes: list[str]) -> Image.Image:
    """Apply the EXIF orientation, so the product stands the way the camera held it."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception:  # broken EXIF comes in many shapes; the pixels are still fine
        notes.append(f"image {name!r} has unreadable EXIF data: orientation not applied")
        return img


def _normalise_mode(img: Image.Image, name: str, notes: list[str]) -> Image.Image:
    """Convert any Pillow mode to RGB or RGBA, keeping transparency."""
    mode = img.mode
    if mode in ("RGB", "RGBA"):
        return _to_srgb(img, name, notes) if img.info.get("icc_profile") else img
    if mode == "CMYK":
        return _cmyk_to_rgb(img, name, notes)
    if mode.startswith("I") or mode == "F":
        return _high_depth_to_rgb(img)
    transparent = "transparency" in img.info or mode in ("LA", "La", "PA", "RGBa")
    try:
        return img.convert("RGBA" if transparent else "RGB")
    except ValueError as exc:
        raise ImageInputError(
            f"image {name!r} uses colour mode {mode}, which cannot be converted: save it as RGB"
        ) from exc


def _cmyk_to_rgb(img: Image.Image, name: str, notes: list[str]) -> Image.Image:
    """CMYK through its ICC profile when it has one, else Pillow's standard formula."""
    if img.info.get("icc_profile"):
        converted = _to_srgb(img, name, notes)
        if converted.mode == "RGB":
            return converted
    return img.convert("RGB")


def _to_srgb(img: Image.Image, name: str, notes: list[str]) -> Image.Image:
    """Convert an image with an embedded ICC profile to sRGB; unchanged if that fails."""
    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(img.info["icc_profile"]))
        desc = (ImageCms.getProfileDescription(src) or "").lower()
        if img.mode != "CMYK" and "srgb" in desc:
            return img  # already sRGB: skip the cost of a transform
        out_mode = "RGBA" if img.mode == "RGBA" else "RGB"
        dst = ImageCms.createProfile("sRGB")
        out = ImageCms.profileToProfile(img, src, dst, outputMode=out_mode)
        return img if out is None else out
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        notes.append(f"image {name!r} has an unusable colour profile: colours may be off")
        return img


def _high_depth_to_rgb(img: Image.Image) -> Image.Image:
    """16-bit, 32-bit and float greyscale scaled to 8 bits (not clipped, as convert() does)."""
    arr = np.asarray(img).astype(np.float64)
    finite = arr[np.isfinite(arr)]
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 0.0
    if img.mode == "F":
        # Floats in 0..1 are the usual convention; anything else is stretched to its range.
        scale_lo, scale_hi = (0.0, 1.0) if lo >= 0.0 and hi <= 1.0 else (lo, hi)
    elif lo >= 0 and hi <= 255 and not img.mode.startswith("I;16"):
        scale_lo, scale_hi = 0.0, 255.0
    elif lo >= 0 and hi <= 65535:
        scale_lo, scale_hi = 0.0, 65535.0
    else:
        scale_lo, scale_hi = lo, hi
    span = max(scale_hi - scale_lo, 1e-12)
    grey = np.nan_to_num((arr - scale_lo) / span, nan=0.0)
    out = (np.clip(grey, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    return Image.fromarray(out).convert("RGB")


def _bomb(name: str, exc: Exception) -> ImageTooLarge:
    return ImageTooLarge(f"image {name!r} declares too many pixels to decode safely: {exc}")


def _unidentified(name: str, data: bytes) -> ImageInputError:
    """Pillow could not tell the type: a known signature means a damaged file of that type."""
    if data.startswith(_SIGNATURES) or data[8:12] == b"WEBP":
        return refuse("image_damaged", kind=ImageInputError, name=name)
    return refuse("image_not_supported", kind=ImageInputError, name=name)
