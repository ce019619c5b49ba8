"""Near-duplicate creatives by perceptual hash, so identical outputs are stored and shown once.

pHash (DCT of a 32×32 grey thumbnail, 64 bits) survives re-encoding, resizing and small colour
shifts; two creatives whose hashes differ in at most ``max_distance`` bits (default 6 of 64)
are treated as the same picture. The first of each group (input order: the best-ranked when
the input is ranked) is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import imagehash
from PIL import Image

from adcraft.scoring.image_memo import per_image

DEFAULT_MAX_DISTANCE = 6


@dataclass(frozen=True)
class DuplicateGroups:
    """``keep``: indices to store and show; ``duplicate_of``: dropped index → kept index."""

    keep: list[int]
    duplicate_of: dict[int, int]


@per_image
def perceptual_hash(image: Image.Image) -> imagehash.ImageHash:
    """The 64-bit pHash of an image, kept per image (the ranking's features and the duplicate
    gate both ask); its bit array is read-only."""
    h = imagehash.phash(image.convert("RGB"))
    h.hash.setflags(write=False)
    return h


def find_duplicates(
    images: Sequence[Image.Image], max_distance: int = DEFAULT_MAX_DISTANCE
) -> DuplicateGroups:
    """Group near-identical images; each later copy points at the first one kept."""
    hashes = [perceptual_hash(im) for im in images]
    keep: list[int] = []
    dup: dict[int, int] = {}
    for i, h in enumerate(hashes):
        match = next((k for k in keep if h - hashes[k] <= max_distance), None)
        if match is None:
            keep.append(i)
        else:
            dup[i] = match
    return DuplicateGroups(keep, dup)
