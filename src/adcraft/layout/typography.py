"""Text measurement for layout: cleaning, script fallback, line breaking and size fitting.

Nothing here draws on a final canvas; it decides which face, size and lines a text gets.

Drawing convention (the renderer follows it, so what was measured is what gets drawn):

* ``font = get_font(fitted.face.id, fitted.size)`` (raqm layout).
* Line ``i`` is drawn at ``y = top + i * fitted.line_height`` with anchor ``"la"`` (x is the
  left edge) for ltr text or ``"ra"`` (x is the right edge) for rtl text (``"ma"`` centres),
  passing ``direction=fitted.direction`` and no ``language`` or ``features``.
* So the block's visual bottom is ``top + (n - 1) * line_height + ascent + descent`` with
  ``(ascent, descent) = line_metrics(font)``; that is ``fitted.height``.
* Widths are raqm advance widths (``font.getlength(line, direction=...)``); ink can overhang
  them by a pixel or two at the edges, which the layout's padding absorbs.

Speed: advance widths scale linearly with size (raqm positions glyphs unhinted, in 1/64 px), so
each word is measured once at a reference size and scaled for every candidate size, and a
candidate's lines are checked whole the same way. Every step is cached, so laying out a few
hundred creatives re-measures almost nothing.
"""

from __future__ import annotations

import math
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import regex
from PIL import ImageFont

from adcraft.layout import emoji, linebreak
from adcraft.layout.bidi import RTL_LANGUAGES
from adcraft.layout.fonts import (
    EMOJI_FACE,
    FontFace,
    Weight,
    all_coverage,
    draws,
    face_runs,
    fallback_chain,
    font_path,
    get_font,
    is_color_emoji,
    resolve_face,
    scaled_metrics,
)
from adcraft.layout.linebreak import BREAKING_SPACE, SLACK_PER_CHAR
from adcraft.render.textengine import open_font

__all__ = [
    "Direction",
    "FittedText",
    "FontFace",
    "Weight",
    "clean_text",
    "fit_text",
    "font_path",
    "get_font",
    "line_metrics",
    "paragraph_direction",
    "resolve_face",
    "text_direction",
    "wrap_lines",
]

Direction = Literal["ltr", "rtl"]

_REF_SIZE = 1000
_NO_BREAK_SPACE = regex.compile(r"[\u2007\u202F]")
_SPACED_NBSP = regex.compile(r"\s*\u00A0\s*")

_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")
# Stand-ins for the emoji clusters clean_text keeps: supplementary private use area B, which
# no face maps and no input keeps (clean_text removes private-use characters).
_KEPT_BASE = 0x100000
_KEPT = regex.compile(r"[\U00100000-\U0010FFFD]")


def _kept(char: str) -> bool:
    return ord(char) >= _KEPT_BASE


_EMOJI_GAP_BEFORE_PUNCT = regex.compile(r"[^\S\u00A0]*\0[\s\0]*(?=[.,!?:;)\]}»、。，！？）])")
# Format and control characters, variation selectors and stray keycap marks draw nothing;
# except ZWNJ between two Arabic-script letters, which breaks their joining on purpose.
_INVISIBLE = regex.compile(
    r"(?!(?<=\p{Arabic})\u200C(?=\p{Arabic}))"
    r"[\p{Cf}\p{Cc}\uFE00-\uFE0F\U000E0100-\U000E01EF\u20E3]"
)


@dataclass(frozen=True)
class FittedText:
    """A text block sized and broken into lines for one box (see the module docstring)."""

    lines: tuple[str, ...]
    face: FontFace
    size: int
    """Font size in px."""
    line_height: int
    """Baseline-to-baseline distance in px."""
    width: int
    """Advance width of the widest line in px, rounded up."""
    height: int
    """Block height in px: ``line_height * (n - 1) + ascent + descent``."""
    direction: Direction


def paragraph_direction(language: str) -> Direction:
    """Base direction of every paragraph of a brief in ``language`` (a BCP 47 tag)."""
    lang = language.lower().replace("_", "-").split("-")[0]
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def text_direction(text: str) -> Direction:
    """Base direction of ``text``: that of its first strong bidi character (ltr if none)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def line_metrics(font: ImageFont.FreeTypeFont) -> tuple[int, int]:
    """(ascent, descent) of ``font`` in px, both positive."""
    ascent, descent = font.getmetrics()
    return ascent, descent


def clean_text(text: str) -> tuple[str, list[str]]:
    """Text ready to lay out, plus warnings for every emoji drawn and anything removed
    (emoji the bundled emoji face lacks, characters no face draws)."""
    text = unicodedata.normalize("NFC", text)
    drawable = all_coverage()
    removed: list[str] = []
    kept: list[str] = []
    stray = [c for c in text if _kept(c)]  # private use: nothing draws them
    if stray:
        text = _KEPT.sub("", text)

    def sort_emoji(match: regex.Match[str]) -> str:
        found = match.group(0)
        base = found.rstrip("\ufe0e")
        # A text-style symbol (©, ™, ↔, ❤ without U+FE0F) that a bundled face draws is
        # typography, not emoji.
        if len(base) == 1 and ord(base) in drawable and not _EMOJI_PRESENTATION.match(base):
            return base
        if is_color_emoji(found):
            kept.append(found)
            # A private-use stand-in keeps the cluster whole through the passes below, which
            # would strip its joiners and selectors.
            return chr(_KEPT_BASE + len(kept) - 1)
        bare = base.replace("\ufe0f", "")
        if len(bare) == 1 and ord(bare) in drawable:
            return bare  # "©️" the emoji face lacks: the text symbol says the same
        removed.append(found)
        return "\0"

    text = emoji.CLUSTER.sub(sort_emoji, text) if emoji.has_candidate(text) else text
    # Where an emoji went, words stay apart, but "Sale 🔥!" becomes "Sale!" not "Sale !".
    text = _EMOJI_GAP_BEFORE_PUNCT.sub("", text).replace("\0", " ")
    text = BREAKING_SPACE.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _NO_BREAK_SPACE.sub("\u00a0", text)  # U+00A0 is in every face, its cousins aren't
    missing = [c for c in text if ord(c) not in drawable and c != "\u200c" and not _kept(c)]
    missing = stray + missing
    if missing:
        gone = set(missing)
        text = "".join(c for c in text if c not in gone)
    text = _SPACED_NBSP.sub("\u00a0", text)  # "10 \u00a0 %" keeps just the no-break space
    text = BREAKING_SPACE.sub(" ", text).strip()
    if kept:
        text = _KEPT.sub(lambda m: kept[ord(m.group(0)) - _KEPT_BASE], text)

    warnings = []
    if kept:
        listed = ", ".join(f"'{e}'" for e in dict.fromkeys(kept))
        warnings.append(f"emoji drawn: {listed} (in colour, Noto Color Emoji)")
    if removed:
        listed = ", ".join(f"'{e}'" for e in dict.fromkeys(removed))
        warnings.append(f"removed emoji {listed}: not in the bundled emoji font")
    if missing:
        listed = ", ".join(_describe(c) for c in dict.fromkeys(missing))
        warnings.append(f"removed {listed}: no bundled font can draw it")
    return text, warnings


def _describe(char: str) -> str:
    """``'ᚠ' (U+16A0 RUNIC LETTER FEHU FEOH FE F)``; unprintable ones by code point only."""
    name = unicodedata.name(char, "unnamed character")
    shown = f"'{char}' " if char.isprintable() else ""
    return f"{shown}(U+{ord(char):04X} {name})"


# -- line breaking --------------------------------------------------------------------------


@cache
def _ref_font(path: str) -> ImageFont.FreeTypeFont:
    return open_font(path, _REF_SIZE)  # raqm, or the basic engine where raqm is missing


@lru_cache(maxsize=1 << 16)
def _em_width(path: str, text: str, direction: Direction) -> float:
    """Advance width of ``text`` per px of font size, measured once at the reference size."""
    return _ref_font(path).getlength(text, direction=direction) / _REF_SIZE


def text_em_width(face: FontFace, text: str, direction: Direction) -> float:
    """Advance width per px of size of ``text`` drawn run by run in ``face``'s fallback chain
    (exactly what the renderer draws: the same runs at the same size)."""
    runs = face_runs(text, face)
    if len(runs) == 1 and runs[0][1] != EMOJI_FACE:
        return _em_width(str(runs[0][1].path), text, direction)
    return sum(
        emoji.em_width(part) if f == EMOJI_FACE else _em_width(str(f.path), part, direction)
        for part, f in runs
    )


def wrap_lines(
    text: str,
    font: ImageFont.FreeTypeFont,
    max_width: int,
    language: str,
    direction: Direction,
    face: FontFace | None = None,
) -> list[str] | None:
    """Break ``text`` into lines no wider than ``max_width`` at ``font``'s size.

    Greedy by words; text in scripts written without spaces (Chinese, Japanese) breaks between
    characters with kinsoku (no line starts with closing punctuation such as ，。、！？）」 or
    ends with opening punctuation such as （「; Japanese also keeps small kana and ー off line
    starts). A Hangul word wider than the line is split between syllables; a Latin, Greek,
    Cyrillic, Arabic, Hebrew or numeric one gives None: the caller should try a smaller size.
    A group of words the language rules keep together ("from 249 €") wider than the line gives
    None too.
    """
    path = font.path if isinstance(font.path, str) else None
    size = float(font.size)

    def measure(part: str) -> float:
        if face is not None:  # measured as drawn: per run, with the fallback faces
            return text_em_width(face, part, direction) * size
        if path is None:  # a font opened from bytes: nothing to key a cache on
            return font.getlength(part, direction=direction)
        return _em_width(path, part, direction) * size

    atoms = linebreak.atoms(text, language)
    widths = [measure(a.text) for a in atoms]
    args = (atoms, widths, measure(" "), max_width, sys.maxsize, measure, language)
    return linebreak.wrap(*args)


# -- fitting --------------------------------------------------------------------------------


def fit_text(
    text: str,
    face: FontFace,
    *,
    box_w: int,
    box_h: int,
    max_size: int,
    min_size: int,
    max_lines: int,
    language: str,
    line_spacing: float = 1.15,
    direction: Direction | None = None,
    hyphenate: bool = False,
    min_hyphenated: int = linebreak.MIN_HYPHENATED,
    balance: bool = False,
    names: tuple[str, ...] = (),
) -> FittedText | None:
    """The largest size in [min_size, max_size] at which ``text`` wraps into at most
    ``max_lines`` lines that fit ``box_w`` x ``box_h``; None if even ``min_size`` does not.

    The paragraph direction is ``direction``, by default the language's
    (:func:`paragraph_direction`); the bidi algorithm orders mixed text inside it. With
    ``hyphenate``, words of at least ``min_hyphenated`` letters in a language that hyphenates
    may be hyphenated when the text would otherwise not fit or only at under 70% of
    ``max_size`` (a narrow banner). With ``balance``, lines are made as even as the same
    number of lines allows (what CSS calls ``text-wrap: balance``): a headline reads
    "TRAIL 3 | CAMPING TENT", not "TRAIL 3 CAMPING | TENT". ``names`` are product names whose
    model number never starts a line ("Nova | 12").

    A group the language rules keep together ("from 249 €") wider than the box at ``min_size``
    gives None, so the layout shortens the copy or leaves the field out ("250 | €" is the
    kind of break a reader trips on)."""
    if min_size < 1 or max_size < min_size:
        raise ValueError(f"need 1 <= min_size <= max_size, got {min_size}..{max_size}")
    if max_lines < 1 or line_spacing <= 0:
        raise ValueError("max_lines must be at least 1 and line_spacing positive")
    direction = direction or paragraph_direction(language)
    args = (text, face, box_w, box_h, max_size, min_size, max_lines, language, line_spacing)
    plain = _fit_phrases(args, direction, False, min_hyphenated, balance, names)
    if not hyphenate or (plain is not None and plain.size >= _HYPHENATE_BELOW * max_size):
        fitted = plain
    else:
        hyphenated = _fit_phrases(args, direction, True, min_hyphenated, balance, names)
        keep = hyphenated is None or (plain is not None and hyphenated.size < plain.size * 1.15)
        fitted = plain if keep else hyphenated
    return fitted


# Hyphenating is worth it only when it keeps text clearly larger than not hyphenating.
_HYPHENATE_BELOW = 0.7
# A phrase kept on one line ("3 gece kal, 2 gece öde", "החל מ-59.90 ₪ לחודש") may break at its
# comma or before the price's period where keeping it whole would set the text this many times
# smaller: in a narrow column a headline shrunk from 20 to 13 px reads worse.
_PHRASE_GAIN = 1.25


# What _fit takes before its ``direction``: text, face, box width and height, largest and
# smallest size, most lines, language and line spacing.
_FitArgs = tuple[str, FontFace, int, int, int, int, int, str, float]


def _fit_phrases(
    args: _FitArgs,
    direction: Direction,
    hyphenate: bool,
    min_hyphenated: int,
    balance: bool,
    names: tuple[str, ...],
) -> FittedText | None:
    """:func:`_fit` with the deal phrases whole, or broken at a comma inside them or before a
    price's period (``linebreak.atoms(loose=True)``) where that sets the text at least
    :data:`_PHRASE_GAIN` times larger, or fits where whole does not. Every other group ("3 по
    цене 2", "59.90 ₪", "200 МП", "Nova 12") stays whole either way."""
    max_size = args[4]
    rest = (direction, hyphenate, min_hyphenated, balance, names)
    whole = _fit(*args, *rest, False)
    if whole is not None and whole.size * _PHRASE_GAIN > max_size:
        return whole  # no size to gain
    broken = _fit(*args, *rest, True)
    if broken is None or (whole is not None and broken.size < whole.size * _PHRASE_GAIN):
        return whole
    return broken


@lru_cache(maxsize=16384)
def _fit(
    text: str,
    face: FontFace,
    box_w: int,
    box_h: int,
    max_size: int,
    min_size: int,
    max_lines: int,
    language: str,
    line_spacing: float,
    direction: Direction,
    hyphenate: bool,
    min_hyphenated: int,
    balance: bool,
    names: tuple[str, ...] = (),
    loose: bool = False,
) -> FittedText | None:
    if box_w <= 0 or box_h <= 0:
        return None
    atoms = linebreak.atoms(text, language, names, loose=loose)
    if not atoms:
        return FittedText((), face, max_size, _line_height(max_size, line_spacing), 0, 0, direction)
    em = [text_em_width(face, a.text, direction) for a in atoms]
    em_space = text_em_width(face, " ", direction)

    def wrap_at(size: int, width: float, fit_lines: int) -> list[str] | None:
        def measure(part: str) -> float:
            return text_em_width(face, part, direction) * size

        widths = [w * size for w in em]
        args = (atoms, widths, em_space * size, width, fit_lines, measure, language)
        return linebreak.wrap(*args, hyphenate, min_hyphenated)

    def shaped_fit(size: int, lines: list[str]) -> bool:
        # The greedy pass summed word widths; a whole line can differ (kerning across a
        # space, bidi runs), so check each line as raqm shapes it.
        return all(
            text_em_width(face, line, direction) * size + len(line) * SLACK_PER_CHAR <= box_w
            for line in lines
        )

    def lines_at(size: int) -> list[str] | None:
        ascent, descent = scaled_metrics(face, size)
        spare = box_h - ascent - descent
        if spare < 0:
            return None
        fit_lines = min(max_lines, 1 + spare // _line_height(size, line_spacing))
        lines = wrap_at(size, box_w, fit_lines)
        return lines if lines is not None and shaped_fit(size, lines) else None

    size, lines = _largest(min_size, max_size, lines_at)
    if lines is None:
        return None
    # Balancing narrows the measure, so it must not buy evenness with a phrase broken
    # between characters or a word hyphenated that was whole, nor break more glued groups.
    if balance and len(lines) > 1 and not any(a.splittable for a in atoms):
        count = len(lines)
        even = _balanced(lambda width: wrap_at(size, width, count), box_w)
        if even is not None and _hyphens(even) <= _hyphens(lines) and shaped_fit(size, even):
            lines = even
    line_height = _line_height(size, line_spacing)
    ascent, descent = scaled_metrics(face, size)
    width = max(text_em_width(face, line, direction) for line in lines) * size
    return FittedText(
        lines=tuple(lines),
        face=face,
        size=size,
        line_height=line_height,
        width=math.ceil(width - 1e-6),
        height=line_height * (len(lines) - 1) + ascent + descent,
        direction=direction,
    )


def _hyphens(lines: list[str]) -> int:
    return sum(line.endswith("-") for line in lines)


def _balanced(wrap_at: Callable[[float], list[str] | None], box_w: int) -> list[str] | None:
    """The lines at the narrowest width that still needs no more lines than ``box_w`` does:
    greedy filling at that width spreads the words evenly over the lines."""
    lo, hi = 1, box_w
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        lines = wrap_at(mid)
        if lines is None:
            lo = mid + 1
        else:
            best, hi = lines, mid - 1
    return best


def _largest(
    lo: int, hi: int, lines_at: Callable[[int], list[str] | None]
) -> tuple[int, list[str] | None]:
    """Binary search for the largest size whose ``lines_at`` is not None.

    Fitting is monotone in size up to pixel rounding of metrics, so this finds the largest
    size or one within a pixel of it. The top size is tried first: roomy boxes are common.
    """
    top = lines_at(hi)
    if top is not None:
        return hi, top
    best: tuple[int, list[str] | None] = (lo, lines_at(lo))
    if best[1] is None:
        return best
    lo, hi = lo + 1, hi - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        lines = lines_at(mid)
        if lines is None:
            hi = mid - 1
        else:
            best = (mid, lines)
            lo = mid + 1
    return best


def _line_height(size: int, line_spacing: float) -> int:
    return max(1, round(size * line_spacing))


# Typographic characters some faces lack, and the plain forms every face has.
_PLAIN_FORMS = {
    "\u2212": "-",  # minus sign
    "\u2010": "-",
    "\u2011": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
}


def fallback_faces(lines: tuple[str, ...], face: FontFace) -> tuple[str, ...]:
    """Ids of the faces other than ``face`` that draw some run of ``lines``, in chain order."""
    used = {f for line in lines for _, f in face_runs(line, face)} - {face}
    colour = (EMOJI_FACE.id,) if EMOJI_FACE in used else ()
    return tuple(f.id for f in fallback_chain(face) if f in used) + colour


def drawable(text: str, face: FontFace) -> str:
    """``text`` with characters neither the face nor its fallback chain can draw replaced by
    plain forms, or removed: a stray sign must never come out as a tofu box. Colour emoji
    clusters are kept whole."""
    if emoji.has_candidate(text):
        return "".join(
            c if is_color_emoji(c) else _drawable_chars(c, face) for c in _GRAPHEME.findall(text)
        )
    return _drawable_chars(text, face)


_GRAPHEME = regex.compile(r"\X")


def _drawable_chars(text: str, face: FontFace) -> str:
    out = []
    for ch in text:
        if ch.isspace() or draws(face, ch):
            out.append(ch)
        elif ch in _PLAIN_FORMS:
            out.append(_PLAIN_FORMS[ch])
    return "".join(out)
