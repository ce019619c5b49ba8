"""Edit distance of one field, via the copy team's measure (grapheme Levenshtein)."""

from __future__ import annotations

from adcraft.copywriting.editdistance import edit_distance


def normalised(before: str, after: str) -> float:
    """Normalised Levenshtein distance in [0, 1] (0 = untouched, 1 = rewritten)."""
    return round(edit_distance({"f": before}, {"f": after}).normalized, 4)


def ratio(before: str, after: str) -> float:
    """Edits / final length: the adoption target is under 0.2."""
    return round(edit_distance({"f": before}, {"f": after}).ratio, 4)
