"""Line breaking: where text may break, kinsoku for CJK, and greedy filling of lines.

Text is cut into atoms, pieces that never break inside: words of space-separated scripts, and
phrases of Chinese and Japanese (found by BudouX, with the punctuation kinsoku glues to them).
UAX #14 breaks at spaces, and these language rules join what must stay together:

* a number and its unit, currency or month ("12,50 €/mes", "250 €", "15 января", "$ 20",
  "1 000", "250円"); a model number and its name ("Pulse 2"); a count and what it counts
  ("3 rides", "5 hours");
* a separator (· | — • /) and the word before it, so no line starts with one (in Chinese and
  Japanese too: "｜阿里山春茶" never starts a line); a list separator that ends a line stays
  drawn there: without it two claims read as one phrase ("%20 İNDİRİM | DAHİLİ ÖĞÜTÜCÜ" reads
  "20% discount included");
* in Slavic languages, a one-letter preposition or conjunction and the word after it
  (в, к, с, у, о, и, а; w, z, i, o, u), and short prepositions (на, от, без, для, при…), so
  none hangs at a line end;
* the name of a sales event or holiday ("Black Friday", "Día de la Madre", "Чёрная
  пятница");
* a discount and its amount ("50% off", "Save $70", "Скидка 15%", "25% Rabatt"): a claim read
  across a line break ("rides 30% | off") reads as two facts;
* the middle dot of a name ("ハリー・ポッター", "哈利·波特") and the characters beside it;
* a Chinese or Japanese price with its period word and "from" ("月額980円から", "每月99元起"),
  and a Korean count word with what it counts ("두 번째");
* Chinese and Japanese never end on a one-character last line when a character can move down,
  Korean never on a one-syllable one; other scripts never end on a one-word last line when the
  word before it can move down ("…and get $50 | back" becomes "…and get | $50 back").

The rules choose where lines break. A glued group wider than the line gives no wrap, so the
layout shortens the copy or leaves the field out rather than draw "250 | €".

Long words of languages that hyphenate (German, Russian, Polish, …) may be hyphenated with
pyphen when nothing else fits; callers set how long a word must be (display headlines hyphenate
only long compounds: "HEAD-/PHONES" is a designer's reject). The greedy filler works on atom
widths measured elsewhere, so it never touches a font itself.
"""

from __future__ import annotations

import importlib
import itertools
import logging
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import budoux
import pyphen  # type: ignore[import-untyped]
import regex

from adcraft.layout import bidi

# raqm rounds each glyph position to 1/64 px, so a line measured at one size and scaled to
# another can be off by up to this much per character; fitting keeps that much slack.
SLACK_PER_CHAR = 1 / 64

# A line may break at these; NBSP and its narrow/figure cousins are deliberately not here.
BREAKING_SPACE = regex.compile(r"[^\S\u00A0\u2007\u202F]+")
# Scripts written without spaces: any two of these characters may be split across lines.
_CHAR_BREAK = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303F\u30FB\u30FC\u3200-\u33FF"
    r"\uFF01-\uFF60\uFFE0-\uFFE6]"
)
# Words in these scripts are never split: a smaller size is better than a broken word.
_NO_SPLIT = regex.compile(r"[\p{Latin}\p{Greek}\p{Cyrillic}\p{Arabic}\p{Hebrew}\p{Nd}]")
_HANGUL = regex.compile(r"\p{Hangul}")
# A katakana word (with its prolonged sound marks) is one word: never broken inside.
_KATAKANA = regex.compile(r"[\p{Katakana}\u30FC\uFF70]")
# Kinsoku: characters that may not start a line, and ones that may not end it.
_NO_START = frozenset(
    "、。，．・：；？！゛゜ヽヾゝゞ々〻’”）〕］｝〉》」』】〙〗〟｠»)]},.:;!?%‰°℃…‥،؛؟ーｰ"
)
_NO_START_JA = frozenset(
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿーｰ〜～"
)
_NO_END = frozenset("（〔［｛〈《「『【〘〖〝｟«‘“([{￥＄￡＃")


# -- language rules ------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a word list written as a block of text."""
    return text.split()


_NUMBER_END = regex.compile(r"\d[\d.,]*$")
_NUMBER_START = regex.compile(r"^[(\[]?[+\-\u2212]?\d")
_CURRENCY_ONLY = regex.compile(r"^(?:\p{Sc}|[A-Z]{1,3}\p{Sc}|\p{Sc}[A-Z]{0,3})$")
_THOUSANDS = regex.compile(r"^\d{3}(?:[.,]\d+)?(?:\p{Sc}|%)?[.,;:!?)]?$")
_UNIT_START = regex.compile(r"^(?:\p{Sc}|%|‰|°|×|x\d|\d*/)")
# Units and short number words that read as one with the number before them.
_UNITS = frozenset(
    _words(
        """
        kg g mg t lb lbs oz km m cm mm mi ft in l ml cl dl gb mb tb kb gbit mbit kw w v wh kwh
        mah h min s ms sec hrs hr mes mo yr st stk pcs pc pz ud uds шт кг г мг км м см мм л мл
        гб мб ч мин сек дн дней дня день мес лет год года руб р тыс млн млрд грн zł zl kč kc
        lei tl x pack пак mbps gbps mbit kbit hz khz mhz ghz mp mpx px fps ps std godz szt ks
        ft kr лв сум тг ₸ lira ريال ر.س ر.ق د.إ د.ك درهم دينار جنيه ج.م ليرة دولار يورو
        ש"ח ש״ח שח שקל שקלים יורו דולר
        mpix ah inch inches zoll мп мпикс мпкс мач ма·ч маг ма·год тб кб гбайт мбайт тбайт
        гбит мбит кбит гц кгц мгц ггц вт квт втч квтч вт·ч квт·ч дюйм дюйма дюймов
        """
    )
)
# ISO currency codes written after (or before) an amount: "250 EUR", "USD 20". Upper case only:
# "try", "pen" and "cad" are words too.
_CURRENCY_CODES = frozenset(
    _words(
        """
        EUR USD GBP CHF PLN CZK HUF RON BGN RUB UAH BYN KZT TRY TL ILS NIS SAR AED QAR KWD BHD
        OMR EGP MAD JOD JPY CNY RMB KRW HKD TWD SGD INR BRL MXN ARS CLP COP PEN CAD AUD NZD SEK
        NOK DKK ISK ZAR RSD
        """
    )
)
# A unit or currency may carry a suffix: "zł/mies.", "TL'den" (Turkish case ending).
_UNIT_SUFFIX = regex.compile(r"['’/].*$")
_MONTHS = frozenset(
    _words(
        """
        january february march april may june july august september october november december
        jan feb mar apr jun jul aug sep sept oct nov dec
        января февраля марта апреля мая июня июля августа сентября октября ноября декабря
        янв фев мар апр июн июл авг сен сент окт ноя дек
        januar februar märz april mai juni juli august september oktober november dezember
        enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
        janvier février mars avril mai juin juillet août septembre octobre novembre décembre
        janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
        stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października
        listopada grudnia ledna února března dubna května června července srpna září října
        listopadu prosince січня лютого березня квітня травня червня липня серпня вересня
        жовтня листопада грудня ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim
        kasım aralık gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
        """
    )
)
# Counters and currency written after a number in Chinese and Japanese.
_CJK_UNITS = frozenset("円元角分个個件点點枚本台杯日月年時分秒週周回倍折割%％名人歳岁号號階层層")
# Chinese words that make a claim of the amount after them ("立减200元", "最高补贴300元").
_ZH_AMOUNT_WORDS = tuple(_words("立减 立減 直降 补贴 補貼 省 减 減 低至 仅 僅 最高"))
# "現折NT$3,000" (instant discount): "現折 | NT$3,000" starts a line with what reads as a
# second price beside the product's own.
_ZH_AMOUNT_WORDS += tuple(_words("现折 現折 折抵 现省 現省"))
# Chinese and Japanese words of a price's period or tax written before the amount ("月額980円",
# "月費NT$699", "每月99元", "税込1,980円"): "月額 | 980円から" reads as two things.
_CJK_PRICE_WORDS = tuple(
    _words("月額 年額 月々 毎月 税込 税抜 月费 月費 每月 年费 年費 每年 每人 只要 只需 仅需 僅需")
)
_CJK_AMOUNT_WORDS = _ZH_AMOUNT_WORDS + _CJK_PRICE_WORDS
# How an amount starts after such a word: a digit, or a currency symbol or code before it
# ("NT$699", "¥ 99", "RMB99"). The glue of atoms and the price pattern below share it.
_CJK_AMOUNT_START = r"(?:[A-Z]{0,3}\p{Sc}\s?|[A-Z]{2,3}\s?)?\d"
_CJK_AMOUNT = regex.compile("^" + _CJK_AMOUNT_START)
# "from" after a price: "99元起", "980円から".
# "off" after an amount: "2,500円引き" is one unit, never "2,500円引 | き" or "2,500円 | 引き".
_CJK_OFF_AFTER = ("引き", "引")
_CJK_FROM_AFTER = ("起", "から", "より", *_CJK_OFF_AFTER)
# A price of Chinese or Japanese copy, with the words around it that a break never separates.
_CJK_PRICE = regex.compile(
    r"(?<![\p{Latin}\d\p{M}\uFE0F\u20E3])(?:"
    + "|".join(_CJK_AMOUNT_WORDS)
    + r")?"
    + _CJK_AMOUNT_START
    + r"[\d,.]*(?:[万萬千]?[円元圓块塊])?(?:"
    + "|".join(_CJK_FROM_AFTER)
    + r")?(?![\p{Latin}\d\p{M}\uFE0F\u20E3])"  # never part of a keycap ("1️⃣") or a word
)
_PRICE_END = regex.compile(r"\d[円元圓块塊]?$")
# Korean words that count the word after them ("두 번째", "첫 구매", "세 켤레"): never at a
# line end.
_KO_COUNT_WORDS = frozenset(_words("한 두 세 네 다섯 여섯 일곱 여덟 아홉 열 첫 몇 매"))
_SEPARATORS = frozenset("·•|—–/・｜‧∙")
# Nouns that a number counts, in the languages adcraft writes; capitalised ("3 Nächte") or in
# upper-case copy ("3 GECE KAL") they still stay with their number.
_COUNT_NOUNS = frozenset(
    _words(
        """
        day days night nights week weeks month months year years hour hours minute minutes
        item items piece pieces product products person people ticket tickets class classes
        tag tage tagen nacht nächte woche wochen monat monate monaten jahr jahre jahren stunde
        stunden minuten stück artikel
        jour jours nuit nuits semaine semaines mois an ans heure heures minutes articles
        día días noche noches semana semanas mes meses año años hora horas minutos artículos
        giorno giorni notte notti settimana settimane mese mesi anno anni ora ore minuti
        dia dias noite noites semana semanas mês ano anos
        dzień dni noc nocy noce tydzień tygodnie tygodni miesiąc miesiące miesięcy rok lata lat
        godzina godziny godzin minut sztuki sztuk
        день дня дней ночь ночи ночей неделя недели недель месяц месяца месяцев год года лет
        час часа часов минут штуки штук
        днів дні ночі тиждень тижні тижнів місяць місяці місяців рік роки років годин хвилин
        gece gün hafta ay yıl saat dakika adet kişi
        """
    )
)
# Capitalised nouns: a count before any capitalised word is a count of it (German "2 Jahre").
_NOUN_CAPS = frozenset({"de", "lb"})
# Letters of scripts without case: a number before such a word counts it ("3 ليالٍ", "3 개월").
_CASELESS_WORD = regex.compile(r"^[\p{Arabic}\p{Hebrew}\p{Hangul}]")
# A model number or letter after its name: "Pulse 2", "iPhone 15", "Galaxy S24", "Model X".
_MODEL = regex.compile(
    r"^(?:\d{1,4}(?:[.,]\d{1,2})?|\p{Lu}{1,2}\d{1,4}\p{L}{0,2}\+?|\d{1,4}\p{Lu}{1,2}|\p{Lu})$"
)
# One-letter words that read as words, not model letters ("BUY A GIFT", "Y MÁS").
_NOT_MODEL = frozenset("AEIOUYÀÉÈÓ")
# Words that qualify the price after them ("from 249 €", "ab 19 €", "всего 990 ₽", "من 99"):
# never a line end before the price.
_PRICE_BEFORE = frozenset(
    _words(
        """
        from only just now starting at under was for
        ab nur für jetzt statt schon bereits je
        dès à de seulement pour partir
        desde solo sólo por a ahora
        da soltanto per partire ora
        apenas só agora
        od tylko już za
        от всего только лишь за від всього лише тільки
        sadece yalnızca yalnız
        من فقط ب بسعر ابتداء ابتداءً بدءا بدءًا
        החל מ רק ב במחיר
        """
    )
)
# Words that always stay with the word after them ("החל מ-249 ₪", "à partir de 9 €").
_GLUE_NEXT = frozenset(_words("החל ابتداء ابتداءً بدءا بدءًا starting partir partire"))
# Words that qualify the price before them ("100 TL'den itibaren", "99 ريال فقط").
_PRICE_AFTER = frozenset(_words("itibaren فقط only"))
# Deal phrases of numbers ("3 по цене 2", "2 for 1", "buy 2 get 1", "3 gece kal, 2 gece öde")
# are one unit: no line ends with the count that starts one or starts with the one that ends it.
_DEAL_VERBS = """
    buy get kup leve compra compre prendi achetez achète nimm kauf kaufe купи купите купіть
    اشتر اشترِ اشتري קנה קני al lleva llévate llevate paga pague
"""
_DEAL_LINKS = """
    for für pour por per al au zum zu za по за w в у le la el il lo prix precio prezzo preço
    preco cenie cenę цене цену ціною ціні price the of von de di do get pay pague paga pagas
    paghi payez zahle zahl zapłać zaplac öde ode kal gece y e and und et ve i и і та bei cena
    получи получите отримай llévate llevate lleva leve prendi achetez kup buy compra compre
    nimm kauf kaufe купи купите купіть en in على واحصل بسعر ب في و قطع قطعة קבל ב במחיר ו
"""
# A verb of paying that ends a deal after its last count ("3 gece kal, 2 gece öde": "2 gece |
# öde" leaves "pay" alone on a line, and "stay 3 nights, 2 nights" says nothing).
_DEAL_PAY = """
    öde ödeyin ode pay paga pague pagas paghi payez zahle zahl zapłać zaplac плати платите
    заплати заплатите платіть заплатіть
"""
_DEAL = regex.compile(
    r"(?<![\p{L}\p{N}])(?:(?:"
    + "|".join(sorted(map(regex.escape, _words(_DEAL_VERBS)), key=len, reverse=True))
    + r") )?\d+,?(?: ?[+×x] ?\d+|(?: (?:"
    + "|".join(sorted(map(regex.escape, _words(_DEAL_LINKS)), key=len, reverse=True))
    + r"),?){1,4} \d+)(?:(?: (?:"
    + "|".join(sorted(map(regex.escape, _COUNT_NOUNS), key=len, reverse=True))
    + r"))? (?:"
    + "|".join(sorted(map(regex.escape, _words(_DEAL_PAY)), key=len, reverse=True))
    + r"))?(?![\p{L}\p{N}])",
    regex.IGNORECASE,
)
_DIGIT = regex.compile(r"\d")
_SLAVIC = frozenset({"ru", "uk", "be", "bg", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "mk"})
_HANGING = frozenset("вксуоиаяжзіїйўВКСУОИАЯЖЗІЇЙЎwzioauvksWZIOAUVKS")
# Two-letter words that may not end a line either: Russian typesetting keeps short prepositions,
# conjunctions and particles ("на", "от", "до", "не", "za", "od", "do") with the next word.
_SHORT_LOWER = regex.compile(r"^\p{Ll}{2}$")
# Three-letter prepositions Russian, Ukrainian, Belarusian, Bulgarian and Polish typesetting
# keeps with the next word.
_SHORT_PREPOSITIONS = frozenset(
    _words(
        "без для над под про при обо изо ото між під від над пры пад праз във със към пред"
        " bez dla nad pod przy"
    )
)
# Arabic, Persian and Hebrew prepositions and particles written as words of their own ("في",
# "من", "إلى", "على", "عن", "مع"; "של", "עם"): like the Slavic ones, never at a line end.
_RTL_HANGING = {
    "ar": frozenset(
        _words("في من إلى الى على عن مع و أو او لا لم لن قد يا أن إن ان حتى منذ ثم عند عبر ب ل ك")
    ),
    "fa": frozenset(_words("از به در با و یا تا بر برای")),
    "he": frozenset(_words("של את עם על אל מן או גם לא עד אם כי רק מ ב ל ו ה כ ש החל בין")),
}
# Words that make a discount of the amount beside them; a line never breaks between the two.
_DISCOUNT_AFTER = frozenset(
    _words(
        "off back rabatt nachlass korting rabat rabatu taniej indirim indirimi indirimli dto"
        " descuento desconto sconto remise"
        # Korean, Hebrew, Arabic and Hindi: "20% 할인", "20% הנחה", "20% خصم", "20% छूट".
        " 할인 הנחה خصم छूट"
    )
)
# "50% de descuento", "30% de desconto": the amount, "de" and the discount word are one claim.
_DISCOUNT_PHRASE = regex.compile(
    r"(?<![\p{L}\p{N}])[\-\u2212]?\d[\d.,]*\s?% (?:de|di) (?:descuento|desconto|sconto)(?!\p{L})",
    regex.IGNORECASE,
)
# Named sales events and holidays are one name: "Black | Friday", "Día de la | Madre" read as
# two things. Written the way ads write them, in any case; an apostrophe may be ' or ’.
_EVENT_NAMES = """
    black friday | black week | black november | cyber monday | cyber week | cyber weekend |
    prime day | prime days | boxing day | singles' day | singles day | green monday |
    giving tuesday | small business saturday | super saturday | mother's day | father's day |
    valentine's day | back to school | labor day | labour day | memorial day |
    presidents' day | new year's eve | new year |
    french days | fête des mères | fête des pères | soldes d'été | soldes d'hiver |
    buen fin | hot sale | día de la madre | día del padre | día de san valentín | día del niño |
    viernes negro | cyber lunes | vuelta al cole | rebajas de verano | rebajas de invierno |
    dia das mães | dia dos pais | dia dos namorados | dia das crianças | volta às aulas |
    festa della mamma | festa del papà | san valentino | venerdì nero |
    чёрная пятница | черная пятница | чёрную пятницу | черную пятницу | чёрной пятницы |
    черной пятницы | новый год | день святого валентина | день матери |
    чорна п'ятниця | чорна п’ятниця | новий рік |
    czarny piątek | dzień matki | dzień ojca | dzień dziecka |
    efsane cuma | kara cuma | efsane kasım | anneler günü | babalar günü | sevgililer günü |
    الجمعة البيضاء | الجمعة السوداء | عيد الأم | عيد الفطر | عيد الأضحى | اليوم الوطني |
    בלאק פריידיי | יום האם | יום האהבה | ראש השנה |
    블랙 프라이데이 | 사이버 먼데이 |
    ब्लैक फ्राइडे | बिग बिलियन डेज़
"""
_EVENT = regex.compile(
    r"(?<![\p{L}\p{N}])(?:"
    + "|".join(
        sorted(
            (
                regex.escape(" ".join(name.split()), literal_spaces=True).replace("'", "['’]")
                for name in _EVENT_NAMES.split("|")
            ),
            key=len,
            reverse=True,
        )
    )
    + r")(?![\p{L}\p{N}])",
    regex.IGNORECASE,
)
_DISCOUNT_BEFORE = frozenset(
    _words(
        """
        save spare sparen spar скидка скидку скидкой кэшбэк кешбэк знижка знижку ahorra
        ahorre ahorras économisez economisez économise economize economiza poupe oszczędź
        oszczędzasz rabat minus hasta até
        خصم
        """
    )
)
_BARE_NUMBER = regex.compile(r"^\d{1,4}(?:[.,]\d{1,2})?$")
_AMOUNT = regex.compile(r"^[(\[]?[+\-\u2212]?(?:\p{Sc}\s?)?\d")
# An amount at a word's end: "50%", "20 €", "$70", and Turkish "%20" (the sign written first).
_AMOUNT_END = regex.compile(r"(?:\d[\d.,]*\s?(?:%|\p{Sc})|(?:\p{Sc}|%)\s?\d[\d.,]*)$")
# Korean period words written before a price ("월 9,900원" = 9,900 won a month).
_KO_PERIOD = frozenset(("월", "연", "년", "주", "일", "매월", "매달", "월간", "연간", "하루"))
# Hindi and Urdu postpositions follow their noun: a line never starts with one
# ("आधी कीमत" / "पर" reads as a broken phrase).
_POSTPOSITIONS = frozenset(
    _words("का की के को में से पर तक ने लिए वाला वाली वाले کا کی کے کو میں سے پر تک نے لیے")
)
# A word without a letter or a digit ("★", "❤", "»") belongs to the word before it.
_NO_LETTER = regex.compile(r"^[^\p{L}\p{N}]+$")
_HYPHENATE = frozenset(
    _words(
        "de nl sv da nb nn no fi et ru uk be bg pl cs sk sl hr sr hu it es pt fr ro ca el en"
        " lt lv is"
    )
)
_LETTERS = regex.compile(r"^\p{L}+$")
# A word of emoji and punctuation only ("🎁", "🔥🔥!"): at the end of a text it stays with the
# word before it, so a line never holds just a trailing emoji.
_EMOJI_ONLY = regex.compile(
    r"^(?:[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{RI}\u200D\uFE0F\u20E3]|[\#*0-9]\uFE0F?\u20E3)+\p{P}*$"
)
MIN_HYPHENATED = 8
# CJK phrases and Korean words of up to this many characters are never broken inside: at 12 px
# they take at most 96 px, narrower than any text box (a 160x600 column is ~130 px).
_WHOLE_PHRASE = 8


def _lang(language: str) -> str:
    return language.lower().replace("_", "-").split("-")[0]


def _unit_word(word: str) -> bool:
    """True when ``word`` reads as the unit, currency or month of a number before it."""
    if _UNIT_START.match(word):
        return True
    bare = word.rstrip(".,;:!?)")
    if _UNIT_SUFFIX.sub("", bare) in _CURRENCY_CODES or bare in _CURRENCY_CODES:
        return True
    bare = bare.lower()
    unit = _UNIT_SUFFIX.sub("", bare)
    return bare in _UNITS or unit in _UNITS or bare in _MONTHS or word in _UNITS


def _model(name: str, word: str) -> bool:
    """True when ``word`` is the model number or letter of the name ``name`` before it."""
    return (
        bool(_MODEL.match(word))
        and word not in _NOT_MODEL
        and name.isalpha()
        and any(c.isupper() for c in name)
    )


def _counted(word: str, model_number: bool, caps: bool, lang: str) -> bool:
    """True when ``word`` is what a bare number before it counts ("3 rides", "2 Jahre",
    "3 GECE"); ``model_number``: the number is the model number of the name before it."""
    first = word[:1]
    if first.islower() or _CASELESS_WORD.match(word):
        return True
    if not first.isupper():
        return False
    if word.rstrip(".,;:!?").lower() in _COUNT_NOUNS:
        return True
    # Upper-case copy has no lower-case nouns: every word after a count may be its noun, unless
    # the number is a model number ("TRAIL 3 CAMPING TENT").
    return (caps or lang in _NOUN_CAPS) and not model_number


def _joins(prev: str, word: str, before: str = "", caps: bool = False, lang: str = "") -> bool:
    """True when no line may break between the space-separated words ``prev`` and ``word``;
    ``before`` is the word before ``prev`` when no break may fall between the two, ``caps``
    says the text is upper case throughout, ``lang`` is its language (ISO 639-1)."""
    if _NUMBER_END.search(prev) and (_unit_word(word) or _THOUSANDS.match(word)):
        return True
    # Turkish capitals lower with a combining dot ("İNDİRİM" -> "i̇ndi̇ri̇m"): the dot goes.
    bare = word.rstrip(".,;:!?").lower().replace("\u0307", "")
    if _AMOUNT_END.search(prev) and bare in _DISCOUNT_AFTER:
        return True
    key = prev.rstrip(":").lower()
    if key in _DISCOUNT_BEFORE and _AMOUNT.match(word):
        return True
    # "from 249 €", "ab € 19", "всего за 990 ₽", "החל מ-249 ₪", "100 TL'den itibaren".
    head = word.split(" ", 1)[0]
    if key in _GLUE_NEXT:
        return True
    if key in _PRICE_BEFORE and (
        _AMOUNT.match(word)
        or _CURRENCY_ONLY.match(head)
        or head in _CURRENCY_CODES
        or head.lower() in _PRICE_BEFORE
    ):
        return True
    if bare in _PRICE_AFTER and (_NUMBER_END.search(prev) or _unit_word(prev)):
        return True
    # A model number belongs to the name before it ("Pulse 2", "iPhone 15", "Galaxy S24");
    # a count reads with the noun it counts ("3 rides", "2 Jahre"): a bare number never stands
    # alone.
    if _model(prev, word):
        return True
    if _BARE_NUMBER.match(prev) and _counted(word, _model(before, prev), caps, lang):
        return True
    if (_CURRENCY_ONLY.match(prev) or prev in _CURRENCY_CODES) and _NUMBER_START.match(word):
        return True
    if word.rstrip(".,;:!?।۔") in _POSTPOSITIONS:
        return True
    if lang == "ko" and prev in _KO_COUNT_WORDS:
        return True
    if _more_joins(prev, word, lang):
        return True
    # "№ 5", "Nr. 5", "No. 5"; Korean "월 9,900원".
    numero = prev.rstrip(".").lower() in ("№", "nr", "no", "n°", "#") or prev in _KO_PERIOD
    if numero and _NUMBER_START.match(word):
        return True
    # An opening quote or bracket belongs to what follows it, not to the word before.
    return bool(_NO_LETTER.match(word)) and unicodedata.category(word[0]) not in ("Ps", "Pi")


# Words that finish a model's name after its number ("Nova 12 Pro", "Galaxy S24 Ultra").
_MODEL_SUFFIXES = frozenset(
    _words("pro max ultra plus mini lite fe air neo edge fold flip xl xs + pro+ plus+")
)
# A model number inside a product name: one to three digits, perhaps with a model letter or
# two ("12", "14", "S24"... stays with the name word before it).
_NAME_NUMBER = regex.compile(r"^\p{Lu}{0,2}\d{1,3}\p{L}{0,2}\+?[.,:;!?)]*$")


def _name_words(words: Sequence[str], names: Sequence[str]) -> frozenset[int]:
    """Which of ``words`` are the model number of a product name in ``names`` (the brief's),
    or a suffix after that number: "Nova | 12" or "Notebook Orion | 14:" reads as a product
    and a stray number. Only inside the name: a quantity elsewhere ("Камера 200") is not one."""
    inside: set[int] = set()
    text = " ".join(words)
    starts = list(itertools.accumulate((len(w) + 1 for w in words[:-1]), initial=0))
    for name in names:
        name_words = _words(name)
        if len(name_words) < 2 or not any(_DIGIT.search(w) for w in name_words[1:]):
            continue
        pattern = (
            r"(?<![\p{L}\p{N}])"
            + r"\s+".join(map(regex.escape, name_words))
            + r"(?:\s+(?:"
            + "|".join(map(regex.escape, sorted(_MODEL_SUFFIXES, key=len, reverse=True)))
            + r"))*(?![\p{L}\p{N}])"
        )
        for m in regex.finditer(pattern, text, regex.IGNORECASE | regex.FULLCASE):
            numbered = False
            for i, at in enumerate(starts):
                if not m.start() < at < m.end():
                    continue
                bare = words[i].rstrip(".,:;!?)").lower()
                if _NAME_NUMBER.match(words[i]):
                    inside.add(i)
                    numbered = True
                elif numbered and bare in _MODEL_SUFFIXES:
                    inside.add(i)
                else:
                    numbered = False
    return frozenset(inside)


def _deal_words(words: Sequence[str], loose: bool = False) -> frozenset[int]:
    """Which of ``words`` are inside a phrase that reads as one, after its first word: a deal
    of numbers ("3 по цене 2", "buy 2 get 1"), a discount phrase ("30% de descuento"), a
    price with its period in words ("59.90 ₪ לחודש") or the name of a sales event ("Black
    Friday"). No line may start with one of them. ``loose``: a phrase may break after a comma
    inside it ("3 gece kal, | 2 gece öde") and before the period of a price."""
    text = " ".join(words)
    phrases = [_EVENT.finditer(text)]
    if _DIGIT.search(text):
        phrases += [_DEAL.finditer(text), _DISCOUNT_PHRASE.finditer(text)]
        phrases += [_OF_DISCOUNT.finditer(text)]
        if not loose:
            phrases += [_PRICE_PERIOD.finditer(text)]
    starts = list(itertools.accumulate((len(w) + 1 for w in words[:-1]), initial=0))
    inside: set[int] = set()
    for m in itertools.chain.from_iterable(phrases):
        inside.update(
            i
            for i, at in enumerate(starts)
            if m.start() < at < m.end() and not (loose and words[i - 1].endswith((",", "،")))
        )
    return frozenset(inside)


# Words that finish a product's name like a model letter ("Barista Pro", "Galaxy S24 Ultra"):
# "Barista | Pro" reads as two names.
_MODEL_WORDS = frozenset(_words("pro max plus ultra mini air lite se neo"))
# Punctuation after a model letter that still leaves it the name's: "Nova X：", "Model X:".
_AFTER_MODEL = ":：,，、;；"
# A Korean number with its large-number word ("25만", "3천"): the counter after it
# ("25만 원", "3천 명") belongs to it, like "250 €".
_KO_BIG_NUMBER = regex.compile(r"^\d[\d,.]*[십백천만억조]+$")
# Korean currency words an amount ends with: "25만 원 할인" is one claim.
_KO_CURRENCY = regex.compile(r"(?:^|[\d십백천만억])(?:원|달러|엔)$")
# Korean bound nouns that read with the verb noun before them and never start a line: "예약
# 시" (when booking), "입력 시", "구매 후" (after buying), "사용 중", "방문 때". "전" is left
# out: it is also the prefix "all" ("고객 전 상품").
_KO_BOUND = frozenset(_words("시 때 후 중"))
_KO_PUNCT = ".,;:!?)"
# Hindi and Urdu "half" before the noun it qualifies: "आधी | कीमत पर" reads as a broken phrase.
_HI_BEFORE_NOUN = frozenset(_words("आधी आधा आधे آدھی آدھا آدھے"))
# Hindi nouns a number counts ("30 दिन", "2 साल"): listed, not any Devanagari word, since a
# model number also stands before one ("नोवा 12 स्मार्टफ़ोन").
_HI_COUNT_NOUNS = frozenset(
    _words(
        "दिन दिनों रात रातें रातों हफ़्ते हफ्ते हफ़्ता सप्ताह महीने महीना महीनों माह साल सालों वर्ष"
        " घंटे घंटा घंटों मिनट पीस लोग लोगों व्यक्ति"
    )
)


_RATING_MARKS = frozenset("★☆⭐✪")


def _more_joins(prev: str, word: str, lang: str) -> bool:
    """More pairs of words no line breaks between (see :func:`_joins`): a model letter before
    a colon ("Nova X："), a model word ("Barista Pro"), a rating star and its score ("★ 4.8"),
    and Korean amounts and bound nouns ("25만 원 할인", "예약 시")."""
    bare = word.rstrip(_AFTER_MODEL)
    if bare != word and _model(prev, bare):
        return True
    name = (prev.isalpha() and prev[:1].isupper()) or (
        bool(_MODEL.match(prev)) and any(c.isupper() for c in prev)  # "Galaxy S24 Ultra"
    )
    # Capitalised only: "Barista Pro", "BARISTA PRO", never "Livraison plus rapide".
    if name and word[:1].isupper() and bare.rstrip(_KO_PUNCT).lower() in _MODEL_WORDS:
        return True
    # A rating star reads with its score ("★ 4.8", "4.8 ★"): alone at a line end it is an
    # ornament and the number below reads as something else.
    if (prev in _RATING_MARKS and _NUMBER_START.match(word)) or (
        word.rstrip(".,;:!?") in _RATING_MARKS and _NUMBER_END.search(prev)
    ):
        return True
    if prev in _HI_BEFORE_NOUN:
        return True
    if _BARE_NUMBER.match(prev) and word.rstrip(".,;:!?।") in _HI_COUNT_NOUNS:
        return True
    if lang != "ko":
        return False
    bare = word.rstrip(_KO_PUNCT)
    if _KO_BIG_NUMBER.match(prev) and bool(_HANGUL.match(word)):
        return True
    if _KO_CURRENCY.search(prev) and bare in _DISCOUNT_AFTER:
        return True
    return bare in _KO_BOUND and bool(_HANGUL.search(prev[-1:]))


# The period of a price written after it in words: "59.90 ₪ לחודש", "99 ريال شهريًا",
# "990 ₽ в месяц", "$9.99 per month". A period alone on the next line ("59.90 ₪ | לחודש")
# reads as a second thing, as "/month" would.
_PERIOD_WORDS = r"""
    (?:per|a|an|each)\ (?:month|year|night|day|week|person) | monthly | yearly | nightly |
    (?:pro|im|je)\ (?:Monat|Jahr|Nacht|Tag|Woche|Person) | monatlich | jährlich |
    par\ (?:mois|an|nuit|jour|semaine|personne) |
    (?:al|por)\ (?:mes|año|noche|día|semana|persona) |
    (?:al|a|per)\ (?:mese|anno|notte|giorno|settimana|persona) |
    (?:por|ao)\ (?:mês|ano|noite|dia|semana|pessoa) |
    (?:na|za)\ (?:miesiąc|rok|noc|dzień|osobę) | miesięcznie | rocznie |
    (?:в|за|на)\ (?:месяц|год|ночь|день|неделю|сутки|человека|місяць|рік|ніч|добу|тиждень) |
    ежемесячно | щомісяця |
    לחודש | לשנה | ללילה | ליום | לשבוע | לאדם |
    شهري[\p{L}\p{M}]* | سنوي[\p{L}\p{M}]* | يومي[\p{L}\p{M}]* | في\ الشهر | لليلة | للشخص |
    प्रति\ (?:माह|महीना|महीने|वर्ष|साल|रात|दिन|व्यक्ति)
"""
_PRICE_PERIOD = regex.compile(
    r"(?:\d|\p{Sc}|ريال|ر\.س|درهم|جنيه|ש[\"״]?ח|руб|грн|zł|Kč|lei|TL|(?-i:\b[A-Z]{3}))\.?"
    r"\ (?:" + _PERIOD_WORDS + r")(?![\p{L}\p{M}\p{N}])",
    regex.IGNORECASE | regex.VERBOSE,
)

# An amount, "of" and the discount word in Hindi and Urdu: "₹5,000 की छूट" (a discount of
# ₹5,000); "₹5,000 की | छूट" leaves the amount without what it is.
_OF_DISCOUNT = regex.compile(
    r"(?:\d|\p{Sc})\.?\ (?:की|का|کی|کا)\ (?:छूट|डिस्काउंट|چھوٹ|رعایت)(?![\p{L}\p{M}\p{N}])"
)


@lru_cache(maxsize=8)
def _budoux(language: str) -> budoux.Parser | None:
    tag = language.lower().replace("_", "-")
    if tag.split("-")[0] == "ja":
        return budoux.load_default_japanese_parser()
    if tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo")):
        return budoux.load_default_traditional_chinese_parser()
    if tag.split("-")[0] == "zh":
        return budoux.load_default_simplified_chinese_parser()
    return None


@lru_cache(maxsize=32)
def _hyphenator(language: str) -> pyphen.Pyphen | None:
    lang = _lang(language)
    if lang not in _HYPHENATE:
        return None
    found = pyphen.language_fallback(lang)
    return pyphen.Pyphen(lang=found, left=3, right=3) if found else None


def hyphenation(word: str, language: str, min_length: int = MIN_HYPHENATED) -> tuple[int, ...]:
    """Where ``word`` may be hyphenated (character offsets), by the language's pyphen
    dictionary; none for words under ``min_length`` letters, words with digits or languages
    that do not hyphenate."""
    if len(word) < max(min_length, MIN_HYPHENATED) or not _LETTERS.match(word):
        return ()
    dic = _hyphenator(language)
    return tuple(dic.positions(word)) if dic else ()


class Atom(NamedTuple):
    """A piece of text that is never split across lines (unless ``splittable``)."""

    text: str
    space_before: bool
    """A breaking space separates it from the previous atom."""
    splittable: bool
    """May be broken between characters when it is wider than a whole line."""


@lru_cache(maxsize=8192)
def atoms(
    text: str, language: str, names: tuple[str, ...] = (), *, loose: bool = False
) -> tuple[Atom, ...]:
    """Split ``text`` into unbreakable pieces: words (joined by the language rules above), and
    phrases of Chinese and Japanese runs. ``names`` are product names whose model number
    stays with the word before it ("Nova 12", "Orion 14:"). ``loose``: a deal phrase may break
    after a comma inside it ("3 gece kal, | 2 gece öde") and a price before its period in
    words ("59.90 ₪ | לחודש"); every other rule still holds."""
    japanese = language.lower().startswith("ja")
    lang = _lang(language)
    rtl = lang in bidi.RTL_LANGUAGES
    slavic = lang in _SLAVIC
    hanging = _RTL_HANGING.get(lang, frozenset())
    # Upper-case copy (headline and button styles) reads by the rules of its lower case.
    caps = text.upper() == text and text.lower() != text
    parser = _budoux(language)
    out: list[Atom] = []
    words = [w for w in BREAKING_SPACE.split(text.strip()) if w]
    deal = _deal_words(words, loose) | _name_words(words, names)
    hold = ""  # a one-letter Slavic word waiting to be glued to the next word
    held = 0  # how many words ``hold`` holds
    for n, word in enumerate(words):
        key = word.lower() if caps else word
        short = (slavic and _slavic_short(word, key)) or word in hanging
        if short and len(word) > 1 and n and _NUMBER_END.search(words[n - 1]) and _unit_word(word):
            # "65 ВТ", "2 ТБ": a unit, not a short word. A one-letter one stays a preposition:
            # "5 w tygodniu" is "5 a week", not "5 W".
            short = False
        if short and n + 1 < len(words):
            hold += word + " "
            held += 1
            continue
        in_deal = any(i in deal for i in range(n - held, n + 1))
        if hold:
            word, hold, held = hold + word, "", 0
        if not _CHAR_BREAK.search(word):
            pieces = [word]
        elif parser is not None:
            pieces = _phrases(word, parser, language)
        else:
            pieces = _pieces(word)
        for i, piece in enumerate(pieces):
            spaced = i == 0 and bool(out)
            lead = len(piece) - len(piece.lstrip("".join(_SEPARATORS)))
            if out and not spaced and lead:
                # "｜阿里山春茶": the bar ends the phrase before it; the rest is a phrase.
                prev = out.pop()
                out.append(Atom(prev.text + piece[:lead], prev.space_before, prev.splittable))
                piece = piece[lead:]
                if not piece:
                    continue
            # A rating star before its score goes with the score ("★ 4.8"), not the word before.
            scored = (
                spaced
                and piece in _RATING_MARKS
                and n + 1 < len(words)
                and bool(_NUMBER_START.match(words[n + 1]))
            )
            glue = (out and not scored) and (
                (_no_start(piece[0], japanese) and not (spaced and _PERCENT_FIRST.match(piece)))
                or out[-1].text[-1] in _NO_END
                or (spaced and in_deal)
                or (spaced and _joins_atom(out[-1].text, piece, caps, lang))
                or (spaced and piece in _SEPARATORS)
                or (spaced and rtl and _ltr_then_mark(out[-1].text))
                or (spaced and n == len(words) - 1 and bool(_EMOJI_ONLY.match(piece)))
                or (not spaced and piece[0] in _CJK_UNITS and out[-1].text[-1].isdigit())
                or (not spaced and _ends_in_name_dot(out[-1].text, piece))
                or (
                    not spaced
                    and bool(_CJK_AMOUNT.match(piece))
                    and out[-1].text.endswith(_CJK_AMOUNT_WORDS)
                )
                or (
                    not spaced
                    and piece.startswith(_CJK_FROM_AFTER)
                    and bool(_PRICE_END.search(out[-1].text))
                )
            )
            if glue:
                prev = out.pop()  # kinsoku / a group that stays together
                glued = prev.text + (" " if spaced else "") + piece
                out.append(Atom(glued, prev.space_before, prev.splittable and not spaced))
            else:
                # A phrase wider than a whole line may still break between characters, but a
                # short one is a word: a smaller size beats "濃厚とんこ | つ" or "가꿔 | 줍니다".
                splittable = (
                    (bool(_HANGUL.search(piece)) and not _NO_SPLIT.search(piece))
                    or (parser is not None and bool(_CHAR_BREAK.search(piece)))
                ) and len(regex.findall(r"\X", piece)) > _WHOLE_PHRASE
                out.append(Atom(piece, spaced, splittable))
    return tuple(_last_ltr_word_kept(out) if rtl else out)


# A percent written before its number ("%20 indirim" in Turkish) opens the amount: it does not
# close the word before it, as a "%" of CJK kinsoku does ("Makinesi: %20" | "indirim" cut the
# discount from its amount).
_PERCENT_FIRST = regex.compile(r"^[%％]\d")


# Marks that end a left-to-right run ("SkyFly:", "SkyFly!", "SkyFly.") which a right-to-left
# line may not end with. In a right-to-left paragraph a neutral mark between that run and the
# line's end resolves to the paragraph's direction (UAX #9, N1-N2) and is drawn on the run's
# left: correct, yet a line of just the brand reads ":SkyFly" to anyone, a dangling colon
# before the name.
#
# Of the two cures, the line breaking one is taken, not drawing the run inside LRI...PDI
# isolates: the label stays with the word after it ("SkyFly: رحلات | إلى دبي"), where the
# colon stands between the brand and the words it introduces, as a reader expects; and
# isolates would reach neither the run-by-run bidi of several faces (``bidi`` has no isolate
# rules, and ``clean_text`` removes format characters) nor the lines the manifest records.
# Like "250 | €", the group never breaks: where it is wider than a line the text is set
# smaller or left out, which beats drawing ":SkyFly".
_LTR_RUN_MARKS = ":!."


def _ltr_then_mark(text: str) -> bool:
    """True when ``text`` ends with a left-to-right run (letters, or digits after them: "iPhone
    15") and then a colon, "!" or "." (:data:`_LTR_RUN_MARKS`): at the end of a right-to-left
    line the mark would be drawn on the run's far side."""
    bare = text.rstrip(_LTR_RUN_MARKS)
    if bare == text or not bare or bare[-1].isspace():
        return False
    strong = [c for c in bare if unicodedata.bidirectional(c) in ("L", "R", "AL")]
    # The last letter must be left to right: a number after Hebrew or Arabic words ("خصم
    # 499:") reads with them, and its mark ends their phrase where the reader looks for it.
    # Level 2 (drawn left to right) keeps out a run ended by a bracket or other neutral.
    return (
        bool(strong)
        and unicodedata.bidirectional(strong[-1]) == "L"
        and bidi.levels(bare, rtl=True)[-1] == 2
    )


def _last_ltr_word_kept(out: list[Atom]) -> list[Atom]:
    """``out`` (the atoms of right-to-left text) with a last atom that is left to right and ends
    with a mark ("טיסות זולות SkyFly!") joined to the atoms before it up to one with a right-to-left
    letter, so no last line holds just "SkyFly!" (drawn "!SkyFly"): no word follows it for
    the mark to lean on."""
    if len(out) < 2 or not _ltr_then_mark(out[-1].text) or _has_rtl(out[-1].text):
        return out
    out = list(out)
    while len(out) > 1 and not _has_rtl(out[-1].text):
        last = out.pop()
        prev = out.pop()
        text = prev.text + (" " if last.space_before else "") + last.text
        out.append(Atom(text, prev.space_before, prev.splittable and not last.space_before))
    return out


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _slavic_short(word: str, key: str) -> bool:
    """A Slavic one-letter or short word that may not end a line (``key``: ``word`` as it
    reads in lower case)."""
    return (
        (len(word) == 1 and word in _HANGING)
        or bool(_SHORT_LOWER.match(key))
        or word.lower() in _SHORT_PREPOSITIONS
    )


def _joins_atom(prev_atom: str, piece: str, caps: bool, lang: str) -> bool:
    """:func:`_joins` for the atom text ``prev_atom`` and the next word ``piece``."""
    *rest, prev = prev_atom.rsplit(" ", 2)
    return _joins(prev, piece, rest[-1] if rest else "", caps, lang)


def _phrases(word: str, parser: budoux.Parser, language: str = "") -> list[str]:
    """A space-less Chinese or Japanese word cut into BudouX phrases ("ラーメン" stays whole).
    BudouX cuts between code points: a cut inside a grapheme cluster (before a joiner, a
    variation selector or a skin tone of an emoji) is undone."""
    out: list[str] = []
    for phrase in parser.parse(word):
        if not phrase:
            continue
        if out and (_CLUSTER_CONTINUES.match(phrase) or out[-1].endswith("\u200d")):
            out[-1] += phrase
        else:
            out.append(phrase)
    return _mend_chinese(out) if _lang(language) == "zh" else _cut_at_marks(out)


# Full-width marks after which a long Japanese phrase may break: BudouX's Japanese model keeps
# "X：2,500円引き＋ソフト1本無料" as one phrase, which then broke between characters
# ("2,500円引 | き"); cut after its colon and its plus, it breaks between claims.
_PHRASE_MARK = regex.compile(r"(?<=[：＋、，。！？；])(?=.)")


def _cut_at_marks(phrases: list[str]) -> list[str]:
    """``phrases`` with each one longer than a whole phrase cut after its full-width marks."""
    out: list[str] = []
    for phrase in phrases:
        long = len(regex.findall(r"\X", phrase)) > _WHOLE_PHRASE
        out += [p for p in _PHRASE_MARK.split(phrase) if p] if long else [phrase]
    return out


# Words of Chinese ad copy that neither BudouX's models nor jieba's dictionary keep whole
# ("双十一限|时8折", "包|邮", "限|時優惠"): no break inside one, and one starts and ends a
# phrase. jieba's dictionary is Simplified, so the Traditional forms are listed here.
_ZH_AD_WORD_LIST = (
    "双十一 雙十一 双十二 雙十二 限时 限時 限量 小包装 小包裝 买一送一 買一送一 包邮 包郵 "
    "特惠 优惠 優惠 折扣 免费 免費 满减 滿減 首单 首單 新品 立减 立減 秒杀 秒殺 会员 會員 "
    "全场 全場 半价 半價 送货上门 送貨上門 下单 下單 以舊換新 補貼 續航 獨立 "
    # Set phrases of two words that read as one ("新品 | 首发" is a designer's reject).
    "新品首发 新品首發 新品上市 限时抢购 限時搶購 限时特惠 限時特惠 年终大促 年終大促 "
    # Words jieba's Simplified dictionary lacks in Traditional, or cuts ("手机 | 壳"): a
    # native reviewer read "送手 | 机壳", "線 | 上語言課" and "智慧型 | 手機" as broken words.
    "手机壳 手機殼 保护壳 保護殼 保护套 保護套 智能手机 智慧型手機 线上 線上 "
    "免费试用 免費試用 免费送 免費送 现折 現折 折抵 高山茶 "
    "送礼自用两相宜 送禮自用兩相宜 送礼自饮两相宜 送禮自飲兩相宜 第二件半价 第二件半價"
)
# A count of days, nights or years in Chinese numerals is one word: "續航兩 | 天" reads as cut.
_ZH_NUMERAL_COUNT = r"[一二两兩三四五六七八九十]+(?:天|晚|夜|年|周|週|个月|個月|小时|小時)"
# One-character verbs of an offer that read with the thing after them ("送 | 保護殼" leaves a
# lone "give" at a line end): a phrase of just this character joins the phrase after it.
_ZH_LEAD_CHARS = frozenset("送赠贈享")
# Words that finish the name of what they hold and never start a phrase: "高山茶禮盒" (gift box
# of high-mountain tea), "龙井礼盒"; "阿里山高山茶 | 禮盒" reads as two things.
_ZH_TRAIL_WORDS = regex.compile("礼盒|禮盒")
_ZH_WORD = regex.compile(
    "|".join(sorted(_ZH_AD_WORD_LIST.split(), key=len, reverse=True)) + "|" + _ZH_NUMERAL_COUNT
)
_DIGIT_THEN_HAN = regex.compile(r"(?<=\d)(?=\p{Han})")


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """jieba, imported on the first Chinese text (65 ms import, ~1 s dictionary load)."""
    module: Any = importlib.import_module("jieba")
    module.setLogLevel(logging.WARNING)  # it logs its dictionary load at INFO
    return module


def _mend_chinese(phrases: list[str]) -> list[str]:
    """BudouX's Chinese phrases without a break inside a word.

    BudouX's Chinese models cut inside words ("以|旧换|新", "14天超|长续航", "独立小|包装");
    a word segmenter with a dictionary (jieba) and the ad words above say where a break may
    not fall. A number keeps its measure word ("50米", "300元")."""
    text = "".join(phrases)
    cuts: set[int] = set()
    pos = 0
    for p in phrases[:-1]:
        pos += len(p)
        cuts.add(pos)
    pos = 0
    for word in _jieba().lcut(text, HMM=False):
        cuts -= set(range(pos + 1, pos + len(word)))
        pos += len(word)
    for m in _ZH_WORD.finditer(text):
        cuts -= set(range(m.start() + 1, m.end()))
        cuts |= {m.start(), m.end()} - {0, len(text)}
    cuts -= {m.start() for m in _DIGIT_THEN_HAN.finditer(text)}
    cuts -= _lead_char_cuts(text, cuts)
    cuts -= {m.start() for m in _ZH_TRAIL_WORDS.finditer(text)}
    bounds = [0, *sorted(cuts), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _lead_char_cuts(text: str, cuts: set[int]) -> set[int]:
    """The cuts of ``text`` right after a phrase of one offer verb ("送"), which reads with
    the thing it gives: "送手机壳", never "送 | 手机壳"."""
    starts = {0} | cuts
    return {at + 1 for at in starts if text[at : at + 1] in _ZH_LEAD_CHARS and at + 1 in cuts}


# What continues the grapheme cluster before it (UAX #29 Extend and ZWJ).
_CLUSTER_CONTINUES = regex.compile(r"[\p{Grapheme_Extend}\p{Emoji_Modifier}\u200D]")


def _pieces(word: str) -> list[str]:
    """A space-less word cut into CJK characters, katakana words of up to 8 characters
    ("ラーメン" is never split) and runs of everything else."""
    pieces: list[str] = []
    run = ""
    katakana = False  # ``run`` is a katakana word
    for cluster in regex.findall(r"\X", word):
        kana = bool(_KATAKANA.match(cluster))
        if _CHAR_BREAK.match(cluster) and not (kana and katakana):
            if run:
                pieces.append(run)
            run, katakana = ("", False) if not kana else (cluster, True)
            if not kana:
                pieces.append(cluster)
        elif katakana and not kana:
            pieces.append(run)
            run, katakana = cluster, False
        else:
            run += cluster
    if run:
        pieces.append(run)
    if katakana or len(pieces) > 1:
        # A katakana run longer than a phrase is a compound; it breaks between characters.
        long = [p for p in pieces if len(p) > _WHOLE_PHRASE and _KATAKANA.match(p)]
        for p in long:
            at = pieces.index(p)
            pieces[at : at + 1] = regex.findall(r"\X", p)
    return pieces


def _no_start(char: str, japanese: bool) -> bool:
    return char in _NO_START or char in _SEPARATORS or (japanese and char in _NO_START_JA)


_HAN = regex.compile(r"\p{Han}")


def _name_dot(before: str, dot: str, after: str) -> bool:
    """True when ``dot`` between the characters ``before`` and ``after`` is the middle dot of
    a name ("ハリー・ポッター", "哈利·波特"), not a list separator ("初月無料・月額"): a
    line neither ends nor starts at it. Japanese writes it between katakana, Chinese between
    Han characters."""
    if not before or not after:
        return False
    kana = bool(_KATAKANA.match(before) and _KATAKANA.match(after))
    if dot in "・･":
        return kana
    return dot in "·‧" and (kana or bool(_HAN.match(before) and _HAN.match(after)))


def _ends_in_name_dot(text: str, after: str) -> bool:
    """True when ``text`` ends with the middle dot of a name that ``after`` continues."""
    return len(text) >= 2 and bool(after) and _name_dot(text[-2], text[-1], after[0])


def _split_atom(atom: Atom, language: str) -> list[Atom]:
    """An over-long splittable word as its characters, still obeying kinsoku."""
    japanese = language.lower().startswith("ja")
    parts: list[str] = []
    # CJK characters one by one, a Latin or number run and a price with its words inside them
    # whole; Hangul by syllable.
    text = atom.text
    units = _price_units(text) if _CHAR_BREAK.search(text) else regex.findall(r"\X", text)
    for cluster in _loanword_units(units):
        counter = cluster[0] in _CJK_UNITS and bool(parts) and parts[-1][-1].isdigit()
        name = bool(parts) and _ends_in_name_dot(parts[-1], cluster)
        if parts and (
            _no_start(cluster[0], japanese) or parts[-1][-1] in _NO_END or counter or name
        ):
            parts[-1] += cluster
        else:
            parts.append(cluster)
    return [Atom(p, atom.space_before and i == 0, False) for i, p in enumerate(parts)]


# A katakana word written together with a Latin one is one loanword: "ポケットWi-Fi" (pocket
# Wi-Fi), "スマートTV"; "ポケット | Wi-Fi ソラ" cut the product's name.
_LATIN_START = regex.compile(r"^\p{Latin}")


def _loanword_units(units: list[str]) -> list[str]:
    """``units`` with each katakana word joined to a Latin word right after it."""
    out: list[str] = []
    for unit in units:
        if out and _KATAKANA.search(out[-1][-1]) and _LATIN_START.match(unit):
            out[-1] += unit
        else:
            out.append(unit)
    return out


def _price_units(text: str) -> list[str]:
    """``text`` as :func:`_pieces` cuts it, each price with its period word, currency and
    "from" one unit ("月額980円から", "月費NT$699起"): never "月額 | 980円" or "980円 | から"."""
    out: list[str] = []
    pos = 0
    for m in _CJK_PRICE.finditer(text):
        out += _pieces(text[pos : m.start()]) if m.start() > pos else []
        out.append(m.group())
        pos = m.end()
    return out + (_pieces(text[pos:]) if pos < len(text) else [])


def wrap(
    units: Sequence[Atom],
    widths: Sequence[float],
    space: float,
    max_width: float,
    max_lines: int,
    measure: Callable[[str], float],
    language: str,
    hyphenate: bool = False,
    min_hyphenated: int = MIN_HYPHENATED,
) -> list[str] | None:
    """Greedy line breaking of ``units`` (from :func:`atoms`) whose advance ``widths`` are
    known; None if it needs more than max_lines lines or a word that may not be split is
    wider than a line. ``measure`` gives the width of the characters of a split word. With
    ``hyphenate``, a word of at least ``min_hyphenated`` letters that is wider than a line is
    hyphenated where the language allows it. A group the language rules glued ("a partir de
    R$ 49") that is wider than a whole line gives None too: the rules choose where a line
    breaks and never break inside a group."""
    lines: list[str] = []
    # The atoms of each line, or None for a line holding part of a split or hyphenated word.
    line_atoms: list[list[tuple[Atom, float]] | None] = []
    line, line_w, line_chars = "", 0.0, 0
    current: list[tuple[Atom, float]] | None = []
    queue = list(zip(units, widths, strict=True))
    queue.reverse()  # pop() from the end is O(1)

    while queue:
        atom, width = queue.pop()
        if line:
            gap = space if atom.space_before else 0.0
            chars = line_chars + len(atom.text) + atom.space_before
            if line_w + gap + width + chars * SLACK_PER_CHAR <= max_width:
                line += (" " if atom.space_before else "") + atom.text
                line_w += gap + width
                line_chars = chars
                if current is not None:
                    current.append((atom, width))
                continue
            lines.append(line)
            line_atoms.append(current)
            if len(lines) >= max_lines:
                return None
        if width + len(atom.text) * SLACK_PER_CHAR <= max_width:
            line, line_w, line_chars = atom.text, width, len(atom.text)
            current = [(atom, width)]
            continue
        if not atom.splittable:
            pieces = (
                _hyphenated(atom.text, max_width, measure, language, min_hyphenated)
                if hyphenate
                else None
            )
            if pieces is None:
                return None
            lines.extend(pieces[:-1])
            line_atoms.extend([None] * (len(pieces) - 1))
            if len(lines) >= max_lines:
                return None
            line, line_w, line_chars = pieces[-1], measure(pieces[-1]), len(pieces[-1])
            current = None
            continue
        parts = _split_atom(atom, language)
        queue.extend((p, measure(p.text)) for p in reversed(parts))
        line, line_w, line_chars, current = "", 0.0, 0, None
    if line:
        lines.append(line)
        line_atoms.append(current)
    if _budoux(language) is not None:
        at_clause = _at_clause_end(
            units, widths, line_atoms, space, max_width, measure, language, len(lines)
        )
        if at_clause is not None:
            return at_clause
        lines = _no_orphan_character(lines, max_width, measure, language)
    elif _lang(language) == "ko" and _orphan_syllable(lines):
        lines = _no_orphan_syllable(lines, line_atoms, space, max_width, measure)
    else:
        lines = _no_widow(lines, line_atoms, space, max_width)
    return lines if len(lines) <= max_lines else None


# Punctuation that ends a clause of Chinese or Japanese: the best place for a line to end.
_CLAUSE_END = frozenset("，、。：；！？,:;!?")
# A line cut back to its last clause end keeps at least this share of the width: a line of one
# short word and a comma reads worse than a phrase carried over.
_CLAUSE_LINE_MIN = 0.5


def _at_clause_end(
    units: Sequence[Atom],
    widths: Sequence[float],
    line_atoms: Sequence[Sequence[tuple[Atom, float]] | None],
    space: float,
    max_width: float,
    measure: Callable[[str], float],
    language: str,
    max_lines: int,
) -> list[str] | None:
    """Chinese and Japanese lines that end at the last clause end (a comma, a colon) of a
    greedy line instead of inside the clause after it, where that costs no extra line:
    "阿里山春茶，| 独立小包装。", not "阿里山春茶，独立 | 小包装。". None when no greedy line
    holds a clause end before its last phrase, or moving the rest down needs another line."""
    # The lines must hold ``units`` themselves: a split or hyphenated word puts its parts in a
    # line's atoms, and then the lines are not a cut of ``units`` and the greedy lines stand.
    # A line of None (part of such a word) leaves that word out of ``flat``, so the comparison
    # alone tells.
    flat = [atom for atoms in line_atoms if atoms is not None for atom, _ in atoms]
    if flat != list(units):
        return None
    start = 0
    for i, atoms in enumerate(line_atoms[:-1]):
        assert atoms is not None
        ends = [
            j
            for j, (atom, _) in enumerate(atoms[:-1])
            if atom.text[-1] in _CLAUSE_END
            and _line_width(atoms[: j + 1], space) >= _CLAUSE_LINE_MIN * max_width
        ]
        if ends:
            keep = ends[-1] + 1
            rest = wrap(
                units[start + keep :],
                widths[start + keep :],
                space,
                max_width,
                max_lines - i - 1,
                measure,
                language,
            )
            if rest is None:
                return None
            head = [_line_text(a) for a in line_atoms[:i]] + [_line_text(atoms[:keep])]
            return [*head, *rest]
        start += len(atoms)
    return None


def _line_width(atoms: Sequence[tuple[Atom, float]], space: float) -> float:
    return sum(w for _, w in atoms) + space * sum(a.space_before for a, _ in atoms[1:])


def _line_text(atoms: Sequence[tuple[Atom, float]] | None) -> str:
    assert atoms
    first, *more = (a for a, _ in atoms)
    return first.text + "".join((" " if a.space_before else "") + a.text for a in more)


def _no_widow(
    lines: list[str],
    line_atoms: Sequence[Sequence[tuple[Atom, float]] | None],
    space: float,
    max_width: float,
) -> list[str]:
    """A last line of one word takes the last word of the line above when that line keeps
    at least two words and the new last line still fits: "…and get $50 | back" reads as a
    stray word, "…and get | $50 back" as a phrase."""
    if len(lines) < 2 or len(lines) != len(line_atoms):
        return lines
    prev, last = line_atoms[-2], line_atoms[-1]
    if prev is None or last is None or len(last) != 1 or len(prev) < 3:
        return lines
    if " " in last[0][0].text:
        return lines  # a glued group ("25% Rabatt") is a phrase, not a stray word
    (moved, moved_w), (widow, widow_w) = prev[-1], last[0]
    if not moved.space_before or not widow.space_before:
        return lines  # glued pieces (no space between them) are one word to the reader
    text = moved.text + " " + widow.text
    if moved_w + space + widow_w + len(text) * SLACK_PER_CHAR > max_width:
        return lines
    return [*lines[:-2], _line_text(prev[:-1]), text]


def _orphan_syllable(lines: list[str]) -> bool:
    """True when the last of several lines is one Hangul syllable (punctuation aside)."""
    bare = _PUNCT.sub("", lines[-1]) if len(lines) > 1 else ""
    return len(bare) == 1 and bool(_HANGUL.match(bare))


def _no_orphan_syllable(
    lines: list[str],
    line_atoms: Sequence[Sequence[tuple[Atom, float]] | None],
    space: float,
    max_width: float,
    measure: Callable[[str], float],
) -> list[str]:
    """Korean: a last line of one syllable ("촉촉한 피부 | 봄") takes the word before it down,
    even when that leaves one word above ("촉촉한 | 피부 봄"), like the one-character rule of
    Chinese and Japanese; the last line of a word split between syllables takes the syllable
    before it ("…크림입니 | 다" becomes "…크림입 | 니다")."""
    prev, last = line_atoms[-2], line_atoms[-1]
    if last is None or last[0][0].space_before:
        # A word of its own: the word before it moves down.
        if prev is None or last is None or len(last) != 1 or len(prev) < 2:
            return lines
        (moved, moved_w), (lone, lone_w) = prev[-1], last[0]
        text = moved.text + " " + lone.text
        width = moved_w + space + lone_w + len(text) * SLACK_PER_CHAR
        if not moved.space_before or width > max_width:
            return lines
        return [*lines[:-2], _line_text(prev[:-1]), text]
    # The end of a word split between syllables: the syllable before it moves down.
    above = regex.findall(r"\X", lines[-2])
    if len(above) < 2 or not _HANGUL.match(above[-1]) or above[-2].isspace():
        return lines
    new_last = above[-1] + lines[-1]
    if measure(new_last) + len(new_last) * SLACK_PER_CHAR > max_width:
        return lines
    return [*lines[:-2], "".join(above[:-1]), new_last]


def _hyphenated(
    word: str,
    max_width: float,
    measure: Callable[[str], float],
    language: str,
    min_length: int = MIN_HYPHENATED,
) -> list[str] | None:
    """``word`` as hyphenated lines that each fit ``max_width`` (the last without a hyphen),
    taking the longest piece that fits each time; None if the word cannot be hyphenated so."""
    cuts = hyphenation(word, language, min_length)
    if not cuts:
        return None
    out: list[str] = []
    start = 0
    while True:
        rest = word[start:]
        if measure(rest) + len(rest) * SLACK_PER_CHAR <= max_width:
            out.append(rest)
            return out
        fitting = [
            c
            for c in cuts
            if c > start
            and measure(word[start:c] + "-") + (c - start + 1) * SLACK_PER_CHAR <= max_width
        ]
        if not fitting:
            return None
        out.append(word[start : fitting[-1]] + "-")
        start = fitting[-1]


_PUNCT = regex.compile(r"[\p{P}\p{S}\s]")


def _no_orphan_character(
    lines: list[str], max_width: float, measure: Callable[[str], float], language: str
) -> list[str]:
    """Chinese and Japanese: a last line of one character (punctuation aside) takes the last
    character of the line above, unless kinsoku or the width forbids it."""
    if len(lines) < 2:
        return lines
    last = lines[-1]
    if len(_PUNCT.sub("", last)) > 1:
        return lines
    japanese = language.lower().startswith("ja")
    prev = regex.findall(r"\X", lines[-2])
    take = 1
    # The moved piece may not start with closing punctuation or a small kana, nor cut a
    # katakana word ("ヴィン | チ展").
    while take < len(prev) and (
        _no_start(prev[-take][0], japanese)
        or (_KATAKANA.match(prev[-take]) and _KATAKANA.match(prev[-take - 1]))
    ):
        take += 1
    if take >= len(prev):
        return lines
    keep, moved = "".join(prev[:-take]), "".join(prev[-take:])
    if _ends_in_name_dot(keep, moved):
        return lines  # "レオナルド・ | ダ・ヴィンチ展" breaks a name
    if not _CHAR_BREAK.match(moved[0]):
        return lines  # the end of a Latin word or number: not a character to move
    new_last = moved + last
    if keep[-1] in _NO_END or keep[-1].isspace() or moved[0].isspace():
        return lines
    if measure(new_last) + len(new_last) * SLACK_PER_CHAR > max_width:
        return lines
    return [*lines[:-2], keep, new_last]
