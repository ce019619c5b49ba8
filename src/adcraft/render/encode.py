"""Image bytes for a rendered creative: PNG, JPEG or WebP, squeezed under a platform's file cap.

Output is deterministic: the same pixels give the same bytes, because no metadata (no
timestamps, EXIF, ICC profile or text chunks) is written and every encoder setting is fixed.
"""

from __future__ import annotations

import io
from typing import Literal

from PIL import Image

from adcraft.domain.formats import Format
from adcraft.errors import InputError, OutputError
from adcraft.notes import say

ImageFormat = Literal["png", "jpeg", "webp"]

DEFAULT_QUALITY = 90
MIN_QUALITY = 40
MAX_QUALITY = 95
PNG_COMPRESS_LEVEL = 6
"""zlib level: 1 is ~2x faster but ~15% larger on ad art; 9 saves little and is much slower."""

_ALIASES: dict[str, ImageFormat] = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "webp": "webp"}
_PREFERENCE: tuple[ImageFormat, ...] = ("png", "jpeg", "webp")


def _kb(n: int) -> str:
    """A byte count as kilobytes (1 KB = 1024 bytes) for messages."""
    return f"{n / 1024:.1f} KB" if n < 10 * 1024 else f"{n / 1024:.0f} KB"


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _prepare(image: Image.Image, fmt: ImageFormat) -> Image.Image:
    """The image in a mode the encoder takes, without metadata (copied only when it changes)."""
    if image.mode in ("RGB", "L") and not image.info:
        return image  # already encodable and nothing to strip: a copy would cost ~1 ms at 1080p
    if fmt == "jpeg":
        if _has_alpha(image):
            # JPEG has no alpha: flatten over white, the color ad slots most often show.
            rgba = image.convert("RGBA")
            out = Image.new("RGB", rgba.size, (255, 255, 255))
            out.paste(rgba, mask=rgba.getchannel("A"))
        else:
            out = image.convert("RGB")
    elif _has_alpha(image):
        out = image.convert("RGBA")
    elif image.mode in ("RGB", "L") or (fmt == "png" and image.mode == "P"):
        out = image.copy()
    else:
        out = image.convert("RGB")
    # Pillow copies icc_profile / exif / dpi from info into the file when present.
    out.info = {}
    return out


def _save(image: Image.Image, fmt: ImageFormat, quality: int = DEFAULT_QUALITY) -> bytes:
    buf = io.BytesIO()
    if fmt == "png":
        image.save(buf, "PNG", optimize=False, compress_level=PNG_COMPRESS_LEVEL)
    elif fmt == "jpeg":
        # subsampling=2 is 4:2:0; baseline (not progressive) decodes everywhere, ad servers
        # included.
        image.save(buf, "JPEG", quality=quality, subsampling=2, progressive=False, optimize=False)
    else:
        image.save(buf, "WEBP", quality=quality, method=4, lossless=False, exact=False)
    return buf.getvalue()


def _quantise(image: Image.Image, colors: int) -> Image.Image:
    """A palette image (fast octree: ~20x faster than median cut, keeps alpha, smaller files)."""
    src = image if image.mode in ("RGB", "RGBA") else image.convert("RGB")
    out = src.quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
    out.info = {k: v for k, v in out.info.items() if k == "transparency"}
    return out


def _fit_quality(image: Image.Image, fmt: ImageFormat, cap: int, first: bytes) -> bytes:
    """The highest quality in MIN_QUALITY..DEFAULT_QUALITY-1 that fits ``cap`` (binary search).

    File size grows with quality in practice, so a binary search needs ~6 encodes, not 50.
    """
    lo, hi = MIN_QUALITY, DEFAULT_QUALITY - 1
    best: bytes | None = None
    smallest = first
    while lo <= hi:
        q = (lo + hi) // 2
        data = _save(image, fmt, q)
        if len(data) <= cap:
            best, lo = data, q + 1
        else:
            smallest = min(smallest, data, key=len)
            hi = q - 1
    if best is None:
        w, h = image.size
        raise OutputError(
            f"cannot fit {w}x{h} {fmt.upper()} under {_kb(cap)}: best was {_kb(len(smallest))} "
            f"at quality {MIN_QUALITY}; use a simpler background or a smaller size"
        )
    return best


def encode(image: Image.Image, fmt: ImageFormat | str, *, max_bytes: int | None = None) -> bytes:
    """Encode ``image`` as png/jpeg/webp, lowering quality or colors to fit ``max_bytes``.

    JPEG/WebP start at quality 90 and, when too large, binary-search quality 40..89. PNG
    starts lossless and then tries 256- and 128-color palettes. Raises OutputError with the
    size reached when nothing fits.
    """
    kind = normalise_format_name(fmt)
    if kind is None:
        raise InputError(f"cannot encode {fmt!r}: choose png, jpeg or webp")
    if max_bytes is not None and max_bytes <= 0:
        raise InputError(f"max_bytes must be positive, got {max_bytes}")
    prepared = _prepare(image, kind)
    data = _save(prepared, kind, DEFAULT_QUALITY)
    if max_bytes is None or len(data) <= max_bytes:
        return data
    if kind != "png":
        return _fit_quality(prepared, kind, max_bytes, data)
    smallest = data
    if prepared.mode != "P":
        for colors in (256, 128):
            data = _save(_quantise(prepared, colors), "png")
            if len(data) <= max_bytes:
                return data
            smallest = min(smallest, data, key=len)
    w, h = prepared.size
    raise OutputError(
        f"cannot fit {w}x{h} PNG under {_kb(max_bytes)}: best was {_kb(len(smallest))}; use jpeg"
    )


def normalise_format_name(name: str) -> ImageFormat | None:
    """'jpg'/'JPEG'/'.png' -> 'jpeg'/'png'; None for names adcraft cannot encode (gif, mp4)."""
    return _ALIASES.get(name.strip().lower().lstrip("."))


def choose_format(fmt: Format, requested: str | None) -> tuple[ImageFormat, str | None]:
    """The image format to write for ``fmt`` and a warning when the request was overridden.

    A format with no ``file_types`` accepts anything. Without a request PNG is preferred
    (crisp text, lossless), then JPEG, then WebP. A request the placement does not accept
    falls back to JPEG (or the first accepted format if JPEG is not accepted either).
    """
    allowed = [
        n
        for n in _PREFERENCE
        if not fmt.file_types or n in {normalise_format_name(t) for t in fmt.file_types}
    ]
    if requested is None:
        if allowed:
            return allowed[0], None
        return "jpeg", say(
            "image_format_unwritable", format=fmt.id, accepts=", ".join(fmt.file_types)
        )
    want = normalise_format_name(requested)
    if want is not None and want in allowed:
        return want, None
    fallback: ImageFormat = "jpeg" if "jpeg" in allowed or not allowed else allowed[0]
    accepts = ", ".join(fmt.file_types) if fmt.file_types else "png, jpeg, webp"
    note = say(
        "image_format_refused", format=fmt.id, requested=requested, accepts=accepts, wrote=fallback
    )
    return fallback, note
