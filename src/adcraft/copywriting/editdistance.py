"""The adoption metric: how much a marketer had to edit the generated copy.

Distances are Levenshtein edits over grapheme clusters (what a reader sees as characters),
summed over all fields. Two normalisations are reported:

* ``ratio`` — total edits / total characters of the final copy: the pilot target "edit distance
  under 20% of the text length". It can exceed 1 when the generated copy was much longer.
* ``normalized`` — total edits / sum over fields of max(len generated, len final): the classic
  normalised Levenshtein distance, always in [0, 1].

A field present on one side only counts as fully inserted or deleted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from adcraft.copywriting.limits import graphemes


def levenshtein(a: str, b: str) -> int:
    """Edit distance between two texts in grapheme clusters (NFC-normalised first)."""
    x = graphemes(unicodedata.normalize("NFC", a))
    y = graphemes(unicodedata.normalize("NFC", b))
    # rapidfuzz's bit-parallel Levenshtein over grapheme lists: 2 200 x 2 200 took 3.4 s in
    # the pure-Python table this replaces.
    return int(Levenshtein.distance(x, y))


@dataclass(frozen=True)
class FieldDistance:
    """Edits in one field and the lengths on both sides."""

    field: str
    distance: int
    generated_len: int
    final_len: int


@dataclass(frozen=True)
class EditReport:
    """Edit distance of a whole creative's copy, all fields together."""

    fields: tuple[FieldDistance, ...]
    distance: int
    final_len: int
    ratio: float
    normalized: float

    def meets(self, target: float = 0.2) -> bool:
        """Whether the edits stay under the adoption target (20% of the final text)."""
        return self.ratio < target


def edit_distance(generated: Mapping[str, str], final: Mapping[str, str]) -> EditReport:
    """Combined normalised Levenshtein distance of generated vs final copy over all fields."""
    rows: list[FieldDistance] = []
    for name in [*generated, *(k for k in final if k not in generated)]:
        g, f = generated.get(name, ""), final.get(name, "")
        rows.append(FieldDistance(name, levenshtein(g, f), len(graphemes(g)), len(graphemes(f))))
    total = sum(r.distance for r in rows)
    final_len = sum(r.final_len for r in rows)
    longest = sum(max(r.generated_len, r.final_len) for r in rows)
    ratio = total / final_len if final_len else (0.0 if total == 0 else float(total))
    return EditReport(
        fields=tuple(rows),
        distance=total,
        final_len=final_len,
        ratio=ratio,
        normalized=total / longest if longest else 0.0,
    )
