"""Reading an sfnt font file's tables without loading the whole font: enough to know which
code points a face maps (its ``cmap``) and its vertical metrics, with nothing beyond the
standard library."""

from __future__ import annotations

import struct
from pathlib import Path

from adcraft.errors import InputError


def table(path: Path, tag: bytes) -> bytes | None:
    """The raw bytes of one sfnt table, read without loading the whole file."""
    with path.open("rb") as fh:
        version, num_tables = struct.unpack(">IH", fh.read(6))
        if version not in (0x00010000, 0x4F54544F, 0x74727565):  # TrueType, 'OTTO', 'true'
            raise InputError(f"{path} is not a TrueType/OpenType font")
        fh.seek(12)
        directory = fh.read(16 * num_tables)
        for i in range(num_tables):
            name, _, offset, length = struct.unpack_from(">4sIII", directory, 16 * i)
            if name == tag:
                fh.seek(offset)
                return fh.read(length)
    return None


def parse_cmap(data: bytes) -> set[int]:
    _, count = struct.unpack_from(">HH", data, 0)
    subtables: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
        subtables[(platform, encoding)] = offset
    # Full-repertoire subtables first, then the BMP ones.
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
        if key in subtables:
            offset = subtables[key]
            fmt = struct.unpack_from(">H", data, offset)[0]
            if fmt == 12:
                return _format12(data, offset)
            if fmt == 4:
                return _format4(data, offset)
    return set()


def _format12(data: bytes, offset: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", data, offset + 12)
    out: set[int] = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, offset + 16 + 12 * i)
        # A group that starts at glyph 0 maps its first code point to .notdef.
        out.update(range(start + (glyph == 0), end + 1))
    return out


def _format4(data: bytes, offset: int) -> set[int]:
    seg_count = struct.unpack_from(">H", data, offset + 6)[0] // 2
    ends_at = offset + 14
    starts_at = ends_at + 2 * seg_count + 2
    deltas_at = starts_at + 2 * seg_count
    ranges_at = deltas_at + 2 * seg_count
    ends = struct.unpack_from(f">{seg_count}H", data, ends_at)
    starts = struct.unpack_from(f">{seg_count}H", data, starts_at)
    deltas = struct.unpack_from(f">{seg_count}h", data, deltas_at)
    range_offsets = struct.unpack_from(f">{seg_count}H", data, ranges_at)
    out: set[int] = set()
    for i, (start, end, delta, ro) in enumerate(
        zip(starts, ends, deltas, range_offsets, strict=True)
    ):
        for cp in range(start, min(end, 0xFFFE) + 1):
            if ro == 0:
                glyph = (cp + delta) & 0xFFFF
            else:
                # idRangeOffset is relative to its own slot in the idRangeOffset array.
                at = ranges_at + 2 * i + ro + 2 * (cp - start)
                raw = struct.unpack_from(">H", data, at)[0] if at + 2 <= len(data) else 0
                glyph = (raw + delta) & 0xFFFF if raw else 0
            if glyph:
                out.add(cp)
    return out
