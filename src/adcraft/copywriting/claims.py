"""Claims: the promises of a brief as atomic units ("Spare 250 €", "2nd item half price").

An ad may rephrase a claim, move it or leave it out, but it must never show part of one: a bare
"250 €" beside the price reads as a second price, "half price" without "second pair" promises
more than the advertiser offers, "15% off" without "monthly rentals" widens the discount. This
module parses the offers and selling points of a brief into :class:`Claim` objects (kind, value,
currency, period, scope, promo code and the exact source span, the *minimal whole phrase* that
may appear on an image) in every supported language. The same parser reads rendered text back,
so :mod:`adcraft.copywriting.claimcheck` can tell whether a creative shows each claim whole.

Parsing works on a same-length "light" copy of the text (ASCII digits, plain spaces, ``%``), so
every span points into the original string.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import regex

from adcraft.copywriting.facts import _light
from adcraft.domain.brief import Period

ClaimKind = Literal[
    "percent_off",
    "amount_off",
    "price",
    "price_from",
    "per_period",
    "free_item",
    "n_for_m",
    "second_item_discount",
    "free_shipping",
    "free_trial",
    "free_returns",
    "deadline",
    "promo_code",
]
CLAIM_KINDS: tuple[ClaimKind, ...] = (
    "percent_off",
    "amount_off",
    "price",
    "price_from",
    "per_period",
    "free_item",
    "n_for_m",
    "second_item_discount",
    "free_shipping",
    "free_trial",
    "free_returns",
    "deadline",
    "promo_code",
)


@dataclass(frozen=True)
class Claim:
    """One promise of the brief, as a unit that is shown whole or not at all."""

    kind: ClaimKind
    text: str
    """The minimal whole phrase as written ("ab 12,50 €/Monat"); atomic: never split or cut."""
    value: float | None = None
    """Percent, amount, count or number of days/months; 50 for "half price"."""
    currency: str | None = None
    period: Period | None = None
    scope: str | None = None
    """What a discount applies to ("Monatsmieten", "pillowcases"), as written."""
    code: str | None = None
    n: int | None = None
    m: int | None = None
    threshold: float | None = None
    """"Free shipping over 75 $": the order value that unlocks the claim."""
    condition: str | None = None
    """Who or what the promise is for, as written: "when you switch", "Trade in your old
    pair", "für Neukunden". "First month free" without "when you switch" promises more."""
    source: str = ""
    """Which brief field it came from: 'offer', 'offer 2', 'selling point 1', 'price'."""
    start: int = 0
    end: int = 0

    @property
    def atomic(self) -> bool:
        """Every claim is atomic: fitting may drop it or rephrase it, never cut inside it."""
        return True

    def describe(self) -> str:
        """A short label for messages: 'amount_off "Spare 250 €"'."""
        return f'{self.kind} "{self.text}"'

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form for manifest.json and the API (empty fields left out)."""
        out: dict[str, object] = {"kind": self.kind, "text": self.text}
        names = ("value", "currency", "period", "scope", "code", "n", "m", "threshold", "condition")
        for name in names:
            v = getattr(self, name)
            if v is not None:
                out[name] = v
        if self.source:
            out["source"] = self.source
        return out


# ---------------------------------------------------------------------------------------------
# Building blocks (applied to the light text, case-insensitive)

_I = regex.IGNORECASE | regex.V0


def _words(text: str) -> list[str]:
    """The space-separated words of a table string."""
    return text.split()


_NUM = r"\d{1,3}(?:[ ,.'’]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d)"
_CUR_PREFIX = r"US\$|NT\$|R\$|CA\$|A\$|HK\$|S\$|\$|£|€|₽|₪|₹|₺|¥|￥|₩"
_CUR_SUFFIX = (
    r"€|₽|₪|₹|₺|\$|zł|TL(?!\p{L})|円|元|원|₩|ر\.س\.?|د\.إ\.?|руб\.?|р\.|"
    r"(?:USD|EUR|GBP|CNY|RMB|JPY|RUB|INR|KRW|ILS|BRL|PLN|TRY|SAR|AED|TWD|CHF)(?!\p{L})|euros?(?!\p{L})"
)
_MONEY = (
    rf"(?:(?:{_CUR_PREFIX})\s?(?:{_NUM})(?:\s?만)?|"
    rf"(?<![\p{{Latin}}\p{{Cyrillic}}\p{{Greek}}\d.,])(?:{_NUM})(?:\s?만)?\s?(?:{_CUR_SUFFIX}))"
)
_PCT = r"(?<![\d.,])\d+(?:[.,]\d+)?\s?%|%\s?\d+(?![\d.,])"
_W = r"[\p{L}\p{M}][\p{L}\p{M}'’-]*"  # one word of a spaced script
_START = r"(?<![\p{L}\p{M}\p{N}])"
_END = r"(?![\p{L}\p{M}\p{N}])"

_CURRENCY_OF = {
    "US$": "USD",
    "$": "USD",
    "NT$": "TWD",
    "R$": "BRL",
    "CA$": "CAD",
    "A$": "AUD",
    "HK$": "HKD",
    "S$": "SGD",
    "£": "GBP",
    "€": "EUR",
    "EURO": "EUR",
    "EUROS": "EUR",
    "₽": "RUB",
    "РУБ": "RUB",
    "РУБ.": "RUB",
    "Р.": "RUB",
    "₪": "ILS",
    "₹": "INR",
    "₺": "TRY",
    "TL": "TRY",
    "円": "JPY",
    "元": "CNY",
    "원": "KRW",
    "₩": "KRW",
    "ZŁ": "PLN",
    "ر.س": "SAR",
    "ر.س.": "SAR",
    "د.إ": "AED",
    "د.إ.": "AED",
    "RMB": "CNY",
}

# Per language: words that say an amount or percentage comes off, before or after it.
_OFF_BEFORE = {
    "en": r"save|get|take|extra",
    "de": r"spare|sparen\s+sie|sparst\s+du|spar|minus",
    "ru": r"скидк[аиуой]|экономия|выгода|минус",
    "uk": r"знижк[аиуою]|економія|вигода|мінус",
    "es": r"ahorra|ahorre|ahorras|descuento\s+de",
    "fr": r"économisez|économise|remise\s+de",
    "pt": r"economize|economia\s+de|desconto\s+de|ganhe",
    "tr": r"indirim",
    "pl": r"oszczędź|oszczędzasz|rabat",
    "zh": r"立[减減]|现折|現折|直降|[减減]",
    "he": r"הנחה(?:\s+של)?|חסכו|חיסכון\s+של",
    "ar": r"خصم|وفر|وفّر|تخفيض",
    "hi": r"बचाएं|बचत",
    "ko": r"",
    "ja": r"",
}
_OFF_AFTER = {
    "en": r"off|discount",
    "de": r"rabatt|nachlass|günstiger|sparen|reduziert",
    "ru": r"скидк\w*|дешевле",
    "uk": r"знижк\w*|дешевше",
    "es": r"de\s+descuento|dto\.?|menos",
    "fr": r"de\s+(?:remise|réduction)|de\s+moins",
    "pt": r"de\s+desconto|off",
    "tr": r"indirim\w*",
    "pl": r"zniżki|rabatu|taniej|zniżka|rabat",
    "ja": r"オフ|OFF|引き|割引",
    "ko": r"할인",
    "zh": r"优惠|優惠|折扣",
    "he": r"הנחה",
    "ar": r"خصم|تخفيض",
    "hi": r"की\s+छूट|छूट",
}
# "Up to" between a discount word and its number ("Скидка до 30%", "Rabat do 30%"): the cap
# is part of the discount's phrase, so it is never shown without it. (Where "up to" comes
# first, "Up to 30% off", "до 30% скидка", the claim check reads it right before the claim.)
_UP_TO_INSIDE = {"ru": r"до", "uk": r"до", "pl": r"do"}
# Money back after buying ("get $50 back"): a rebate, not money off the price; "back" is its
# qualifier, so it is neither shown without it nor read as a second discount.
_REBATE_AFTER = {"en": r"back"}
# A percentage followed straight by its scope is a discount in these languages: "20 % auf
# alles", "−30 % sur tout le site". (Not in English: "5% on savings" is interest.)
_OFF_BY_SCOPE = {"de": r"auf", "fr": r"sur"}
# A discount's scope: a preposition (optional in English) and up to three words.
_SCOPE_PREP = {
    "en": r"on|for",
    "de": r"auf|für",
    "fr": r"sur|pour",
    "es": r"en|para",
    "pt": r"na|no|em|nas|nos",
    "pl": r"na",
    "ru": r"на",
    "uk": r"на",
    "it": r"su",
    # "خصم 20% على إقامات الصيف", "הנחה 20% על כל המוצרים": the scope follows "on".
    "ar": r"على",
    "he": r"על",
}
_SCOPE_SKIP = frozenset(
    _words(
        "the all your every les le la l' des tous toutes die den der das alle todos todas las los "
        "el os as todo toda wszystkie все всё alles tout جميع كل כל"
    )
)
_UNIVERSAL = frozenset(
    _words(
        "all every alle alles tous tout toutes todos todas todo toda wszystkie все всё جميع كل כל"
    )
)
_SCOPE_STOP = frozenset(
    _words(
        "this next until till through during with when only and or if using code today now at "
        "while from over by before ends every orders order "
        "bis nur mit und oder ab im in während diese dieser dieses diesen code beim "
        "jusqu jusqu'au jusqu'à avec et ou dès code ce cette pendant avant "
        "hasta con y o desde código solo este esta antes durante si "
        "até com e ou cupom só este esta durante "
        "do z i lub od tylko kodem "
        "до с и или по от только "
        "حتى مع عند عندما فقط باستخدام بكود كود اليوم هذا هذه من "
        "עד עם בקוד קוד רק היום השבוע בלבד מ "
    )
)
_PERIOD_AFTER = (
    r"\s?/\s?(?P<pa>month|mo|monat|mese|mes|mois|mês|mies\.?|мес\.?|माह|月|월|ay|year|yr|jahr|año|"
    r"anno|an|ano|rok|год|yıl|年|년|वर्ष|night|nacht|noche|nuit|notte|noite|ночь|noc|gece|晚|泊|박|"
    r"रात|day|tag|día|dia|jour|giorno|день|dzień|gün|天|日|일|दिन|week|wk|woche|semana|semaine|"
    r"settimana|нед\.?|tydz\.?|hafta|周|週|주|सप्ताह)(?![\p{L}])"
    r"|\s+(?P<pw>a\s+month|per\s+month|pro\s+monat|im\s+monat|monatlich|al\s+mes|par\s+mois|"
    r"por\s+mês|miesięcznie|в\s+месяц|לחודש|ליום|ללילה|לשבוע|לשנה|شهري[\p{L}\p{M}]*|"
    r"يومي[\p{L}\p{M}]*|لليلة|أسبوعي[\p{L}\p{M}]*|سنوي[\p{L}\p{M}]*|في\s+الشهر|"
    r"प्रति\s+माह)(?![\p{L}])"
)
_PERIOD_BEFORE = r"(?P<pb>月額|每月|月費|月费|월|aylık|monthly|mensual)"
_PERIOD_WORDS: dict[Period, tuple[str, ...]] = {
    "month": (
        "month",
        "mo",
        "monat",
        "mes",
        "mois",
        "mês",
        "mies",
        "мес",
        "माह",
        "月",
        "ay",
        "월",
        "לחודש",
        "شهري",
        "الشهر",
        "monthly",
        "mensual",
        "aylık",
        "miesięcznie",
        "месяц",
        "monatlich",
        "प्रति",
    ),
    "year": (
        "year",
        "yr",
        "jahr",
        "año",
        "an",
        "ano",
        "anno",
        "rok",
        "год",
        "yıl",
        "年",
        "년",
        "वर्ष",
        "לשנה",
        "سنوي",
    ),
    "night": (
        "night",
        "nacht",
        "noche",
        "nuit",
        "notte",
        "noite",
        "ночь",
        "noc",
        "gece",
        "晚",
        "泊",
        "박",
        "रात",
        "ללילה",
        "لليلة",
    ),
    "week": (
        "week",
        "wk",
        "woche",
        "semana",
        "semaine",
        "settimana",
        "нед",
        "tydz",
        "hafta",
        "周",
        "週",
        "주",
        "सप्ताह",
        "לשבוע",
        "أسبوعي",
    ),
    "day": (
        "day",
        "tag",
        "día",
        "dia",
        "jour",
        "giorno",
        "день",
        "dzień",
        "gün",
        "天",
        "日",
        "일",
        "दिन",
        "ליום",
        "يومي",
    ),
}
_FROM_BEFORE = {
    "en": r"from|starting\s+at|starts\s+at|as\s+low\s+as",
    "de": r"(?:schon\s+|bereits\s+)?ab",
    "es": r"desde|a\s+partir\s+de",
    "fr": r"à\s+partir\s+de|dès",
    "pt": r"a\s+partir\s+de|desde",
    "pl": r"(?:już\s+)?od",
    "ru": r"от",
    "ar": r"ابتداءً\s+من|ابتداء\s+من|بدءًا\s+من|اعتبارًا\s+من",
    "it": r"da|a\s+partire\s+da",
}
# Suffix forms: 月額980円から, 월 9,900원부터, 每月¥15起, Aylık 149,90 TL'den başlayan, ₹499 से शुरू.
_FROM_AFTER = {
    "ja": r"から|より",
    "ko": r"부터|~",
    "zh": r"起",
    # "başlayan" (starting) is a participle: it takes the noun it qualifies along ("…TL'den
    # başlayan fiyatlarla"), never ends the phrase.
    "tr": r"['’](?:den|dan|ten|tan)\s+(?:başlayan(?:\s+(?P<head>" + _W + r"))?|itibaren)",
    "hi": r"\s*से\s+शुरू",
}
_FREE = {
    "en": r"free",
    "de": r"gratis|kostenlos|geschenkt|umsonst",
    "ru": r"бесплатно|в\s+подарок",
    "es": r"gratis|de\s+regalo",
    "fr": r"offerte?s?|gratuite?s?",
    "pt": r"grátis|de\s+graça|gratuit[oa]s?",
    "tr": r"hediye|ücretsiz|bedava",
    "pl": r"gratis|za\s+darmo",
    "he": r"חינם|במתנה",
    "ar": r"مجان[\p{L}\p{M}]*|هدية",
    "hi": r"मु(?:\u095e|\u092b\u093c?)\u094dत|फ्री",
}
_HALF = {
    "en": r"half[\s-]price|half\s+off|50\s?%\s+off",
    "de": r"zum\s+halben\s+preis|halber\s+preis|50\s?%\s+(?:rabatt|günstiger)",
    "ru": r"за\s+полцены|полцены|со\s+скидкой\s+50\s?%",
    "es": r"a\s+mitad\s+de\s+precio|mitad\s+de\s+precio|al\s+50\s?%",
    "fr": r"à\s+moitié\s+prix|moitié\s+prix|à\s+-50\s?%",
    "pt": r"com\s+50\s?%\s+de\s+desconto|pela\s+metade\s+do\s+preço|metade\s+do\s+preço",
    "tr": r"yarı\s+fiyatına|yarı\s+fiyat|%\s?50\s+indirimli",
    "pl": r"za\s+pół\s+ceny|pół\s+ceny|50\s?%\s+taniej",
    "ja": r"半額|半値",
    "ko": r"반값|반\s?값|50\s?%\s*할인",
    "zh": r"半[价價]",
    "he": r"בחצי\s+מחיר|חצי\s+מחיר",
    "ar": r"بنصف\s+السعر|نصف\s+السعر",
    "hi": r"आधी\s+कीमत\s+पर|आधी\s+कीमत",
}
_SECOND = {
    "en": r"(?:the\s+)?(?:second|2nd)(?:\s+" + _W + r"){1,2}?",
    "de": r"(?:die\s+|der\s+|das\s+)?(?:zweite[nrs]?|2\.)(?:\s+" + _W + r")",
    "ru": r"втор(?:ая|ой|ое|ую)(?:\s+" + _W + r")?",
    "es": r"(?:la\s+|el\s+)?segund[oa](?:\s+" + _W + r")",
    "fr": r"(?:le\s+|la\s+)?(?:2e|2ème|deuxième|second|seconde)(?:\s+" + _W + r")",
    "pt": r"(?:a\s+|o\s+)?segund[oa](?:\s+" + _W + r")",
    "tr": r"ikinci(?:\s+" + _W + r")",
    "pl": r"drug[iaą](?:\s+" + _W + r")",
    "ja": r"2(?:点目|つ目|個目|品目)",
    "ko": r"두\s?번째(?:\s+\S+)?",
    "zh": r"第[二2](?:件|个|個|份|双|雙|杯)",
    "he": r"(?:ה\S+\s+)?ה?שנ(?:י|ייה|ia)",
    "ar": r"(?:ال\S+\s+)?الثاني(?:ة)?",
    "hi": r"दूसर[ाीे](?:\s+\S+)?",
}
_SHIPPING = {
    "en": r"free\s+(?:standard\s+|express\s+)?(?:shipping|delivery)",
    "de": r"versandkostenfrei|kostenloser\s+versand|gratis[\s-]?versand|"
    r"versand\s+(?:gratis|kostenlos)",
    "ru": r"бесплатн(?:ая|ую)\s+доставк[аиу]|доставка\s+бесплатно",
    "es": r"envío\s+(?:gratis|gratuito)",
    "fr": r"livraison\s+(?:offerte|gratuite)",
    "pt": r"frete\s+grátis|entrega\s+grátis",
    "tr": r"ücretsiz\s+kargo|kargo\s+bedava",
    "pl": r"darmowa\s+dostawa|bezpłatna\s+dostawa|dostawa\s+gratis",
    "ja": r"送料無料",
    "ko": r"무료\s?배송",
    "zh": r"(?:全[场場])?(?:包[邮郵]|免[运運]费|免[运運]費|免[邮郵])",
    "he": r"משלוח\s+חינם",
    "ar": r"(?:شحن|توصيل)\s+مجان[\p{L}\p{M}]*",
    "hi": r"मु(?:\u095e|\u092b\u093c?)\u094dत\s+डिलीवरी",
}
_SHIP_THRESHOLD = {
    "en": r"\s+on\s+(?:all\s+)?orders\s+(?:over|above|of|from)\s+",
    "de": r"\s+ab\s+",
    "ru": r"\s+от\s+",
    "es": r"\s+(?:desde|a\s+partir\s+de)\s+",
    "fr": r"\s+dès\s+",
    "pt": r"\s+acima\s+de\s+",
    "pl": r"\s+od\s+",
}
_TRIAL = {
    "en": r"first\s+month\s+free|(?P<num>\d+)[-\s]days?\s+free(?:\s+trial)?|free\s+trial|"
    r"try\s+(?:it\s+)?free\s+for\s+(?P<num2>\d+)\s+days",
    "de": r"(?P<num>\d+)\s+tage\s+(?:kostenlos|gratis)\s+testen|"
    r"erster\s+monat\s+(?:gratis|kostenlos)",
    "ru": r"перв(?:ый|ые)\s+(?:месяц|(?P<num>\d+)\s+дн\w+)\s+бесплатно|"
    r"(?P<num2>\d+)\s+дн\w+\s+бесплатно",
    "es": r"(?P<num>\d+)\s+mes(?:es)?\s+gratis|primer\s+mes\s+gratis|(?P<num2>\d+)\s+días\s+gratis",
    "fr": r"(?P<num>\d+)\s+jours\s+d['’]essai\s+gratuit|premier\s+mois\s+offert|"
    r"(?P<num2>\d+)\s+mois\s+offerts?",
    "pt": r"(?P<num>\d+)\s+dias\s+grátis|primeiro\s+mês\s+grátis|"
    r"(?P<num2>\d+)\s+mes(?:es)?\s+grátis",
    "tr": r"ilk\s+ay\s+ücretsiz|(?P<num>\d+)\s+gün\s+ücretsiz",
    "pl": r"(?P<num>\d+)\s+dni\s+za\s+darmo|pierwszy\s+miesiąc\s+(?:gratis|za\s+darmo)",
    "ja": r"初月無料|(?P<num>\d+)日間無料",
    "ko": r"첫\s?달\s+무료|(?P<num>\d+)일\s+무료",
    "zh": r"首月免[费費]|免[费費]试用(?P<num>\d+)天|免費試用(?P<num2>\d+)天",
    "he": r"חודש\s+ראשון\s+חינם|(?P<num>\d+)\s+ימים\s+חינם",
    "ar": r"الشهر\s+الأول\s+مجان[\p{L}\p{M}]*",
    "hi": r"पहला\s+महीना\s+मु(?:\u095e|\u092b\u093c?)\u094dत",
}
_RETURNS = {
    "en": r"(?P<num>\d+)[-\s]days?\s+free\s+returns|"
    r"free\s+returns(?:\s+within\s+(?P<num2>\d+)\s+days)?",
    "de": r"(?P<num>\d+)\s+tage\s+kostenlose\s+rücksendung|kostenlose\s+rücksendung",
    "ru": r"бесплатный\s+возврат(?:\s+в\s+течение\s+(?P<num>\d+)\s+дн\w+)?",
    "es": r"devoluci(?:ón|ones)\s+gratis(?:\s+en\s+(?P<num>\d+)\s+días)?",
    "fr": r"retours?\s+gratuits?(?:\s+sous\s+(?P<num>\d+)\s+jours)?",
    "pt": r"devolução\s+grátis(?:\s+em\s+(?P<num>\d+)\s+dias)?",
    "tr": r"(?P<num>\d+)\s+gün\s+(?:içinde\s+)?ücretsiz\s+iade|ücretsiz\s+iade",
    "pl": r"(?P<num>\d+)\s+dni\s+na\s+darmowy\s+zwrot|darmowy\s+zwrot",
    "ja": r"(?P<num>\d+)日間返品無料|返品無料",
    "ko": r"(?P<num>\d+)일\s+무료\s+반품|무료\s+반품",
    "zh": r"(?P<num>\d+)天无理由退[货換换]|(?P<num2>\d+)天無理由退[貨換换]",
    "he": r"החזרה\s+חינם(?:\s+תוך\s+(?P<num>\d+)\s+יום)?",
    "ar": r"إرجاع\s+مجاني(?:\s+خلال\s+(?P<num>\d+)\s+يوم[\p{L}\p{M}]*)?",
    "hi": r"(?P<num>\d+)\s+दिन\s+में\s+मु(?:\u095e|\u092b\u093c?)\u094dत\s+वापसी",
}
_N_FOR_M = {
    "en": r"(?P<n>\d+)\s+for\s+(?P<m>\d+)",
    "de": r"(?P<n>\d+)\s+für\s+(?P<m>\d+)",
    "ru": r"(?P<n>\d+)\s+по\s+цене\s+(?P<m>\d+)",
    "es": r"(?P<n>\d+)\s?x\s?(?P<m>\d+)|lleva\s+(?P<n2>\d+),?\s+paga\s+(?P<m2>\d+)",
    "fr": r"(?P<n>\d+)\s+pour\s+le\s+prix\s+de\s+(?P<m>\d+)|(?P<n2>\d+)\s+pour\s+(?P<m2>\d+)",
    "pt": r"leve\s+(?P<n>\d+),?\s+pague\s+(?P<m>\d+)",
    "tr": r"(?P<n>\d+)\s+(?:gece\s+)?(?:kal|al),?\s+(?P<m>\d+)\s+(?:gece\s+)?öde",
    "pl": r"(?P<n>\d+)\s+w\s+cenie\s+(?P<m>\d+)|(?P<n2>\d+)\s+za\s+(?P<m2>\d+)",
    "ja": r"(?P<n>\d+)点で(?P<m>\d+)点分",
    "ko": r"(?P<n>\d+)\+(?P<m>\d+)",
    "zh": r"[买買](?P<bn>[一二三四五1-5])[送赠贈](?P<bg>[一二三1-3])",
    "ar": r"احجز\s+(?P<n>\d+)\s+\S+\s+وادفع\s+ثمن\s+(?P<m>\d+|ليلتين|ليلة)",
    "hi": r"(?P<n>\d+)\s+खरीदें,?\s+(?P<m>\d+)\s+का\s+भुगतान\s+करें",
    "he": r"(?P<n>\d+)\s+ב[-־]?(?P<m>\d+)",
}
_WEEKDAYS = {
    "en": r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|midnight",
    "de": r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monatsende",
    "ru": r"понедельника|вторника|среды|четверга|пятницы|субботы|воскресенья",
    "es": r"lunes|martes|miércoles|jueves|viernes|sábado|domingo",
    "fr": r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
    "pt": r"segunda|terça|quarta|quinta|sexta|sábado|domingo",
    "tr": r"pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar",
    "pl": r"poniedziałku|wtorku|środy|czwartku|piątku|soboty|niedzieli",
    "hi": r"सोमवार|मंगलवार|बुधवार|गुरुवार|शुक्रवार|शनिवार|रविवार",
}
_MONTHS = {
    "en": r"jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?",
    "de": r"januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember",
    "ru": r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря",
    "es": r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
    r"diciembre",
    "fr": r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    "pt": r"janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|"
    r"dezembro",
    "tr": r"ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık",
    "pl": r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|"
    r"listopada|grudnia",
}
_DATE = r"\d{1,2}\.\s?\d{1,2}\.(?:\d{2,4})?|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
_DEADLINE = {
    "en": r"(?:only\s+)?(?:this|next)\s+(?:weekend|week|month)(?:\s+only)?|"
    r"(?:cyber\s+week|cyber\s+monday|black\s+friday(?:\s+week)?)(?:\s+only)?|"
    r"(?:until|till|through|ends?|by)\s+(?:{wd}|{d}|(?:{mo})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{mo}))|"
    r"today\s+only|limited[\s-]time(?:\s+only)?|while\s+stocks?\s+last",
    "de": r"(?:nur\s+)?in\s+der\s+cyber\s+week|(?:nur\s+)?(?:noch\s+)?bis\s+(?:zum\s+)?"
    r"(?:{d}|\d{{1,2}}\.\s+(?:{mo})|{wd})|nur\s+(?:heute|dieses\s+wochenende|diese\s+woche)|"
    r"black\s+(?:friday|week)|solange\s+der\s+vorrat\s+reicht",
    "ru": r"до\s+(?:\d{{1,2}}\s+(?:{mo})|{wd}|{d}|конца\s+(?:месяца|недели|года))|"
    r"только\s+сегодня|(?:в\s+)?эти\s+выходные|ч[её]рная\s+пятница",
    "es": r"(?:solo\s+)?(?:hasta|antes\s+del?)\s+(?:el\s+)?(?:{wd}|\d{{1,2}}\s+de\s+(?:{mo})|{d}|"
    r"fin\s+de\s+mes)|solo\s+hoy|este\s+fin\s+de\s+semana",
    "fr": r"jusqu['’](?:au|à)\s+(?:\d{{1,2}}\s+(?:{mo})|{wd}|{d})|ce\s+week-end|"
    r"aujourd['’]hui\s+seulement",
    "pt": r"(?:só\s+)?até\s+(?:o\s+|a\s+)?(?:{wd}|\d{{1,2}}\s+de\s+(?:{mo})|{d})|só\s+hoje|"
    r"este\s+fim\s+de\s+semana",
    "tr": r"(?:{wd})\s+gününe\s+kadar|\d{{1,2}}\s+(?:{mo})['’]?\S*\s+kadar|sadece\s+bugün",
    "pl": r"do\s+(?:{wd}|\d{{1,2}}\s+(?:{mo})|{d}|końca\s+(?:miesiąca|tygodnia))|tylko\s+dziś",
    "ja": r"[月火水木金土日]曜日?まで|\d{{1,2}}月\d{{1,2}}日まで|本日限り|今週末まで|期間限定",
    "ko": r"[월화수목금토일]요일까지|\d{{1,2}}월\s?\d{{1,2}}일까지|오늘만",
    "zh": r"截[至止](?:本?(?:周|週)[一二三四五六日天]|\d{{1,2}}月\d{{1,2}}日)|"
    r"至(?:周|週)[一二三四五六日天]止?|\d{{1,2}}月\d{{1,2}}日[前止]|仅限今日|僅限今日|限时|限時",
    "he": r"עד\s+(?:יום\s+\S+|סוף\s+החודש|{d})|היום\s+בלבד",
    "ar": r"حتى\s+(?:نهاية\s+(?:الشهر|الأسبوع)|يوم\s+\S+|{d})|لفترة\s+محدودة",
    "hi": r"(?:{wd})\s+तक|सीमित\s+समय",
}
_CODE_WORD = {
    "en": r"(?:promo\s+)?code|coupon|voucher",
    "de": r"(?:gutschein)?codes?|gutscheins?",
    "ru": r"промокод(?:у|ом)?|код(?:у|ом)?",
    "es": r"código|cupón",
    "fr": r"code(?:\s+promo)?",
    "pt": r"cupom|código",
    "pl": r"kod(?:em)?|kupon(?:em)?",
    "ja": r"(?:クーポン)?コード|クーポン",
    "ko": r"(?:쿠폰\s?)?코드|쿠폰",
    "zh": r"优惠码|優惠碼|券码|折扣码",
    "he": r"(?:ה)?קוד|קופון",
    "ar": r"(?:ب?ال)?كود|(?:ب?ال)?رمز|كوبون",
    "hi": r"कोड|कूपन",
}
# The preposition that governs the case of the code word belongs to the claim: "промокоду
# NOVA5" and "kodem KAWA30" are not phrases, "по промокоду NOVA5" and "z kodem KAWA30" are.
_CODE_PREPOSITION = {"ru": r"(?:(?:по|с)\s+)?", "pl": r"(?:ze?\s+)?"}
# Codes are written in Latin or Cyrillic capitals and digits ("SPRING15", "ЕДА25").
# A code may be followed straight by Japanese or Korean ("AURA20を", "AURA20入力で", "AURA20을").
_CODE = (
    r"(?P<code>[A-Z0-9А-ЯЁ][A-Z0-9А-ЯЁ-]{2,19})"
    r"(?![\p{Latin}\p{Cyrillic}\p{Greek}\p{N}])"
)
_CODE_AFTER = {"tr": r"\s+kod(?:uyla|unu|u\s+ile)", "ja": r"\s?で"}


def base_language(language: str) -> str:
    """'zh-Hant' -> 'zh', 'pt-BR' -> 'pt': the tables are per language, scripts share them."""
    return language.strip().lower().replace("_", "-").split("-")[0]


def _alt(table: dict[str, str], language: str) -> str | None:
    rx = table.get(language)
    return rx if rx else None


@lru_cache(maxsize=64)
def _patterns(language: str) -> tuple[tuple[ClaimKind, regex.Pattern[str]], ...]:
    """Compiled claim patterns of a language, most specific kinds first (that order breaks ties
    between matches of the same length)."""
    lang = base_language(language)
    spaced = lang not in ("ja", "zh")
    s, e = (_START, _END) if spaced else ("", "")
    out: list[tuple[ClaimKind, str]] = []
    fill = {
        "wd": _WEEKDAYS.get(lang, r"(?!x)x"),
        "mo": _MONTHS.get(lang, r"(?!x)x"),
        "d": _DATE,
    }
    if rx := _alt(_RETURNS, lang):
        out.append(("free_returns", rf"{s}(?:{rx}){e}"))
    if rx := _alt(_TRIAL, lang):
        out.append(("free_trial", rf"{s}(?:{rx}){e}"))
    if rx := _alt(_SHIPPING, lang):
        thr = _SHIP_THRESHOLD.get(lang)
        tail = rf"(?:{thr}(?P<money>{_MONEY}))?" if thr else ""
        out.append(("free_shipping", rf"{s}(?:{rx}){tail}"))
        if lang == "zh":
            out.append(("free_shipping", rf"[满滿](?P<money>{_MONEY})(?:{rx})"))
    if (second := _alt(_SECOND, lang)) and (half := _alt(_HALF, lang)):
        out.append(("second_item_discount", rf"{s}(?:{second})\s*(?:{half}){e}"))
    if rx := _alt(_N_FOR_M, lang):
        out.append(("n_for_m", rf"{s}(?:{rx})"))
    from_before = _alt(_FROM_BEFORE, lang)
    period_after = rf"(?:{_PERIOD_AFTER})?"
    if from_before:
        out.append(("price_from", rf"{s}(?:{from_before})\s*(?P<money>{_MONEY}){period_after}"))
    if lang == "he":
        out.append(("price_from", rf"(?:החל\s+)?מ[-־]\s?(?P<money>{_MONEY}){period_after}"))
    if rx := _alt(_FROM_AFTER, lang):
        out.append(
            ("price_from", rf"(?:{_PERIOD_BEFORE}\s?)?(?P<money>{_MONEY})(?:/\s?माह)?(?:{rx})")
        )
    out.append(("per_period", rf"(?:{_PERIOD_BEFORE}\s?)?(?P<money>{_MONEY})(?:{_PERIOD_AFTER})"))
    off_before, off_after = _alt(_OFF_BEFORE, lang), _alt(_OFF_AFTER, lang)
    if off_before:
        if rebate := _REBATE_AFTER.get(lang):
            out.append(
                (
                    "amount_off",
                    rf"{s}(?:{off_before})\s*(?P<money>{_MONEY})\s+(?P<rebate>{rebate}){e}",
                )
            )
        up_to = _UP_TO_INSIDE.get(lang)
        cap = rf"(?:(?:{up_to})\s+)?" if up_to else ""
        out.append(("amount_off", rf"{s}(?:{off_before})\s*{cap}(?P<money>{_MONEY})"))
        out.append(("percent_off", rf"{s}(?:{off_before})\s*{cap}(?P<pct>{_PCT})"))
    if off_after:
        out.append(("amount_off", rf"(?P<money>{_MONEY})\s*(?:{off_after}){e}"))
        out.append(("percent_off", rf"(?P<pct>{_PCT})\s*(?:{off_after}){e}"))
    if rx := _OFF_BY_SCOPE.get(lang):
        out.append(("percent_off", rf"(?P<pct>{_PCT})(?=\s+(?:{rx})\s)"))
    # "−250 €", "-30%": a minus sign is a discount in every language.
    out.append(("amount_off", rf"(?<![\p{{L}}\p{{N}}])[-−–]\s?(?P<money>{_MONEY})"))
    out.append(("percent_off", rf"(?<![\p{{L}}\p{{N}}])[-−–]\s?(?P<pct>{_PCT})"))
    if lang == "zh":
        out.append(("amount_off", r"[满滿](?P<thr>\d+)[减減](?P<num>\d+)"))
        # "月費方案85折": a plan, a membership or "everything" before the zhe is its scope.
        scope = r"全[场場]|\p{Han}{0,4}(?:方案|套餐|[会會]員|会员|月[费費]|年[费費]|商品|服[务務])"
        # The zhe in digits or in Han numerals ("全场八折", "八五折" = 85% of the price).
        zhe = rf"\d{{1,2}}(?:\.\d)?|[{_HAN_DIGITS}]{{1,2}}"
        out.append(("percent_off", rf"(?P<pre>{scope})?(?P<zhe>{zhe})折"))
    if lang == "ko":
        out.append(("free_item", r"(?P<cond>\d+박\s*예약\s*시)\s*(?P<num>\d+)박\s*무료"))
        out.append(("free_item", r"\S+\s(?P<num>\d+)개\s?무료"))
    if lang == "ja":
        out.append(("free_item", r"[\p{Katakana}\p{Han}ー]+(?P<num>\d+)[本個点枚つ]無料"))
    if lang == "zh":
        out.append(("free_item", r"[送赠贈]\p{Han}{1,4}"))
    if free := _alt(_FREE, lang):
        if lang == "en":
            out.append(("free_item", rf"{s}(?P<num>\d+)\s+free\s+{_W}{e}"))
            out.append(("free_item", rf"{s}(?P<num>\d+)\s+{_W}(?:\s+{_W})?\s+free{e}"))
        elif lang == "es":
            out.append(
                ("free_item", rf"{s}(?:(?P<num>\d+)\s+)?(?:{_W}\s+de\s+)?{_W}\s+(?:{free}){e}")
            )
        else:
            out.append(("free_item", rf"{s}(?:(?P<num>\d+)\s+)?{_W}\s+(?:{free}){e}"))
    if rx := _alt(_DEADLINE, lang):
        out.append(("deadline", rf"{s}(?:{rx.format(**fill)}){e}"))
    if rx := _alt(_CODE_WORD, lang):
        prep = _CODE_PREPOSITION.get(lang, "")
        out.append(("promo_code", rf"{s}{prep}(?:{rx})\s*[:：]?\s*[\"«“']?{_CODE}"))
    if rx := _alt(_CODE_AFTER, lang):
        out.append(("promo_code", rf"{_CODE}(?:{rx})"))
    compiled: list[tuple[ClaimKind, regex.Pattern[str]]] = []
    for kind, rx in out:
        compiled.append((kind, regex.compile(rx, _I)))
    return tuple(compiled)


_KIND_ORDER = {k: i for i, k in enumerate(CLAIM_KINDS)}
# Ties in length go to the more specific kind.
_TIE = {
    "free_returns": 0,
    "free_trial": 1,
    "free_shipping": 2,
    "second_item_discount": 3,
    "n_for_m": 4,
    "price_from": 5,
    "per_period": 6,
    "amount_off": 7,
    "percent_off": 8,
    "promo_code": 9,
    "deadline": 10,
    "free_item": 11,
    "price": 12,
}
_MONTHLY = regex.compile(
    r"(?<!\p{L})(?:mes|meses|mois|mês|monat|месяц|ay|miesiąc)(?!\p{L})|月|달|חודש|الشهر|महीना", _I
)
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


def parse_number(text: str) -> float | None:
    """'5 000' -> 5000, '12,50' -> 12.5, '2.500' -> 2500, '1,000' -> 1000, '25만' -> 250000."""
    light = _light(text)
    m = regex.search(_NUM, light)
    if not m:
        return None
    raw = m.group(0)
    grouped = regex.fullmatch(r"(\d{1,3}(?:[ ,.'’]\d{3})+)(?:([.,])(\d{1,2}))?", raw)
    if grouped:
        value = float(regex.sub(r"\D", "", grouped.group(1)))
        if grouped.group(3):
            value += float("0." + grouped.group(3))
    else:
        value = float(raw.replace(",", "."))
    if regex.match(r"\s?만", light[m.end() :]):
        value *= 10_000
    return value


def parse_money(text: str, default: str | None = None) -> tuple[float | None, str | None]:
    """The amount and ISO currency of a money phrase ('₺2.500' -> (2500.0, 'TRY'))."""
    light = _light(text)
    value = parse_number(light)
    m = regex.search(rf"{_CUR_PREFIX}|{_CUR_SUFFIX}", light, _I)
    cur = None
    if m:
        token = m.group(0).strip()
        key = token.upper() if token.isascii() else token
        cur = _CURRENCY_OF.get(key) or _CURRENCY_OF.get(token.upper())
        if cur is None and regex.fullmatch(r"[A-Za-z]{3}", token):
            cur = token.upper()
        if token in ("¥", "￥"):
            cur = default if default in ("JPY", "CNY") else "JPY"
    return value, cur or default


def _period_of(text: str) -> Period | None:
    folded = text.casefold()
    for period, words in _PERIOD_WORDS.items():
        for w in words:
            if (
                w in ("an", "ay", "mo", "월")
                and folded.strip(" /") != w
                and not regex.search(rf"/\s?{w}(?!\p{{L}})|(?<!\p{{L}}){w}\s", folded)
            ):
                continue
            if w in folded:
                return period
    return None


# Conditions a promise holds under, written after it ("First month free when you switch",
# "−20 % für Neukunden") up to the end of the clause, or before it as a clause joined by "and"
# ("Trade in your old pair and get $50 back", "Сдайте старый телефон и получите…").
_CLAUSE = r"[^.,;:!?؟。！？·|]{0,60}?(?=\s*(?:[.,;:!?؟。！？·|]|$))"
_CONDITION_AFTER = {
    "en": r"(?:when|if|once)\s+you\b|when\s+switching\b|for\s+new\s+(?:customers|members|"
    r"subscribers|users|clients)\b|with\s+(?:a\s+|your\s+)?trade[- ]?in\b",
    "de": r"(?:wenn|sobald)\s+(?:du|sie)\b|für\s+neukunden\b|bei\s+(?:eintausch|"
    r"inzahlungnahme|wechsel|vertragsabschluss|abschluss|eingabe|einlösung)\b",
    "es": r"(?:si|cuando)\s+(?:te|se|cambias|contratas|traes|entregas)\b|para\s+nuevos\s+"
    r"clientes\b|al\s+(?:cambiarte|contratar|entregar|traer)\b",
    "fr": r"si\s+vous\b|pour\s+(?:les\s+)?nouveaux\s+clients\b|en\s+cas\s+de\s+reprise\b|"
    r"pour\s+toute\s+reprise\b",
    "pt": r"(?:se|quando)\s+você\b|para\s+novos\s+clientes\b|(?:ao|na)\s+(?:trocar|"
    r"contratar|entregar|troca)\b",
    "ru": r"для\s+новых\s+(?:клиентов|пользователей|абонентов)\b|при\s+(?:сдаче|переходе|"
    r"подключении|обмене|заключении)\b|если\s+вы\b",
}
_CONDITION_BEFORE = {
    "en": (r"(?:trade\s+in|trade-in|bring|recycle|swap)\b", r"and"),
    "de": (r"(?:tausch(?:e|en\s+sie)|bring(?:e|en\s+sie))\b", r"und"),
    "es": (r"(?:entrega|trae|cambia)\b", r"y"),
    "fr": (r"(?:rapportez|échangez|recyclez)\b", r"et"),
    "pt": (r"(?:troque|entregue|traga)\b", r"e"),
    "ru": (r"(?:сдайте|сдай|обменяйте|принесите)\b", r"и"),
}


# A conditional clause written right before its promise, whole: Korean ends it in 시 (when)
# or 면 (if), Japanese in と/ば/たら or a noun with で ("入力で"), German opens it with "bei
# Eingabe"/"bei Einlösung". Shown without it ("쿠폰 코드 AURA20 · 20% 할인") the discount reads
# as one for everyone, the code as a second, unrelated line.
_CONDITION_LEAD = {
    "ko": r"[^.!?;。！？、·|]{1,40}?(?:\s시|(?:입력|구매|가입|예약|결제|등록|주문|사용|적용)시|"
    r"\p{Hangul}(?:하|되|으|이)?면)",
    "ja": r"[^.!?;。！？、・·|]{1,40}?(?:[るくすうつむぶぬぐ]と|[えけせてねへめれげべ]ば|"
    r"[たっ]たら|だら|(?:入力|利用|購入|登録|使用|提示|予約|申込|申し込み|ご利用)で)",
    "de": r"bei\s+(?:eingabe|einlösung|angabe|nutzung)\s[^.!?;·|]{1,60}?",
}


def _condition(
    text: str, light: str, start: int, end: int, language: str
) -> tuple[int, int, str | None]:
    """Extend a claim over the condition it holds under; (start, end, condition as written)."""
    after = _CONDITION_AFTER.get(language)
    if after:
        m = regex.match(rf"\s+((?:{after}){_CLAUSE})", light[end:], _I)
        if m:
            return start, end + m.end(1), text[end + m.start(1) : end + m.end(1)].strip()
    lead = _CONDITION_LEAD.get(language)
    if lead:
        # "쿠폰 코드 AURA20 입력 시 20% 할인", "コードAURA20を入力すると20%オフ", "Bei Eingabe
        # des Codes X sparen Sie 20 %": the clause right before the claim, to the last stop.
        m = regex.search(
            rf"(?:^|(?<=[.!?;。！？、·|]))\s*((?:{lead}))\s*$",
            light[:start],
            _I,
        )
        if m and regex.search(r"[\p{L}\p{N}]", m.group(1)):
            return m.start(1), end, text[m.start(1) : m.end(1)].strip()
    before = _CONDITION_BEFORE.get(language)
    if before:
        verb, conj = before
        # The clause may end in one verb before the claim: "…и получите 5000 ₽ скидки".
        m = regex.search(
            rf"(?:^|(?<=[.!?;]\s))\s*((?:{verb})[^.!?;]{{0,60}}?)\s+{conj}\s+(?:{_W}\s+)?$",
            light[:start],
            _I,
        )
        if m:
            return m.start(1), end, text[m.start(1) : m.end(1)].strip()
    return start, end, None


_HAN_DIGITS = "一二三四五六七八九"


def _zhe_number(text: str) -> float:
    """The number of a zhe: "8", "8.5", "85", "八" (8), "八五" (85)."""
    if text[0] in _HAN_DIGITS:
        return float("".join(str(_HAN_DIGITS.index(ch) + 1) for ch in text))
    return float(text)


def _scope_end(light: str, end: int, language: str) -> tuple[int, str | None]:
    """Extend a discount over its scope: 'auf Monatsmieten', 'on pillowcases', 'snacks'."""
    prep = _SCOPE_PREP.get(language)
    if prep is None:
        return end, None
    m = regex.match(rf"\s+(?:{prep})\s+", light[end:], _I)
    pos = end + (m.end() if m else 0)
    if not m and language != "en":
        return end, None
    words: list[tuple[int, int]] = []
    universal = False
    for wm in regex.finditer(rf"\G\s*({_W})", light, _I, pos=pos):
        word = wm.group(1).casefold()
        if word in _SCOPE_STOP or len(words) >= 3:
            break
        if word in _SCOPE_SKIP and not words:
            universal = universal or word in _UNIVERSAL
            pos = wm.end()
            continue
        words.append(wm.span(1))
        pos = wm.end()
    if not words:
        # "20 % auf alles": the universal word is the scope as written, part of the phrase.
        return (pos, None) if universal else (end, None)
    # "20% off all tents": the discount covers the whole range, so "20% off" alone says no
    # more than the brief; the phrase stays whole in the claim's text all the same.
    scope = None if universal else light[words[0][0] : words[-1][1]]
    return words[-1][1], scope


# A "from" price is for what is named before it: "Flights to Lisbon from £49", "Vuelos a
# Cancún desde 249 €", "טיסות לאילת מ-249 ₪". Shown as a bare "from £49" it reads as the price
# of anything the advertiser sells. Languages that name the thing before the price:
_FROM_SCOPE_BEFORE = frozenset({"en", "de", "es", "fr", "pt", "pl", "ru", "it", "he", "ar"})
# Words before a "from" price that say nothing about what it is for: "Now from £49", "Jetzt
# ab 19 €", "Тарифы от 299 ₽" (prices, plans: the product's own), "SkyFly: …" ends at the colon.
_FROM_FILLER = frozenset(
    _words(
        "now only just all today new jetzt nur schon bereits neu alle heute ahora solo ya hoy "
        "todos maintenant seulement déjà dès tous agora só apenas já todos teraz tylko już "
        "wszystkie сейчас только всего уже все сегодня ora solo già tutti עכשיו רק כבר הכל "
        "الآن فقط الكل"
    )
)
_FROM_GENERIC = frozenset(
    _words(
        "price prices plan plans rates rate tariffs tariff offers deals preis preise tarif "
        "tarife angebote precio precios plan planes tarifa tarifas ofertas prix forfait forfaits "
        "tarif tarifs offres preço preços planos ofertas cena ceny plany taryfy oferty цены цена "
        "тарифы тариф предложения prezzi prezzo piani tariffe offerte מחירים מחיר חבילות "
        "أسعار الأسعار باقات الباقات"
    )
)
_CLAUSE_MARKS = r".,;:!?·|—–()\[\]\"«»“”„•/+&"
_CLAUSE_BREAK = rf"[{_CLAUSE_MARKS}]"
_SCOPE_WORD = r"[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’-]*"


def _scope_before(light: str, start: int, language: str) -> tuple[int, str | None]:
    """What a "from" price is for, written before it in the same clause: (where the claim now
    starts, the scope as written); (start, None) when the clause names nothing there."""
    if language not in _FROM_SCOPE_BEFORE:
        return start, None
    clause = regex.search(rf"(?:^|{_CLAUSE_BREAK})([^{_CLAUSE_MARKS}]*)$", light[:start])
    if clause is None:
        return start, None
    words = list(regex.finditer(_SCOPE_WORD, light, pos=clause.start(1), endpos=start))
    while words and words[0].group(0).casefold() in _FROM_FILLER:
        words.pop(0)
    if not words or len(words) > 6:
        return start, None
    if all(w.group(0).casefold() in _FROM_GENERIC | _FROM_FILLER for w in words):
        return start, None
    return words[0].start(), light[words[0].start() : words[-1].end()]


@dataclass
class _Hit:
    kind: ClaimKind
    start: int
    end: int
    groups: dict[str, str | None] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def parse_claims(
    text: str, language: str, *, default_currency: str | None = None, source: str = ""
) -> tuple[Claim, ...]:
    """The claims written in one text, in reading order, without overlaps."""
    lang = base_language(language)
    light = _light(text)
    hits: list[_Hit] = []
    for kind, rx in _patterns(lang):
        for m in rx.finditer(light, overlapped=True):
            if m.end() <= m.start():
                continue
            groups = m.groupdict()
            spans = {k: m.span(k) for k in groups if groups[k] is not None}
            hits.append(_Hit(kind, m.start(), m.end(), groups, spans))
    hits.sort(key=lambda h: (-(h.end - h.start), _TIE[h.kind], h.start))
    taken: list[tuple[int, int]] = []
    cores: list[tuple[int, int]] = []
    claims: list[Claim] = []
    for h in hits:
        # A promo code inside another claim's condition ("Bei Eingabe des Codes X sparen Sie
        # 20 %") is still a claim of its own: the deal needs it wherever it is shown.
        against = cores if h.kind == "promo_code" else taken
        if any(h.start < b and a < h.end for a, b in against):
            continue
        claim = _claim(h, text, light, lang, default_currency, source)
        if claim is None:
            continue
        taken.append((claim.start, claim.end))
        cores.append((h.start, h.end))
        claims.append(claim)
    return tuple(sorted(claims, key=lambda c: c.start))


def _claim(
    h: _Hit, text: str, light: str, lang: str, default: str | None, source: str
) -> Claim | None:
    g = h.groups
    start, end = h.start, h.end
    value: float | None = None
    currency: str | None = None
    period: Period | None = None
    scope: str | None = None
    code: str | None = None
    n = m = None
    threshold: float | None = None
    if g.get("money"):
        value, currency = parse_money(g["money"] or "", default)
    if g.get("pct"):
        value = parse_number(g["pct"] or "")
    if g.get("zhe"):
        zhe = _zhe_number(g["zhe"] or "0")
        value = round(100 - (zhe * 10 if zhe < 10 else zhe), 1)
    for key in ("num", "num2"):
        if g.get(key):
            value = parse_number(g[key] or "")
    if h.kind == "promo_code":
        code = g.get("code")
        if not code or not (any(c.isdigit() for c in code) or len(code) >= 4):
            return None
        code = text[h.spans["code"][0] : h.spans["code"][1]]
        if regex.search(r"\p{Cyrillic}", code) and not (code.isupper() or code.isdigit()):
            return None  # "код доставки": a Cyrillic code is written in capitals
    if h.kind == "n_for_m":
        if g.get("bn"):
            buy = _ZH_DIGITS.get(g["bn"] or "") or int(g["bn"] or 0)
            get = _ZH_DIGITS.get(g["bg"] or "") or int(g["bg"] or 0)
            n, m = buy + get, buy
        else:
            n_txt = g.get("n") or g.get("n2") or "0"
            m_txt = g.get("m") or g.get("m2") or "0"
            n = int(n_txt)
            m = {"ليلتين": 2, "ليلة": 1}.get(m_txt) or int(m_txt)
        if not n or not m or n <= m:
            return None
        end, scope = _scope_end(light, end, lang)
    if h.kind == "amount_off" and g.get("rebate"):
        scope = g["rebate"]
    if h.kind == "amount_off" and g.get("thr"):
        threshold = float(g["thr"] or 0)
        value = float(g["num"] or 0)
        currency = default
    if h.kind == "free_shipping" and g.get("money"):
        threshold, currency = value, currency
        value = None
    if h.kind == "second_item_discount":
        value = 50.0
        pct = regex.search(r"(\d+)\s?%", light[start:end])
        if pct:
            value = float(pct.group(1))
    if h.kind == "percent_off":
        if value is None or value <= 0 or value > 100:
            return None
        end, scope = _scope_end(light, end, lang)
        if g.get("pre"):
            scope = g["pre"]
    if h.kind in ("free_trial", "free_returns"):
        period = "day"
        if value is None:
            value = 1.0
            period = "month"
        if _MONTHLY.search(light[start:end]):
            period = "month"
    if h.kind in ("price_from", "per_period"):
        tail = " ".join(light[a:b] for k, (a, b) in h.spans.items() if k in ("pa", "pw", "pb"))
        period = _period_of(tail) if tail else None
        if "pb" in h.spans:
            period = "month"  # 月額, 每月, 월, aylık: every prefix form is monthly
        if h.kind == "price_from" and period is None and regex.search(r"/\s?माह", light[start:end]):
            period = "month"
        if h.kind == "per_period" and period is None:
            return None
        if h.kind == "price_from":
            start, scope = _scope_before(light, start, lang)
            head = g.get("head")
            if head and not regex.match(r"fiyat", head, _I):
                scope = head  # "…'den başlayan paketler": the packages, not any price
        if lang == "es" and h.kind == "price_from":
            trip = regex.match(r"\s+(ida\s+y\s+vuelta|por\s+persona|por\s+noche)", light[end:], _I)
            if trip:
                scope = f"{scope} {trip.group(1)}" if scope else trip.group(1)
                end += trip.end()
    if h.kind == "free_item" and value is None:
        value = 1.0  # "mouse grátis", "送手机壳": one of them
    condition = g.get("cond")  # "3박 예약 시 1박 무료": the night is free with a 3-night booking
    if h.kind == "deadline" and not regex.search(r"\S", light[start:end]):
        return None
    if h.kind in ("amount_off", "price_from", "per_period") and value is None:
        return None
    if h.kind not in ("deadline", "promo_code") and condition is None:
        start, end, condition = _condition(text, light, start, end, lang)
    snippet = text[start:end]
    stripped = snippet.strip(" ,;:·–—")
    if not stripped:
        return None
    offset = snippet.find(stripped)
    start, end = start + offset, start + offset + len(stripped)
    if scope is not None:
        scope = scope.strip()
    return Claim(
        kind=h.kind,
        text=text[start:end],
        value=value,
        currency=currency,
        period=period,
        scope=scope or None,
        code=code,
        n=n,
        m=m,
        threshold=threshold,
        condition=condition,
        source=source,
        start=start,
        end=end,
    )


def brief_texts(
    offer: str, extra_offers: Sequence[str], selling_points: Sequence[str]
) -> list[tuple[str, str]]:
    """(source label, text) of every brief field that may hold claims."""
    out = [("offer", offer)] if offer else []
    out += [(f"offer {i + 2}", o) for i, o in enumerate(extra_offers) if o]
    out += [(f"selling point {i + 1}", s) for i, s in enumerate(selling_points) if s]
    return out


def claims_of(
    texts: Iterable[tuple[str, str]], language: str, default_currency: str | None = None
) -> tuple[Claim, ...]:
    """Claims of several labelled texts (the brief's offers and selling points)."""
    out: list[Claim] = []
    for label, text in texts:
        out.extend(parse_claims(text, language, default_currency=default_currency, source=label))
    return tuple(out)


# Promises of a deal, strongest first: what a badge may carry and what a promo code can
# unlock (a price or a deadline stands on its own).
DEAL_KINDS: tuple[ClaimKind, ...] = (
    "percent_off",
    "amount_off",
    "n_for_m",
    "second_item_discount",
    "free_item",
    "free_shipping",
    "free_trial",
    "free_returns",
)


def required_code(claim: Claim, claims: Sequence[Claim]) -> Claim | None:
    """The promo code a claim depends on: a code written in the same brief field.

    "Use code SPRING15 for 15% off" promises 15 % only to those who enter SPRING15; shown as a
    bare "−15%" it reads as a discount for everyone.
    """
    if claim.kind not in DEAL_KINDS:
        return None
    return next(
        (c for c in claims if c.kind == "promo_code" and c.code and qualifies(c, claim, claims)),
        None,
    )


# Words that make a discount one on an order over an amount ("$10 off orders over $75",
# "Spare 50 € ab 500 € Einkaufswert", "Скидка 500 ₽ при заказе от 3000 ₽"), before the amount.
_ORDER_OVER = {
    "en": r"(?:on\s+)?(?:(?:all|your)\s+)?(?:orders?|purchases?|baskets?)\s+(?:over|above|of|from)|"
    r"(?:when\s+you\s+)?spend(?:ing)?(?:\s+over)?|minimum\s+(?:order|spend)(?:\s+of)?",
    "de": r"ab(?:\s+einem\s+(?:Bestell|Einkaufs)wert\s+von)?|"
    r"(?:bei|für)\s+(?:Bestellungen|Einkäufen?)\s+(?:ab|über)",
    "ru": r"(?:при\s+(?:заказе|покупке)\s+)?от",
    "pl": r"(?:przy\s+(?:zamówieniu|zakupach)\s+)?(?:od|powyżej)",
    "fr": r"dès|à\s+partir\s+de|pour\s+(?:toute\s+)?commande\s+de",
    "es": r"(?:en\s+compras\s+)?(?:desde|a\s+partir\s+de|superiores\s+a)",
    "pt": r"(?:em\s+compras\s+)?(?:acima\s+de|a\s+partir\s+de)",
}


def order_threshold(text: str, language: str, default: str | None = None) -> float | None:
    """The order value a discount written in ``text`` asks for ("orders over $75" → 75), read
    from the words right after the discount; None when the language's words are not there."""
    rx = _order_over(base_language(language))
    found = rx.search(_light(text)) if rx is not None else None
    return parse_money(found.group("money"), default)[0] if found else None


@lru_cache(maxsize=16)
def _order_over(language: str) -> regex.Pattern[str] | None:
    words = _ORDER_OVER.get(language)
    return regex.compile(rf"{_START}(?:{words})\s*(?P<money>{_MONEY})", _I) if words else None


# Words that give the price before a reduction, right before the amount ("499 € statt 599 €",
# "£49, was £79", "399 ₽ вместо 599 ₽", "UVP 599 €"), or right after it in Turkish ("599 TL
# yerine"). The brief's own words then already name the prior price.
_PRIOR_BEFORE = {
    "en": r"was|reg(?:ular(?:ly)?)?\.?|regular\s+price|originally|instead\s+of|rrp|msrp|"
    r"list\s+price|compare\s+at",
    "de": r"statt|anstatt|uvp|vorher|bisher|früher|regulär|ursprünglich|originalpreis|"
    r"unverbindliche\s+preisempfehlung",
    "ru": r"вместо|было|старая\s+цена|обычная\s+цена|прежняя\s+цена",
    "uk": r"замість|було|стара\s+ціна|звичайна\s+ціна",
    "pl": r"zamiast|było|wcześniej|poprzednio|cena\s+regularna|cena\s+katalogowa",
    "fr": r"au\s+lieu\s+de|avant|prix\s+barré|prix\s+habituel|prix\s+de\s+référence",
    "es": r"antes|en\s+lugar\s+de|en\s+vez\s+de|pvpr|precio\s+anterior|precio\s+habitual",
    "pt": r"antes|em\s+vez\s+de|preço\s+original",
    "it": r"invece\s+di|anziché|prima|prezzo\s+consigliato",
    "he": r"במקום|מחיר\s+קודם",
    "ar": r"بدلاً\s+من|بدلا\s+من|بدل|كان",
    "ja": r"通常価格|定価|通常",
    "zh": r"原[价價]",
    "ko": r"정가",
}
_PRIOR_AFTER = {"tr": r"yerine"}


@dataclass(frozen=True)
class PriorPrice:
    """A price before a reduction, as the brief's words give it ("statt 599 €")."""

    value: float
    currency: str | None
    text: str
    """The words and the amount as written ("statt 599 €")."""
    amount: str
    """The amount as written ("599 €")."""


def prior_prices(text: str, language: str, default: str | None = None) -> list[PriorPrice]:
    """The prior prices ``text`` names in words ("499 € statt 599 €" → 599 €), in order."""
    out = []
    light = _light(text)
    for rx in _prior(base_language(language)):
        for m in rx.finditer(light):
            value, currency = parse_money(m.group("money"), default)
            if value is None:
                continue
            a, b = m.span("money")
            out.append(PriorPrice(value, currency, text[m.start() : m.end()], text[a:b]))
    return sorted(out, key=lambda p: text.find(p.text))


@lru_cache(maxsize=16)
def _prior(language: str) -> tuple[regex.Pattern[str], ...]:
    out = []
    spaced = language not in ("ja", "zh")
    if words := _PRIOR_BEFORE.get(language):
        s = _START if spaced else ""
        out.append(regex.compile(rf"{s}(?:{words})\s*:?\s*(?P<money>{_MONEY})", _I))
    if words := _PRIOR_AFTER.get(language):
        out.append(regex.compile(rf"(?P<money>{_MONEY})\s+(?:{words}){_END}", _I))
    return tuple(out)


def is_rebate(claim: Claim, language: str) -> bool:
    """Whether a discount is money back after the purchase ("get $50 back"), which leaves the
    price as it is."""
    rx = _REBATE_AFTER.get(base_language(language))
    if rx is None or claim.kind != "amount_off" or not claim.scope:
        return False
    return regex.fullmatch(rx, claim.scope, _I) is not None


def qualifies(qualifier: Claim, deal: Claim, claims: Sequence[Claim]) -> bool:
    """Whether a promo code or deadline ``qualifier`` belongs to ``deal``: written in the same
    brief field, or in an offer line that holds no deal of its own ("Cyber Week only",
    "Suscríbete con el código FIT15" under "15 % de descuento…"), which qualifies the deals of
    the other offer lines: shown without it, a limited or code-only deal reads as a standing
    one for everyone."""
    if qualifier.source == deal.source:
        return True
    if not (qualifier.source.startswith("offer") and deal.source.startswith("offer")):
        return False
    return not any(c.kind in DEAL_KINDS and c.source == qualifier.source for c in claims)


def claim_spans(text: str, claims: Sequence[Claim]) -> list[tuple[int, int]]:
    """Where each claim's phrase occurs in ``text`` (character spans): cuts may not fall inside."""
    spans: list[tuple[int, int]] = []
    folded = text.casefold()
    for c in claims:
        needle = c.text.casefold()
        pos = folded.find(needle)
        while pos >= 0 and needle:
            spans.append((pos, pos + len(needle)))
            pos = folded.find(needle, pos + 1)
    return spans


def half_price_words(language: str) -> regex.Pattern[str]:
    """'half price' and its translations: shown without '2nd item', a wrong promise."""
    lang = base_language(language)
    rx = _HALF.get(lang, _HALF["en"])
    return _compiled_half(rx, lang not in ("ja", "zh"))


@lru_cache(maxsize=32)
def _compiled_half(rx: str, spaced: bool) -> regex.Pattern[str]:
    s, e = (_START, _END) if spaced else ("", "")
    return regex.compile(rf"{s}(?:{rx}){e}", _I)
