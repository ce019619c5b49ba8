"""Normalised edit distance between generated and final copy (0 = untouched, 1 = rewritten)."""

from __future__ import annotations


def levenshtein(a: str, b: str) -> int:
    """Insertions, deletions and substitutions needed to turn a into b (two-row DP)."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i]
        for j, cb in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def normalised(before: str, after: str) -> float:
    """Levenshtein distance divided by the longer text's length, in [0, 1]."""
    try:  # the copy team's measure, when it exists, is the one adoption targets use
        from adcraft.copywriting.editdistance import (  # type: ignore[import-not-found]
            normalised_edit_distance,
        )

        return float(normalised_edit_distance(before, after))
    except ImportError:
        pass
    longest = max(len(before), len(after))
    return 0.0 if longest == 0 else round(levenshtein(before, after) / longest, 4)
