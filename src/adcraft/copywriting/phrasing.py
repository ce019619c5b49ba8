"""Phrasings built from a brief's own words: offer forms, hooks, benefit lines, and per angle
the candidate texts the copywriter chooses from.

Nothing here is translated or invented: every candidate rearranges or shortens what the brief
says, and the few glue words ("from", "and", the colon) come from :mod:`locale`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import regex

from adcraft.copywriting.claimcheck import (
    ClaimContext,
    code_faults,
    context_for_brief,
    cut_faults,
    recurring_faults,
    shows_number,
    text_faults,
    with_caps,
    with_qualifiers,
)
from adcraft.copywriting.claims import (
    CLAIM_KINDS,
    Claim,
    brief_texts,
    claims_of,
    parse_claims,
    required_code,
)
from adcraft.copywriting.facts import FactSpan, KeyFact, fact_present, locate_facts
from adcraft.copywriting.limits import measure, strip_dangling, uses_spaces
from adcraft.copywriting.locale import (
    STOPS_ANYWHERE,
    STOPS_BEFORE_SPACE,
    Intent,
    capitalize_first,
    chinese_tag,
    colon,
    cta_intent,
    decapitalize_first,
    dot_join,
    end_sentence,
    format_price,
    list_points,
    sentence_sep,
    standalone_phrase,
    term_text,
)
from adcraft.copywriting.periods import with_price_period
from adcraft.copywriting.point_conditions import with_condition
from adcraft.domain.brief import Brief

Angle = Literal["offer", "product", "benefit", "urgency", "price", "extra", "features"]
ANGLES: tuple[Angle, ...] = ("offer", "product", "benefit", "urgency", "price", "extra")
"""The angle each variant number prefers, cycling; "features" stands in when one cannot apply."""

_MAX_FORMS = 24
_MAX_SPANS = 12
_PRODUCT_LED: frozenset[Angle] = frozenset({"product", "benefit", "features", "price"})


def sanitize(text: str) -> str:
    """Untrusted text made safe to lay out: no control, format or private-use characters."""
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc":
            out.append(" ")
        # ZWJ/ZWNJ build emoji and Persian words; tag characters build subdivision flags.
        elif cat in ("Cs", "Co") or (
            cat == "Cf" and ch not in "\u200c\u200d" and not 0xE0020 <= ord(ch) <= 0xE007F
        ):
            continue
        else:
            out.append(ch)
    return regex.sub(r"\s+", " ", unicodedata.normalize("NFC", "".join(out))).strip()


def meaningful(text: str) -> bool:
    """Whether text has a letter or a digit (an emoji-only offer says nothing to keep)."""
    return bool(regex.search(r"[\p{L}\p{N}]", text))


def dedupe(items: Sequence[str]) -> list[str]:
    """Non-empty items, first occurrence of each, in order."""
    return list(dict.fromkeys(t for t in items if t))


@dataclass(frozen=True)
class Material:
    """Everything the brief offers to build copy from, cleaned once."""

    lang: str
    names: tuple[str, ...]
    brand: str
    facts: tuple[KeyFact, ...]
    spans: tuple[FactSpan, ...]
    offer_text: str
    offer_forms: tuple[str, ...]
    hooks: tuple[str, ...]
    points: tuple[str, ...]
    sentences: tuple[str, ...]
    extras: tuple[tuple[str, ...], ...]
    extra_short: tuple[tuple[str, ...], ...]
    price: str
    cta: str
    intent: Intent
    banned: tuple[str, ...]
    claims: tuple[Claim, ...] = ()
    """The promises of the offers, then of the selling points, as whole units."""
    cta_lang: str = "en"
    """The language tag the calls to action are taken in ("zh-Hant" for Traditional text)."""
    term: str = ""
    """The price's minimum term as the terms line says it ("12-month minimum term"), if any."""
    check: ClaimContext | None = None
    """The publishability check's view of the brief: a candidate it would hold back is only
    written when no sound one is left."""


_SENTENCE = regex.compile(rf".+?(?:[{STOPS_BEFORE_SPACE}](?=\s|$)|[{STOPS_ANYWHERE}]|$)")
_SENTENCE_END = regex.compile(rf"(?<=[{STOPS_BEFORE_SPACE}])\s+|(?<=[{STOPS_ANYWHERE}])\s*")


def _blocks(text: str, spans: Sequence[FactSpan]) -> list[tuple[int, int]]:
    """Fact phrases merged where only spaces or punctuation separate them."""
    out: list[tuple[int, int]] = []
    for s in spans:
        if out and not meaningful(text[out[-1][1] : s.phrase_start]):
            out[-1] = (out[-1][0], max(out[-1][1], s.phrase_end))
        else:
            out.append((s.phrase_start, s.phrase_end))
    return out


def _rebuild(
    text: str, blocks: list[tuple[int, int]], dropped: set[int], sep: str, ends: bool
) -> str:
    parts = [text[: blocks[0][0]]] if ends else []
    for i, (a, b) in enumerate(blocks):
        parts.append(text[a:b])
        if i < len(blocks) - 1:
            parts.append(sep if i in dropped else text[b : blocks[i + 1][0]])
    if ends:
        parts.append(text[blocks[-1][1] :])
    return "".join(parts)


# Offers that change what is paid: beside the price ("Primera semana gratis · 19,99 €",
# "Save $70 · $249") they leave the reader guessing whether the price is before or after them.
_PRICE_CHANGING = frozenset(
    (
        "percent_off",
        "amount_off",
        "free_trial",
        "free_item",
        "n_for_m",
        "second_item_discount",
        "price",
        "price_from",
        "per_period",
    )
)


def _beside_price(offer: str, lang: str) -> bool:
    """Whether an offer may share a headline with the price (free shipping, a deadline)."""
    return not any(c.kind in _PRICE_CHANGING for c in parse_claims(offer, lang))


# Promises that stand alone; a price, a deadline or a code alone promises nothing.
_STANDALONE_CLAIMS = frozenset(CLAIM_KINDS) - {"price", "deadline", "promo_code"}


def offer_forms(
    text: str, lang: str, *, terse: bool = True
) -> tuple[tuple[str, ...], tuple[FactSpan, ...]]:
    """Phrasings of an offer from whole to facts-only, longest first, and its fact spans.

    With ``terse=False`` only phrasings that keep the offer's opening words are made: a
    second offer shown on its own must still read as a sentence ("Gratis · 1 kg" does not).
    """
    text = sanitize(text)
    if not meaningful(text):
        return (), ()
    spans = locate_facts(text, lang)
    raw = [text]
    if spans:
        blocks = _blocks(text, spans[:_MAX_SPANS])
        # Sentences end at a stop followed by a space, so "$19.99" and "2.1 kg" stay whole.
        for m in _SENTENCE.finditer(text):
            if m.start() <= blocks[0][0] and blocks[-1][1] <= m.end():
                raw.append(m.group())
                break
        # Shorter forms keep whole words between the facts: a chain of facts with the words
        # between them dropped ("−20 % · avec le code TERROIR20 · 31 mars") has no verb and
        # reads as a keyword list, so the facts stay joined by a space as written
        # ("20% off this weekend only"), never by a separator.
        # A code keeps the words that tie it to its promise: "Use code SPRING15 15% off" and
        # "NOVA25 ₺2.500 indirim" (without "for", "koduyla") read as a garbled line.
        coded = {
            j
            for j, (a, b) in enumerate(blocks)
            for s in spans
            if s.fact.kind == "code" and a <= s.start < b
        }
        # Nor are two amounts run together: the words between them say how they relate
        # ("499 € statt 599 €", "£49, was £79"), and "499 € 599 €" reads as two prices.
        priced = {
            j
            for j, (a, b) in enumerate(blocks)
            for s in spans
            if s.fact.kind == "money" and a <= s.start < b
        }
        gaps = sorted(
            (
                i
                for i in range(len(blocks) - 1)
                if not {i, i + 1} & coded and not {i, i + 1} <= priced
            ),
            key=lambda i: blocks[i][1] - blocks[i + 1][0],
        )
        sep = " " if uses_spaces(text, lang) else ""
        for ends in (True, False) if terse else (True,):
            dropped: set[int] = set()
            raw.append(_rebuild(text, blocks, dropped, sep, ends))
            for i in gaps[:8]:
                dropped.add(i)
                raw.append(_rebuild(text, blocks, dropped, sep, ends))
        if terse and len(blocks) > 1 and 0 in coded and len(blocks) - 1 not in coded:
            # The promise without the code that opens it ("₺2.500 indirim + kılıf hediye"):
            # the code then goes to another field, where the creative check requires it.
            raw.append(text[blocks[1][0] :])
        if terse:
            # Whole claims side by side ("Save $70 · Black Friday week"): each keeps its own
            # words, so none loses its qualifier ("Spare 250 € · 1 Spiel gratis").
            # A claim inside another (the code in "쿠폰 코드 AURA20 입력 시 20% 할인") is shown
            # with it: listed again beside it, it reads as a second, unrelated line.
            found = parse_claims(text, lang)
            whole_claims = [
                c
                for c in found
                if not any(
                    o is not c and o.start <= c.start and c.end <= o.end and o.text != c.text
                    for o in found
                )
            ]
            if len(whole_claims) > 1:
                raw.append(dot_join([c.text for c in whole_claims], lang))
                # Each promise alone in its own words ("₺2.500 indirim"), for a slot too tight
                # for the rest; a code or a deadline alone promises nothing and is not offered.
                raw.extend(c.text for c in whole_claims if c.kind in _STANDALONE_CLAIMS)
    claims = parse_claims(text, lang)
    forms = [tidy(f, lang) for f in raw]
    forms = forms[:1] + [
        f
        for f in forms[1:]
        if _keeps_claims_whole(f, claims, spans) and not _ends_in_a_count(f, text, spans)
    ]
    whole = forms[0]
    # A rephrasing is only worth having if it is shorter than the offer as written.
    shorter = [f for f in dedupe(forms[1:]) if measure(f) < measure(whole)]
    forms = [whole, *sorted(shorter, key=measure, reverse=True)]
    if terse and len(spans) > 1:
        alone = fact_phrases(text, spans, lang)
        forms += [
            f
            for f in alone
            if _keeps_claims_whole(f, claims, spans) and not _ends_in_a_count(f, text, spans)
        ]
    if len(forms) > _MAX_FORMS:  # keep the whole text and the short end, where limits bite
        forms = forms[:1] + forms[-(_MAX_FORMS - 1) :]
    return tuple(forms), spans


def fact_phrases(
    text: str, spans: Sequence[FactSpan], lang: str, kinds: frozenset[str] | None = None
) -> list[str]:
    """Each fact phrase alone ("Save $70", "Кэшбэк 10%"), the offer's substance first.

    The last resort for a tight slot; the other facts then go to another field. A bare number is
    never offered: "10%" without "cashback" or "off" reads as a different claim. Nor is a promo
    code or a deadline on its own: "NOVA25" or "until 31 March" promises nothing by itself.
    """
    rank = {"percent": 0, "money": 1, "free": 2, "count": 3}
    chosen = [
        s
        for s in spans[:_MAX_SPANS]
        if s.fact.kind in rank and (kinds is None or s.fact.kind in kinds)
    ]
    alone = sorted(chosen, key=lambda s: rank[s.fact.kind])
    return dedupe([tidy(text[s.phrase_start : s.phrase_end], lang) for s in alone])


def tidy(text: str, lang: str) -> str:
    """A phrase cut out of a longer text, without loose ends and starting with a capital.

    A loose end is only dropped when no claim needs it: "セールは日曜日まで" keeps its まで
    (the deadline is "日曜日まで"), "from $25" keeps its "from".
    """
    # A leading minus before a number is the claim's own sign ("-30%"), not a loose dash.
    text = regex.sub(r"^(?:[ ,;:·，、]|[-–—](?![\d\p{Sc}]))+", "", text)
    text = text.rstrip(" ,;:-–—·，、")
    stripped = strip_dangling(text, lang)
    if stripped != text and _claim_texts(text, lang) - _claim_texts(stripped, lang):
        stripped = text
    return capitalize_first(stripped, lang)


@lru_cache(maxsize=4096)
def _claim_texts(text: str, lang: str) -> frozenset[str]:
    return frozenset(c.text for c in parse_claims(text, lang))


def _keeps_claims_whole(form: str, claims: Sequence[Claim], spans: Sequence[FactSpan] = ()) -> bool:
    """Whether every claim whose number or "free" a form shows is shown with its own words.

    "249 ₪" cut out of "מ-249 ₪" is a different price claim; a form that shows the number
    must show the whole phrase (or leave the number out). Likewise "grátis" belongs to what is
    free: "Economize R$ 500 grátis" out of "Economize R$ 500 + mouse grátis" makes the saving
    free, and "Kostenlose" alone out of "30 Tage kostenlose Rücksendung" says nothing.
    """
    folded = form.casefold()
    for c in claims:
        if c.text.casefold() in folded or c.value is None:
            continue
        if shows_number(form, c.value):  # "149,90" is 149.9 too
            return False
    for s in spans:
        word = s.fact.text.casefold()
        if s.fact.kind != "free" or not regex.search(rf"(?<!\p{{L}}){regex.escape(word)}", folded):
            continue
        owners = [c for c in claims if word in c.text.casefold()]
        if owners and not any(c.text.casefold() in folded for c in owners):
            return False
    return True


def _ends_in_a_count(form: str, text: str, spans: Sequence[FactSpan]) -> bool:
    """Whether a form stops at a count that the offer goes on to name: "2 Jahre" out of
    "2 Jahre Garantie" (two years of what?)."""
    end = form.rstrip(" .!").casefold()
    for s in spans:
        if s.fact.kind != "count" or not regex.match(r" \p{L}", text[s.phrase_end :]):
            continue
        if end.endswith(text[s.phrase_start : s.phrase_end].casefold()):
            return True
    return False


def deadline_hooks(text: str, spans: Sequence[FactSpan], lang: str, name: str) -> tuple[str, ...]:
    """The offer turned around to lead with its deadline ("This weekend only: 20% off tents")."""
    deadline = next((s for s in spans if s.fact.kind == "deadline"), None)
    if deadline is None or not meaningful(text[: deadline.phrase_start]):
        return ()
    rest = sanitize(text[: deadline.phrase_start] + " " + text[deadline.phrase_end :])
    rest = strip_dangling(rest.strip(" ,;:-–—·"), lang)
    forms, _ = offer_forms(rest, lang)
    head = capitalize_first(deadline.fact.text, lang) + colon(lang)
    first = rest.split(" ")[0] if rest else ""
    keep = first.casefold() in name.casefold()  # a brand leading the rest keeps its capital
    return tuple(head + (f if keep else decapitalize_first(f, lang)) for f in forms)


# A word that only means something with the word before it: a lone capital ("Vitamina C",
# "Galaxy S", "Nova X") or a Roman numeral ("Série II").
_BOUND_TOKEN = regex.compile(r"(?:\p{Lu}|[IVX]{2,4})\W*")
# A word that starts with a capital, in a name that writes other words in lower case (or in a
# script without capitals): a proper noun, most often the brand ("Seguro de hogar Casa Plus",
# "מכונת קפה Barista Pro").
_CAPITAL_WORD = regex.compile(r"\W*\p{Lu}")
_PLAIN_WORD = regex.compile(r"\W*(?:\p{Ll}|[^\p{Lu}\p{Ll}\p{N}\W])")


def _brand_words(words: Sequence[str]) -> frozenset[int]:
    """Positions of the name's capitalised words after the first, when the name is not all in
    title case (in a title-case name every word looks like a proper noun)."""
    rest = range(1, len(words))
    if not any(_PLAIN_WORD.match(words[i]) for i in rest):
        return frozenset()
    return frozenset(i for i in rest if _CAPITAL_WORD.match(words[i]))


_LATIN_TOKEN = regex.compile(r"[\p{Latin}\p{N}][\p{Latin}\p{N}'’.+&-]*")
_OTHER_SCRIPT = regex.compile(r"[^\P{L}\p{Latin}]")


def latin_brand(words: Sequence[str]) -> str | None:
    """The Latin-script brand that ends a name written in another script ("Barista Pro" of
    "מכונת קפה Barista Pro", "Nova X" of "Игровая консоль Nova X"): what the product is
    called, without the words that say what kind of product it is. None where the name has
    no such ending, or it is one short word ("Pro" alone is nobody's product)."""
    k = len(words)
    while k > 0 and _LATIN_TOKEN.fullmatch(words[k - 1]):
        k -= 1
    brand = words[k:]
    if not brand or not any(_OTHER_SCRIPT.search(w) for w in words[:k]):
        return None
    if not _CAPITAL_WORD.match(brand[0]) or (len(brand) == 1 and len(brand[0]) < 5):
        return None
    return " ".join(brand)


@lru_cache(maxsize=1024)  # asked for on every layout attempt of every size of a brief
def name_forms(name: str, lang: str = "") -> tuple[str, ...]:
    """The product name, then its own first words for tight slots ("Trail 3" of "Trail 3
    Camping Tent", "Barista Mini" of "Barista Mini Espresso Machine").

    A short form keeps at least two words, drops at least two (one dropped word is most often
    the noun of the name: "Dalga Ev" of "Dalga Ev İnterneti"), never a number ("Notebook Orion"
    would be another model than "Notebook Orion 14"), never stops on a preposition ("Seguro de")
    and never takes a word out of the middle ("Barista Mini Machine" is nobody's product), nor
    drops a phrase that starts with a preposition ("BlueJet Flights" of "BlueJet Flights to
    Lisbon" loses where the flights go). It never stops before a letter or numeral that
    belongs to the word before it ("Sérum Vitamina" of "Sérum Vitamina C Aura" is another
    substance), and never drops the brand of a name that marks it with capitals ("Seguro de
    hogar" of "Seguro de hogar Casa Plus" is anybody's insurance). Last, the Latin brand that
    ends a name in another script, alone ("Barista Pro" of "מכונת קפה Barista Pro").
    """
    words = name.split(" ")
    out = [name]
    brand = _brand_words(words)
    for k in range(len(words) - 2, 1, -1):
        short, dropped = " ".join(words[:k]), words[k:]
        if any(ch.isdigit() for w in dropped for ch in w):
            break  # a shorter prefix drops the number too
        if any(i >= k for i in brand):
            break  # a shorter prefix drops the brand too
        if _BOUND_TOKEN.fullmatch(dropped[0]):
            continue
        with_next = f"{short} {dropped[0]}"
        if strip_dangling(with_next, lang) != with_next:
            # The dropped words are a phrase of their own ("to Lisbon", "a Cancún"): the scope
            # of the product, and of any price next to it. "BlueJet Flights: from £49" claims
            # every BlueJet flight from £49 where the brief says "Flights to Lisbon from £49".
            continue
        if strip_dangling(short, lang) == short:
            out.append(short)
    latin = latin_brand(words)
    return tuple(dedupe([*out[:3], *([latin] if latin else [])]))


def overlap_join(name: str, text: str) -> str | None:
    """The name run into a text that opens with the name's own last words, each word said
    once: "BlueJet Flights to Lisbon" and "Flights to Lisbon from £49" make "BlueJet Flights to
    Lisbon from £49", not "BlueJet Flights to Lisbon: flights to Lisbon from £49". The text's
    words stay together, so a scoped "from" price keeps its scope. None when the text does not
    open with the name's last words: at least two of them (one word is too often another
    word that looks the same: "Leve 3, pague 2" after "Tênis Passo Leve" is a buy-3-pay-2,
    not a model "Leve 3") unless it is the whole name, and one of at least three letters, so
    "a" or "de" never count. A text in capitals stays in capitals; the name's own words are
    left for the capitals style to set."""
    words = name.split(" ")
    folded = text.casefold()
    for j in range(len(words), 0, -1):
        if j < 2 and j < len(words):
            break
        tail = words[-j:]
        said = " ".join(tail).casefold()
        if not folded.startswith(said) or not any(len(w) >= 3 for w in tail):
            continue
        rest = text[len(said) :]
        if rest and not rest[0].isspace():
            continue  # "Flights" of "Flightsaver" is another word
        if text[: len(said)].isupper():
            return " ".join([*words[:-j], text])
        return name + rest
    return None


# Claims that qualify a deal rather than make one: an offer of only these ("Sale ends Sunday",
# "Code NOVA25") does not lead the ad when another offer carries the deal itself.
_QUALIFYING_KINDS = frozenset({"deadline", "promo_code"})


def lead_offer(offer: str, extras: Sequence[str], lang: str) -> tuple[str, tuple[str, ...]]:
    """The brief's offers with the deal first.

    A brief may list "セールは日曜日まで" before "2点目半額": leading with the deadline put the
    actual discount in the fine print. The first offer that makes a deal leads instead, and the
    qualifying one follows as the next offer, so every claim is still shown and only the order
    changes. An offer without recognised claims ("New collection") keeps its place: that lead
    is the marketer's choice, not a qualifier.
    """

    def kinds(text: str) -> set[str]:
        return {c.kind for c in parse_claims(text, lang)}

    first = kinds(offer)
    if not first or not first <= _QUALIFYING_KINDS:
        return offer, tuple(extras)
    for i, extra in enumerate(extras):
        if kinds(extra) - _QUALIFYING_KINDS:
            return extra, (offer, *extras[:i], *extras[i + 1 :])
    return offer, tuple(extras)


def with_separate_code(offer: str, extras: Sequence[str], lang: str) -> str:
    """The lead deal with the promo code that an offer line of its own gives it
    ("满299减50" + "输入优惠码 AURA50" -> "满299减50｜优惠码 AURA50"): shown without its code
    a deal reads as one for everyone, so where no terms line can carry the code the checks
    would otherwise keep the deal off the size."""
    claims = claims_of(brief_texts(offer, extras, ()), lang)
    lead = [c for c in claims if c.source == "offer"]
    if any(c.kind == "promo_code" for c in lead):
        return offer  # the code is already in the offer's own words
    code = next((k for c in lead if (k := required_code(c, claims)) is not None), None)
    return offer if code is None else dot_join([offer, code.text], lang)


def gather(brief: Brief) -> Material:
    """Clean the brief once and derive every phrasing the angles draw on. A recurring price
    written bare in the brief's words gets its period there ("ab 9,99 €" → "ab 9,99
    €/Monat"), as the price pill writes it."""
    brief = with_price_period(brief)
    lang = brief.language
    name = sanitize(brief.product_name)
    # Each offer is shown as a phrase of its own: one that reads as a fragment alone is said
    # as it stands alone ("…başlayan fiyatlarla" is "…başlayan fiyatlar").
    offer, extra_offers = lead_offer(
        standalone_phrase(sanitize(brief.offer), lang),
        [standalone_phrase(o, lang) for o in brief.extra_offers],
        lang,
    )
    forms, spans = offer_forms(offer, lang)
    coded = with_separate_code(offer, extra_offers, lang)
    if coded != offer:
        # Last resort for a size with no terms line, where the deal may only be shown with
        # its code: the deal and the code as one phrase.
        forms = (*forms, coded)
    desc = sanitize(brief.description)
    check = context_for_brief(
        brief.model_copy(
            update={
                "product_name": name,
                "description": desc,
                "offer": sanitize(brief.offer),
                "extra_offers": tuple(sanitize(o) for o in brief.extra_offers),
                "selling_points": tuple(sanitize(p) for p in brief.selling_points),
            }
        )
    )
    # A point that states a maximum of the description without its "up to" gets it back, one
    # the description gives only under a condition gets that condition, and one whose number
    # the description qualifies otherwise ("on average", "in most districts") becomes the
    # description's own words, or is left out.
    caps, conditions = dict(check.capped), dict(check.conditional)
    qualified = dict(check.qualified)
    points = tuple(
        dedupe(
            [
                with_qualifiers(
                    with_condition(
                        with_caps(
                            strip_dangling(unstarred(sanitize(p)).rstrip(".。!！"), lang),
                            caps,
                            lang,
                        ),
                        conditions,
                        lang,
                    ),
                    qualified,
                    lang,
                )
                for p in brief.selling_points
            ]
        )
    )
    split = _SENTENCE_END.split(desc)
    sentences = [s.strip() for s in split if meaningful(s)]
    extras: list[tuple[str, ...]] = []
    extra_short: list[tuple[str, ...]] = []
    for extra in extra_offers:
        forms_e, spans_e = offer_forms(extra, lang, terse=False)
        if forms_e:
            extras.append(forms_e)
            # A second offer cut to its headline fact; the full wording goes to the terms line.
            # Only phrases that are an offer on their own ("50% de descuento", "Бесплатная
            # доставка"): "From $25" or "Gratis" alone would promise something else.
            clean = sanitize(extra)
            strong = [
                s
                for s in spans_e
                if s.discount
                or (s.fact.kind == "free" and (" " in s.fact.text or not uses_spaces(clean, lang)))
            ]
            short = fact_phrases(clean, strong, lang)
            extra_short.append(tuple(p for p in short if p not in forms_e))
    return Material(
        lang=lang,
        names=name_forms(name, lang) if name else (),
        brand=sanitize(brief.brand.name or ""),
        facts=tuple(s.fact for s in spans),
        spans=spans,
        offer_text=offer,
        offer_forms=forms,
        hooks=deadline_hooks(offer, spans, lang, name) if forms else (),
        points=tuple(p for p in points if p),
        sentences=tuple(sentences[:3]),
        extras=tuple(extras),
        extra_short=tuple(extra_short),
        price=format_price(brief.price, lang) if brief.price else "",
        term=term_text(brief.price, lang) if brief.price else "",
        cta=sanitize(brief.cta or ""),
        intent=cta_intent(brief.category, f"{name} {desc}"),
        banned=tuple(w.casefold() for w in brief.brand.banned_words if w.strip()),
        cta_lang=chinese_tag(f"{name} {desc} {brief.offer}") if lang == "zh" else lang,
        check=check,
        claims=claims_of(
            brief_texts(
                sanitize(brief.offer),
                [sanitize(o) for o in brief.extra_offers],
                [sanitize(p) for p in brief.selling_points],
            ),
            lang,
            brief.price.currency if brief.price else None,
        ),
    )


_TOKEN = regex.compile(r"[\p{L}\p{N}]+")
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")


@lru_cache(maxsize=8192)
def _content(text: str) -> frozenset[str]:
    """What a sentence is about: its numbers and longer words (character pairs where words are
    not spaced), so "и", "for" or "の" never make two sentences look alike."""
    if _UNSPACED.search(text):
        runs = _TOKEN.findall(text)
        return frozenset(r[i : i + 2] for r in runs for i in range(max(1, len(r) - 1)))
    return frozenset(w.casefold() for w in _TOKEN.findall(text) if len(w) >= 3 or w[0].isdigit())


def restates(first: str, second: str) -> bool:
    """Whether the second text mostly says again what a sentence of the first said ("Более
    2000 ресторанов и кафе." then "Курьер на карте, 2000+ ресторанов."): read twice."""
    b = _content(second)
    for sentence in _SENTENCE_END.split(first):
        a = _content(sentence)
        if a and b and len(a & b) * 2 >= min(len(a), len(b)):
            return True
    return False


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Words that state no fact of their own (negations, articles, particles), per language: "Taahhüt
# yok" says what "taahhütsüz kullanım" says, "कोई लॉक-इन नहीं" what "बिना किसी लॉक-इन के" says,
# "No lock-in" what "without any lock-in" says. Only the fact words are compared.
_FILLER: dict[str, frozenset[str]] = {
    "en": _words("a an the and or no not without with for of to in on at any every all"),
    "tr": _words("ve ile yok var için bir her da de hiç"),
    "hi": _words("कोई नहीं बिना किसी के की का से तक में और है हैं पर को भी ही"),
    "de": _words("ein eine der die das und oder kein keine keinen ohne mit für von zu im"),
    "es": _words("un una el la los las y o sin con para de del en ningún ninguna"),
    "pt": _words("um uma o a os as e ou sem com para de do da em nenhum nenhuma"),
    "fr": _words("un une le la les et ou sans avec pour de du des en aucun aucune"),
    "ru": _words("и или без с для на в не нет"),
}
# Words with marks (Devanagari vowel signs) and joined by a hyphen or apostrophe ("लॉक-इन",
# "Mbps'ye") are one word each.
_FACT_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*")
# A word that opens another of at least this many letters is its stem ("taahhüt" of
# "taahhütsüz"); shorter ones ("day" of "daily", "hız" of "hızlı") are too often other words.
_STEM = 5
_TERMINAL_MARKS = STOPS_BEFORE_SPACE + STOPS_ANYWHERE


def _fact_words(text: str, lang: str) -> list[str]:
    filler = _FILLER.get(lang.split("-")[0].lower(), frozenset())
    return [w for w in (x.casefold() for x in _FACT_WORD.findall(text)) if w not in filler]


def _word_said(word: str, said: Sequence[str]) -> bool:
    return any(
        word == s
        or (min(len(word), len(s)) >= _STEM and (s.startswith(word) or word.startswith(s)))
        for s in said
    )


def said_before(piece: str, before: str, lang: str) -> bool:
    """Whether every fact of ``piece`` is already in ``before``: each of its fact words, or a
    word of the same stem, is there ("Taahhüt yok" after "taahhütsüz kullanım"), and the same
    number with the same unit ("300 Mbps" after "300 Mbps तक की स्पीड"). Where words are not
    spaced, the piece itself must be there ("2亿像素" in "2亿像素主摄"). A piece with one new
    fact word is a new fact: "Free returns" after "Free shipping" is kept."""
    core = piece.strip().rstrip(_TERMINAL_MARKS + ",，、").strip()
    if not core or not before.strip():
        return False
    if not uses_spaces(core, lang):
        return len(core) >= 3 and core.casefold() in before.casefold()
    words = _fact_words(core, lang)
    said = _fact_words(before, lang)
    return bool(words) and all(_word_said(w, said) for w in words)


def said_once(text: str, m: Material) -> str:
    """``text`` without the sentences, and the listed selling points, that an earlier sentence
    of it already states in other words: "…बिना किसी लॉक-इन के। सिर्फ़ ₹499/माह से शुरू।" without
    "कोई लॉक-इन नहीं।" after it; "5000mAh电池，2亿像素。" after "2亿像素主摄" keeps "5000mAh电池。".
    A text that would lose a key fact this way is kept as it is."""
    return _said_once(text, m.lang, m.points, m.facts)


@lru_cache(maxsize=8192)
def _said_once(text: str, lang: str, points: tuple[str, ...], facts: tuple[KeyFact, ...]) -> str:
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    if len(sentences) < 2:
        return text
    listed = {p.casefold() for p in points}
    sep = list_points(["", ""], lang)  # the language's list separator ("、", "， ", ", ")
    kept: list[str] = []
    for sentence in sentences:
        before = " ".join(kept)
        body = sentence.rstrip(_TERMINAL_MARKS)
        end = sentence[len(body) :]
        items = body.split(sep.strip()) if sep.strip() in body else [body]
        items = [i.strip() for i in items]
        if len(items) > 1 and all(i.casefold() in listed for i in items):
            # A list of selling points: each point said already goes, the others stay.
            new = [i for i in items if not said_before(i, before, lang)]
            if new:
                joined = capitalize_first(list_points(_listed(new, lang), lang), lang)
                kept.append(joined + end)
        elif not said_before(sentence, before, lang):
            kept.append(sentence)
    out = sentence_sep(lang).join(kept)
    if any(fact_present(f, text) and not fact_present(f, out) for f in facts):
        return text
    return out


@lru_cache(maxsize=4096)
def _size(text: str) -> int:
    return measure(text)


# A check mark on a selling point ("Testado dermatologicamente ✓", "☑ Vegan") ticks an item of
# a list: a list of points (the dotted line, a headline of points) may keep it, but in a
# sentence it is a stray symbol ("Vegano, testado dermatologicamente ✓.") and is left out.
_TICK = regex.compile(r"^[✓✔☑✅][\uFE0E\uFE0F]*\s*|\s*[✓✔☑✅][\uFE0E\uFE0F]*$")


# Stars that open or close a selling point ("kahvaltı dahil ★★★★", "إفطار مجاني ★") read, beside
# a product, as a rating or a hotel class the brief does not state (in Turkey a hotel's stars
# are the ministry's); a star that goes with a number ("★ 4.8 from 12,000 runners") is the
# rating the brief gives, and stays.
_STAR = "★☆⭐✩✪✫✬✭✮✯"
_LEADING_STARS = regex.compile(rf"^[{_STAR}][{_STAR}\uFE0E\uFE0F\s]*(?![\s{_STAR}]*\d)")
_TRAILING_STARS = regex.compile(rf"(?<!\d\s?)\s*[{_STAR}][{_STAR}\uFE0E\uFE0F\s]*$")


def unstarred(point: str) -> str:
    """A selling point without the stars that open or close it, unless a number goes with
    them; the point as it is when nothing else is left."""
    out = _TRAILING_STARS.sub("", _LEADING_STARS.sub("", point)).strip()
    return out or point


def unticked(point: str) -> str:
    """A selling point as said in a sentence: without the check mark that lists it."""
    return _TICK.sub("", point).strip() or point


def _listed(points: Sequence[str], lang: str) -> list[str]:
    """Points as items of one list: capitals only where the language keeps them mid-sentence."""
    return [points[0], *(decapitalize_first(p, lang) for p in points[1:])] if points else []


def benefit_lines(points: Sequence[str], lang: str, most: int | None = None) -> list[str]:
    """Selling points as a sentence, most points first; the dotted list as the tighter form.

    ``most`` caps how many points one line lists: on an image a body of two points reads, and
    the other points are left to other variants.
    """
    out: list[str] = []
    top = len(points) if most is None else min(most, len(points))
    said = [unticked(p) for p in points]
    for k in range(top, 0, -1):
        items = _listed(said[:k], lang)
        out.append(end_sentence(capitalize_first(list_points(items, lang), lang), lang))
        if k >= 2:
            out.append(capitalize_first(dot_join(_listed(points[:k], lang), lang), lang))
    # Then each later point alone: a short slot after a long offer still gets a benefit.
    out += [end_sentence(capitalize_first(p, lang), lang) for p in said[1:]]
    return dedupe(out)


@dataclass(frozen=True)
class Options:
    """Candidates for each role under one angle: the angle's own, then generic fallbacks."""

    headline: list[str]
    headline_fallback: list[str]
    body: list[str]
    body_fallback: list[str]
    text: list[str]
    long: list[str]


def _rotate(items: Sequence[str], turn: int) -> list[str]:
    if not items:
        return []
    t = turn % len(items)
    return [*items[t:], *items[:t]]


def angle_options(
    m: Material, angle: Angle, k: int, *, budget: int = 10**6, turn: int = 0
) -> Options:
    """Candidate texts per role for one angle; ``k`` picks the selling point or extra offer.

    Lists are in order of preference, roughly longest first; pairs longer than ``budget``
    (the widest field) are not built. ``turn`` rotates the supporting selling points and
    description sentences, so each variant's body leans on different facts.
    """
    lang, sep = m.lang, sentence_sep(m.lang)
    offer_s = [end_sentence(f, lang) for f in m.offer_forms]
    points = _rotate(m.points, turn)
    benefits = benefit_lines(points, lang, most=2)
    desc = _rotate(m.sentences, turn)

    def after(a: Sequence[str], b: Sequence[str]) -> list[str]:
        # Pairs longer than the widest field cannot be chosen: skip building them.
        room = budget + 1
        return [
            x + sep + y
            for x in a
            if _size(x) < room
            for y in b
            if _size(x) + _size(y) <= room and not restates(x, y)
        ]

    def named(items: Sequence[str]) -> list[str]:
        out = []
        for n in m.names:
            for i in items:
                if (joined := overlap_join(n, i)) is not None:
                    out.append(joined)
                    continue
                # "Name: Nur diese Woche: 25%" stumbles; a dash reads as the second pause.
                sep = colon(lang) if "：" not in i and ":" not in i else " — "
                out.append(f"{n}{sep}{decapitalize_first(i, lang)}")
        return out

    def offer_then(items: Sequence[str]) -> list[str]:
        # The offer as written, alone, beats a shortened offer with a benefit added.
        whole, short = offer_s[:1], offer_s[1:]
        return after(whole, items) + whole + after(short, items) + short

    tail = after(desc[:1], benefits[:1]) + desc + benefits
    others = benefits
    # Platform text has room for the second offer too (on the image it is the terms line).
    both = after(offer_s[:1], [end_sentence(e[0], lang) for e in m.extras[:1]])
    generic_text = (
        after(both, tail) + both + offer_then(tail) + list(m.offer_forms) + benefits + desc
    )
    offer_body = offer_then(benefits + desc)
    headline: list[str]
    body = offer_body + benefits + desc
    lead: list[str] = []  # what product-led platform text opens with, before the offer
    text_first: list[str] = []
    # An offer that opens with the product's own words names the product when run into its
    # name: the layout then has no name to add before it ("BlueJet Flights to Lisbon: flights
    # to Lisbon from £49").
    run_in = [j for f in m.offer_forms[:1] for n in m.names[:1] if (j := overlap_join(n, f))]
    if angle == "offer":
        headline, body = run_in + list(m.offer_forms), benefits + desc
    elif angle == "product":
        headline = list(m.names[k:]) + named(m.offer_forms)
        lead = desc[:1] or benefits[:1]
        # Under the product's name, say what it is first, then the deal.
        body = after(desc[:1], offer_s) + after(benefits[:1], offer_s) + body
    elif angle == "benefit":
        point = m.points[k % len(m.points)]
        others = benefit_lines([p for p in points if p != point], lang, most=2)
        headline = [capitalize_first(point, lang)] + [
            dot_join([f, decapitalize_first(point, lang)], lang) for f in m.offer_forms
        ]
        body = offer_then(others + desc) + others + desc
        lead = [end_sentence(capitalize_first(unticked(point), lang), lang)]
    elif angle == "urgency":
        headline = list(m.hooks)
        body = named(
            [
                list_points(_listed([unticked(p) for p in points[:j]], lang), lang)
                for j in range(min(2, len(points)), 0, -1)
            ]
        )
        body = [end_sentence(b, lang) for b in body] + benefits + desc
        hooks_s = [end_sentence(h, lang) for h in m.hooks]
        text_first = after(hooks_s, tail) + hooks_s
    elif angle == "features":
        pair = list(m.points[k : k + 2])
        pair = _listed(pair, lang)
        headline = [
            capitalize_first(dot_join(pair, lang), lang),
            capitalize_first(list_points(pair, lang), lang),
        ]
        body = offer_then(desc) + desc
        said = _listed([unticked(p) for p in m.points[k : k + 2]], lang)
        lead = [end_sentence(capitalize_first(list_points(said, lang), lang), lang)]
    elif angle == "price":
        # The price as it is: "from $189" would promise dearer versions the brief never made.
        headline = [dot_join([n, m.price], lang) for n in m.names]
        headline += [dot_join([f, m.price], lang) for f in m.offer_forms if _beside_price(f, lang)]
        lead = [end_sentence(h, lang) for h in headline[: len(m.names)]]
        body = after(benefits, offer_s) + after(desc[:1], offer_s) + body
    else:  # extra
        headline = list(m.extras[k % len(m.extras)] + m.extra_short[k % len(m.extras)])
        text_first = after(offer_s, [end_sentence(e, lang) for e in headline])
    if lead:
        unsaid = [d for d in desc if d not in lead]
        rest = after(unsaid[:1], others[:1]) + unsaid + others
        text_first = after(after(lead, offer_s), rest) + after(lead, offer_s)
    text = text_first + generic_text + list(m.names)
    joiner = " — " if uses_spaces(" ".join(m.offer_forms[:1]), lang) else "｜"
    # "Flights to Lisbon from £49 — BlueJet Flights to Lisbon" says the name's words twice:
    # such an offer is run into the name instead.
    long = [
        overlap_join(m.names[0], f) or f"{f}{joiner}{m.names[0]}" for f in m.offer_forms if m.names
    ]
    long = named(m.offer_forms) + long if angle in _PRODUCT_LED else long + named(m.offer_forms)
    return Options(
        headline=dedupe(headline),
        headline_fallback=run_in + list(m.offer_forms) + list(m.names),
        body=dedupe(body),
        body_fallback=offer_body + list(m.names),
        text=dedupe(text),
        long=dedupe(long + headline + list(m.offer_forms) + list(m.names)),
    )


def sound(text: str, m: Material, field: str = "text", *, alone: bool = False) -> bool:
    """Whether the publishability check accepts ``text`` as shown on its own: every claim
    whole and true to the brief, no word cut, no phrase ending mid-way. ``alone``: no terms
    line will stand beside it, so a claim that needs a promo code must carry the code."""
    if m.check is None:
        return True
    if alone and code_faults({field: text}, m.check):
        return False
    return not _faults(text, m.check, field)


@lru_cache(maxsize=8192)
def _faults(text: str, ctx: ClaimContext, field: str) -> bool:
    return bool(
        text_faults(text, ctx, field=field)
        or cut_faults(text, ctx, field=field)
        # A recurring price bare or per another period ("$35 a year" beside "$35/mo").
        or recurring_faults(text, ctx, field=field)
    )
