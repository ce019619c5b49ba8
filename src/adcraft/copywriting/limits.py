"""Counting characters the way ad platforms do, and cutting text to a limit without mangling it.

Platforms count what a reader sees as one character: ``é`` written as ``e`` plus a combining
accent, a flag made of two regional indicators and a family emoji glued with zero-width joiners
are each one character. Python's ``len`` counts code points and gets all three wrong, so every
limit in adcraft is measured in extended grapheme clusters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

import regex


def _words(text: str) -> frozenset[str]:
    """A set of space-separated words, for the word tables below."""
    return frozenset(text.split())


Counting = Literal["graphemes", "width"]
"""How a field's limit is measured: ``graphemes`` (the default) or ``width`` (CJK counts 2)."""

_GRAPHEME = regex.compile(r"\X")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}]")
_DIGIT = regex.compile(r"\p{Nd}")
_NUMBER_LEAD = regex.compile(r"[\p{Nd}\p{Sc}.,+\-−]")
# Letters of scripts that put spaces between words: two of them side by side are one word.
_WORDISH = regex.compile(r"[\p{Latin}\p{Cyrillic}\p{Greek}\p{Armenian}\p{Georgian}\p{Nd}]")
# Scripts written without spaces between words: a cut may fall between any two characters.
NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})

# Characters that must not end a cut text: separators, dashes and opening brackets or quotes.
DANGLING = frozenset(",;:-–—‐−(/\\[{«„‚‘&+·•|=_、，；：（《〈【「『،؛…")
# Cutting here reads naturally in a no-space script.
_SOFT_BREAKS = frozenset(",;:·•|/、，；：。！？!?،؛ ")
_PAIRS = {
    "(": ")",
    "[": "]",
    "{": "}",
    "«": "»",
    "（": "）",
    "「": "」",
    "『": "』",
    "《": "》",
    "【": "】",
}

# Short words that leave a phrase hanging when they end it ("20% off all tents and").
_CONNECTORS: dict[str, frozenset[str]] = {
    "en": _words("and or with for of the a an to in on at by from plus your our & during via"),
    "ru": _words("и или в на с со по для от до к о об за а но из при"),
    "de": _words(
        "und oder mit für von zu im in am an auf der die das den dem des ein eine einen bei"
    ),
    "es": _words("y e o u con de del en para por la el los las un una a al sin"),
    "fr": _words("et ou de du des le la les avec pour en à au aux un une sur par"),
    "it": _words("e ed o con di del della per il lo la le gli un una in a da su"),
    "pt": _words("e ou com de do da dos das para em no na o a os as um uma por"),
    "pl": _words("i lub oraz albo z ze do w we na dla od po przez za o u bez"),
    "uk": _words("і й та або в у на з із зі для від до по за про при"),
    "nl": _words("en of met voor van de het een in op aan bij naar"),
    "tr": _words("ve veya ile"),
    "hi": _words("और या के की का"),
    "ar": _words("و أو في على من مع إلى عن ل ب"),
    "he": _words("ו או עם של על את"),
    "zh": _words("和 与 及 或 并 的 在 从 对"),
    "ja": _words("と の や で を に"),
}
# Phrase endings that close a phrase although their last kana is also a particle: "日曜日まで"
# (until Sunday) and "980円から" (from 980 yen) are whole; only a bare trailing "で" dangles.
_WHOLE_ENDINGS: dict[str, tuple[str, ...]] = {
    "ja": ("まで", "から", "より", "だけ", "のみ", "限り", "ので", "にて", "いで"),
    "zh": (),
}
_MAX_PASSES = 8


def graphemes(text: str) -> list[str]:
    """Split text into extended grapheme clusters (user-perceived characters)."""
    return list(_GRAPHEME.findall(text))


def text_length(text: str) -> int:
    """Length as a reader sees it: one per extended grapheme cluster.

    This is the default for every field limit because Meta, TikTok and LinkedIn count characters
    this way, and a CJK character counts as one. Google Ads counts double-width (CJK) characters
    twice: a field spec that targets Google chooses :func:`display_width` instead.
    """
    return len(_GRAPHEME.findall(text))


@lru_cache(maxsize=4096)
def _cluster_width(cluster: str) -> int:
    # A cluster is as wide as its widest code point: an emoji with modifiers is still one glyph.
    return 2 if any(unicodedata.east_asian_width(c) in ("W", "F") for c in cluster) else 1


def display_width(text: str) -> int:
    """Length with East Asian Wide/Fullwidth characters counted as 2 (Google Ads' CJK rule)."""
    return sum(_cluster_width(g) for g in _GRAPHEME.findall(text))


def measure(text: str, counting: Counting = "graphemes") -> int:
    """Length of text under a counting rule."""
    return display_width(text) if counting == "width" else text_length(text)


def fits(text: str, limit: int, counting: Counting = "graphemes") -> bool:
    """Whether text is within a limit (cached: a copywriter tests the same phrasings often)."""
    if len(text) * (2 if counting == "width" else 1) <= limit:
        return True  # a cluster holds at least one code point and is at most 2 wide
    return _measure_cached(text, counting) <= limit


@lru_cache(maxsize=16384)
def _measure_cached(text: str, counting: Counting) -> int:
    return measure(text, counting)


def is_cjk(cluster: str) -> bool:
    """Whether a grapheme is a Han, kana or bopomofo character (a word on its own)."""
    return bool(_CJK.match(cluster))


def uses_spaces(text: str, language: str) -> bool:
    """Whether words in this text are separated by spaces (False for Chinese, Japanese, Thai)."""
    if language in NO_SPACE_LANGUAGES:
        return False
    letters = regex.findall(r"\p{L}", text)
    cjk = sum(1 for c in letters if is_cjk(c))
    return not letters or cjk * 2 < len(letters)


def strip_dangling(text: str, language: str) -> str:
    """Remove trailing separators, opening brackets and hanging connector words.

    Never returns an empty string for text that has a character outside ``DANGLING``: a strip
    that would leave nothing is not done.
    """
    out = text.strip()
    connectors = _CONNECTORS.get(language, frozenset({"&"}))
    for _ in range(_MAX_PASSES):
        before = out
        trimmed = out.rstrip()
        while trimmed and (trimmed[-1] in DANGLING or trimmed[-1].isspace()):
            trimmed = trimmed[:-1]
        if trimmed:
            out = trimmed
        out = _close_brackets(out)
        out = _drop_connector(out, connectors, language)
        if out == before:
            break
    return out


def _close_brackets(text: str) -> str:
    # "Save 20% (this weekend" reads broken: cut before an opening bracket left unclosed.
    for opening, closing in _PAIRS.items():
        if text.count(opening) > text.count(closing):
            head = text[: text.rfind(opening)].rstrip()
            if head.strip("".join(DANGLING) + " "):
                return head
    if text.count('"') % 2 == 1:
        head = text[: text.rfind('"')].rstrip()
        if head.strip("".join(DANGLING) + " "):
            return head
    return text


def _drop_connector(text: str, connectors: frozenset[str], language: str) -> str:
    if language in NO_SPACE_LANGUAGES:
        if text.endswith(_WHOLE_ENDINGS.get(language, ())):
            return text
        for word in connectors:
            if text.endswith(word) and len(text) > len(word):
                return text[: -len(word)].rstrip()
        return text
    head, sep, last = text.rpartition(" ")
    if sep and head.strip() and last.casefold() in connectors:
        return head.rstrip()
    return text


def truncate(
    text: str,
    limit: int,
    language: str,
    *,
    counting: Counting = "graphemes",
    atomic: Sequence[str] = (),
) -> str:
    """Cut text to at most ``limit`` characters at a word boundary, never inside a grapheme.

    Spaced scripts are cut between words, no-space scripts (Chinese, Japanese, Thai) between
    characters, preferring punctuation. Trailing separators and hanging connectors ("and", "и",
    "和") are dropped, and no ellipsis is added: it costs a character and looks cheap in an ad.
    The result is non-empty whenever ``text`` has a word character before its first unbreakable
    group and ``limit >= 1``, except when counting by width and the first character alone is
    wider than the limit.

    A cut never falls inside a claim ("Spare 250 €", "ab 12,50 €/Monat"), a number with its
    currency or unit, a date or a promo code, nor inside any phrase of ``atomic``: the text is
    cut before such a group instead, or not at all when no whole group fits.
    """
    text = text.strip()
    if limit < 1 or not text:
        return ""
    if measure(text, counting) <= limit:
        return text
    clusters = graphemes(text)
    n, used = 0, 0
    for g in clusters:
        w = _cluster_width(g) if counting == "width" else 1
        if used + w > limit:
            break
        used += w
        n += 1
    if n == 0:
        return ""
    offsets = [0]
    for g in clusters:
        offsets.append(offsets[-1] + len(g))
    glued = unbreakable_spans(text, language, atomic)

    def inside(k: int) -> bool:
        return any(a < offsets[k] < b for a, b in glued)

    for k in _cut_points(clusters, n, uses_spaces(text, language)):
        if inside(k):
            continue
        cut = strip_dangling("".join(clusters[:k]), language)
        if cut and cut[-1] not in DANGLING and not _opens_group(text, len(cut), glued):
            return cut
    hard_k = next((k for k in range(n, 0, -1) if not inside(k)), 0)
    if hard_k == 0:
        return ""  # not even the first whole group fits: show nothing rather than a part
    hard = strip_dangling("".join(clusters[:hard_k]).strip(), language)
    # What fits before the first group may be separators alone ("-" of "-0a"): nothing then.
    return hard if hard and hard[-1] not in DANGLING else ""


# A number with its currency, percent sign, short unit and period: "R$ 2.500", "250 zł",
# "12,50 €/mes", "%20", "240 g".
_GROUP = regex.compile(
    r"(?:\p{Sc}\s?|[A-Z]{1,2}\$\s?)?\d(?:[\d.,' ’]*\d)?"
    r"(?:\s?(?:\p{Sc}|%|[\p{L}]{1,4}\.?(?![\p{L}])))?(?:\s?/\s?\p{L}+\.?)?|%\s?\d+"
)


def unbreakable_spans(text: str, language: str, atomic: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans a cut may not fall inside: claims, number groups, atomic phrases.

    Spans index ``text`` as given (:func:`truncate` passes it stripped)."""
    from adcraft.copywriting.claims import parse_claims

    spans = [(c.start, c.end) for c in parse_claims(text, language)]
    spans += [m.span() for m in _GROUP.finditer(text)]
    folded = text.casefold()
    for phrase in atomic:
        needle = phrase.casefold().strip()
        pos = folded.find(needle) if needle else -1
        while pos >= 0:
            spans.append((pos, pos + len(needle)))
            pos = folded.find(needle, pos + 1)
    return spans


def _opens_group(text: str, end: int, glued: Sequence[tuple[int, int]]) -> bool:
    """Whether the cut text ends inside a group that strip_dangling shortened into."""
    return any(a < end < b for a, b in glued)


def _joined(prev: str, nxt: str) -> bool:
    """Whether a cut between these two clusters would split a word or a number."""
    if prev.isspace() or nxt.isspace():
        return False
    if _DIGIT.match(prev) or (_DIGIT.match(nxt) and _NUMBER_LEAD.match(prev)):
        # "8|折", "299|元", "$|70", "1|0": a cut here changes the number or drops its unit.
        return True
    return bool(_WORDISH.match(prev) and _WORDISH.match(nxt))


def _cut_points(clusters: list[str], n: int, spaced: bool) -> list[int]:
    """Good places to cut within the first n clusters, best (longest) first."""
    good: list[int] = []
    for k in range(n, 0, -1):
        prev, nxt = clusters[k - 1], clusters[k] if k < len(clusters) else " "
        if _joined(prev, nxt):
            continue
        if not spaced or nxt.isspace() or prev.isspace() or is_cjk(prev) or is_cjk(nxt):
            good.append(k)
    if spaced:
        return good
    # No-space script: any boundary is a word boundary, but a punctuation mark that keeps most
    # of the text reads better than a cut mid-phrase.
    soft = [k for k in good if clusters[k - 1] in _SOFT_BREAKS and k >= n * 0.6]
    return soft + [k for k in good if k not in soft]
