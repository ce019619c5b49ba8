"""The facts of an offer that must survive copywriting: discounts, prices, codes, deadlines, free.

An ad that says "Save on tents" when the brief said "20% off this weekend only" has lost the
offer. :func:`extract_facts` finds those facts (for en, ru, zh, es, de, ar, plus light fr/it/pt
cover; any other language still gets numbers, percentages, currency symbols and promo codes),
and :func:`fact_present` checks a rewritten text still carries each one, tolerant of spacing,
case, digit forms and word endings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import regex


def _words(text: str) -> frozenset[str]:
    """A set of space-separated words, for the word tables below."""
    return frozenset(text.split())


FactKind = Literal["percent", "money", "code", "deadline", "free", "count"]


@dataclass(frozen=True)
class KeyFact:
    """One fact of the offer: its kind, its text as written, and a regex that finds it again."""

    kind: FactKind
    text: str
    pattern: str
    """Searched in :func:`normalize_for_match` output of a candidate text."""


@dataclass(frozen=True)
class FactSpan:
    """A fact with where it sits in the offer, and the phrase around it ("save $70", "20% off")."""

    fact: KeyFact
    start: int
    end: int
    phrase_start: int
    phrase_end: int
    discount: bool
    """Whether the phrase says the amount comes off ("20% off", "скидка 15%", "立减200元")."""


_I = regex.IGNORECASE | regex.V0
_NUM = r"\d{1,3}(?:[ ,.'’]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d)"
_SPACED = r"[\p{Latin}\p{Cyrillic}\p{Greek}\p{Arabic}\p{Hebrew}]"
_B = r"(?<![\p{L}\p{N}])"  # start of a word
_E = r"(?![\p{L}\p{N}])"  # end of a word
# Start of a word in a spaced script; in Chinese any character may start one ("首发|立减").
_BW = r"(?<![\p{Latin}\p{Cyrillic}\p{Greek}\p{Arabic}\p{Hebrew}\p{N}])"
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|понедельник\\w*|вторник\\w*|"
    "сред\\w+|четверг\\w*|пятниц\\w+|суббот\\w+|воскресень\\w+|montag|dienstag|mittwoch|"
    "donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes|sábado|domingo"
)
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|январ\\w|феврал\\w|март\\w?|"
    "апрел\\w|ма\\w|июн\\w|июл\\w|август\\w?|сентябр\\w|октябр\\w|ноябр\\w|декабр\\w|januar|"
    "februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|enero|"
    "febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"
)
# 31.12. / 31.12.2025 / 12/31; not a rating (4.8), a fraction (1/2) or 24/7.
_DATE = (
    rf"{_B}(?:\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|\d{{2}}\.\d{{2}}\.|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|"
    rf"(?!24/7)(?:\d{{2}}/\d{{1,2}}|\d/\d{{2}})){_E}"
)
_DAY_MONTH = rf"{_B}(?:\d{{1,2}}\.?\s(?:de\s)?(?:{_MONTHS})|(?:{_MONTHS})\.?\s\d{{1,2}}(?!\d))\b"
_UNTIL = r"until|till|through|by|ends?|before|до|bis|hasta|jusqu'au|fino\s+al|até|حتى"

# Language-specific phrases. Order matters within a list only for readability: the longest
# match at a position wins.
_DEADLINE: dict[str, list[str]] = {
    "en": [
        r"(?:only\s+)?(?:this|next)\s+(?:weekend|week|month)(?:\s+only)?",
        r"(?:today|tonight|tomorrow)\s+only|only\s+(?:today|tonight)|ends\s+(?:today|tonight|soon)",
        r"(?:for\s+a\s+)?limited[\s-]time(?:\s+only)?(?:\s+offer)?",
        rf"(?:until|till|through|by|ends?|before)\s+(?:(?:{_WEEKDAYS})|midnight|"
        r"the\s+end\s+of\s+(?:the\s+)?(?:month|week|year|day))",
        r"black\s+friday(?:\s+(?:week(?:end)?|only))?|cyber\s+monday|prime\s+day|boxing\s+day",
        r"(?:last|final)\s+(?:chance|days?)|while\s+(?:supplies|stocks?)\s+last",
        r"\d+\s+days?\s+only|(?:only\s+)?\d+\s+(?:days?|hours?)\s+left",
    ],
    "ru": [
        r"до\s+конца\s+(?:месяца|недели|года|дня|акции|лета|зимы|весны|осени)",
        r"только\s+(?:сегодня|завтра|в\s+эти\s+выходные|на\s+этой\s+неделе|в\s+этом\s+месяце)",
        r"(?:в\s+)?эти\s+выходные|на\s+этой\s+неделе|в\s+этом\s+месяце",
        r"ограниченное\s+(?:время|предложение)|ч[её]рн(?:ая|ую)\s+пятниц[аеуы]",
        r"последн(?:ий|ие)\s+(?:день|дни|шанс)|пока\s+(?:товар\s+)?(?:есть\s+)?в\s+наличии",
    ],
    "de": [
        r"nur\s+(?:noch\s+)?(?:heute|morgen|diese\s+woche|dieses\s+wochenende|diesen\s+monat|"
        r"am\s+wochenende|für\s+kurze\s+zeit)",
        r"diese\s+woche|dieses\s+wochenende|diesen\s+monat|für\s+kurze\s+zeit|zeitlich\s+begrenzt",
        rf"(?:nur\s+)?bis\s+(?:zum\s+)?(?:monatsende|wochenende|ende\s+des\s+monats|{_WEEKDAYS})",
        r"black\s+(?:friday|week)|solange\s+der\s+vorrat\s+reicht|letzte\s+chance",
    ],
    "es": [
        r"solo\s+(?:por\s+)?(?:hoy|mañana|este\s+fin\s+de\s+semana|esta\s+semana|este\s+mes)",
        r"(?:este|el)\s+fin\s+de\s+semana|esta\s+semana|por\s+tiempo\s+limitado|oferta\s+limitada",
        rf"hasta\s+(?:el\s+)?(?:fin(?:al)?\s+de(?:l)?\s+mes|{_WEEKDAYS})",
        r"hasta\s+agotar\s+(?:existencias|stock)|black\s+friday|última\s+oportunidad",
    ],
    "fr": [r"cette\s+semaine|ce\s+week-end|pour\s+une\s+durée\s+limitée|jusqu'à\s+dimanche"],
    "it": [r"questa\s+settimana|questo\s+weekend|per\s+un\s+tempo\s+limitato"],
    "pt": [r"esta\s+semana|este\s+fim\s+de\s+semana|por\s+tempo\s+limitado"],
    "zh": [
        r"双十[一二]|双1[12]|黑色星期五|黑五|限时|限量|仅限今日|今日|本周末?|周末|即日起",
        r"截[止至]\S{0,6}?(?=[，,。]|$)|\d{1,2}月\d{1,2}日(?:前|止|截止)?|最后\d+天|(?<!\d)618(?!\d)",
    ],
    "ar": [
        r"لفترة\s+محدودة|لوقت\s+محدود|لمدة\s+محدودة|(?:هذا|نهاية)\s+الأسبوع|عطلة\s+نهاية\s+الأسبوع",
        r"حتى\s+نهاية\s+(?:الشهر|الأسبوع|العام)|(?:اليوم|الليلة)\s+فقط|الجمعة\s+(?:البيضاء|السوداء)",
        r"آخر\s+فرصة",
    ],
}
_FREE: dict[str, list[str]] = {
    "en": [
        r"buy\s+one,?\s+get\s+one(?:\s+free)?|bogo",
        r"(?:first|1st|second|2nd|third|3rd|\d+)\s+(?:\w+\s+){0,2}?free",
        r"free\s+(?:standard\s+|express\s+|next-day\s+)?(?:shipping|delivery|returns?|trial|gift|"
        r"installation|cancellation|setup|consultation)",
        r"(?:interest|fee|commission|cost|risk|delivery|shipping)-free|free(?:\s+of\s+charge)?",
        r"(?:at\s+)?no\s+(?:extra\s+)?(?:cost|charge|fees?)|complimentary",
    ],
    "ru": [
        r"(?:перв\w+\s+\w+\s+)?бесплатн\w*(?:\s+(?:доставк|обслуживани|подписк|период|месяц|"
        r"пробн|возврат|установк|консультаци|поездк)\w*)?",
        r"в\s+подарок|даром",
    ],
    "de": [
        r"(?:erste[nrsm]?\s+\w+\s+)?(?:gratis|kostenlos|kostenfrei|umsonst)(?:e[nrsm]?)?"
        r"(?:\s+(?:versand|lieferung|rückversand|testen))?",
        r"(?:versand|lieferung)\s+(?:gratis|kostenlos)|versandkostenfrei|gratis-?versand|geschenkt",
    ],
    "es": [
        r"(?:(?:primer[oa]?|1er|segund[oa]|tercer[oa]?)\s+\w+\s+)?(?:gratis|gratuit[oa]s?)",
        r"envío\s+(?:gratis|gratuito)|sin\s+(?:coste|costo|cargo)(?:\s+adicional)?|de\s+regalo",
    ],
    "fr": [r"(?:livraison|essai)\s+gratuit\w*|gratuit\w*|offert\w*"],
    "it": [r"spedizione\s+gratuita|gratis|gratuit\w*|in\s+omaggio"],
    "pt": [r"frete\s+grátis|grátis|gratuit\w*|de\s+graça"],
    "zh": [r"包邮|免邮|免运费|免费(?:试用|送货|配送|安装|领取)?|买一送一|赠送"],
    "ar": [
        r"(?:(?:الليلة|الشهر|الأسبوع|اليوم|الإقامة)\s+\S+\s+)?(?:ب?ال)?مجان\S*",
        r"(?:شحن|توصيل|إلغاء)\s+مجان\S*|هدية",
    ],
}
_PERCENT = (
    rf"(?<![\d.,])(?:-\s?)?\d+(?:[.,]\d+)?\s?(?:%|percent{_E}|per\s?cent{_E}|prozent{_E}|"
    r"процент\w*|por\s+ciento|pour\s?cent|per\s+cento|por\s+cento|بالمئة|بالمائة|في\s+المئة)"
    r"|(?<![\d.])\d+(?:\.\d+)?\s?折|[一二三四五六七八九]折|半价"
)
_CUR_PREFIX = (
    r"US\$|CA?\$|AU?\$|HK\$|NZ\$|S\$|R\$|CN¥|\p{Sc}|"
    rf"{_B}(?:USD|EUR|GBP|CNY|RMB|JPY|RUB|INR|KRW|ILS|UAH|BRL|CHF|PLN|SAR|AED|EGP|CAD|AUD)"
)
_CUR_SUFFIX = (
    r"\p{Sc}|元|円|块|р\.|руб\p{Cyrillic}*\.?|долл\p{Cyrillic}*\.?|юан\p{Cyrillic}*|евро|грн|"
    r"(?:euros?|dollars?|dólar(?:es)?|dollari|reais|zł|"
    r"USD|EUR|GBP|CNY|RMB|JPY|RUB|INR|KRW|ILS|UAH|BRL|CHF|PLN|SAR|AED|EGP|CAD|AUD)(?!\p{L})|"
    r"(?:ريال|درهم|دولار|جنيه|يورو)\p{Arabic}*|ر\.س|د\.إ"
)
_MONEY = (
    rf"(?:{_CUR_PREFIX})\s?(?:{_NUM})|"
    rf"(?<![\p{{Latin}}\p{{Cyrillic}}\p{{Greek}}\d.,])(?:{_NUM})\s?(?:{_CUR_SUFFIX})"
)
_CODE = (
    r"(?<![\p{Latin}\p{Cyrillic}\p{Greek}\p{N}_-])(?=[\p{Lu}\d-]*\d)(?=(?:[\d-]*\p{Lu}){2})"
    r"[\p{Lu}\d][\p{Lu}\d-]{2,18}[\p{Lu}\d](?![\p{Latin}\p{Cyrillic}\p{Greek}\p{N}])"
)
_CODE_KEYWORD = (
    r"(?<![\p{L}\p{N}])(?:promo\s?code|code|coupon|voucher|промокод\w*|код\w*|código|codice|gutschein\w*|"
    r"rabattcode|优惠码|兑换码|كود|رمز|קוד)\s*[:：]?\s*[\"«“']?"
    r"(?P<code>[\p{L}\p{N}][\p{L}\p{N}-]{2,19})"
)
_COUNT_STOP = _words(
    "get for and or with off at in on to of per x the a free и в на за по до от из und mit für "
    "y con de en para por et à avec e o em و في على من"
)
_COUNT = (
    rf"(?<![\d.,]\s?)(?<![\p{{L}}])(?P<num>\d+(?:[.,]\d+)?)\s?(?P<noun>{_SPACED}+-{_SPACED}+(?:\s{_SPACED}+)?|{_SPACED}+)"
    r"|(?<![\d.])(?P<num2>\d+)[个件盒支张次天月年人份瓶包条台款泡晚夜杯周]"
)

_EXT_BEFORE: dict[str, str] = {
    "percent": r"save|up\s+to|extra|get|скидк[аиу]|до|кэшбэк|cashback|bis\s+zu|hasta|rebaja|"
    r"jusqu'à|fino\s+al|até|خصم|حتى|立减|低至|最高",
    "money": r"save|get|from|over|only|just|for|starting\s+at|от|всего|скидк[аиу]|ab|nur|desde|"
    r"solo|por|dès|à\s+partir\s+de|da|a\s+partir\s+de|立减|减|满|仅需|仅|低至|最高补贴|补贴|من",
    "deadline": r"during|throughout|während|durante|pendant|خلال|"
    rf"(?:valid\s+|gültig\s+)?(?:{_UNTIL})",
    "code": r"(?:(?:use|with|enter|apply)\s+)?(?:promo\s?)?code|coupon|voucher|по\s+промокоду|"
    r"с\s+промокодом|промокод|(?:mit\s+(?:dem\s+)?)?(?:gutschein)?code|"
    r"(?:con\s+el\s+)?código|(?:avec\s+le\s+)?code(?:\s+promo)?|(?:con\s+il\s+)?codice|"
    r"优惠码|券码|بكود|كود|برمز",
    "count": r"(?:(?:the|your)\s+)?first|перв\w+|ersten?|primer[oa]s|premiers?|primi|"
    r"primeir[oa]s|前",
}
_EXT_AFTER: dict[str, str] = {
    "percent": r"off|discount|rabatt|nachlass|(?:de\s+)?descuento|dto\.?|скидк[аиу]|"
    r"de\s+(?:réduction|remise)|di\s+sconto|de\s+desconto|cashback|back|кэшбэк|خصم|تخفيض|优惠",
    "money": r"off|back|/\s?(?:month|mo|year|yr|night|day|мес\.?|monat|mes|月|年|晚)|"
    r"(?:a|per)\s+month|в\s+месяц|im\s+monat|al\s+mes|par\s+mois|al\s+mese|por\s+mês|起|"
    r"شهريا|في\s+الشهر|لليلة",
}
_DISCOUNT_WORDS = regex.compile(
    r"save|off|discount|скидк|rabatt|nachlass|descuento|rebaja|réduction|remise|sconto|"
    r"desconto|خصم|تخفيض|立减|减|折|半价|^\s*-",
    _I,
)
# Ways of writing the same currency, so "$70" is kept by "70 USD" (regex alternations).
_CURRENCY_CLASSES = (
    r"us\$|c\$|ca\$|a\$|au\$|hk\$|nz\$|s\$|\$|usd|cad|aud|dollars?|dólar(?:es)?|dollari|"
    r"долл\w*\.?|دولار\w*|美元|美金",
    r"€|eur|euros?|евро|يورو|欧元",
    r"£|gbp|pounds?|фунт\w*",
    r"cn¥|¥|元|块|rmb|cny|jpy|円|yuan|yen|юан\w*|人民币",
    r"₽|руб\w*\.?|р\.|rub|roubles?|rubles?",
    r"₹|inr|rs\.?|rupees?",
    r"₩|krw|원",
    r"₪|ils",
    r"₴|uah|грн\.?",
    r"r\$|brl|reais",
    r"zł|pln",
    r"ريال\w*|ر\.س|sar",
    r"درهم\w*|د\.إ|aed",
    r"جنيه\w*|egp",
)

_ARABIC_MARKS = regex.compile(r"[\u064B-\u065F\u0670\u0640]")
_FORMAT_CHARS = regex.compile(r"\p{Cf}")
_SPACES = regex.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# "10 000" and "10,000" are one number; "SAVE20 200" and "12/31 200" are two.
# A number as written in a fact: "10 000", "1.000,50", "19.99", "8".
_NUMBER = regex.compile(rf"{_NUM}|\d+(?:[.,]\d+)?")
_LIGHT_MAP = str.maketrans("٪％٫٬−–＄\u00a0\u202f\u2009\u2007\u3000", "%%.,--$     ")
# Every non-ASCII decimal digit of the Basic Multilingual Plane (Arabic-Indic, Devanagari,
# fullwidth ...) maps to its ASCII digit; one translate() call replaces a per-character loop.
_LIGHT_TABLE: dict[int, str | int | None] = {
    **{
        cp: str(unicodedata.decimal(chr(cp)))
        for cp in range(0x80, 0x10000)
        if chr(cp).isdecimal() and unicodedata.decimal(chr(cp), None) is not None
    },
    **_LIGHT_MAP,
}


def _light(text: str) -> str:
    """A same-length copy for matching: ASCII digits, plain spaces, % and minus."""
    return text.translate(_LIGHT_TABLE)


@lru_cache(maxsize=8192)
def normalize_for_match(text: str) -> str:
    """Fold a text for fact matching: NFKC, ASCII digits, no Arabic vowel marks, casefold."""
    t = _ARABIC_MARKS.sub("", _FORMAT_CHARS.sub("", text))
    t = _light(unicodedata.normalize("NFKC", t)).casefold()
    t = _SPACES.sub(" ", t)
    return t.strip()


@lru_cache(maxsize=64)
def _compiled(language: str) -> list[tuple[FactKind, regex.Pattern[str]]]:
    found: list[tuple[FactKind, regex.Pattern[str]]] = [
        ("percent", regex.compile(_PERCENT, _I)),
        ("money", regex.compile(_MONEY, _I)),
        ("code", regex.compile(_CODE, regex.V0)),
        ("code", regex.compile(_CODE_KEYWORD, _I)),
        ("deadline", regex.compile(f"{_DATE}|{_DAY_MONTH}", _I)),
        ("count", regex.compile(_COUNT, _I)),
    ]
    boundary = language not in ("zh", "ja")
    tables: tuple[tuple[FactKind, dict[str, list[str]]], ...] = (
        ("deadline", _DEADLINE),
        ("free", _FREE),
    )
    for kind, table in tables:
        for rx in table.get(language, []):
            wrapped = rf"{_B}(?:{rx}){_E}" if boundary else rx
            found.append((kind, regex.compile(wrapped, _I)))
    return found


def locate_facts(offer: str, language: str) -> tuple[FactSpan, ...]:
    """Facts of an offer with their positions, in reading order, without overlaps."""
    light = _light(offer)
    hits: list[tuple[int, int, FactKind, str | None]] = []
    for kind, rx in _compiled(language):
        for m in rx.finditer(light):
            start, end = (
                m.span("code") if kind == "code" and m.groupdict().get("code") else m.span()
            )
            if _keep(kind, m, light[start:end]):
                hits.append((start, end, kind, m.groupdict().get("noun")))
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    spans: list[FactSpan] = []
    taken: list[tuple[int, int]] = []
    seen: set[tuple[str, str]] = set()
    for start, end, kind, _noun in hits:
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))  # a repeated fact still owns its characters
        text = offer[start:end].strip()
        key = (kind, normalize_for_match(text))
        if not text or key in seen:
            continue
        seen.add(key)
        p0, p1 = _extend(light, start, end, kind)
        fact = KeyFact(kind=kind, text=text, pattern=fact_pattern(kind, text))
        discount = bool(_DISCOUNT_WORDS.search(light[p0:start] + " " + light[end:p1])) or (
            kind == "percent" and bool(regex.match(r"\s*-|.*(?:折|半价)", light[start:end]))
        )
        spans.append(FactSpan(fact, start, end, p0, p1, discount))
    return tuple(sorted(spans, key=lambda s: s.start))


def _keep(kind: FactKind, m: regex.Match[str], text: str) -> bool:
    if kind == "code":
        word = m.groupdict().get("code") or text
        letters = regex.sub(r"[^\p{L}]", "", word)
        # "USD100" is money, "code for" is a sentence: a code has a digit or capitals.
        return letters.upper() not in {"USD", "EUR", "GBP", "RUB", "CNY", "RMB", "JPY"} and (
            any(c.isdigit() for c in word) or (letters.isupper() and len(letters) >= 3)
        )
    if kind == "count":
        noun = m.groupdict().get("noun")
        return noun is None or noun.casefold() not in _COUNT_STOP
    return True


def _extend(light: str, start: int, end: int, kind: FactKind) -> tuple[int, int]:
    p0, p1 = start, end
    if kind in _EXT_BEFORE:
        window = light[max(0, start - 40) : start]
        m = regex.search(rf"{_BW}(?:{_EXT_BEFORE[kind]})\s*$", window, _I)
        if m:
            p0 = max(0, start - 40) + m.start()
    if kind in _EXT_AFTER:
        m = regex.match(
            rf"\s*(?:{_EXT_AFTER[kind]})(?![\p{{Latin}}\p{{Cyrillic}}])", light[end:], _I
        )
        if m:
            p1 = end + m.end()
    return p0, p1


@lru_cache(maxsize=256)
def extract_facts(offer: str, language: str) -> tuple[KeyFact, ...]:
    """The facts of an offer that the copy must keep, in reading order (cached: every
    creative of a set re-checks the same offer)."""
    return tuple(s.fact for s in locate_facts(offer, language))


def _number_rx(num: str) -> str:
    """A number that may be written with or without thousands separators, "70" as "70.00"."""
    # "10 000" and "10,000" are one number only when a group has exactly three digits; a
    # decimal part is at most two digits here (see _NUM), so "19.99" stays 19.99.
    m = regex.fullmatch(r"(\d{1,3}(?:[ ,.'’]\d{3})+|\d+)(?:[.,](\d+))?", num)
    whole, frac = (regex.sub(r"\D", "", m.group(1)), m.group(2) or "") if m else (num, "")
    head, groups = whole[: len(whole) % 3 or 3], whole[len(whole) % 3 or 3 :]
    sep = r"[ ,.'’]?"
    digits = head + "".join(sep + groups[i : i + 3] for i in range(0, len(groups), 3))
    if not frac.strip("0"):
        return rf"{digits}(?:[.,]0{{1,2}})?"
    return rf"{digits}[.,]{frac}"


def _currency_rx(token: str) -> str:
    token = token.strip()
    for cls in _CURRENCY_CLASSES:
        if regex.fullmatch(f"(?:{cls})", token):
            return cls
    return regex.escape(token)


def _stem_rx(word: str) -> str:
    if regex.match(r"\p{N}+$", word):
        return rf"(?<![\p{{N}}.,]){word}(?![\p{{N}}])"
    if regex.search(r"[\p{Han}\p{Hiragana}\p{Katakana}]", word):
        return regex.escape(word)
    prefix = ""
    if regex.match(r"\p{Arabic}", word):
        # Arabic glues "and", "with" and the article onto a word: ignore them when matching.
        word = regex.sub(r"^(?:[وفبلك]?ال|[وفب])(?=\p{Arabic}{3})", "", word)
        prefix = "(?:[وفبلك]?ال|[وفب])?"
    stem = word if len(word) <= 4 else word[: max(4, len(word) - 2)]
    tail = r"\w{0,2}" if len(word) <= 4 else r"\w*"
    return rf"(?<![\p{{L}}\p{{N}}]){prefix}{regex.escape(stem)}{tail}"


def fact_pattern(kind: FactKind, text: str) -> str:
    """The tolerant regex for a fact's text, applied to normalized candidate copy."""
    norm = normalize_for_match(text)
    nums = _NUMBER.findall(norm)
    if kind == "percent" and nums and "折" in norm:
        small = nums[0].isdigit() and int(nums[0]) < 10
        cn = "零一二三四五六七八九"[int(nums[0])] if small else ""
        alt = f"(?:{_number_rx(nums[0])}|{cn})" if cn else _number_rx(nums[0])
        return rf"(?<![\d.]){alt}\s?折"
    if kind == "percent" and nums:
        unit = r"(?:%|percent|per ?cent|prozent|процент\w*|por ciento|pour ?cent|per cento|بالمئة)"
        return rf"(?<![\d.,]){_number_rx(nums[0])}\s?{unit}"
    if kind == "money" and nums:
        cur = _currency_rx(_NUMBER.sub(" ", norm, count=1).strip())
        num = _number_rx(nums[0])
        return rf"(?:(?:{cur})\s?{num}(?![\d])|(?<![\d.,]){num}\s?(?:{cur}))"
    if kind == "count" and nums:
        noun = _NUMBER.sub("", norm, count=1).strip()
        return rf"(?<![\d.,]){_number_rx(nums[0])}\s?{_stem_rx(noun) if noun else ''}"
    if kind == "code":
        edge = r"[\p{Latin}\p{Cyrillic}\p{Greek}\p{N}]"
        return rf"(?<!{edge}){regex.escape(norm)}(?!{edge})"
    date = regex.fullmatch(r"(\d{1,2})\s?[./]\s?(\d{1,2})(?:\s?[./]\s?(\d{2,4}))?\.?", norm)
    if date:
        return rf"(?<!\d){date.group(1)}\s?[./-]\s?{date.group(2)}(?!\d)"
    words = regex.findall(r"[\p{L}\p{M}\p{N}]+", norm) or [norm]
    return "(?s)^" + "".join(f"(?=.*?{_stem_rx(w)})" for w in words)


@lru_cache(maxsize=1024)
def _pattern(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern, regex.V0)


def fact_present(fact: KeyFact, text: str) -> bool:
    """Whether a text still carries a fact ("20 %" keeps "20%", "٢٠٪" keeps it too)."""
    return _present(fact.pattern, text)


@lru_cache(maxsize=16384)
def _present(pattern: str, text: str) -> bool:
    return _pattern(pattern).search(normalize_for_match(text)) is not None


def missing_facts(facts: Sequence[KeyFact], fields: Mapping[str, str]) -> tuple[str, ...]:
    """Texts of the facts that no field carries."""
    return tuple(f.text for f in facts if not any(fact_present(f, t) for t in fields.values()))
