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

import regex

from adcraft.copywriting.claims import brief_texts
from adcraft.copywriting.facts import _light
from adcraft.domain.brief import Brief, Period
from adcraft.notes import say

_B = r"(?<![\p{L}\p{N}])"  # start of a word
_E = r"(?![\p{L}])"  # end of a word
# Phrases that state a price's period, by period, in the languages of the locale tables: a unit
# after a slash ("/Monat", "/mo"), words that start a word ("pro Monat", "monthly", "לחודש") and
# CJK words, which stand inside a run of characters ("会員月額").
_SLASH: dict[Period, str] = {
    "month": r"month|mo|monat|mes|mese|mois|mês|mies\.?|мес\.?|माह|月|월|ay",
    "year": r"year|yr|jahr|año|an|anno|ano|rok|год|yıl|年|년",
    "week": r"week|wk|woche|semana|semaine|settimana|нед\.?|tydz\.?|hafta|周|週|주",
    "night": r"night|nacht|noche|nuit|notte|noite|ночь|noc|gece|晚|泊|박",
    "day": r"day|tag|día|dia|jour|giorno|день|сутки|dzień|gün|天|日|일",
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
    "day": r"pro\s+tag|par\s+jour|в\s+сутки|ליום",
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
    if not hint.stated:
        return say("price_period_hint", period=hint.period, **said)
    if hint.period is None:
        return say("price_recurring_hint", **said)
    return say("price_period_missing", period=hint.period, **said)
