"""Selling points that the description states only under a condition.

A selling point "бесплатное обслуживание" beside a description "Бесплатное обслуживание при
тратах от 10 000 рублей в месяц" promised every cardholder free service; "free delivery" beside
"Free delivery on orders over $50" promised it on every order. The brief's own point drops what
the description says it depends on, so the point is shown with that condition or not at all —
the same rule as a maximum without its "up to" (:func:`adcraft.copywriting.claimcheck.
capped_numbers`).

Only a point the description repeats word for word is matched, and only a condition the
description puts right after it, opened by a word that makes a condition in that language ("при
тратах…", "on orders over…", "ab 50 €", "dès 49 €"). Languages that put the condition before
the thing (Japanese "1万円以上で送料無料", Chinese, Korean, Turkish) are not matched yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import regex

from adcraft.copywriting.claims import base_language
from adcraft.copywriting.facts import _light

# Words that open a condition right after a point, per language.
_OPENERS = {
    "en": r"on\s+(?:all\s+)?orders\s+(?:over|above|of|from)|(?:for|with|on)\s+(?:orders|purchases|"
    r"spending)\s+(?:over|above|of|from)|when\s+you\b|if\s+you\b|once\s+you\b|for\s+new\s+"
    r"(?:customers|members|subscribers|users)|over\s+\p{Sc}|above\s+\p{Sc}|with\s+a\s+minimum|"
    r"after\s+(?:the\s+)?(?:first\s+)?\d|only\s+(?:on|for|with|in|at|when)\b|except\b|"
    r"excluding\b|subject\s+to\b|with\s+(?:a\s+|an\s+|your\s+)?(?:annual|yearly|\d+-month)\b",
    "de": r"ab\s+(?:einem\s+)?(?:bestellwert\s+von\s+)?\d|bei\s+(?:einem\s+|einer\s+)?\p{L}|"
    r"wenn\s+(?:du|sie)\b|für\s+neukunden|nur\s+(?:für|bei|mit|im|in)\b|außer\b|ausgenommen\b",
    "es": r"(?:en|para|por)\s+(?:pedidos|compras)\b|a\s+partir\s+de\b|desde\s+\d|si\s+\p{L}|"
    r"cuando\s+\p{L}|para\s+nuevos\s+clientes|solo\s+(?:en|para|con)\b|excepto\b|salvo\b",
    "fr": r"dès\s+\d|à\s+partir\s+de\b|pour\s+(?:toute|tout|les)\s+(?:commande|achat|nouveaux)|"
    r"si\s+vous\b|sauf\b|uniquement\s+(?:pour|sur|avec)\b|hors\b",
    "pt": r"(?:em|para|nas|nos)\s+(?:pedidos|compras)\b|acima\s+de\b|a\s+partir\s+de\b|"
    r"se\s+você\b|quando\s+você\b|para\s+novos\s+clientes|exceto\b|somente\b|apenas\s+(?:em|para)\b",
    "it": r"(?:per|su)\s+(?:ordini|acquisti)\b|a\s+partire\s+da\b|da\s+\d|se\s+\p{L}|"
    r"per\s+i\s+nuovi\s+clienti|solo\s+(?:per|su|con)\b|escluso\b|tranne\b",
    "pl": r"przy\s+(?:zamówieniach|zakupach|zamówieniu|zakupie|wydatkach)\b|od\s+\d|"
    r"(?:dla|tylko\s+dla)\s+nowych\b|jeśli\b|gdy\b|z\s+wyjątkiem\b",
    "ru": r"при\s+\p{L}|от\s+\d|для\s+новых\b|если\b|только\s+(?:для|при|в|на)\b|кроме\b|"
    r"за\s+исключением\b|в\s+первые?\s+\p{L}",
    "uk": r"при\s+\p{L}|від\s+\d|для\s+нових\b|якщо\b|лише\s+(?:для|при|в|на)\b|крім\b",
}
# The condition runs to the end of its clause; a separator between digits ("49,90 €",
# "10.000 Kč") is part of the amount, not the end.
_CLAUSE = r"(?:[^.,;:!?؟。！？·|()]|(?<=\d)[.,](?=\d)){1,80}"


@lru_cache(maxsize=32)
def _opener(language: str) -> regex.Pattern[str] | None:
    words = _OPENERS.get(base_language(language))
    if words is None:
        return None
    return regex.compile(rf"\s*,?\s*((?:{words}){_CLAUSE})", regex.IGNORECASE | regex.VERSION1)


@lru_cache(maxsize=1024)
def _phrase(point: str) -> regex.Pattern[str]:
    """The point as a whole phrase, any case and spacing."""
    words = [regex.escape(w) for w in _light(point).split()]
    body = r"\s+".join(words)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}]){body}(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)


def point_conditions(
    description: str, points: Sequence[str], offers: Sequence[str], language: str
) -> dict[str, str]:
    """Selling point -> the condition the description states it under, as written there.

    A point the description (or an offer) also states without a condition is left alone: the
    brief then makes the unconditional promise itself.
    """
    opener = _opener(language)
    if opener is None or not description:
        return {}
    light = _light(description)
    out: dict[str, str] = {}
    for point in points:
        clean = point.strip().rstrip(".。!！")
        if len(clean) < 3:
            continue
        conditions, plain = [], False
        for m in _phrase(clean).finditer(light):
            c = opener.match(light, m.end())
            if c is None:
                plain = True
            else:
                conditions.append(description[c.start(1) : c.end(1)].strip())
        if any(_phrase(clean).search(_light(o)) for o in offers):
            plain = True
        if conditions and not plain and not _has(clean, conditions[0]):
            out[clean] = conditions[0]
    return out


def _has(text: str, condition: str) -> bool:
    """Whether ``text`` carries the condition (as a phrase, any case and spacing)."""
    return _phrase(condition).search(_light(text)) is not None


def with_condition(point: str, conditions: Mapping[str, str]) -> str:
    """The point with the description's condition after it ("бесплатное обслуживание при
    тратах от 10 000 рублей в месяц"), so it can still be shown."""
    clean = point.strip().rstrip(".。!！")
    condition = conditions.get(clean)
    if condition is None or _has(point, condition):
        return point
    return f"{clean} {condition}"


def unconditioned(text: str, conditions: Mapping[str, str]) -> list[tuple[str, str]]:
    """(point as shown, its condition) for each conditional point ``text`` shows without the
    condition after it."""
    out = []
    light = _light(text)
    for point, condition in conditions.items():
        for m in _phrase(point).finditer(light):
            if not _has(text[m.end() :], condition):
                out.append((text[m.start() : m.end()], condition))
                break
    return out
