"""Selling points that the description states only under a condition.

A selling point "бесплатное обслуживание" beside a description "Бесплатное обслуживание при
тратах от 10 000 рублей в месяц" promised every cardholder free service; "free delivery" beside
"Free delivery on orders over $50" promised it on every order. The brief's own point drops what
the description says it depends on, so the point is shown with that condition or not at all —
the same rule as a maximum without its "up to" (:func:`adcraft.copywriting.claimcheck.
capped_numbers`).

Only a point the description repeats word for word is matched, and only a condition the
description puts right beside it: after it, opened by a word that makes a condition in that
language ("при тратах…", "on orders over…", "ab 50 €", "dès 49 €"), or before it where the
language puts it there (Japanese "1万円以上のご注文で送料無料", Chinese "满199元包邮", Korean
"5만원 이상 구매 시 무료배송", Turkish "500 TL üzeri siparişlerde ücretsiz kargo").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from adcraft.copywriting.claims import base_language
from adcraft.copywriting.facts import _light
from adcraft.copywriting.limits import uses_spaces


@dataclass(frozen=True)
class Condition:
    """What a point depends on, as the description writes it, and on which side."""

    text: str
    before: bool = False
    """Written before the point ("1万円以上のご注文で" + "送料無料")."""
    joint: str = " "
    """What separates the two in the description ("" in Chinese and Japanese)."""

    def attach(self, point: str) -> str:
        """The point with its condition, in the description's order."""
        return f"{self.text}{self.joint}{point}" if self.before else f"{point} {self.text}"


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
# Conditions that come before the point, per language: an amount with "or more", or the customers
# it is for, right before the point (the pattern ends where the point starts).
_BEFORE = {
    "ja": r"(?:\d[\d,.]*\s*[万千]?円(?:[(（]税込[)）])?\s*(?:以上|から)(?:の(?:ご)?(?:注文|購入|"
    r"お買い上げ|お買い物))?|(?:新規)?会員(?:様)?|初回(?:ご)?(?:注文|購入)?)\s*(?:で|なら|の場合は?|は|限定で?)",
    "zh": r"(?:(?:订单|訂單|购物|購物|单笔|單筆|实付|實付)?\s*[满滿]\s*\d[\d,.]*\s*(?:元|块|塊)?|"
    r"\d[\d,.]*\s*元以上(?:订单|訂單)?|新(?:用户|用戶|会员|會員|客户|客戶)(?:专享|專享|首单|首單)?)"
    r"\s*(?:即|可|就)?\s*(?:享)?",
    "ko": r"(?:\d[\d,.]*\s*(?:만\s*|천\s*)?원\s*이상\s*(?:구매|주문|결제)\s*시|(?:신규\s*회원|"
    r"첫\s*(?:구매|주문))\s*(?:시|한정))",
    "tr": r"\d[\d.,]*\s*(?:TL|₺)\s*(?:ve\s+)?üzeri\s+(?:alışverişlerde|siparişlerde)",
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


@lru_cache(maxsize=32)
def _before(language: str) -> regex.Pattern[str] | None:
    words = _BEFORE.get(base_language(language))
    return regex.compile(rf"({words})(\s*)$", regex.IGNORECASE) if words else None


@lru_cache(maxsize=1024)
def _phrase(point: str, spaced: bool = True) -> regex.Pattern[str]:
    """The point as a whole phrase, any case and spacing; inside a run of characters where the
    script writes no spaces between words (Chinese, Japanese)."""
    words = [regex.escape(w) for w in _light(point).split()]
    body = r"\s+".join(words)
    if not spaced:
        return regex.compile(body, regex.IGNORECASE)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}]){body}(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)


def point_conditions(
    description: str, points: Sequence[str], offers: Sequence[str], language: str
) -> dict[str, Condition]:
    """Selling point -> the condition the description states it under, as written there.

    A point the description (or an offer) also states without a condition is left alone: the
    brief then makes the unconditional promise itself.
    """
    after, before = _opener(language), _before(language)
    if (after is None and before is None) or not description:
        return {}
    light = _light(description)
    out: dict[str, Condition] = {}
    for point in points:
        clean = point.strip().rstrip(".。!！")
        spaced = uses_spaces(clean, language)
        if len(clean) < (3 if spaced else 2):
            continue
        phrase = _phrase(clean, spaced)
        found: list[Condition] = []
        plain = any(phrase.search(_light(o)) for o in offers)
        for m in phrase.finditer(light):
            a = after.match(light, m.end()) if after else None
            b = before.search(light[max(0, m.start() - 40) : m.start()]) if before else None
            if a is not None:
                found.append(Condition(description[a.start(1) : a.end(1)].strip()))
            elif b is not None:
                start = m.start() - len(b.group(0))
                text = description[start : start + len(b.group(1))].strip()
                found.append(Condition(text, before=True, joint=" " if b.group(2) else ""))
            else:
                plain = True
        if found and not plain and not _has(clean, found[0], spaced):
            out[clean] = found[0]
    return out


def _has(text: str, condition: Condition, spaced: bool = True) -> bool:
    """Whether ``text`` carries the condition (as a phrase, any case and spacing)."""
    return _phrase(condition.text, spaced).search(_light(text)) is not None


def with_condition(point: str, conditions: Mapping[str, Condition], language: str) -> str:
    """The point with the description's condition beside it ("бесплатное обслуживание при
    тратах от 10 000 рублей в месяц", "满199元包邮"), so it can still be shown."""
    clean = point.strip().rstrip(".。!！")
    condition = conditions.get(clean)
    if condition is None or _has(point, condition, uses_spaces(clean, language)):
        return point
    return condition.attach(clean)


def unconditioned(
    text: str, conditions: Mapping[str, Condition], language: str
) -> list[tuple[str, Condition]]:
    """(point as shown, its condition) for each conditional point ``text`` shows without its
    condition beside it, on the side the description puts it."""
    out = []
    light = _light(text)
    for point, condition in conditions.items():
        spaced = uses_spaces(point, language)
        for m in _phrase(point, spaced).finditer(light):
            side = text[: m.start()] if condition.before else text[m.end() :]
            if not _has(side, condition, spaced):
                out.append((text[m.start() : m.end()], condition))
                break
    return out
