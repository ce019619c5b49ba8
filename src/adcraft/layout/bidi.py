"""The Unicode bidirectional algorithm (UAX #9) for one line of ad text, without explicit
embeddings.

raqm runs the full algorithm whenever a line is drawn in a single face. A line that needs
several faces (Arabic beside a ❤ that only the symbol face has) is drawn run by run, and then
adcraft itself must know the visual order of the runs: that is what this module computes.
Explicit embedding and isolate controls never reach it (``clean_text`` removes format
characters), so rules X1-X10 reduce to one level run per line: W1-W7, N1-N2, I1-I2, L1-L2.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import regex

#: Languages written right to left: their paragraphs are RTL whatever the first letter is
#: ("SkyFly: טיסות …" is a Hebrew sentence that starts with a Latin brand).
RTL_LANGUAGES = frozenset({"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})

_STRONG = frozenset({"L", "R", "AL"})
_NEUTRAL = frozenset({"B", "S", "WS", "ON"})


def levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of each character of ``text`` in a paragraph whose base
    direction is right-to-left when ``rtl`` (level 1) and left-to-right otherwise (level 0)."""
    base = 1 if rtl else 0
    sos = "R" if rtl else "L"
    kinds = [_kind(c) for c in text]
    n = len(kinds)
    # W1: a non-spacing mark takes the type of the character before it.
    for i, k in enumerate(kinds):
        if k == "NSM":
            kinds[i] = kinds[i - 1] if i else sos
    # W2: European digits after Arabic letters are Arabic numbers; W3: AL is R.
    last = sos
    for i, k in enumerate(kinds):
        if k in _STRONG:
            last = k
        elif k == "EN" and last == "AL":
            kinds[i] = "AN"
    kinds = ["R" if k == "AL" else k for k in kinds]
    # W4: one separator between two numbers of the same kind joins them.
    for i in range(1, n - 1):
        k, before, after = kinds[i], kinds[i - 1], kinds[i + 1]
        if k == "ES" and before == after == "EN":
            kinds[i] = "EN"
        elif k == "CS" and before == after and before in ("EN", "AN"):
            kinds[i] = before
    # W5: terminators (%, currency signs) beside European digits are digits.
    for i, k in enumerate(kinds):
        if k != "ET":
            continue
        j = i
        while j < n and kinds[j] == "ET":
            j += 1
        if (i > 0 and kinds[i - 1] == "EN") or (j < n and kinds[j] == "EN"):
            for m in range(i, j):
                kinds[m] = "EN"
    # W6: remaining separators and terminators are neutral.
    kinds = ["ON" if k in ("ES", "ET", "CS") else k for k in kinds]
    # W7: European digits after a left-to-right letter count as L.
    last = sos
    for i, k in enumerate(kinds):
        if k in ("L", "R"):
            last = k
        elif k == "EN" and last == "L":
            kinds[i] = "L"
    # N1/N2: a run of neutrals between two strong types of one direction takes it, otherwise
    # the paragraph's direction. Numbers count as R for this.
    i = 0
    while i < n:
        if kinds[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and kinds[j] in _NEUTRAL:
            j += 1
        before = sos if i == 0 else _as_strong(kinds[i - 1])
        after = sos if j == n else _as_strong(kinds[j])
        fill = before if before == after else sos
        for m in range(i, j):
            kinds[m] = fill
        i = j
    # I1/I2: levels from the resolved types.
    out = []
    for k in kinds:
        if base == 0:
            out.append({"L": 0, "R": 1}.get(k, 2))
        else:
            out.append(1 if k == "R" else 2)
    # L1: trailing whitespace goes back to the paragraph level.
    for i in range(n - 1, -1, -1):
        if unicodedata.bidirectional(text[i]) not in ("WS", "S", "B", "BN"):
            break
        out[i] = base
    return out


RLM = "\u200f"
_NUMBER_START = regex.compile(r"\p{Bidi_Class=ET}*\p{Bidi_Class=EN}")


def mark_numbers(text: str) -> str:
    """``text`` of a right-to-left paragraph with a right-to-left mark before each number that
    follows Latin text across punctuation.

    Rule W7 joins such a number to the Latin words before it: "Staywell Hotels: 20% הנחה" is
    shown with "20%" at the far end of "Staywell Hotels:", away from its "הנחה", and reads out
    of order. After the mark the number starts the next right-to-left phrase. A number joined
    to a Latin word by spaces only ("iPhone 15 במבצע") stays with it: it is part of a name.
    The mark has no width, so measured lines keep their width.
    """
    out: list[str] = []
    last, punct = "R", False
    for i, char in enumerate(text):
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG:
            last, punct = kind, False
        elif last == "L" and punct and _NUMBER_START.match(text, i):
            out.append(RLM)
            last, punct = "R", False
        elif kind in ("CS", "ON", "ES"):
            punct = True
        out.append(char)
    return "".join(out)


def _kind(char: str) -> str:
    kind = unicodedata.bidirectional(char)
    if kind in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "BN", ""):
        return "ON"
    return kind


def _as_strong(kind: str) -> str:
    return "R" if kind in ("R", "EN", "AN") else kind


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """Rule L2: indices of runs (each at one level) in left-to-right display order."""
    order = list(range(len(run_levels)))
    if not order:
        return order
    top = max(run_levels)
    lowest_odd = min((lvl for lvl in run_levels if lvl % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and run_levels[order[j]] >= level:
                j += 1
            order[i:j] = reversed(order[i:j])
            i = j
    return order
