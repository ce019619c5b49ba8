"""The bundled font registry: face ids, loading, character coverage and script fallback.

A face id is a file stem in ``adcraft/render/fonts`` (``Inter-Bold``, ``NotoSansSC-Regular``),
``<Family>-<Style>`` where Style is Regular, SemiBold, Bold or ExtraBold. Fonts are loaded
through Pillow with the raqm layout engine so Arabic and Hebrew are shaped and reordered.
Coverage is read from each face's ``cmap`` table with a small parser, so nothing beyond Pillow
is needed at run time.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

import regex
from PIL import ImageFont

from adcraft.errors import InputError
from adcraft.layout import emoji
from adcraft.layout.sfnt import parse_cmap as _parse_cmap
from adcraft.layout.sfnt import table as _table
from adcraft.render.textengine import open_font

Weight = Literal["regular", "semibold", "bold", "extrabold"]

FONTS_DIR = Path(__file__).resolve().parent.parent / "render" / "fonts"
"""Where the bundled faces live (see FONTS.md there for their sources and licences)."""

#: Families a style may ask for; every other bundled family is a script fallback.
STYLE_FAMILIES = (
    "Inter",
    "Poppins",
    "Montserrat",
    "PlayfairDisplay",
    "Oswald",
    "BebasNeue",
    "DMSerifDisplay",
    "NotoSans",
)
_STYLE_WEIGHTS = {"Regular": 400, "SemiBold": 600, "Bold": 700, "ExtraBold": 800}
_WEIGHT_VALUES: dict[Weight, int] = {
    "regular": 400,
    "semibold": 600,
    "bold": 700,
    "extrabold": 800,
}
_CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
# Characters no face has to map: the space every font has anyway, and ZWNJ, which HarfBuzz
# treats as default-ignorable (it only steers Arabic joining and never draws a glyph).
_EXEMPT = frozenset({0x20, 0x200C})
_ARABIC = regex.compile(r"[\p{Arabic}\p{Syriac}\p{Thaana}]")
_HEBREW = regex.compile(r"\p{Hebrew}")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Bopomofo}]")
# Symbols that are pictures, not letters, digits, punctuation or currency.
_PICTOGRAPHS = regex.compile(r"\p{So}")


@dataclass(frozen=True)
class FontFace:
    """One bundled font file."""

    id: str
    """File stem, e.g. ``Inter-Bold``; this is what a layout records."""
    path: Path


@cache
def faces() -> dict[str, FontFace]:
    """Every bundled face by id."""
    found = sorted(p for p in FONTS_DIR.iterdir() if p.suffix.lower() in (".ttf", ".otf"))
    # The colour emoji face is a bitmap font usable at one size only: it is no text face and
    # is reached through EMOJI_FACE (see adcraft.layout.emoji).
    return {p.stem: FontFace(p.stem, p) for p in found if p.stem != emoji.EMOJI_ID}


EMOJI_FACE = FontFace(emoji.EMOJI_ID, emoji.EMOJI_FILE)
"""The colour emoji face: a run of emoji clusters in :func:`face_runs` carries it."""


def font_path(face_id: str) -> Path:
    """The file of a bundled face; raises InputError for an unknown id."""
    return _face(face_id).path


def _face(face_id: str) -> FontFace:
    if face_id == EMOJI_FACE.id and emoji.available():
        return EMOJI_FACE
    try:
        return faces()[face_id]
    except KeyError:
        known = ", ".join(faces())
        raise InputError(f"unknown font {face_id!r}: the bundled faces are {known}") from None


def get_font(face_id: str, size: int) -> ImageFont.FreeTypeFont:
    """A bundled face at ``size`` px, shaped with raqm; cached."""
    if size < 1:
        raise ValueError(f"font size must be at least 1 px, got {size}")
    return _load_font(font_path(face_id), size)


# A typed function in front of each cache: lru_cache wrappers accept any arguments.
@lru_cache(maxsize=512)
def _load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return open_font(path, size)  # raqm, or the basic engine where raqm is missing


def split_id(face_id: str) -> tuple[str, int | None]:
    """(family, CSS weight) of a face id; weight is None for a style name we don't rank."""
    family, _, style = face_id.rpartition("-")
    return (family, _STYLE_WEIGHTS.get(style)) if family else (face_id, None)


@cache
def family_faces(family: str) -> dict[int, FontFace]:
    """The faces of one family by CSS weight (400, 600, 700, 800)."""
    out: dict[int, FontFace] = {}
    for face in faces().values():
        fam, weight = split_id(face.id)
        if fam == family and weight is not None:
            out[weight] = face
    return out


def nearest_weight(family: str, weight: Weight) -> FontFace:
    """The face of ``family`` closest to ``weight``; on a tie the heavier one."""
    options = family_faces(family)
    if not options:
        raise InputError(
            f"unknown font family {family!r}: choose one of {', '.join(STYLE_FAMILIES)}"
        )
    want = _WEIGHT_VALUES[weight]
    # Headlines are what ask for in-between weights; rounding up keeps them punchy.
    best = min(options, key=lambda w: (abs(w - want), -w))
    return options[best]


# -- coverage -------------------------------------------------------------------------------


@cache
def coverage(face: FontFace) -> frozenset[int]:
    """Code points the face maps to a real glyph (not .notdef)."""
    data = _table(face.path, b"cmap")
    return frozenset(_parse_cmap(data)) if data else frozenset()


@cache
def all_coverage() -> frozenset[int]:
    """Code points at least one bundled face can draw, private-use ones excluded."""
    out: set[int] = set(_EXEMPT)
    for face in faces().values():
        out |= coverage(face)
    # A private-use code point is a different glyph in every font (Inter's are icons), so
    # text that carries one cannot mean anything we know how to draw.
    return frozenset(c for c in out if not (0xE000 <= c <= 0xF8FF or c >= 0xF0000))


def covers(face: FontFace, text: str) -> bool:
    """True when ``face`` can draw every character of ``text``."""
    cmap = coverage(face)
    return all(ord(c) in cmap or ord(c) in _EXEMPT for c in set(text))


def scaled_metrics(face: FontFace, size: int) -> tuple[int, int]:
    """(ascent, descent) in px exactly as ``get_font(face.id, size).getmetrics()`` gives them.

    Computed from the hhea table the way FreeType scales it (16.16 fixed point, ascender
    rounded up and descender down to whole pixels), because opening a face per candidate
    size costs ~0.5 ms for the CJK font and fit_text tries many sizes.
    """
    return _scaled_metrics(face, size)


@lru_cache(maxsize=8192)
def _scaled_metrics(face: FontFace, size: int) -> tuple[int, int]:
    upem, ascender, descender = _vertical_metrics(face)
    if not ascender and not descender:  # FreeType would fall back to OS/2: let it
        ascent, descent = get_font(face.id, size).getmetrics()
        return ascent, descent
    y_scale = (size * 64 * 65536 + upem // 2) // upem  # FT_DivFix(size in 26.6, upem)
    asc = _mul_fix(ascender, y_scale)
    desc = _mul_fix(descender, y_scale)
    return (asc + 63) // 64, -(desc // 64)  # FT_PIX_CEIL / FT_PIX_FLOOR, then whole px


def _mul_fix(a: int, b: int) -> int:
    """FreeType's FT_MulFix: (a*b) / 65536 rounded half away from zero."""
    c = (abs(a) * b + 0x8000) >> 16
    return -c if a < 0 else c


@cache
def _vertical_metrics(face: FontFace) -> tuple[int, int, int]:
    """(unitsPerEm, hhea ascender, hhea descender) in font units."""
    head, hhea = _table(face.path, b"head"), _table(face.path, b"hhea")
    if not head or not hhea:
        raise InputError(f"{face.path} has no head/hhea table: it is not a usable font")
    upem = struct.unpack_from(">H", head, 18)[0]
    ascender, descender = struct.unpack_from(">hh", hhea, 4)
    return upem, ascender, descender


# -- fallback -------------------------------------------------------------------------------

_SCRIPT_FAMILY = {"ar": "NotoSansArabic", "fa": "NotoSansArabic", "ur": "NotoSansArabic"}
_SCRIPT_FAMILY.update({"he": "Heebo", "yi": "Heebo", "iw": "Heebo"})
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_TRADITIONAL_TAGS = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")
#: Faces every chain ends with, after the primary face.
_FALLBACK_FAMILIES = (
    "NotoSans",
    "NotoSansMulti",
    "NotoSansSC",
    "NotoSansArabic",
    "Heebo",
    "NotoSansSymbols2",
)
# A mark or joiner stays in the run of the character it belongs to.
_CLUSTER = regex.compile(r"\X")


def cjk_family(language: str, text: str = "") -> str:
    """The CJK face for a language tag: Japanese forms for ``ja``, Traditional Chinese for
    ``zh-Hant``/``zh-TW``/``zh-HK``, Simplified Chinese otherwise (Korean included: the Hangul
    of Noto Sans CJK is one design in every regional face). Kana in text of another language
    marks it as Japanese."""
    tag = language.lower().replace("_", "-")
    if tag.split("-")[0] == "ja":
        return "NotoSansJP"
    if tag.startswith(_TRADITIONAL_TAGS):
        return "NotoSansTC"
    if not tag.startswith(("zh", "ko")) and _KANA.search(text):
        return "NotoSansJP"
    return "NotoSansSC"


def resolve_face(text: str, family: str, weight: Weight, language: str) -> FontFace:
    """The primary face to draw ``text`` in.

    A language whose script the style families lack (Arabic, Hebrew, Chinese, Japanese,
    Korean) gets its script's face for every element, so a creative never mixes, say, a serif
    Latin badge with a sans Arabic headline; otherwise the style's family if it covers the
    text, else the first script fallback that does, else the one that covers most of it.
    Characters the primary face lacks are drawn from :func:`fallback_chain`, run by run.
    """
    return _resolve_face(text, family, weight, language)


@lru_cache(maxsize=4096)
def _resolve_face(text: str, family: str, weight: Weight, language: str) -> FontFace:
    if emoji.has_candidate(text):
        text = without_color_emoji(text)  # drawn by the emoji face, whatever the text face
    candidates = _candidates(text, family, language)
    faces_ = [nearest_weight(f, weight) for f in candidates]
    # A pictographic symbol (★ ✓ ❤ ✈) is drawn from a fallback face run by run: it never takes
    # the whole text away from the style's family (a ★ set "STRIDE ROAD: ★ 4.8" in Noto Sans
    # CJK instead of the style's Montserrat, unlike every other line of the set).
    words = _PICTOGRAPHS.sub("", text)
    for face in faces_:
        if covers(face, words):
            return face
    # No single face has everything (e.g. Chinese beside Arabic): take the one missing least
    # (the earliest on a tie); the per-run fallback draws the rest.
    chars = set(text)
    return max(faces_, key=lambda f: sum(ord(c) in coverage(f) for c in chars))


def _candidates(text: str, family: str, language: str) -> list[str]:
    """Families to try in order for ``text``."""
    if family not in STYLE_FAMILIES:
        raise InputError(
            f"unknown font family {family!r}: choose one of {', '.join(STYLE_FAMILIES)}"
        )
    lang = language.lower().replace("_", "-").split("-")[0]
    order: list[str] = []
    if lang in _CJK_LANGUAGES or _CJK.search(text):
        # One CJK face for the whole block keeps Latin and Han on the same baseline and weight.
        order.append(cjk_family(language, text))
    if lang in _SCRIPT_FAMILY:
        order.append(_SCRIPT_FAMILY[lang])
    order.append(family)
    if _ARABIC.search(text):
        order += ["NotoSansArabic", "NotoSansMulti"]
    if _HEBREW.search(text):
        order += ["Heebo", "NotoSansMulti"]
    order += ["NotoSans", "NotoSansMulti", "NotoSansSC", "NotoSansArabic", "Heebo"]
    return list(dict.fromkeys(order))


@cache
def fallback_chain(face: FontFace) -> tuple[FontFace, ...]:
    """``face`` then the faces that draw what it lacks, at its weight, in order of preference.

    A regional CJK face falls back to NotoSansSC for the rare Han it leaves out, and every
    chain ends in the symbol face (❤ ✓ ★), so any character some bundled face has is drawn.
    """
    _, weight = split_id(face.id)
    want: Weight = "bold" if (weight or 400) >= 700 else "regular"
    out = [face]
    for fam in _FALLBACK_FAMILIES:
        if family_faces(fam):
            out.append(nearest_weight(fam, want))
    return tuple(dict.fromkeys(out))


def face_runs(text: str, face: FontFace) -> tuple[tuple[str, FontFace], ...]:
    """``text`` cut into runs, each with the first face of ``face``'s chain that draws it.

    Grapheme clusters stay whole; whatever the primary face has is drawn in it, except that
    spaces and punctuation stay in the run they sit in, so a run changes face only where it
    must. A colour emoji cluster goes to :data:`EMOJI_FACE`. A character no face has stays in
    the primary run (``clean_text`` removes those).
    """
    return _face_runs(text, face)


@lru_cache(maxsize=16384)
def _face_runs(text: str, face: FontFace) -> tuple[tuple[str, FontFace], ...]:
    may_have_emoji = emoji.has_candidate(text)
    if not may_have_emoji and covers(face, text):
        return ((text, face),)
    chain = fallback_chain(face)
    runs: list[tuple[str, FontFace]] = []
    for cluster in _CLUSTER.findall(text):
        current = runs[-1][1] if runs else face
        if may_have_emoji and is_color_emoji(cluster):
            pick = EMOJI_FACE
        elif not covers(face, cluster):
            pick = next((f for f in chain if covers(f, cluster)), face)
        elif (
            current is not EMOJI_FACE
            and not any(c.isalnum() for c in cluster)
            and _maps(current, cluster)
        ):
            pick = current
        else:
            pick = face
        if runs and runs[-1][1] == pick:
            runs[-1] = (runs[-1][0] + cluster, pick)
        else:
            runs.append((cluster, pick))
    return tuple(runs)


def is_color_emoji(cluster: str) -> bool:
    """Whether the grapheme ``cluster`` is drawn in colour by the emoji face: it asks for
    emoji presentation and the bundled subset has it (see :mod:`adcraft.layout.emoji`)."""
    return _is_color_emoji(cluster)


@lru_cache(maxsize=4096)
def _is_color_emoji(cluster: str) -> bool:
    if emoji.CLUSTER.fullmatch(cluster) is None:
        return False
    return emoji.wants_emoji(cluster, all_coverage()) and emoji.draws(cluster)


def without_color_emoji(text: str) -> str:
    """``text`` without the clusters the emoji face draws."""
    return "".join(c for c in _CLUSTER.findall(text) if not is_color_emoji(c))


def _maps(face: FontFace, text: str) -> bool:
    """True when the face has a real glyph for every character (no exemption for spaces:
    the symbol face has none)."""
    cmap = coverage(face)
    return all(ord(c) in cmap for c in text)


def draws(face: FontFace, char: str) -> bool:
    """True when ``face`` or a face of its fallback chain draws ``char``."""
    return any(covers(f, char) for f in fallback_chain(face))
