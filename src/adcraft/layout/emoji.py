"""Colour emoji: which clusters the bundled emoji face draws, and how wide they are.

The face is a subset of Noto Color Emoji (``render/fonts/NotoColorEmoji.ttf``, built by
``scripts/build_fonts.py``): colour PNG bitmaps in a single 109 px strike, which FreeType opens
at that size only. So an emoji is measured and drawn at the strike and scaled to the text size:
its advance is the strike's advance times ``size * SCALE / STRIKE`` (every glyph of the face
has the same advance), and the renderer resamples the bitmap by the same factor.

An emoji *cluster* is what :data:`CLUSTER` matches: a pictograph with its variation selector,
skin tone and zero-width-joined parts, a keycap, or a flag. It is drawn in colour when it asks
for emoji presentation (U+FE0F, a pictograph that is emoji by default, a sequence, or a
text-default pictograph no text face has) and the face draws all of it as one glyph. "❤" or "✓"
without U+FE0F are text symbols and stay in the text faces, in the text colour.
"""

from __future__ import annotations

from collections.abc import Container
from functools import cache, lru_cache
from pathlib import Path

import regex
from PIL import ImageFont

from adcraft.layout.sfnt import parse_cmap, table
from adcraft.render.textengine import has_raqm

EMOJI_FILE = Path(__file__).resolve().parent.parent / "render" / "fonts" / "NotoColorEmoji.ttf"
EMOJI_ID = EMOJI_FILE.stem
"""The face id the manifest lists in ``fallback_fonts`` for an element with colour emoji."""
STRIKE = 109
"""The only pixel size the bitmap font has."""
SCALE = 0.85
"""Emoji size relative to the text size. Browsers draw the 136x128 bitmap of the 109 px strike
at the text's px size (1.17 em tall); ad headlines are set tight (line spacing down to 1.04), where
that makes emoji of two lines touch. At 0.85 an emoji is 1.06 em wide and 1 em tall (0.79 em
above the baseline, 0.21 em below): the height of the line's capitals and descenders."""

CLUSTER = regex.compile(
    r"""
      \p{RI}\p{RI}                                     # flag
    | [\#*0-9]\uFE0F?\u20E3                            # keycap
    | \U0001F3F4[\U000E0020-\U000E007E]+\U000E007F     # subdivision flag
    | (?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{RI})[\uFE0E\uFE0F\p{Emoji_Modifier}]*
      (?:\u200D(?:\p{Extended_Pictographic}|\p{Emoji_Modifier})[\uFE0E\uFE0F\p{Emoji_Modifier}]*)*
    """,
    regex.VERBOSE,
)
# A character that may start or be part of an emoji: text without one needs no emoji work.
_HINT = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{RI}\u20E3\uFE0F]")
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")


def has_candidate(text: str) -> bool:
    """Whether ``text`` has any character an emoji cluster is made of (a cheap first test)."""
    return _HINT.search(text) is not None


def key(cluster: str) -> str:
    """What the face shapes for ``cluster``: the variation selector U+FE0F is not in its cmap
    (its ligatures are written without it), so it is left out."""
    return cluster.replace("\ufe0f", "")


def wants_emoji(cluster: str, text_drawable: Container[int]) -> bool:
    """Whether ``cluster`` asks to be an emoji rather than a text symbol: U+FE0F, a pictograph
    that is emoji by default (🔥), a sequence (👍🏽, ❤️‍🔥, 1️⃣), or a text-default pictograph that
    no text face can draw (``text_drawable`` is the text faces' coverage). U+FE0E asks for text."""
    if cluster.endswith("\ufe0e"):
        return False
    if len(cluster) > 1:
        return True
    return bool(_EMOJI_PRESENTATION.match(cluster)) or ord(cluster) not in text_drawable


@cache
def available() -> bool:
    """Whether the emoji face is installed (a package built without it removes every emoji)."""
    return EMOJI_FILE.is_file()


@cache
def coverage() -> frozenset[int]:
    """Code points the emoji face maps (pictographs and the parts of its sequences)."""
    data = table(EMOJI_FILE, b"cmap") if available() else None
    return frozenset(parse_cmap(data)) if data else frozenset()


@cache
def strike_font() -> ImageFont.FreeTypeFont:
    """The emoji face at its strike size, shaped by raqm (ligatures build the sequences)."""
    engine = ImageFont.Layout.RAQM if has_raqm() else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(EMOJI_FILE), STRIKE, layout_engine=engine)


@cache
def _glyph_advance() -> float:
    return strike_font().getlength("\U0001f525")  # 🔥: every glyph has this advance


@lru_cache(maxsize=4096)
def draws(cluster: str) -> bool:
    """Whether the emoji face draws ``cluster`` as one glyph: every part is in its cmap and
    shaping gives a single advance (a ZWJ sequence the subset has no ligature for would come
    out as its parts side by side)."""
    if not available():
        return False
    shaped = key(cluster)
    if not shaped or not all(ord(c) in coverage() for c in shaped):
        return False
    if len(shaped) > 1 and not has_raqm():
        return False  # the basic engine applies no ligatures: a sequence would fall apart
    return abs(strike_font().getlength(shaped) - _glyph_advance()) < 0.5


def clusters(text: str) -> list[str]:
    """``text`` (a run of emoji) as its clusters, in logical order."""
    return [m.group(0) for m in CLUSTER.finditer(text)]


def em_width(text: str) -> float:
    """Advance width per px of text size of a run of emoji clusters."""
    return len(clusters(text)) * _glyph_advance() * SCALE / STRIKE
