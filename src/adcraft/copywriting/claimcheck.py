"""Whether shown text keeps the brief's claims whole: the publishability check of the copy.

Reads text as a reader sees it (the rendered lines of an element, a platform text field) and
fails what a careful marketer would refuse to publish:

- a claim the brief does not make ("30% off" when the brief says 20 %, free shipping never
  offered);
- a claim without its qualifier: "15% off" for "15% off monthly rentals", "from 12,50 €" for
  "from 12,50 €/month", "half price" without "second item", "−15%" with its code SPRING15
  nowhere on the creative;
- a number whose meaning changed: a bare "250 €" taken from "Save 250 €" reads as a price;
  a number that appears nowhere in the brief;
- a cut word ("Купить сейча", "SUSCRÍBET") or a phrase ending mid-way ("Seguro de:",
  "セールは日曜日ま").

The pipeline calls :func:`text_faults` for every creative (its ``publishable`` verdict), and the
test suite's independent manifest checker calls it on the rendered lines of manifest.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from adcraft.copywriting.claims import (
    DEAL_KINDS,
    Claim,
    PriorPrice,
    base_language,
    brief_texts,
    claims_of,
    half_price_words,
    is_rebate,
    order_threshold,
    parse_claims,
    parse_number,
    prior_prices,
    qualifies,
    required_code,
)
from adcraft.copywriting.facts import _light
from adcraft.copywriting.limits import DANGLING
from adcraft.copywriting.locale import all_ctas, format_price, standalone_phrase, term_text
from adcraft.copywriting.periods import (
    PeriodHint,
    hint_warning,
    other_periods,
    period_hint,
    price_mentions,
    with_price_period,
)
from adcraft.copywriting.point_conditions import (
    Condition,
    point_conditions,
    unconditioned,
    with_condition,
)
from adcraft.copywriting.provider_named import provider_warnings
from adcraft.domain.brief import Brief, Period
from adcraft.notes import missing_parts, say

# A number as a reader sees it, with its thousands groups ("5 000", "2.500", "12,50").
_NUMBER = regex.compile(
    r"(?<![\p{N}\p{Latin}\p{Cyrillic}\p{Greek}])"
    r"(?:\d{1,3}(?:[ ,.'’]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d))"
)


def shows_number(text: str, value: float) -> bool:
    """Whether text shows ``value`` as a reader reads numbers ("149,90", "5 000", "12.50")."""
    return any(
        (n := parse_number(m.group(0))) is not None and abs(n - value) < 0.005
        for m in _NUMBER.finditer(_light(text))
    )


PILL = "price"
"""The element that draws the price pill."""
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’-]*")
_HIRAGANA = regex.compile(r"\p{Hiragana}")
# Kinds whose value is a number the reader will act on: a mismatch is a wrong promise.
_NUMERIC_KINDS = frozenset(
    {"percent_off", "amount_off", "price_from", "per_period", "n_for_m", "second_item_discount"}
)
# Words that end a phrase mid-way when they are its last word (the seed's connector lists).
_HANGING = {
    "en": "and or with for of the a an to in on at by from plus your our",
    "ru": "и или в на с со по для от до к о об за а но из при",
    "de": "und oder mit für von zu im in am an auf der die das den dem des ein eine bei",
    "es": "y e o u con de del en para por la el los las un una a al sin",
    "fr": "et ou de du des le la les avec pour en à au aux un une sur par",
    "pt": "e ou com de do da dos das para em no na o a os as um uma por",
    "pl": "i lub z ze w we na do od dla o za",
    "tr": "ve ile veya",
}


@dataclass(frozen=True)
class ClaimContext:
    """What the check compares shown text with: the brief's claims, numbers and words."""

    language: str
    claims: tuple[Claim, ...]
    free_numbers: frozenset[float]
    """Numbers the brief writes outside any claim (name, description, '240 g', the price)."""
    vocabulary: frozenset[str]
    """Casefolded words of the brief and of the calls to action: a shown word that is only a
    prefix of one of these was cut."""
    brief_text: str
    default_currency: str | None = None
    sale: tuple[float, float] | None = None
    """(price, regular price) when the brief gives a struck-through regular price."""
    capped: tuple[tuple[float, str], ...] = ()
    """Numbers the description only ever gives as a maximum ("Льготный период до 120 дней"),
    with that phrase: shown without its "up to" they promise more."""
    passages: tuple[str, ...] = ()
    """The brief's own texts one by one (name, description, offers, selling points), without
    the calls to action: where a shown fragment is looked up to see how the brief goes on."""
    conditional: tuple[tuple[str, Condition], ...] = ()
    """Selling points the description states only under a condition, with it ("бесплатное
    обслуживание", "при тратах от 10 000 рублей в месяц"): shown without it they promise more
    (:mod:`adcraft.copywriting.point_conditions`)."""
    qualified: tuple[tuple[float, Qualified], ...] = ()
    """Numbers the description gives only with a qualifier other than "up to" ("Средняя
    доставка за 30 минут", "rated 4.8 on average", "under 5 minutes in most districts"):
    shown without it they promise more (:func:`qualified_numbers`)."""
    unstated_period: tuple[float, str] | None = None
    """(price, why): the brief's offer says its price recurs ("pro Monat") but the price has
    no period, so a creative showing the price would show it bare
    (:mod:`adcraft.copywriting.periods`)."""
    recurring: Recurring | None = None
    """The brief's recurring price: every amount of it a creative shows must carry its period."""
    price_amount: float | None = None
    """The brief's price: the amount a free trial leads into where the brief gives it a period
    (:func:`after_trial`)."""


@dataclass(frozen=True)
class Recurring:
    """A recurring price as the check needs it: its amounts (the price and the struck regular
    price), currency and period, and the pill's text for the messages."""

    amounts: tuple[float, ...]
    currency: str
    period: Period
    text: str
    term: str = ""
    """The price's minimum term as the terms line says it ("12-month minimum term"): a
    creative that shows the price says it somewhere."""
    contradicted: bool = False
    """The brief's own words give the price another period ("$35 a year" beside "$35/mo"):
    the writer shows none of those words, nor a shortening that leaves the period out."""


def term_faults(surfaces: Mapping[str, str], ctx: ClaimContext) -> list[str]:
    """The price of a minimum term shown where no field of the creative says the term."""
    rec = ctx.recurring
    if rec is None or not rec.term:
        return []
    everything = _folded("\n".join(surfaces.values()))
    if _folded(rec.term) in everything:
        return []
    return [
        say("price_without_term", field=name, shown=mention.shown, term=rec.term)
        for name, text in surfaces.items()
        for mention in price_mentions(text, rec.amounts, rec.currency, ctx.language)[:1]
    ]


def _folded(text: str) -> str:
    return " ".join(_light(text).casefold().split())


def shows_other_period(text: str, ctx: ClaimContext) -> bool:
    """Whether ``text`` gives the recurring price another period than the brief's price ("$35
    a year" beside "$35/mo"): the writer never writes it."""
    rec = ctx.recurring
    return rec is not None and any(
        m.period not in (None, rec.period)
        for m in price_mentions(text, rec.amounts, rec.currency, ctx.language)
    )


def recurring_faults(text: str, ctx: ClaimContext, *, field: str = "text") -> list[str]:
    """The recurring price shown in ``text`` without its period ("ab 9,99 €" beside a monthly
    price) or with another one ("9,99 €/Jahr"): either reads as a price the brief does not
    give."""
    rec = ctx.recurring
    if rec is None or not text.strip():
        return []
    out: list[str] = []
    for mention in price_mentions(text, rec.amounts, rec.currency, ctx.language):
        if mention.period is None:
            out.append(
                say("price_shown_bare", field=field, shown=mention.shown, price_text=rec.text)
            )
        elif mention.period != rec.period:
            out.append(
                say("price_other_period", field=field, shown=mention.shown, price_text=rec.text)
            )
    return out


# "Up to" before a number, per language: a maximum, not what every customer gets.
_UP_TO = {
    "en": r"up\s+to",
    "de": r"bis\s+zu",
    "ru": r"до",
    "uk": r"до",
    "pl": r"do",
    "fr": r"jusqu['’]\s?(?:à|a)",
    "es": r"hasta(?:\s+un)?",  # "hasta un 40 %" ("hasta el 31 de marzo" is a date)
    "pt": r"até",
    "it": r"fino\s+al?",  # "fino al 40%"
    "ja": r"最大|最長|最高",
    "zh": r"最高|最多|最长|最長",
    "ko": r"최대",
    "he": r"עד",
    "ar": r"حتى|لغاية|تصل\s+إلى|يصل\s+إلى",
}
# The other words that limit a number's claim, per kind and language. "under" and "from" sit
# right beside their number (before it, or after it where the language puts them there:
# "5分以内", "5분 이내", "5 dakikanın altında"); the others qualify the whole clause the number
# is in ("Средняя доставка за 30 минут", "drivers rated 4.8 on average", "in most districts").
# Shown without them the number promises every customer the best case.
_BESIDE_BEFORE: dict[str, dict[str, str]] = {
    "under": {
        "en": r"under|less\s+than|fewer\s+than|below",
        "ru": r"(?:менее|меньше|не\s+более|быстрее)(?:\s+чем)?(?:\s+за)?",
        "uk": r"(?:менше|не\s+більше)(?:\s+ніж)?(?:\s+за)?",
        "de": r"unter|weniger\s+als",
        "es": r"menos\s+de|por\s+debajo\s+de|en\s+menos\s+de",
        "fr": r"moins\s+de|sous|en\s+moins\s+de",
        "pt": r"menos\s+de|abaixo\s+de|em\s+menos\s+de",
        "it": r"meno\s+di|in\s+meno\s+di|sotto\s+i",
        "pl": r"poniżej|mniej\s+niż|w\s+mniej\s+niż",
        "zh": r"不到|少于|少於|低于|低於",
        "he": r"פחות\s+מ[־-]?|מתחת\s+ל[־-]?",
        "ar": r"أقل\s+من",
    },
    "from": {
        "en": r"from|starting\s+(?:at|from)",
        "ru": r"от",
        "uk": r"від",
        "de": r"ab",
        "es": r"desde|a\s+partir\s+de",
        "fr": r"dès|(?:à|a)\s+partir\s+de",
        "pt": r"a\s+partir\s+de|desde",
        "it": r"a\s+partire\s+da|da\s+soli",
        "pl": r"od",
        "he": r"החל\s+מ[־-]?",
        "ar": r"ابتداءً\s+من|ابتداء\s+من|بدءًا\s+من|بدءا\s+من|يبدأ\s+من",
    },
}
_BESIDE_AFTER: dict[str, dict[str, str]] = {
    "under": {
        "ja": r"以内|未満|足らず",
        "zh": r"以内|以內|之内|之內",
        "ko": r"이내|미만",
        "tr": r"\p{L}*\s+altında|['’]?(?:dan|den|tan|ten)\s+(?:az|kısa)",
    },
    "from": {
        "ja": r"から|～|〜",
        "zh": r"起",
        "ko": r"부터",
        "tr": r"['’]?(?:dan|den|tan|ten)\s+(?:başlayan|itibaren|başlar)",
    },
    "up_to": {"tr": r"['’]?(?:ye|ya|e|a)\s+varan"},
}
_CLAUSE_WIDE: dict[str, dict[str, str]] = {
    "average": {
        "en": r"on\s+average|average|avg\.?",
        "ru": r"в\s+среднем|средн\p{L}*",
        "uk": r"в\s+середньому|середн\p{L}*",
        "de": r"durchschnittlich\p{L}*|im\s+(?:durch)?schnitt|durchschnitts\p{L}*",
        "es": r"de\s+media|en\s+promedio|de\s+promedio|promedio|medi[oa]\s+de",
        "fr": r"en\s+moyenne|moyen(?:ne)?s?",
        "pt": r"em\s+média|médi[oa]s?",
        "it": r"in\s+media|mediamente|medi[oa]",
        "pl": r"średnio|średni\p{L}*|przeciętn\p{L}*",
        "tr": r"ortalama\p{L}*",
        "ja": r"平均",
        "zh": r"平均",
        "ko": r"평균",
        "he": r"בממוצע|ממוצע\p{L}*",
        "ar": r"في\s+المتوسط|بالمتوسط|بمتوسط|متوسط|المتوسط",
    },
    "most": {
        "en": r"in\s+most|for\s+most|majority\s+of|most\s+(?:areas|districts|cities|regions|cases"
        r"|orders|locations|countries|stores|neighbou?rhoods)",
        "ru": r"в\s+большинстве|большинств\p{L}*",
        "uk": r"у\s+більшості|в\s+більшості|більшіст\p{L}*",
        "de": r"in\s+de[nm]\s+meisten|meisten|großteil\p{L}*",
        "es": r"en\s+la\s+mayoría|mayoría|mayor\s+parte",
        "fr": r"dans\s+la\s+plupart|la\s+plupart|majorité",
        "pt": r"na\s+maioria|maioria|maior\s+parte",
        "it": r"nella\s+maggior\s+parte|maggior\s+parte|maggioranza",
        "pl": r"w\s+większości|większoś\p{L}*",
        "tr": r"çoğu\p{L}*|birçok|büyük\s+bölüm\p{L}*",
        "ja": r"ほとんどの|大半の|大部分の|多くの",
        "zh": r"大部分|大多数|大多數|多数|多數",
        "ko": r"대부분|대다수",
        "he": r"ברוב|רוב",
        "ar": r"في\s+معظم|معظم|أغلب|غالبية",
    },
    "usually": {
        "en": r"typically|usually|generally|normally|often|in\s+general|as\s+a\s+rule",
        "ru": r"обычно|как\s+правило|чаще\s+всего",
        "uk": r"зазвичай|як\s+правило",
        "de": r"in\s+der\s+regel|normalerweise|üblicherweise|meistens|typischerweise|gewöhnlich",
        "es": r"normalmente|generalmente|habitualmente|por\s+lo\s+general|típicamente|suelen?",
        "fr": r"généralement|habituellement|en\s+général|normalement|typiquement|d['’]habitude",
        "pt": r"normalmente|geralmente|em\s+geral|habitualmente|tipicamente|costumam?",
        "it": r"di\s+solito|solitamente|generalmente|normalmente|in\s+genere|tipicamente",
        "pl": r"zwykle|zazwyczaj|przeważnie|najczęściej|z\s+reguły|na\s+ogół",
        "tr": r"genellikle|genelde|çoğunlukla|normalde",
        "ja": r"通常|普段|一般的に|たいてい|大抵|多くの場合",
        "zh": r"通常|一般|往往",
        "ko": r"보통|일반적으로|통상|대개",
        "he": r"בדרך\s+כלל|לרוב",
        "ar": r"عادةً|عادة|غالبًا|غالبا|في\s+الغالب",
    },
    "selected": {
        "en": r"selected|eligible|participating|qualifying|certain|select\s+\p{L}+s",
        "ru": r"выбранн\p{L}*|избранн\p{L}*|отдельн\p{L}*|некотор\p{L}*|определ[её]нн\p{L}*"
        r"|участвующ\p{L}*",
        "uk": r"обран\p{L}*|вибран\p{L}*|окрем\p{L}*|деяк\p{L}*",
        "de": r"ausgewählt\p{L}*|teilnehmend\p{L}*|bestimmt\p{L}*",
        "es": r"seleccionad\p{L}*|determinad\p{L}*|participantes|elegibles|ciert[oa]s",
        "fr": r"sélectionné\p{L}*|certain\p{L}*|participant\p{L}*|éligible\p{L}*",
        "pt": r"selecionad\p{L}*|participantes|elegíve\p{L}*|determinad\p{L}*",
        "it": r"selezionat\p{L}*|aderenti|determinat\p{L}*|partecipanti",
        "pl": r"wybran\p{L}*|określon\p{L}*|niektór\p{L}*|uczestnicząc\p{L}*",
        "tr": r"seçili|belirli|seçilmiş|bazı",
        "ja": r"対象|一部|指定|特定",
        "zh": r"指定|部分|精选|精選|特定",
        "ko": r"일부|지정|대상|특정",
        "he": r"נבחר\p{L}*|מסוימ\p{L}*|משתתפ\p{L}*",
        "ar": r"مختارة|المختارة|محددة|المحددة|المؤهلة|مؤهلة|بعض|المشاركة",
    },
}
# A time ("до 23:00") or a date ("до 31.12", "до 31 мая") after "до" is a deadline, not a cap.
_NOT_AN_AMOUNT = regex.compile(
    r"\s?(?:[:.]\d|\p{L}*(?:янв|фев|мар|апр|мая|май|июн|июл|авг|сен|окт|ноя|дек))"
)


def _numbers(light: str) -> Iterator[tuple[regex.Match[str], float]]:
    """Each number in a lowered text, with its value."""
    for m in _NUMBER.finditer(light):
        value = parse_number(m.group(0))
        if value is not None:
            yield m, value


def _amounts_in(light: str) -> Iterator[tuple[regex.Match[str], float]]:
    """Each number in a lowered text that is an amount, not a time or a date."""
    for m, value in _numbers(light):
        if not _NOT_AN_AMOUNT.match(light, m.end()):
            yield m, value


@lru_cache(maxsize=64)
def _up_to(language: str) -> regex.Pattern[str] | None:
    word = _UP_TO.get(base_language(language))
    return regex.compile(rf"(?:{word})\s?$", regex.IGNORECASE) if word else None


# Scripts whose qualifier words stand alone between spaces; elsewhere (Hebrew and Arabic
# prefixes, Chinese, Japanese) a qualifier is found inside a longer run of letters.
_BOUNDED = frozenset({"en", "ru", "uk", "de", "es", "fr", "pt", "it", "pl", "tr"})


@lru_cache(maxsize=256)
def _qualifier(kind: str, language: str, side: str) -> regex.Pattern[str] | None:
    """The words of one kind of qualifier in one language: ``side`` "before" (ending right
    before a number), "after" (starting right after it, past its unit) or "clause" (anywhere
    in the number's clause)."""
    lang = base_language(language)
    table = {"before": _BESIDE_BEFORE, "after": _BESIDE_AFTER, "clause": _CLAUSE_WIDE}[side]
    words = table.get(kind, {}).get(lang)
    if kind == "up_to" and side == "before":
        words = _UP_TO.get(lang)
    if not words:
        return None
    lead, tail = (r"(?<![\p{L}\p{N}])", r"(?![\p{L}])") if lang in _BOUNDED else ("", "")
    flags = regex.IGNORECASE | regex.VERSION1
    if side == "before":
        return regex.compile(rf"{lead}(?:{words})\s?$", flags)
    if side == "after":
        # Past the number's unit ("5 dakikanın altında", "5分以内", "50%'ye varan").
        return regex.compile(rf"^[\s%]?[\p{{L}}\p{{Sc}}]{{0,12}}?\s?(?:{words}){tail}", flags)
    return regex.compile(rf"{lead}(?:{words}){tail}", flags)


QUALIFIER_KINDS = ("up_to", "under", "from", "average", "most", "usually", "selected")
"""What limits a number's claim: a maximum, a bound, a starting price, an average, most places
or cases, what usually happens, only chosen items."""
# Kinds that stand beside their number; the others qualify the number's whole clause.
_BESIDE = ("up_to", "under", "from")
# A maximum and an upper bound say the same of a number: either one keeps the claim.
_SAME_KIND = {"up_to": ("up_to", "under"), "under": ("under", "up_to")}
# Where a clause ends: a sentence or list mark, a comma that is not inside a number.
_CLAUSE_END = regex.compile(r"[;!?。！？；·•|()\n、，،:]|[.,](?!\d)|(?<!\d)[.,]|\s[—–-]\s")
_SENTENCE_END = regex.compile(r"[;!?。！？；·•|\n]|[.](?!\d)|(?<!\d)[.]")
# Words that open a clause and belong to the list it is in, not to the claim ("and cars…").
_LIST_WORD = regex.compile(
    r"^(?:and|or|plus|и|а|или|und|oder|y|e|o|et|ou|ed|i|oraz|lub|ve|ile|і|та)\s+",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class Qualified:
    """A number the description only gives with words that limit its claim."""

    kinds: tuple[str, ...]
    """Of :data:`QUALIFIER_KINDS`: what the description says limits it."""
    words: tuple[str, ...]
    """Those words as the description writes them ("on average", "in most")."""
    phrase: str
    """The description's clause with the number and its qualifiers ("drivers rated 4.8 on
    average"): what the writer may show instead of a point that drops them."""


def _clause(
    light: str, start: int, end: int, marks: regex.Pattern[str] = _CLAUSE_END
) -> tuple[int, int]:
    """The clause around the number at ``start:end``: from the last clause mark before it to
    the first one after it."""
    a = 0
    for m in marks.finditer(light, 0, start):
        a = m.end()
    after = marks.search(light, end)
    return a, after.start() if after else len(light)


def qualifiers_at(
    light: str, start: int, end: int, language: str, *, sentence: bool = False
) -> dict[str, str]:
    """kind -> the words that limit the number at ``start:end`` of a light text; with
    ``sentence``, words that qualify a clause count anywhere in the number's sentence (shown
    text may set them off by a comma: "Entrega em 40 minutos, em média")."""
    found: dict[str, str] = {}
    for kind in _BESIDE:
        before = _qualifier(kind, language, "before")
        m = before.search(light[max(0, start - 16) : start]) if before else None
        if m is None and (after := _qualifier(kind, language, "after")) is not None:
            m = after.match(light[end : end + 24])
        if m is not None:
            found[kind] = m.group(0).strip()
    a, b = _clause(light, start, end, _SENTENCE_END if sentence else _CLAUSE_END)
    for kind in _CLAUSE_WIDE:
        pattern = _qualifier(kind, language, "clause")
        m = pattern.search(light, a, b) if pattern else None
        if m is not None:
            found[kind] = m.group(0).strip()
    return found


def qualified_numbers(
    description: str, plain_texts: Sequence[str], language: str
) -> dict[float, Qualified]:
    """Numbers the description gives only with a qualifier other than "up to" (which
    :func:`capped_numbers` reads), with the words and the clause it gives them in.

    A number that ``plain_texts`` (the offers, the product name, the price) or the description
    also gives without any qualifier is left alone: the brief then makes the plain promise
    itself. "From" never qualifies a percentage ("made from 100% cotton").
    """
    if not description:
        return {}
    light = _light(description)
    found: dict[float, Qualified] = {}
    plain: set[float] = set()
    for m, value in _amounts_in(light):
        key = round(value, 2)
        words = qualifiers_at(light, m.start(), m.end(), language)
        if light[m.end() : m.end() + 2].strip().startswith("%"):
            words.pop("from", None)
        words.pop("up_to", None)
        if not words:
            plain.add(key)
            continue
        a, b = _clause(light, m.start(), m.end())
        phrase = _LIST_WORD.sub("", description[a:b].strip())
        found.setdefault(key, Qualified(tuple(words), tuple(words.values()), phrase))
    for text in plain_texts:
        plain.update(round(value, 2) for _, value in _numbers(_light(text)))
    return {v: q for v, q in found.items() if v not in plain}


def _lacks(light: str, start: int, end: int, wanted: Qualified, language: str) -> list[str]:
    """The qualifiers of ``wanted`` the number at ``start:end`` is shown without."""
    shown = qualifiers_at(light, start, end, language, sentence=True)
    return [
        word
        for kind, word in zip(wanted.kinds, wanted.words, strict=True)
        if not any(k in shown for k in _SAME_KIND.get(kind, (kind,)))
    ]


def unqualified(text: str, ctx: ClaimContext) -> list[tuple[int, str, str, str]]:
    """(position, number as shown with its unit, the missing words, the brief's clause) for
    each number the description qualifies ("on average", "in most districts") that ``text``
    shows without those words."""
    if not ctx.qualified:
        return []
    known = dict(ctx.qualified)
    light = _light(text)
    out = []
    for m, value in _numbers(light):
        wanted = known.get(round(value, 2))
        if wanted is None:
            continue
        missing = _lacks(light, m.start(), m.end(), wanted, ctx.language)
        if missing:
            said = (text[m.start() : m.end()] + _unit_after(text, m.end())).strip()
            out.append((m.start(), said, " · ".join(missing), wanted.phrase))
    return out


def with_qualifiers(text: str, qualified: Mapping[float, Qualified], language: str) -> str:
    """``text`` as it may be shown when it gives a number the description qualifies: as it is
    when it keeps every qualifier, else the description's own clause ("4.8 rated drivers" →
    "drivers rated 4.8 on average"), or "" (left out) when that clause is much longer than the
    point, or says another number the point does not."""
    if not qualified:
        return text
    light = _light(text)
    for m, value in _numbers(light):
        wanted = qualified.get(round(value, 2))
        if wanted is None or not _lacks(light, m.start(), m.end(), wanted, language):
            continue
        phrase = wanted.phrase
        if len(phrase) > max(60, 2 * len(text)):
            return ""
        return phrase[:1].lower() + phrase[1:] if text[:1].islower() else phrase
    return text


def _up_to_before(up_to: regex.Pattern[str], light: str, start: int) -> regex.Match[str] | None:
    """The "up to" right before the number at ``start`` (within 12 characters), if any."""
    return up_to.search(light[max(0, start - 12) : start])


def capped_numbers(description: str, offers: Sequence[str], language: str) -> dict[float, str]:
    """Numbers the description gives only after "up to", with the phrase it gives them in.

    A selling point "120 дней без процентов" beside a description "Льготный период до 120 дней"
    promises every customer the maximum. An offer's own number is left alone: an offer
    defines its promotion ("Кэшбэк 10% на все покупки" this month, beside "кэшбэк до 10%" in
    chosen categories), and so is a number the description also gives plainly.
    """
    up_to = _up_to(language)
    if up_to is None or not description:
        return {}
    light = _light(description)
    capped: dict[float, str] = {}
    plain: set[float] = set()
    for m, value in _amounts_in(light):
        before = _up_to_before(up_to, light, m.start())
        if before is None:
            plain.add(round(value, 2))
            continue
        start = max(0, m.start() - 12) + before.start()
        capped[round(value, 2)] = description[start : m.end()] + _unit_after(description, m.end())
    for text in offers:
        plain.update(round(value, 2) for _, value in _numbers(_light(text)))
    return {v: phrase for v, phrase in capped.items() if v not in plain}


def with_caps(text: str, capped: Mapping[float, str], language: str) -> str:
    """``text`` with the description's "up to" before each number it gives only as a maximum:
    "120 дней без процентов" → "до 120 дней без процентов" (the brief's own qualifier, so the
    point can still be shown)."""
    up_to = _up_to(language)
    if not capped or up_to is None:
        return text
    light = _light(text)
    out, last = [], 0
    for m, value in _numbers(light):
        phrase = capped.get(round(value, 2))
        if phrase is None or _up_to_before(up_to, light, m.start()):
            continue
        number = _NUMBER.search(_light(phrase))
        word = phrase[: number.start()] if number else ""
        out += [text[last : m.start()], word[:1].lower() + word[1:]]
        last = m.start()
    return "".join([*out, text[last:]])


def uncapped(text: str, ctx: ClaimContext) -> list[tuple[int, str, str]]:
    """(position, number as shown with its unit, the brief's phrase) for each number the
    description gives only as a maximum that ``text`` shows without its "up to"."""
    up_to = _up_to(ctx.language)
    if not ctx.capped or up_to is None:
        return []
    caps = dict(ctx.capped)
    light = _light(text)
    out = []
    for m, value in _numbers(light):
        cap = caps.get(round(value, 2))
        if cap and not _up_to_before(up_to, light, m.start()):
            said = (text[m.start() : m.end()] + _unit_after(text, m.end())).strip()
            out.append((m.start(), said, cap))
    return out


def _capped_at(light: str, start: int, end: int, language: str) -> int | None:
    """Where the "up to" of the discount at ``start:end`` of a light text begins: right before
    its number, inside the phrase ("Скидка до 30%") or before it ("Up to 50% off"); None
    when the discount is not capped."""
    number = regex.search(r"[-−–]?(?:\p{Lu}{0,2}\p{Sc}\s?)?\d", light[start:end])
    if number is None:
        return None
    at = start + number.start()
    up_to = _qualifier("up_to", language, "before")
    found = up_to.search(light[max(0, at - 16) : at]) if up_to else None
    return None if found is None else max(0, at - 16) + found.start()


def _deal_cap(claim: Claim, ctx: ClaimContext) -> str | None:
    """The brief's discount with its "up to" ("Up to 50% off", "Скидка до 30%") when the brief
    gives it only as a maximum: shown without it, the discount promises every product the
    most. None for any other claim."""
    if claim.kind not in ("percent_off", "amount_off"):
        return None
    for written in ctx.passages:
        if written[claim.start : claim.end] != claim.text:
            continue
        at = _capped_at(_light(written), claim.start, claim.end, ctx.language)
        return None if at is None else written[min(at, claim.start) : claim.end]
    return None


def _unit_after(text: str, end: int) -> str:
    """The unit or word right after a number ("%", " дней"), for the message."""
    tail = regex.match(r"\s?[^\s\p{L}\p{N}]+|\s?\p{L}+", text[end:])
    return tail.group(0) if tail else ""


def build_context(
    *,
    language: str,
    product_name: str,
    description: str,
    offer: str,
    extra_offers: Sequence[str] = (),
    selling_points: Sequence[str] = (),
    price_amount: float | None = None,
    currency: str | None = None,
    regular_amount: float | None = None,
    extra_words: Iterable[str] = (),
    price_period: Period | None = None,
    price_texts: tuple[str, str] = ("", ""),
) -> ClaimContext:
    """The context of one brief; ``extra_words`` are the calls to action and the writer's own
    words (which are whole words by construction). A recurring price (``price_period``) is a
    claim of its own, written ``price_texts`` (price, regular price: "9,99 €/Monat"): shown
    without its period, it is not publishable."""
    conditions = point_conditions(description, selling_points, [offer, *extra_offers], language)
    # A point is the promise it makes with its condition (what the writer shows of it).
    points = [with_condition(p, conditions, language) for p in selling_points]
    texts = brief_texts(offer, extra_offers, points)
    claims = claims_of(texts, language, currency)
    free: set[float] = set()
    # The price may be shown alone, unless the brief only ever gives it as a "from" or a
    # per-period price ("Aylık 149,90 TL'den", "od 49,99 zł/mies."): "149,90 TL" alone reads as
    # the whole price of the product.
    qualified = any(
        c.kind in ("price_from", "per_period")
        and c.value is not None
        and price_amount is not None
        and abs(c.value - price_amount) < 0.005
        for c in claims
    )
    if price_period is not None:
        priced = [
            ("price", price_amount, price_texts[0]),
            ("regular price", regular_amount, price_texts[1]),
        ]
        claims += tuple(
            Claim(
                "per_period",
                text,
                value=amount,
                currency=currency,
                period=price_period,
                source=source,
            )
            for source, amount, text in priced
            if amount is not None and text and not _claimed(claims, amount, price_period)
        )
        qualified = True
    if price_amount is not None and not qualified:
        free.add(round(float(price_amount), 2))
    if regular_amount is not None and price_period is None:
        free.add(round(float(regular_amount), 2))
    for label, text in [("name", product_name), ("description", description), *texts]:
        spans = [(c.start, c.end) for c in claims if c.source == label]
        for m in _NUMBER.finditer(_light(text)):
            if any(a <= m.start() < b for a, b in spans):
                continue
            value = parse_number(m.group(0))
            if value is not None:
                free.add(round(value, 2))
    everything = " ".join([product_name, description, *(t for _, t in texts), *extra_words])
    vocabulary = frozenset(
        part
        for w in _WORD.findall(_unmarked(everything))
        for part in (w.casefold(), *regex.split(r"['’-]", w.casefold()))
        if part
    )
    return ClaimContext(
        language=base_language(language),
        claims=claims,
        free_numbers=frozenset(free),
        vocabulary=vocabulary,
        brief_text=everything,
        default_currency=currency,
        price_amount=None if price_amount is None else float(price_amount),
        capped=tuple(capped_numbers(description, [offer, *extra_offers], language).items()),
        qualified=tuple(
            qualified_numbers(
                description,
                [offer, *extra_offers, product_name, *_amounts(price_amount, regular_amount)],
                language,
            ).items()
        ),
        conditional=tuple(conditions.items()),
        passages=tuple(t for t in (product_name, description, *(t for _, t in texts)) if t),
        sale=(
            (float(price_amount), float(regular_amount))
            if price_amount is not None and regular_amount is not None
            else None
        ),
    )


def _amounts(*amounts: float | None) -> list[str]:
    """The brief's prices as plain numbers: the price pill shows them as the marketer set."""
    return [f"{a:.2f}" for a in amounts if a is not None]


def _claimed(claims: Sequence[Claim], amount: float, period: Period) -> bool:
    """Whether the brief's own words already give this amount for this period ("ab 9,99
    €/Monat")."""
    return any(
        c.kind in ("price_from", "per_period")
        and c.period == period
        and c.value is not None
        and abs(c.value - amount) < 0.005
        for c in claims
    )


_MARKS = regex.compile(r"[\u064B-\u065F\u0670\u0640\u05B0-\u05C7]")


def _unmarked(text: str) -> str:
    """Text without Arabic and Hebrew vowel marks: a writer may drop them, they cut nothing."""
    return _MARKS.sub("", text)


def _same(shown: Claim, brief: Claim) -> bool:
    """Whether a shown claim states the same promise as a brief claim (value, currency, code)."""
    kinds = {shown.kind, brief.kind}
    if shown.kind != brief.kind and kinds != {"price_from", "per_period"}:
        return False
    if shown.kind == "promo_code":
        return (shown.code or "").casefold() == (brief.code or "").casefold()
    if (
        shown.value is not None
        and brief.value is not None
        and abs(shown.value - brief.value) > 0.005
    ):
        return False
    if shown.currency and brief.currency and shown.currency != brief.currency:
        return False
    return (shown.n, shown.m) == (brief.n, brief.m)


def _qualifier_faults(
    shown: Claim, brief: Claim, beside: str = ""
) -> list[tuple[str, dict[str, str]]]:
    """What a shown claim drops of the brief's: (code of adcraft.notes, its values);
    ``beside``: for the price pill, the copy drawn with it (see _scope_beside)."""
    out: list[tuple[str, dict[str, str]]] = []
    if brief.scope and not shown.scope and not _scope_beside(beside, shown, brief):
        out.append(("claim_drops_scope", {"shown": shown.text, "brief": brief.text}))
    elif (
        brief.kind == "price_from"
        and brief.scope
        and shown.scope
        and _unmarked(brief.scope).casefold() not in _unmarked(shown.scope).casefold()
    ):
        # "Direct flights from £49" is not "Flights to Lisbon from £49": another price.
        out.append(("claim_other_scope", {"shown": shown.text, "brief": brief.text}))
    if brief.period and shown.period != brief.period:
        out.append(("claim_drops_period", {"shown": shown.text, "brief": brief.text}))
    if brief.condition and not shown.condition:
        said = {"shown": shown.text, "condition": brief.condition, "brief": brief.text}
        out.append(("claim_drops_condition", said))
    if brief.kind == "price_from" and shown.kind == "per_period":
        out.append(("claim_drops_from", {"shown": shown.text, "brief": brief.text}))
    return out


def text_faults(
    text: str, ctx: ClaimContext, *, field: str = "text", beside: str = ""
) -> list[str]:
    """Why this shown text could not be published as it is (empty when it can); ``beside``:
    for the price pill, the copy drawn with it, which may say what its price is for."""
    if not text.strip():
        return []
    out: list[str] = []
    light = _light(text)
    shown = parse_claims(text, ctx.language, default_currency=ctx.default_currency)
    covered: list[tuple[int, int]] = []
    for sc in shown:
        match = next((bc for bc in ctx.claims if _same(sc, bc)), None)
        if match is None:
            if sc.kind in _NUMERIC_KINDS or (sc.kind == "promo_code"):
                owner = next(
                    (c for c in ctx.claims if sc.value is not None and _carries(c, sc.value)), None
                )
                if owner is not None:
                    out.append(say("claim_changed", field=field, shown=sc.text, claim=owner.text))
                else:
                    out.append(say("claim_not_in_brief", field=field, shown=sc.text))
                covered.append((sc.start, sc.end))
            elif sc.kind in ("free_shipping", "free_trial", "free_returns") and not any(
                bc.kind == sc.kind for bc in ctx.claims
            ):
                out.append(say("claim_not_in_brief", field=field, shown=sc.text))
            continue
        faults = _qualifier_faults(sc, match, beside)
        out.extend(say(code, field=field, **said) for code, said in faults)
        cap = _deal_cap(match, ctx)
        if cap is not None and _capped_at(light, sc.start, sc.end, ctx.language) is None:
            out.append(say("claim_without_up_to", field=field, shown=sc.text, brief=cap))
        covered.append((sc.start, sc.end))
    bare = set()
    for said, condition in unconditioned(text, dict(ctx.conditional), ctx.language):
        brief = condition.attach(said)
        out.append(say("claim_without_condition", field=field, shown=said, brief=brief))
    for start, said, cap in uncapped(text, ctx):
        if not any(a <= start < b for a, b in covered):
            out.append(say("claim_without_up_to", field=field, shown=said, brief=cap))
            bare.add(start)
    for start, said, missing, phrase in unqualified(text, ctx):
        if not any(a <= start < b for a, b in covered) and start not in bare:
            out.append(
                say(
                    "claim_without_qualifier",
                    field=field,
                    shown=said,
                    qualifier=missing,
                    brief=phrase,
                )
            )
            bare.add(start)
    for m in _NUMBER.finditer(light):
        if any(a <= m.start() < b for a, b in covered):
            continue
        if m.start() in bare:
            continue
        value = parse_number(m.group(0))
        if value is None or round(value, 2) in ctx.free_numbers:
            continue
        owner = next((c for c in ctx.claims if _carries(c, value)), None)
        if owner is not None:
            shown_number = _around(text, m)
            out.append(
                say("number_without_claim", field=field, shown=shown_number, claim=owner.text)
            )
        elif not _in_brief_digits(m.group(0), ctx):
            out.append(say("number_not_in_brief", field=field, number=m.group(0).strip()))
    second = [c for c in shown if c.kind == "second_item_discount"]
    owner = next((c for c in ctx.claims if c.kind == "second_item_discount"), None)
    half = half_price_words(ctx.language)
    for m in half.finditer(light):
        if any(c.start <= m.start() < c.end for c in second):
            continue
        words = text[m.start() : m.end()]
        if owner is not None:
            brief = owner.text
            out.append(say("half_price_without_item_of", field=field, shown=words, brief=brief))
        elif not half.search(_light(ctx.brief_text)):
            # No second item in the brief: "50% off all jackets", "Half price on all jackets"
            # are the brief's own promise (checked as claims above); only half-price words
            # the brief never says are a promise it does not make.
            out.append(say("half_price_without_item", field=field, shown=words))
    return out


def _carries(claim: Claim, value: float) -> bool:
    numbers = [claim.value, claim.threshold, claim.n, claim.m]
    if any(v is not None and abs(float(v) - value) < 0.005 for v in numbers):
        return True
    return any(
        (parse_number(m.group(0)) or -1) == value for m in _NUMBER.finditer(_light(claim.text))
    )


def _in_brief_digits(digits: str, ctx: ClaimContext) -> bool:
    """The same digit string somewhere in the brief (a model number such as 'X200')."""
    return regex.sub(r"\D", "", digits) in regex.sub(r"[^\d ]", " ", _light(ctx.brief_text))


def _around(text: str, m: regex.Match[str]) -> str:
    """The number with the currency or unit glued to it, for the message."""
    start, end = m.start(), m.end()
    while start > 0 and not text[start - 1].isspace() and not text[start - 1].isalnum():
        start -= 1
    tail = regex.match(r"\s?[^\s\p{L}\p{N}]+", text[end:])
    if tail:
        end += tail.end()
    return text[start:end].strip()


def cut_faults(text: str, ctx: ClaimContext, *, field: str = "text") -> list[str]:
    """A last word cut short ('сейча' of 'сейчас') or a phrase ending mid-way ('Seguro de:')."""
    stripped = text.strip()
    if not stripped:
        return []
    out: list[str] = []
    last_token = stripped.split()[-1].casefold()
    brief_tokens = {t.casefold() for t in ctx.brief_text.split()}
    if (
        stripped[-1] in DANGLING
        and stripped[-1] not in ")]}»）」』》】"
        and last_token not in brief_tokens  # "Tela+" is a name, not a cut
    ):
        out.append(say("ends_mid_phrase", field=field, shown=stripped))
    words = _WORD.findall(_unmarked(stripped))
    out.extend(_dangling_modifier(stripped, ctx, field))
    if ctx.language in ("ja", "zh"):
        out.extend(_cut_kana(stripped, ctx, field))
        return out
    if not words:
        return out
    last = words[-1].casefold()
    if last in _HANGING.get(ctx.language, "").split() and len(words) > 1:
        out.append(say("ends_on_word", field=field, shown=stripped, word=words[-1]))
    if last not in ctx.vocabulary and not last.isdigit() and len(last) >= 2:
        longer = sorted(v for v in ctx.vocabulary if v.startswith(last) and v != last)
        if longer:
            out.append(say("word_cut", field=field, word=words[-1], whole=longer[0]))
    return out


# Forms that modify the noun after them, per language: a fragment ending in one has lost its
# noun ("Aylık 149,90 TL'den başlayan" of "…başlayan fiyatlarla", "with prices starting from").
# Turkish participles -(y)An, -DIK-, -(y)AcAK; German inflected adjectives and participles
# (lowercase, -e/-en/-er/-es/-em) before a capitalised noun; Japanese adnominal る/た/い/な/の
# before a noun in kanji or katakana; Korean adnominal 는/던/된/을/의 before the next word.
_ADNOMINAL: dict[str, tuple[str, str]] = {
    "tr": (
        r"(?<!\p{L})\p{L}{2,}(?:[yn]?[ae]n|[dt][ıiuü]ğ[ıiuü]\p{L}*|y?[ae]c[ae]k|y?[ae]c[ae]ğ\p{L}*)$",
        r"\s+\p{L}",
    ),
    "de": (r"(?<!\p{L})\p{Ll}\p{L}*(?:e|en|er|es|em)$", r"\s+\p{Lu}"),
    "ja": (r"[るたいなの]$", r"[\p{Han}\p{Katakana}]"),
    "ko": (r"\S(?:는|던|된|을|의)$", r"\s+\p{Hangul}"),
}


def _dangling_modifier(text: str, ctx: ClaimContext, field: str) -> list[str]:
    """A fragment that ends in a form modifying a noun the brief goes on with: cut from its
    phrase, it reads broken ("Aylık 149,90 TL'den başlayan", "…für alle neuen")."""
    rule = _ADNOMINAL.get(ctx.language)
    if rule is None:
        return []
    ending, noun = rule
    body = text.rstrip(" .!?。！")
    if not regex.search(ending, body):
        return []
    # The fragment's last words as the brief writes them, and what follows there.
    tail = body[-12:] if ctx.language in ("ja", "zh") else " ".join(body.split()[-2:])
    flags = 0 if ctx.language == "de" else regex.IGNORECASE
    found = [
        passage[m.end() :]
        for passage in ctx.passages
        for m in regex.finditer(regex.escape(tail), passage, flags)
    ]
    if found and all(regex.match(noun, rest) for rest in found):
        word = body.split()[-1] if " " in body else body[-4:]
        return [f'{field}: "{text}" ends on "{word}", which qualifies a word left out']
    return []


def _cut_kana(text: str, ctx: ClaimContext, field: str) -> list[str]:
    """Japanese: a shown phrase that stops one kana short of the brief's (日曜日ま|で)."""
    if not _HIRAGANA.match(text[-1]):
        return []
    tail = text[-4:]
    pos = ctx.brief_text.find(tail)
    occurrences = []
    while pos >= 0:
        occurrences.append(pos + len(tail))
        pos = ctx.brief_text.find(tail, pos + 1)
    if occurrences and all(
        i < len(ctx.brief_text) and _HIRAGANA.match(ctx.brief_text[i]) for i in occurrences
    ):
        nxt = ctx.brief_text[occurrences[0]]
        return [say("kana_cut", field=field, shown=text, next=nxt)]
    return []


def contradictions(claims: Sequence[Claim]) -> list[str]:
    """Claims of the brief that cannot both be true: two discounts on the same thing."""
    out: list[str] = []
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.kind != b.kind or a.kind not in ("percent_off", "amount_off"):
                continue
            if (a.scope or "") != (b.scope or "") or a.value == b.value:
                continue
            if a.kind == "amount_off" and (a.threshold or b.threshold):
                continue
            out.append(f'"{a.text}" and "{b.text}" contradict each other')
    return out


def sale_contradictions(ctx: ClaimContext) -> list[str]:
    """Discounts that promise more than the brief's own two prices give: "30% off" beside
    ~~239 €~~ 179 € (25 % off) is a false claim. A discount with a scope, condition, threshold
    or code may be about something else (a second item, an order over 75 €) and is not
    compared; one a rounding away (25 % of 239 € is 59.75 €, "Spare 60 €") passes."""
    if ctx.sale is None:
        return []
    price, regular = ctx.sale
    saved = regular - price
    percent = 100 * saved / regular
    out: list[str] = []
    for c in ctx.claims:
        if c.value is None or c.scope or c.condition or c.threshold or c.code:
            continue
        if c.kind == "percent_off" and c.value > percent + 1:
            out.append(
                f'"{c.text}" promises more than the prices give: {regular:g} → {price:g} '
                f"is {percent:.0f} % off"
            )
        elif (
            c.kind == "amount_off"
            and c.currency in (None, ctx.default_currency)
            and c.value > saved + max(1.0, 0.01 * regular)
        ):
            out.append(
                f'"{c.text}" promises more than the prices give: {regular:g} → {price:g} '
                f"saves {saved:g}"
            )
    return out


def fields_faults(fields: Mapping[str, str], ctx: ClaimContext, *, cuts: bool = True) -> list[str]:
    """Faults of several shown fields; ``cuts`` also checks their endings (on-image text). A
    recurring price shown bare or per another period is one (:func:`recurring_faults`)."""
    out: list[str] = []
    for name, text in fields.items():
        out.extend(text_faults(text, ctx, field=name, beside=beside_pill(name, fields)))
        out.extend(recurring_faults(text, ctx, field=name))
        if cuts:
            out.extend(cut_faults(text, ctx, field=name))
    return list(dict.fromkeys(out))


def code_faults(fields: Mapping[str, str], ctx: ClaimContext) -> list[str]:
    """Claims that need a promo code, shown where no field of the same surface gives the code.

    Judged over the fields together: a "−15%" badge with "code SPRING15" in the fine print is
    how such offers are advertised; "−15%" with the code nowhere is a wrong promise.
    """
    locked = [(c, code) for c in ctx.claims if (code := required_code(c, ctx.claims))]
    if not locked:
        return []
    everything = "\n".join(fields.values()).casefold()
    out: list[str] = []
    for name, text in fields.items():
        for sc in parse_claims(text, ctx.language, default_currency=ctx.default_currency):
            for claim, code in locked:
                if _same(sc, claim) and (code.code or "").casefold() not in everything:
                    out.append(
                        say(
                            "needs_code",
                            field=name,
                            shown=sc.text,
                            promo=code.code,
                            brief=claim.text,
                        )
                    )
    return out


def context_for_brief(brief: Brief) -> ClaimContext:
    """The claim context of a brief, with the language's calls to action as known words. A
    recurring price's bare mentions in the brief's words carry its period, as the writer
    shows them ("ab 9,99 €" → "ab 9,99 €/Monat": :func:`.periods.with_price_period`)."""
    brief = with_price_period(brief)
    ctas = set(all_ctas(brief.language)) | ({brief.cta} if brief.cta else set())
    # The price pill as the language writes it: its currency ("zł", "ر.س.") is a whole word,
    # not a cut of a brief word that happens to start the same ("złóż").
    for p in (brief.price, brief.regular_price):
        if p is not None:
            ctas.add(format_price(p, brief.language))
    term = term_text(brief.price, brief.language) if brief.price else ""
    if term:
        ctas.add(term)  # the terms line's own words and number
    # An offer as the writer says it on its own ("…başlayan fiyatlar" of "…fiyatlarla"): its
    # last word is whole, not a cut.
    ctas.update(standalone_phrase(o, brief.language) for o in (brief.offer, *brief.extra_offers))
    ctx = build_context(
        language=brief.language,
        product_name=brief.product_name,
        description=brief.description,
        offer=brief.offer,
        extra_offers=brief.extra_offers,
        selling_points=brief.selling_points,
        price_amount=brief.price.amount if brief.price else None,
        currency=brief.price.currency if brief.price else None,
        regular_amount=brief.regular_price.amount if brief.regular_price else None,
        extra_words=sorted(ctas),
        price_period=brief.price.period if brief.price else None,
        price_texts=(
            format_price(brief.price, brief.language) if brief.price else "",
            format_price(brief.regular_price, brief.language) if brief.regular_price else "",
        ),
    )
    hint = _period_hint(brief, ctx)
    if hint is not None and hint.explicit and brief.price is not None:
        said = format_price(brief.price, brief.language)
        why = say(
            "price_without_period",
            field="",
            price_text=said,
            source=hint.source,
            period=hint.period,
            phrase=hint.phrase,
        ).removeprefix(": ")
        ctx = replace(ctx, unstated_period=(brief.price.amount, why))
    if brief.price is not None and brief.price.period is not None:
        amounts = tuple(p.amount for p in (brief.price, brief.regular_price) if p is not None)
        said = format_price(brief.price, brief.language)
        rec = Recurring(
            amounts,
            brief.price.currency,
            brief.price.period,
            said,
            term,
            contradicted=bool(other_periods(brief)),
        )
        ctx = replace(ctx, recurring=rec)
    return ctx


def _period_hint(brief: Brief, ctx: ClaimContext) -> PeriodHint | None:
    """What says the brief's price recurs when the price has no period and the brief's own
    words do not already give it per period ("9,99 €/Monat" in the offer is the pill's text)."""
    if brief.price is None:
        return None
    amount = brief.price.amount
    if any(
        c.kind in ("price_from", "per_period")
        and c.value is not None
        and abs(c.value - amount) < 0.005
        for c in ctx.claims
    ):
        return None
    return period_hint(brief, trial=any(c.kind == "free_trial" for c in ctx.claims))


@dataclass(frozen=True)
class Verdict:
    """Whether a creative can be published as it is, and why not."""

    publishable: bool
    reasons: tuple[str, ...]


def verdict(
    shown: Mapping[str, str],
    platform_text: Mapping[str, str],
    ctx: ClaimContext,
    *,
    cut_on_image: Sequence[str] = (),
) -> Verdict:
    """The publishability of one creative from the text it shows and uploads.

    On-image text must keep every claim whole and every word uncut; platform text must keep
    its claims whole (it may be cut at a word boundary, which is flagged as ``truncated``).
    A brief whose claims contradict each other makes nothing publishable until it is fixed.
    """
    reasons = [f"brief: {c}" for c in contradictions(ctx.claims) + sale_contradictions(ctx)]
    reasons += [say("cut_to_fit", field=name) for name in cut_on_image]
    reasons += fields_faults(shown, ctx)
    reasons += fields_faults(platform_text, ctx, cuts=False)
    reasons += code_faults(shown, ctx) + code_faults(platform_text, ctx)
    reasons += term_faults({**platform_text, **shown}, ctx)
    if ctx.unstated_period is not None:
        amount, why = ctx.unstated_period
        surfaces = (*shown.items(), *platform_text.items())
        reasons += [f"{name}: {why}" for name, text in surfaces if shows_number(text, amount)]
    unique = tuple(dict.fromkeys(reasons))
    return Verdict(not unique, unique)


_LONG_OFFER = 200
_FOREIGN = {
    "ja": r"\p{Han}|\p{Hiragana}|\p{Katakana}",
    "zh": r"\p{Han}",
    "ko": r"\p{Hangul}",
    "ru": r"\p{Cyrillic}",
    "he": r"\p{Hebrew}",
    "ar": r"\p{Arabic}",
    "hi": r"\p{Devanagari}",
}


def brief_claim_warnings(brief: Brief, ctx: ClaimContext) -> list[str]:
    """What the brief itself gets wrong about its claims, said once per set: contradictions,
    an offer that is only numbers or symbols, claims written in another script than the
    brief's language, an offer too long to show (only its whole claims are used), a price
    reduction without the price it is taken from (:func:`reference_price_warnings`)."""
    out = [
        f"claims: {c}; nothing is publishable until the brief says one"
        for c in contradictions(ctx.claims) + sale_contradictions(ctx)
    ]
    lang = base_language(brief.language)
    own = _FOREIGN.get(lang)
    for label, text in brief_texts(brief.offer, brief.extra_offers, brief.selling_points):
        letters = regex.findall(r"\p{L}", text)
        if not letters:
            out.append(say("offer_no_words", label=label, text=text))
            continue
        if own is not None:
            native = sum(1 for ch in letters if regex.match(own, ch))
            if native == 0 and sum(1 for ch in letters if not ch.isascii()) > 0:
                out.append(say("offer_other_script", label=label, text=text[:60], language=lang))
    if len(brief.offer) > _LONG_OFFER:
        shown = "; ".join(c.text for c in ctx.claims if c.source == "offer") or "none"
        out.append(say("offer_too_long", length=len(brief.offer), shown=shown))
    out += provider_warnings(brief)
    hint = _period_hint(brief, ctx)
    if hint is not None and brief.price is not None:
        out.append(hint_warning(hint, format_price(brief.price, brief.language)))
    out += reference_price_warnings(brief, ctx)
    for label, mention in other_periods(brief):
        assert brief.price is not None and brief.price.period is not None
        out.append(
            f'price: {label} gives the price per {mention.period} ("{mention.shown}") but the '
            f'price is per {brief.price.period} ("{format_price(brief.price, brief.language)}"): '
            "the brief contradicts itself; say one period (a creative that shows the price per "
            f"{mention.period} is not publishable)"
        )
    for i, point in enumerate(brief.selling_points, start=1):
        out += [
            say("point_without_up_to", n=i, shown=said, brief=cap)
            for _, said, cap in uncapped(point, ctx)
        ]
        out += [
            say("point_without_condition", n=i, shown=said, condition=condition.text)
            for said, condition in unconditioned(point, dict(ctx.conditional), ctx.language)
        ]
        out += [
            f'selling point {i}: "{said}" without "{missing}" (brief: "{phrase}"): the built-in '
            "writer shows the brief's words instead; write it into the point"
            for _, said, missing, phrase in unqualified(point, ctx)
        ]
    return out


def reference_price_warnings(brief: Brief, ctx: ClaimContext) -> list[str]:
    """A price reduction the brief announces beside its price without the price it is taken
    from (``regular_price``): "−20 %" beside "499 €" does not say whether 499 € is the price
    before or after, and EU price rules (Directive 98/6/EC Art. 6a as amended by the Omnibus
    directive, PAngV §11) ask such an announcement to state the prior price. One warning per
    set, naming the brief's first such deal (the fix is the same for all of them).

    Where the brief's own words already name the prior price ("499 € statt 599 €", "£49, was
    £79": :func:`prior_in_words`), the warning says so instead and suggests that amount as the
    regular price; it never sets it (the marketer knows whether it is the lowest of 30 days)."""
    if brief.price is None or brief.regular_price is not None:
        return []
    texts = dict(brief_texts(brief.offer, brief.extra_offers, brief.selling_points))
    named = prior_in_words(brief)
    if named is not None:
        label, prior = named
        return [
            say(
                "reference_price_in_words",
                label=label,
                prior=prior.amount,
                phrase=prior.text,
                price_text=format_price(brief.price, brief.language),
            )
        ]
    for claim in ctx.claims:
        written = texts.get(claim.source, "")
        if _reduces_price(claim, written, ctx):
            deal = _with_up_to(claim.text, written, ctx.language)
            price_text = format_price(brief.price, brief.language)
            return [
                say(
                    "discount_without_reference_price",
                    label=claim.source,
                    deal=deal,
                    price_text=price_text,
                )
            ]
    return []


def prior_in_words(brief: Brief) -> tuple[str, PriorPrice] | None:
    """(brief field, prior price) of the first price before a reduction the brief's own words
    name ("499 € statt 599 €", "£49, was £79", "399 ₽ вместо 599 ₽"), in the price's currency
    and above it; None when none does. An amount that is the brief's price is that price, not
    a prior one."""
    if brief.price is None:
        return None
    price = brief.price
    fields = brief_texts(brief.offer, brief.extra_offers, brief.selling_points)
    for label, text in [*fields, ("description", brief.description)]:
        for prior in prior_prices(text, brief.language, price.currency):
            if prior.currency not in (None, price.currency):
                continue
            if prior.value > price.amount + 0.005:
                return label, prior
    return None


def _reduces_price(claim: Claim, written: str, ctx: ClaimContext) -> bool:
    """Whether a claim announces a lower price of the product itself ("−20 %", "Spare 250 €",
    "up to 50 % off", "20 % off for new customers": a scope, condition or cap still lowers the
    shown price for those it names, and leaves open which price it is taken from).

    Not a free item, free shipping, an n-for-m or a second-item discount: the shown price stays
    the price of one item (the Commission's guidance on Art. 6a leaves "buy 1 get 1 free" out).
    Not a discount that needs a promo code: the shown price is what the shop charges and the
    code lowers it at checkout, so the ad already says which price the discount is taken from.
    Not a discount on an order over an amount ("10 € off orders over 75 €"), which lowers a
    basket at checkout the same way, nor money back after buying ("get $50 back"), which leaves
    the price as it is. Not a selling point's discount on something named ("10% off snacks" of a
    cinema pass): a point says what comes with the product, a perk beside its price; an offer's
    ("15 % Rabatt auf Monatsmieten") is the promotion of what the ad prices."""
    if claim.kind not in ("percent_off", "amount_off"):
        return False
    if claim.scope and claim.source.startswith("selling point"):
        return False
    if is_rebate(claim, ctx.language) or _on_order_over(claim, written, ctx):
        return False
    return required_code(claim, ctx.claims) is None


def _on_order_over(claim: Claim, written: str, ctx: ClaimContext) -> bool:
    """A discount on an order over an amount: its parsed threshold (满299减50), or the words
    after it ("orders over $75"). An amount that is the brief's own price is that price ("−20 %,
    jetzt ab 399 €"), not a threshold."""
    if claim.threshold is not None:
        return True
    at = written.find(claim.text)
    if at < 0:
        return False
    # The discount and what follows it in the same field, up to a sentence's length.
    after = written[at : at + len(claim.text) + 60]
    amount = order_threshold(after, ctx.language, ctx.default_currency)
    if amount is None:
        return False
    return ctx.price_amount is None or abs(amount - ctx.price_amount) >= 0.005


def _with_up_to(deal: str, written: str, language: str) -> str:
    """The deal as the brief writes it, with an "up to" right before it ("Up to 50% off", not
    "50% off", which would promise every product the maximum)."""
    up_to = _up_to(language)
    at = written.find(deal)
    if up_to is None or at < 0:
        return deal
    before = _up_to_before(up_to, _light(written), at)
    if before is None:
        return deal
    return written[max(0, at - 12) + before.start() : at + len(deal)]


# What a shown deal may lack, in the words a marketer uses.
GAP_CODE = "promo code"
GAP_DEADLINE = "deadline"
GAP_QUALIFIER = "qualifier"
GAP_AFTER_TRIAL = "price after the trial"


@dataclass(frozen=True)
class DealGap:
    """A deal of the brief shown on a creative without one of its parts."""

    claim: Claim
    """The brief's deal ("20% off all tents this weekend only"'s "20% off all tents")."""
    shown: str
    """The deal as the creative shows it ("20% off")."""
    missing: tuple[str, ...]
    """Which parts it lacks: :data:`GAP_CODE`, :data:`GAP_DEADLINE`, :data:`GAP_QUALIFIER`,
    :data:`GAP_AFTER_TRIAL`."""
    parts: tuple[str, ...]
    """The missing parts as the brief writes them ("SPRING15", "this weekend only")."""

    def describe(self) -> str:
        """'"20% off" is shown without its deadline "this weekend only"'."""
        return f'"{self.shown}" is shown without {missing_parts(self.missing, self.parts)}'


def _scoped_price(claim: Claim) -> bool:
    return claim.kind == "price_from" and claim.scope is not None


def deal_gaps(shown: Mapping[str, str], ctx: ClaimContext) -> list[DealGap]:
    """The brief's deals the shown fields state without their promo code, deadline, qualifier
    (scope, period, condition) or, for a free trial, the price it leads into, judged over all
    the fields together: the code in the small print completes a "−15%" badge, a deadline on
    any line completes the deal, "Potem 39 zł/mies." in small print completes "30 dni za
    darmo".

    Only deals that are shown count: a creative that leaves the deal out entirely (its
    headline the product name) misses nothing.
    """
    # A "from" price with what it is for ("Flights to Lisbon from £49") is a deal's equal
    # here: shown as a bare "from £49" it promises that price for anything.
    deals = [c for c in ctx.claims if c.kind in DEAL_KINDS or _scoped_price(c)]
    if not deals:
        return []
    everything = "\n".join(t for t in shown.values() if t)
    folded = _unmarked(everything).casefold()
    # Each field is read on its own: a claim never runs on from a headline into its button.
    shown_claims = [
        (field, c)
        for field, text in shown.items()
        if text
        for c in parse_claims(text, ctx.language, default_currency=ctx.default_currency)
    ]
    shown_deadline = any(c.kind == "deadline" for _, c in shown_claims)
    out: list[DealGap] = []
    seen: set[tuple[str, int]] = set()
    for field, sc in shown_claims:
        brief = next((c for c in deals if _same(sc, c)), None)
        if brief is None or (brief.text, brief.start) in seen:
            continue
        seen.add((brief.text, brief.start))
        missing: list[str] = []
        parts: list[str] = []
        code = required_code(brief, ctx.claims)
        if code is not None and (code.code or "").casefold() not in folded:
            missing.append(GAP_CODE)
            parts.append(code.code or code.text)
        deadline = next(
            (
                c
                for c in ctx.claims
                if c.kind == "deadline"
                and brief.kind in DEAL_KINDS
                and qualifies(c, brief, ctx.claims)
            ),
            None,
        )
        if (
            deadline is not None
            and not shown_deadline
            and _unmarked(deadline.text).casefold() not in folded
        ):
            missing.append(GAP_DEADLINE)
            parts.append(deadline.text)
        qualifier = _qualifier_faults(sc, brief, beside_pill(field, shown))
        if qualifier:
            missing.append(GAP_QUALIFIER)
            parts.append(brief.text)
        after = after_trial(ctx) if brief.kind == "free_trial" else None
        if after is not None and not _after_trial_said(shown, after, ctx):
            missing.append(GAP_AFTER_TRIAL)
            parts.append(after_trial_text(after, ctx))
        if missing:
            out.append(DealGap(brief, sc.text, tuple(missing), tuple(parts)))
    return out


def _scope_beside(beside: str, pill: Claim, brief: Claim) -> bool:
    """Whether a price pill's bare "from" price takes what it is for from the copy drawn
    beside it (``beside``): under the headline "BlueJet Flights to Lisbon" the pill "From
    £49" reads as the flights' price, as a designer sets it. Only the pill leans on the copy;
    a headline or a body is read on its own."""
    if brief.kind != "price_from" or not brief.scope or pill.scope:
        return False
    scope = " ".join(_unmarked(brief.scope).casefold().split())
    return scope in " ".join(_unmarked(beside).casefold().split())


def beside_pill(field: str, shown: Mapping[str, str]) -> str:
    """The copy a price pill is drawn with ("" for a field that is not the pill)."""
    return "\n".join(t for k, t in shown.items() if k != PILL) if field == PILL else ""


def _after_trial_said(shown: Mapping[str, str], after: Claim, ctx: ClaimContext) -> bool:
    """Whether a shown field says the price a free trial leads into. Where that price is
    said with "then" ("Potem 39 zł/mies.", "danach 9,99 €/Monat"), a price pill counts only
    when it says "then" too: a bare "39 zł/mies." beside "30 dni za darmo" reads as the price
    of the trial. A pill in the brief's own words ("From $12.50/month", an offer of its own)
    counts as it is."""
    value = after.value
    if value is None:
        return True  # no amount to ask for
    then = then_word(ctx.language)
    if then is not None and not _has_word(after_trial_text(after, ctx), then):
        then = None  # the brief says the price without "then": the pill needs none either
    return any(
        text
        and shows_number(text, value)
        and (name != PILL or then is None or _has_word(text, then))
        for name, text in shown.items()
    )


def _has_word(text: str, word: str) -> bool:
    return word.casefold() in _WORD.findall(_unmarked(text).casefold())


def then_word(language: str) -> str | None:
    """The language's "then" before the price a free trial leads into; None where a price
    alone says it."""
    return _THEN.get(language)


# "Then" before the price a free trial leads into, where the brief gives only the price
# ("9,99 €/Monat" -> "danach 9,99 €/Monat"); another language shows the price alone.
_THEN = {
    "en": "then",
    "de": "danach",
    "fr": "puis",
    "es": "después",
    "pt": "depois",
    "it": "poi",
    "nl": "daarna",
    "pl": "potem",
    "ru": "далее",
}
# A brief's own line longer than this is too long for small print.
_SMALL_PRINT_LINE = 40


def brief_line(ctx: ClaimContext, *texts: str) -> str | None:
    """The brief's own line (a passage) that says all of ``texts``, when it is short enough
    for small print: the brief's words, in its voice, rather than pieces put together."""
    return next(
        (p for p in ctx.passages if len(p) <= _SMALL_PRINT_LINE and all(t in p for t in texts)),
        None,
    )


def after_trial(ctx: ClaimContext) -> Claim | None:
    """The recurring price a free trial leads into: the brief's price with its period, as the
    offers say it ("Potem 39 zł/mies.") or as the price pill does ("9,99 €/Monat"). None when
    the price has no period (the set-level warning asks for one) or another amount recurs (a
    family plan's "$100/month" is not what the trial of the $35 plan leads into).

    A trial shown without it hides what the customer pays afterwards: consumer law wants the
    later price beside a free trial, so a creative that shows the trial shows the price too.
    """
    if ctx.price_amount is None:
        return None
    recurring = [
        c
        for c in ctx.claims
        if c.kind in ("per_period", "price_from")
        and c.period is not None
        and c.value is not None
        and abs(c.value - ctx.price_amount) < 0.005
    ]
    # The brief's own words first: they say "then" in the brief's voice.
    return next((c for c in recurring if c.source != "price"), None) or next(iter(recurring), None)


def after_trial_text(claim: Claim, ctx: ClaimContext) -> str:
    """The small print that completes a free trial: the brief's own line when it is short,
    else its price ("then" before the price pill's text, where the language has the word)."""
    if claim.source != "price":
        return brief_line(ctx, claim.text) or claim.text
    then = _THEN.get(ctx.language)
    return f"{then} {claim.text}" if then else claim.text
