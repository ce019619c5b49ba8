"""How different variants of one product read: the text a viewer sees and pairwise distance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

from adcraft.copywriting.editdistance import levenshtein
from adcraft.copywriting.limits import graphemes

# What a viewer reads on the image, in reading order; the button is left out (a short list of
# calls to action repeats by design) and so is the brand name.
ON_IMAGE_FIELDS = ("badge", "headline", "body", "disclaimer")


def on_image_text(fields: Mapping[str, str]) -> str:
    """The on-image copy of one variant as one string (fields in reading order)."""
    return " | ".join(fields[n] for n in ON_IMAGE_FIELDS if fields.get(n))


def normalised_distance(a: str, b: str) -> float:
    """Levenshtein distance on graphemes divided by the longer text (0 same, 1 all different)."""
    longest = max(len(graphemes(a)), len(graphemes(b)))
    return levenshtein(a, b) / longest if longest else 0.0


def pairwise_distance(texts: Sequence[str]) -> float:
    """Mean normalised distance over every pair of texts (0.0 for fewer than two)."""
    pairs = list(combinations(texts, 2))
    if not pairs:
        return 0.0
    return sum(normalised_distance(a, b) for a, b in pairs) / len(pairs)
