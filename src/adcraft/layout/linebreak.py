"""Line breaking: where text may break, kinsoku for CJK, and greedy filling of lines.

Text is cut into atoms, pieces that never break inside: words of space-separated scripts, and
single characters (with the punctuation kinsoku glues to them) of Chinese and Japanese. The
greedy filler works on atom widths measured elsewhere, so it never touches a font itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

import regex

# raqm rounds each glyph position to 1/64 px, so a line measured at one size and scaled to
# another can be off by up to this much per character; fitting keeps that much slack.
SLACK_PER_CHAR = 1 / 64

# A line may break at these; NBSP and its narrow/figure cousins are deliberately not here.
BREAKING_SPACE = regex.compile(r"[^\S\u00A0\u2007\u202F]+")
# Scripts written without spaces: any two of these characters may be split across lines.
_CHAR_BREAK = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303F\u30FB\u30FC\u3200-\u33FF"
    r"\uFF01-\uFF60\uFFE0-\uFFE6]"
)
# Words in these scripts are never split: a smaller size is better than a broken word.
_NO_SPLIT = regex.compile(r"[\p{Latin}\p{Greek}\p{Cyrillic}\p{Arabic}\p{Hebrew}\p{Nd}]")
_HANGUL = regex.compile(r"\p{Hangul}")
# Kinsoku: characters that may not start a line, and ones that may not end it.
_NO_START = frozenset(
    "、。，．・：；？！゛゜ヽヾゝゞ々〻’”）〕］｝〉》」』】〙〗〟｠»)]},.:;!?%‰°℃…‥،؛؟"
)
_NO_START_JA = frozenset(
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿーｰ〜～"
)
_NO_END = frozenset("（〔［｛〈《「『【〘〖〝｟«‘“([{￥＄￡＃")


class Atom(NamedTuple):
    """A piece of text that is never split across lines (unless ``splittable``)."""

    text: str
    space_before: bool
    """A breaking space separates it from the previous atom."""
    splittable: bool
    """May be broken between characters when it is wider than a whole line."""


@lru_cache(maxsize=8192)
def atoms(text: str, language: str) -> tuple[Atom, ...]:
    """Split ``text`` into unbreakable pieces: words, and single characters of CJK runs."""
    japanese = language.lower().startswith("ja")
    out: list[Atom] = []
    for word in BREAKING_SPACE.split(text.strip()):
        if not word:
            continue
        pieces = _pieces(word) if _CHAR_BREAK.search(word) else [word]
        for i, piece in enumerate(pieces):
            spaced = i == 0 and bool(out)
            if out and (_no_start(piece[0], japanese) or out[-1].text[-1] in _NO_END):
                prev = out.pop()  # kinsoku: glue to the previous atom
                glued = prev.text + (" " if spaced else "") + piece
                out.append(Atom(glued, prev.space_before, False))
            else:
                splittable = bool(_HANGUL.search(piece)) and not _NO_SPLIT.search(piece)
                out.append(Atom(piece, spaced, splittable))
    return tuple(out)


def _pieces(word: str) -> list[str]:
    """A space-less word cut into CJK characters and runs of everything else."""
    pieces: list[str] = []
    run = ""
    for cluster in regex.findall(r"\X", word):
        if _CHAR_BREAK.match(cluster):
            if run:
                pieces.append(run)
                run = ""
            pieces.append(cluster)
        else:
            run += cluster
    if run:
        pieces.append(run)
    return pieces


def _no_start(char: str, japanese: bool) -> bool:
    return char in _NO_START or (japanese and char in _NO_START_JA)


def _split_atom(atom: Atom, language: str) -> list[Atom]:
    """An over-long splittable word as its characters, still obeying kinsoku."""
    japanese = language.lower().startswith("ja")
    parts: list[str] = []
    for cluster in regex.findall(r"\X", atom.text):
        if parts and (_no_start(cluster[0], japanese) or parts[-1][-1] in _NO_END):
            parts[-1] += cluster
        else:
            parts.append(cluster)
    return [Atom(p, atom.space_before and i == 0, False) for i, p in enumerate(parts)]


def wrap(
    units: Sequence[Atom],
    widths: Sequence[float],
    space: float,
    max_width: float,
    max_lines: int,
    measure: Callable[[str], float],
    language: str,
) -> list[str] | None:
    """Greedy line breaking of ``units`` (from :func:`atoms`) whose advance ``widths`` are
    known; None if it needs more than max_lines lines or a word that may not be split is
    wider than a line. ``measure`` gives the width of the characters of a split word."""
    lines: list[str] = []
    line, line_w, line_chars = "", 0.0, 0
    queue = list(zip(units, widths, strict=True))
    queue.reverse()  # pop() from the end is O(1)
    while queue:
        atom, width = queue.pop()
        if line:
            gap = space if atom.space_before else 0.0
            chars = line_chars + len(atom.text) + atom.space_before
            if line_w + gap + width + chars * SLACK_PER_CHAR <= max_width:
                line += (" " if atom.space_before else "") + atom.text
                line_w += gap + width
                line_chars = chars
                continue
            lines.append(line)
            if len(lines) >= max_lines:
                return None
        if width + len(atom.text) * SLACK_PER_CHAR <= max_width:
            line, line_w, line_chars = atom.text, width, len(atom.text)
            continue
        if not atom.splittable:
            return None
        parts = _split_atom(atom, language)
        queue.extend((p, measure(p.text)) for p in reversed(parts))
        line, line_w, line_chars = "", 0.0, 0
    if line:
        lines.append(line)
    return lines if len(lines) <= max_lines else None
