"""A recurring price the brief talks about but does not give a period to.

A price pill "9,99 €" beside "monatlich kündbar", "$35" beside "First month free", a hotel's
nightly rate drawn bare: price-indication rules (PAngV, the EU Omnibus directive, FTC practice)
require the billing period next to a recurring price, and the engine can only draw it when the
brief's price says it (``Price.period``). This module reads the brief's own words for a period
("pro Monat", "/night", "月額", "в месяц") or a subscription ("Abo", "free trial") so the
marketer is told to set it:

- a period stated in an offer or a selling point ("Streaming für 9,99 € im Monat", "monthly
  plan") while the price has none makes every creative that shows the price bare not
  publishable: the offer itself says the pill would be wrong;
- a period only in the description, or a subscription or free trial without a period, is a
  warning (the price may be a one-off: a box bought once after a trial).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from adcraft.copywriting.claims import _MONEY, brief_texts, parse_claims, parse_money
from adcraft.copywriting.facts import _light
from adcraft.copywriting.locale import period_suffix
from adcraft.domain.brief import Brief, Period, Price
from adcraft.notes import say

_B = r"(?<![\p{L}\p{N}])"  # start of a word
_E = r"(?![\p{L}])"  # end of a word
# Phrases that state a price's period, by period, in the languages of the locale tables: a unit
# after a slash ("/Monat", "/mo"), words that start a word ("pro Monat", "monthly", "לחודש") and
# CJK words, which stand inside a run of characters ("会員月額").
_SLASH: dict[Period, str] = {
    "month": r"month|mo|monat|mes|mese|mois|mês|mies\.?|мес\.?|माह|月|월|ay",
    "year": r"year|yr|jahr|año|an|anno|ano|rok|год|yıl|年|년|वर्ष",
    "week": r"week|wk|woche|semana|semaine|settimana|нед\.?|tydz\.?|hafta|周|週|주|सप्ताह",
    "night": r"night|nacht|noche|nuit|notte|noite|ночь|noc|gece|晚|泊|박|रात",
    "day": r"day|tag|día|dia|jour|giorno|день|сутки|dzień|gün|天|日|일|दिन",
}
_WORDS: dict[Period, str] = {
    "month": r"(?:per|a|each|every)\s+month|monthly|mtl\.|(?:pro|im|jeden)\s+monat|monatlich|"
    r"(?:al|por|cada)\s+mes(?!\p{L})|mensual|par\s+mois|mensuel|al\s+mese(?!\p{L})|mensil|"
    r"(?:por|ao)\s+mês|mensal|в\s+месяц|ежемесячн|miesięczn|aylık|לחודש|חודשי|شهري|"
    r"في\s+الشهر|प्रति\s+माह",
    "year": r"(?:per|a|each|every)\s+year|yearly|annually|per\s+annum|(?:pro|im)\s+jahr|"
    r"jährlich|(?:al|por)\s+año|par\s+an(?!\p{L})|all['’]anno|(?:por|ao)\s+ano(?!\p{L})|"
    r"в\s+год|ежегодн|rocznie|yıllık|לשנה|سنوي",
    "week": r"(?:per|a|each|every)\s+week|weekly|pro\s+woche|wöchentlich|por\s+semana|"
    r"par\s+semaine|в\s+неделю|еженедельн|tygodniowo|haftalık|לשבוע|أسبوعي",
    "night": r"(?:per|a|each)\s+night|nightly|pro\s+nacht|por\s+noche|par\s+nuit|"
    r"a\s+notte|por\s+noite|за\s+ночь|za\s+noc|gecelik|ללילה|لليلة",
    "day": r"pro\s+tag|par\s+jour|в\s+сутки|ליום|يومي",
}
_CJK: dict[Period, str] = {
    "month": r"月額|毎月|每月|月[费費]|包月|월정액|매월",
    "year": r"年額|毎年|每年|年[费費]|연간|매년",
    "week": r"毎週|每周|每週|매주",
    "night": r"1泊|一泊|每晚|박당",
    "day": r"日額|일당",
}
_PERIOD_RX = {
    p: regex.compile(
        rf"/\s?(?:{_SLASH[p]}){_E}|{_B}(?:{_WORDS[p]})|{_CJK[p]}", regex.IGNORECASE | regex.V0
    )
    for p in _SLASH
}
# Words of a subscription: the price likely recurs, but the brief does not say how often.
_SUBSCRIPTION = regex.compile(
    _B + r"(?:subscri(?:be|ption)|abo(?:nnement|nnieren)?|suscrip|assinatura|abbonament"
    r"|подписк|prenumerat|abonelik)|サブスク|定期便|订阅|訂閱|구독|מנוי|اشتراك",
    regex.IGNORECASE | regex.V0,
)


@dataclass(frozen=True)
class PeriodHint:
    """A period the brief's words give its price, where the price has none."""

    period: Period | None
    """The period the words name; None for a subscription or trial without one."""
    phrase: str
    """The words as written ("pro Monat", "Abo")."""
    source: str
    """The brief field: 'offer', 'offer 2', 'selling point 1', 'description'."""
    stated: bool = True
    """The words name the price's period ("pro Monat"), not just a stay or a plan ("3 nights,
    pay 2", "Abo")."""

    @property
    def explicit(self) -> bool:
        """An offer or a selling point says the price's period: a bare price pill contradicts
        it."""
        return self.stated and self.period is not None and self.source != "description"


# A stay counted in nights: "3 nights, pay 2", "3 Nächte", "3 noches", "3泊", "3박", "3 ночи".
_NIGHTS = regex.compile(
    r"\d+\s?(?:nights|nächte|noches|nuits|notti|noites|ноч(?:и|ей)|nocy|gece|泊|晚|박|לילות|ليال)",
    regex.IGNORECASE | regex.V0,
)


def stay_in_nights(text: str) -> str | None:
    """The words that count a stay in nights ("3 nights", "3 ليال", "3 gece"), None if none."""
    m = _NIGHTS.search(_light(text))
    return None if m is None else text[m.start() : m.end()]


def period_hint(brief: Brief, *, trial: bool = False) -> PeriodHint | None:
    """What in the brief says its price recurs, when the price has no period; None when the
    price has a period, there is no price, or nothing says so. ``trial``: the brief offers a
    free trial (a claim of its own), which usually leads into a recurring price. A stay
    counted in nights ("3 nights, pay 2") is priced by the night."""
    if brief.price is None or brief.price.period is not None:
        return None
    texts = [*brief_texts(brief.offer, brief.extra_offers, brief.selling_points)]
    texts.append(("description", brief.description))
    for label, text in texts:
        light = _light(text)
        for period, rx in _PERIOD_RX.items():
            m = rx.search(light)
            if m:
                return PeriodHint(period, text[m.start() : m.end()].strip(), label)
    for label, text in texts:
        m = _SUBSCRIPTION.search(_light(text))
        if m:
            return PeriodHint(None, text[m.start() : m.end()], label)
    for label, text in texts:
        m = _NIGHTS.search(_light(text))
        if m:
            return PeriodHint("night", text[m.start() : m.end()], label, stated=False)
    if trial:
        return PeriodHint(None, "free trial", "offer")
    return None


def hint_warning(hint: PeriodHint, price: str) -> str:
    """The brief warning for a hint, in the marketer's words."""
    said = {"source": hint.source, "phrase": hint.phrase, "price_text": price}
    if hint.period is None:
        return say("price_recurring_hint", **said)
    if not hint.explicit:
        # A stay counted in nights, or a period only in the description: the price may be a
        # one-off, so creatives still show it and the warning must not say they do not.
        return say("price_period_hint", period=hint.period, **said)
    return say("price_period_missing", period=hint.period, **said)


# A period written right after an amount ("9,99 €/Jahr", "$35 a year", "990 ₽ в год", "59.90 ₪
# לשנה") or right before it ("年額3,000円", "월 9,900원", "Monatlich 9,99 €"): the period of that
# amount. Only words attached to the amount count; a period elsewhere in the sentence may be
# about something else ("12 Monate Laufzeit, 9,99 €").
_AFTER = {
    p: regex.compile(
        rf"\s?/\s?(?:{_SLASH[p]}){_E}|\s*(?:{_WORDS[p]})|\s?(?:{_CJK[p]})",
        regex.IGNORECASE | regex.V0,
    )
    for p in _SLASH
}
_KO_BEFORE: dict[Period, str] = {"month": "월", "year": "연"}
_BEFORE = {
    p: regex.compile(
        rf"(?:{_CJK[p]}|{_B}(?:{_WORDS[p]}{'|' + _KO_BEFORE[p] if p in _KO_BEFORE else ''}))\s?$",
        regex.IGNORECASE | regex.V0,
    )
    for p in _SLASH
}
_MONEY_RX = regex.compile(_MONEY, regex.IGNORECASE | regex.V0)
# Claims whose money is not the price paid: a saving ("10 € Rabatt"), a threshold ("free
# shipping over $35"), a gift. An amount that happens to equal the price there is left alone.
_PRICE_KINDS = frozenset({"price", "price_from", "per_period"})
# Words of a threshold right before an amount ("free shipping over $35", "ab einem Bestellwert
# über 50 €"): the amount is what an order must reach, not the price.
_THRESHOLD = regex.compile(
    _B + r"(?:over|above|more\s+than|spend|über|mehr\s+als|plus\s+de|más\s+de|acima\s+de|"
    r"oltre|powyżej|свыше|более|üzeri)\s?$",
    regex.IGNORECASE | regex.V0,
)


@dataclass(frozen=True)
class PriceMention:
    """The brief's price written in a text: "ab 9,99 €", "$35 a year"."""

    start: int
    end: int
    """The amount with its currency ("9,99 €"), as positions in the text."""
    shown: str
    """The amount as written, with the period words attached to it ("9,99 €/Jahr")."""
    period: Period | None
    """The period attached to the amount; None when it is written bare."""


@lru_cache(maxsize=8192)
def price_mentions(
    text: str, amounts: tuple[float, ...], currency: str, language: str
) -> tuple[PriceMention, ...]:
    """Where ``text`` writes one of ``amounts`` in ``currency`` as a price, with the period
    written beside it, if any. Money of a saving, a threshold or a gift is not a price."""
    if not text or not amounts:
        return ()
    light = _light(text)
    others = [
        c
        for c in parse_claims(text, language, default_currency=currency)
        if c.kind not in _PRICE_KINDS
    ]
    out: list[PriceMention] = []
    for m in _MONEY_RX.finditer(light):
        value, cur = parse_money(m.group(0), currency)
        if value is None or cur != currency or not any(abs(value - a) < 0.005 for a in amounts):
            continue
        if any(c.start <= m.start() < c.end for c in others):
            continue
        if _THRESHOLD.search(light[max(0, m.start() - 16) : m.start()]):
            continue
        period, end, begin = None, m.end(), m.start()
        for p, rx in _AFTER.items():
            after = rx.match(light, m.end())
            if after is not None and after.end() > m.end():
                # The whole last word ("شهريًا", not "شهري"), for the message.
                word = regex.match(r"[\p{L}\p{M}]*", light, pos=after.end())
                period, end = p, after.end() + (len(word.group(0)) if word else 0)
                break
        if period is None:
            window = light[max(0, m.start() - 16) : m.start()]
            for p, rx in _BEFORE.items():
                before = rx.search(window)
                if before is not None:
                    period, begin = p, m.start() - len(window) + before.start()
                    break
        out.append(PriceMention(m.start(), m.end(), text[begin:end].strip(), period))
    return tuple(out)


# Where an amount plainly reads as the price, so writing the period after it is safe: it ends
# the phrase (end, punctuation, a dash, a CJK particle as in "3,000円から", "¥268起") or comes
# right after a word that introduces a price ("from", "only", "ab", "nur", "всего", "רק").
# "Get a $35 gift card" is neither: "$35/mo gift card" would change what is offered.
_PHRASE_END = regex.compile(
    r"\s*(?:$|[.,;:!?)\]»\"'’”·|/–—]|-\s|\s-)|[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]",
    regex.V0,
)
_PRICE_WORD = regex.compile(
    _B + r"(?:from|only|just|for|now|at|was|instead\s+of|ab|nur|für|jetzt|statt|anstatt|"
    r"à|dès|pour|seulement|au\s+lieu\s+de|desde|por|en\s+vez\s+de|invece\s+di|вместо|zamiast|"
    r"solo|sólo|apenas|a\s+partire\s+da|per|за|всего|только|от|od|za|tylko|już|"
    r"sadece|yalnızca|רק|החל\s+מ-?|ב-|فقط|بـ|من)\s?$",
    regex.IGNORECASE | regex.V0,
)


def _plainly_a_price(light: str, mention: PriceMention) -> bool:
    before = light[max(0, mention.start - 16) : mention.start]
    return bool(_PHRASE_END.match(light, mention.end) or _PRICE_WORD.search(before))


def carry_period(text: str, price: Price, regular: Price | None, language: str) -> str:
    """``text`` with the price's period after each of its price amounts written bare ("ab
    9,99 € – jetzt testen" → "ab 9,99 €/Monat – jetzt testen", "from $35" → "from $35/mo"),
    in the form the price pill uses, where the amount plainly reads as the price. An amount
    with another period is left as written: the brief contradicts itself there (see
    :func:`other_periods`)."""
    if price.period is None:
        return text
    amounts = tuple(p.amount for p in (price, regular) if p is not None)
    suffix = period_suffix(price.period, language)
    out, last = [], 0
    light = _light(text)
    for mention in price_mentions(text, amounts, price.currency, language):
        # A bare amount that may be something else than the price ("a $35 gift card") is left
        # as written: the publishability check holds a creative that shows it.
        if mention.period is None and _plainly_a_price(light, mention):
            out += [text[last : mention.end], suffix]
            last = mention.end
    return "".join([*out, text[last:]])


def with_price_period(brief: Brief) -> Brief:
    """The brief with its recurring price's period written after each bare mention of the
    price in its offers, selling points and description: what the writer shows and the check
    compares with. A brief without a recurring price comes back as it is."""
    price = brief.price
    if price is None or price.period is None:
        return brief
    regular, lang = brief.regular_price, brief.language

    def carry(text: str) -> str:
        return carry_period(text, price, regular, lang)

    update = {
        "offer": carry(brief.offer),
        "extra_offers": tuple(carry(o) for o in brief.extra_offers),
        "selling_points": tuple(carry(p) for p in brief.selling_points),
        "description": carry(brief.description),
    }
    if all(getattr(brief, k) == v for k, v in update.items()):
        return brief
    return brief.model_copy(update=update)


def other_periods(brief: Brief) -> list[tuple[str, PriceMention]]:
    """(brief field, mention) for each mention of the recurring price with another period than
    the price's ("9,99 €/Jahr" beside a monthly price): the brief contradicts itself."""
    price = brief.price
    if price is None or price.period is None:
        return []
    amounts = tuple(p.amount for p in (price, brief.regular_price) if p is not None)
    texts = [*brief_texts(brief.offer, brief.extra_offers, brief.selling_points)]
    texts.append(("description", brief.description))
    return [
        (label, mention)
        for label, text in texts
        for mention in price_mentions(text, amounts, price.currency, brief.language)
        if mention.period not in (None, price.period)
    ]
