"""Language-specific bits of copy: calls to action, prices, list joining and small words.

The built-in copywriter never translates the brief; it only needs these few words to wrap the
brief's own text. Languages without an entry fall back to English calls to action and to
language-neutral punctuation (", " and " · ") so no English word is glued into foreign text.
"""

from __future__ import annotations

from typing import Literal

import regex
from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency

from adcraft.copywriting.claims import base_language
from adcraft.copywriting.limits import display_width
from adcraft.domain.brief import PERIODS, Period, Price

Intent = Literal["shop", "order", "book", "start", "subscribe", "connect", "apply", "learn"]
INTENTS: tuple[Intent, ...] = (
    "shop",
    "order",
    "book",
    "start",
    "subscribe",
    "connect",
    "apply",
    "learn",
)

# Per language and intent: calls to action written as that market writes them, longest first;
# the copywriter takes the longest that fits its button and never cuts one. A shorter form is
# listed only where it is a whole call to action, never the start of a longer one ("Заказ" reads
# as "Заказать" cut short), and is a verb, never a bare noun ("Rezervasyon yap", not
# "Rezervasyon"; "Złóż wniosek", not "Wniosek"; Chinese, Japanese and Korean buttons excepted,
# where 購入 and 예약 are what that market writes). Languages: en ru de es fr pt it pl tr ja ko
# zh (Simplified) zh-Hant ar he hi; "zh-Hant" is chosen when the brief is written in
# Traditional characters.
_CTA_TABLE: dict[str, dict[Intent, tuple[str, ...]]] = {
    "en": {
        "shop": ("Shop now", "Buy now", "Shop", "Buy"),
        "order": ("Order now", "Order"),
        "book": ("Book now", "Book"),
        "start": ("Get started", "Start now", "Start"),
        "subscribe": ("Subscribe now", "Subscribe"),
        "connect": ("Get started", "Sign up"),
        "apply": ("Apply now", "Apply"),
        "learn": ("Learn more", "See more", "More"),
    },
    "ru": {
        "shop": ("Купить сейчас", "Купить"),
        "order": ("Заказать",),
        "book": ("Забронировать", "Бронировать"),
        "start": ("Попробовать", "Начать"),
        "subscribe": ("Оформить подписку", "Подписаться"),
        "connect": ("Подключить",),
        "apply": ("Оформить",),
        "learn": ("Подробнее", "Узнать"),
    },
    "de": {
        "shop": ("Jetzt kaufen", "Kaufen"),
        "order": ("Jetzt bestellen", "Bestellen"),
        "book": ("Jetzt buchen", "Buchen"),
        "start": ("Jetzt starten", "Starten", "Los"),
        "subscribe": ("Jetzt abonnieren", "Abonnieren"),
        "connect": ("Jetzt bestellen", "Bestellen"),
        "apply": ("Jetzt beantragen", "Beantragen"),
        "learn": ("Mehr erfahren", "Mehr"),
    },
    "es": {
        "shop": ("Comprar ahora", "Comprar"),
        "order": ("Pedir ahora", "Pedir"),
        "book": ("Reservar ahora", "Reservar"),
        "start": ("Empezar ahora", "Empezar"),
        "subscribe": ("Suscríbete ahora", "Suscríbete"),
        "connect": ("Contratar ahora", "Contratar"),
        "apply": ("Solicitar ahora", "Solicitar"),
        "learn": ("Más información", "Ver más"),
    },
    "fr": {
        "shop": ("Acheter maintenant", "Acheter"),
        "order": ("Commander",),
        "book": ("Réserver maintenant", "Réserver"),
        "start": ("Commencer", "Essayer"),
        "subscribe": ("Je m'abonne", "S'abonner"),
        "connect": ("Je m'abonne", "Souscrire"),
        "apply": ("Souscrire", "Demander"),
        "learn": ("En savoir plus", "Découvrir", "Voir"),
    },
    "it": {
        "shop": ("Acquista ora", "Acquista"),
        "order": ("Ordina ora", "Ordina"),
        "book": ("Prenota ora", "Prenota"),
        "start": ("Inizia ora", "Inizia"),
        "subscribe": ("Abbonati ora", "Abbonati"),
        "connect": ("Attiva ora", "Attiva"),
        "apply": ("Richiedi ora", "Richiedi"),
        "learn": ("Scopri di più", "Scopri"),
    },
    "pt": {
        "shop": ("Compre agora", "Comprar"),
        "order": ("Peça agora", "Pedir"),
        "book": ("Reserve agora", "Reservar"),
        "start": ("Comece agora", "Começar"),
        "subscribe": ("Assine agora", "Assinar"),
        "connect": ("Contrate agora", "Contratar"),
        "apply": ("Solicite agora", "Solicitar"),
        "learn": ("Saiba mais", "Ver mais"),
    },
    "pl": {
        "shop": ("Kup teraz", "Kup"),
        "order": ("Zamów teraz", "Zamów"),
        "book": ("Zarezerwuj", "Rezerwuj"),
        "start": ("Zacznij teraz", "Zacznij"),
        "subscribe": ("Zamów abonament", "Subskrybuj"),
        "connect": ("Zamów teraz", "Zamów"),
        "apply": ("Złóż wniosek", "Wnioskuj"),
        "learn": ("Dowiedz się więcej", "Sprawdź", "Więcej"),
    },
    "tr": {
        "shop": ("Hemen satın al", "Satın al", "Al"),
        "order": ("Hemen sipariş ver", "Sipariş ver"),
        "book": ("Hemen rezervasyon yap", "Rezervasyon yap", "Rezerve et"),
        "start": ("Hemen başla", "Başla"),
        "subscribe": ("Hemen abone ol", "Abone ol"),
        "connect": ("Hemen başvur", "Başvur"),
        "apply": ("Hemen başvur", "Başvur"),
        "learn": ("Daha fazla bilgi al", "İncele", "Keşfet"),
    },
    "ja": {
        "shop": ("今すぐ購入", "購入する", "購入"),
        "order": ("今すぐ注文", "注文する", "注文"),
        "book": ("今すぐ予約", "予約する", "予約"),
        "start": ("今すぐ始める", "始める"),
        "subscribe": ("今すぐ登録", "登録する", "登録"),
        "connect": ("今すぐ申し込む", "申し込む", "申込"),
        "apply": ("今すぐ申し込む", "申し込む", "申込"),
        "learn": ("詳しくはこちら", "詳しく見る", "詳細"),
    },
    "ko": {
        "shop": ("지금 구매하기", "구매하기", "구매"),
        "order": ("지금 주문하기", "주문하기", "주문"),
        "book": ("지금 예약하기", "예약하기", "예약"),
        "start": ("지금 시작하기", "시작하기", "시작"),
        "subscribe": ("지금 구독하기", "구독하기", "구독"),
        "connect": ("지금 가입하기", "가입하기", "가입"),
        "apply": ("지금 신청하기", "신청하기", "신청"),
        "learn": ("자세히 보기", "더 보기"),
    },
    "zh": {
        "shop": ("立即购买", "购买"),
        "order": ("立即下单", "下单"),
        "book": ("立即预订", "预订"),
        "start": ("立即开始", "开始"),
        "subscribe": ("立即订阅", "订阅"),
        "connect": ("立即办理", "办理"),
        "apply": ("立即申请", "申请"),
        "learn": ("了解更多", "详情"),
    },
    "zh-Hant": {
        "shop": ("立即購買", "購買"),
        "order": ("立即訂購", "訂購"),
        "book": ("立即預訂", "預訂"),
        "start": ("立即開始", "開始"),
        "subscribe": ("立即訂閱", "訂閱"),
        "connect": ("立即申辦", "申辦"),
        "apply": ("立即申請", "申請"),
        "learn": ("了解更多", "詳情"),
    },
    "ar": {
        "shop": ("تسوق الآن", "تسوق"),
        "order": ("اطلب الآن", "اطلب"),
        "book": ("احجز الآن", "احجز"),
        "start": ("ابدأ الآن", "ابدأ"),
        "subscribe": ("اشترك الآن", "اشترك"),
        "connect": ("اشترك الآن", "اشترك"),
        "apply": ("قدّم الآن", "قدّم"),
        "learn": ("اعرف المزيد", "المزيد"),
    },
    "he": {
        "shop": ("קנו עכשיו", "לקנייה"),
        "order": ("הזמינו עכשיו", "להזמנה"),
        # "הזמינו מקום" (reserve a place) is the idiom of a restaurant table or a workshop seat,
        # not of a flight, a hotel or a ride: Hebrew books and orders with the same verb.
        "book": ("הזמינו עכשיו", "להזמנה"),
        "start": ("התחילו עכשיו", "להתחלה"),
        "subscribe": ("הצטרפו עכשיו", "להצטרפות"),
        "connect": ("הצטרפו עכשיו", "להצטרפות"),
        "apply": ("הגישו בקשה", "לבקשה"),
        "learn": ("למידע נוסף", "לפרטים"),
    },
    "hi": {
        "shop": ("अभी खरीदें", "खरीदें"),
        "order": ("अभी ऑर्डर करें", "ऑर्डर करें"),
        "book": ("अभी बुक करें", "बुक करें"),
        "start": ("अभी शुरू करें", "शुरू करें"),
        "subscribe": ("अभी सदस्यता लें", "सदस्यता लें"),
        "connect": ("अभी कनेक्शन लें", "कनेक्शन लें"),
        "apply": ("अभी आवेदन करें", "आवेदन करें"),
        "learn": ("और जानें", "देखें"),
    },
}


def _by_length(options: tuple[str, ...]) -> tuple[str, ...]:
    # Longest first (stable: of two equally long, the one written first is preferred).
    unique = tuple(dict.fromkeys(options))
    return tuple(sorted(unique, key=lambda c: -display_width(c)))


_CTAS: dict[str, dict[Intent, tuple[str, ...]]] = {
    lang: {intent: _by_length(opts) for intent, opts in table.items()}
    for lang, table in _CTA_TABLE.items()
}

_CATEGORY_INTENT: dict[str, Intent] = {
    **dict.fromkeys(("travel", "hotel", "hotels", "hospitality", "taxi", "mobility"), "book"),
    **dict.fromkeys(("transport", "events", "tickets", "airline", "tourism"), "book"),
    **dict.fromkeys(("food", "restaurant", "delivery", "food_delivery", "takeaway"), "order"),
    **dict.fromkeys(("finance", "banking", "bank", "insurance", "credit", "loans"), "apply"),
    **dict.fromkeys(("fintech", "mortgage"), "apply"),
    **dict.fromkeys(("education", "software", "saas"), "start"),
    **dict.fromkeys(("app", "apps", "fitness", "streaming", "e-learning", "elearning"), "start"),
    # A subscription or a rental is subscribed to ("Jetzt abonnieren"), never booked or bought:
    # "Jetzt buchen" on an e-bike subscription reads as a one-off ride.
    **dict.fromkeys(("subscription", "subscriptions", "rental", "rentals", "leasing"), "subscribe"),
    # A line is connected ("Подключить", "Hemen başvur", "가입하기"), not tried or started.
    **dict.fromkeys(("telecom", "telco", "internet", "isp", "broadband", "mobile"), "connect"),
}
# Words of a subscription or a rental in the name or description: they decide over a category
# that books, buys or informs ("mobility" books a taxi, but an e-bike subscription is
# subscribed to), not over one that starts, orders, applies or connects.
_SUBSCRIBE_RX = regex.compile(
    r"(?<!\p{L})(?:abo|monatsabo|abonnement|abonam\w*|subscription|subskrypcj\w*|abonelik|"
    r"(?:monthly|long[- ]term)\s+rentals?|monatsmiete|location\s+mensuelle|"
    r"wynaj\w*\s+miesięczn\w*|месячн\w+\s+аренд\w*|подписк\w*)(?!\p{L})|"
    r"-abo(?!\p{L})|구독|サブスク|订阅|訂閱",
    regex.IGNORECASE,
)
_SUBSCRIBE_OVER: frozenset[Intent | None] = frozenset({None, "book", "shop", "learn"})
_SERVICE_CATEGORIES = frozenset({"service", "services", "b2b", "consulting", "healthcare"})
# Checked in this order on the name and description when the category does not decide.
_INTENT_RX: tuple[tuple[Intent, str], ...] = (
    (
        "book",
        r"\b(?:taxi|rides?|hotels?|flights?|booking|book\s+a|reserv\w*|trips?|stays?)\b|"
        r"такси|отел|гостиниц|брониров|酒店|预订|预定|打车|机票|\bbuchen\b|\bfahrt|"
        r"\breserva|\bviaje|\bvuelo|فندق|احجز|حجز|تاكسي",
    ),
    (
        "order",
        r"\b(?:deliver\w*|food|meals?|restaurants?|takeaway)\b|доставк|\bед[аыу]\b|"
        r"ресторан|外卖|送餐|配送|liefer|\bessen\b|\bpedido|\bcomida|\bentrega|توصيل|طعام|مطعم",
    ),
    (
        "apply",
        r"\b(?:credit|debit|cards?|loans?|bank\w*|mortgage|insurance)\b|кредит|\bкарт[аыу]\b|"
        r"банк|ипотек|страхов|信用卡|贷款|银行|\bkarte\b|\bkredit|tarjeta|crédito|préstamo|"
        r"بطاقة|قرض|بنك",
    ),
    (
        "connect",
        r"(?<!\p{L})(?:internet|broadband|fib(?:er|re)|интернет\w*|оптоволок\w*|interneti)"
        r"(?!\p{L})|인터넷|インターネット|光回線|宽带|寬頻|אינטרנט|إنترنت|ब्रॉडबैंड",
    ),
    (
        "start",
        r"\b(?:course|classes|lessons?|plan|subscription|membership|app|trial|software)\b|"
        r"курс|обучени|урок|тариф|подписк|课程|学习|套餐|订阅|\bkurs|\btarif|\babo\b|"
        r"\bcurso|\bclases|suscripción|دورة|اشتراك|باقة|"
        # A streaming service or a membership is started, not bought ("Compre agora" and
        # "立即购买" on a music membership read as a one-off purchase).
        r"\bstreaming\b|\bassinatura|\babonnement|\babonament|üyelik|abonelik|"
        r"会员|會員|会員|訂閱|サブスク|구독|멤버십|מנוי|सदस्यता",
    ),
)
_INTENT_WORDS = tuple((i, regex.compile(rx, regex.IGNORECASE)) for i, rx in _INTENT_RX)

_FREE_LABEL: dict[str, str] = {
    "en": "FREE",
    "ru": "БЕСПЛАТНО",
    "zh": "免费",
    "de": "GRATIS",
    "es": "GRATIS",
    "fr": "GRATUIT",
    "it": "GRATIS",
    "pt": "GRÁTIS",
    "ar": "مجانًا",
    "he": "חינם",
    "ja": "無料",
    "ko": "무료",
}
# How a language separates the items of a list.
_LIST: dict[str, str] = {"zh": "，", "ja": "、", "ar": "، "}
_CJK_PUNCT = frozenset({"zh", "ja"})
_BIDI_MARKS = regex.compile(r"[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
STOPS_BEFORE_SPACE = ".!?؟"
"""Marks that end a sentence only before a space or the end ("2.1 kg" is one number)."""
STOPS_ANYWHERE = "。！？।۔"
"""Marks that end a sentence wherever they stand: the CJK stops, the danda, the Urdu stop."""
_TERMINAL = frozenset(STOPS_BEFORE_SPACE + STOPS_ANYWHERE + "…")
# Full stops other than ".": the danda of Devanagari and Bengali, the Urdu full stop.
_FULL_STOP: dict[str, str] = {"hi": "।", "mr": "।", "ne": "।", "bn": "।", "ur": "۔"}


def cta_intent(category: str | None, text: str) -> Intent:
    """What the call to action should ask for, from the category and the product's own words."""
    key = (category or "").strip().lower().replace(" ", "_")
    if _CATEGORY_INTENT.get(key) in _SUBSCRIBE_OVER and _SUBSCRIBE_RX.search(text):
        return "subscribe"
    if key in _CATEGORY_INTENT:
        return _CATEGORY_INTENT[key]
    for intent, rx in _INTENT_WORDS:
        if rx.search(text):
            return intent
    return "learn" if key in _SERVICE_CATEGORIES else "shop"


def cta_options(language: str, intent: Intent) -> tuple[str, ...]:
    """Localised calls to action for an intent, longest first (English for other languages).

    ``language`` may be a tag: "zh-Hant", "zh-TW" and "zh-HK" get Traditional characters.
    """
    return _cta_table(language)[intent]


def _cta_table(language: str) -> dict[Intent, tuple[str, ...]]:
    tag = language.lower().replace("_", "-")
    if tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo")):
        return _CTAS["zh-Hant"]
    return _CTAS.get(tag.split("-")[0], _CTAS["en"])


# Characters written differently in Traditional and Simplified Chinese, common in ad copy.
_TRADITIONAL = frozenset("們這來個會時說對國際學麼為與買賣價貨運費優惠質體驗語課錶機電視網雙鬆燈")
_SIMPLIFIED = frozenset("们这来个会时说对国际学么为与买卖价货运费优惠质体验语课表机电视网双松灯")


def chinese_tag(text: str) -> str:
    """ "zh-Hant" when Chinese text is written in Traditional characters, else "zh"."""
    trad = sum(ch in _TRADITIONAL for ch in text)
    simp = sum(ch in _SIMPLIFIED for ch in text)
    return "zh-Hant" if trad > simp else "zh"


def all_ctas(language: str) -> frozenset[str]:
    """Every built-in call to action of a language (English for unknown languages)."""
    table = _cta_table(language)
    return frozenset(c for options in table.values() for c in options)


def intent_of_cta(text: str) -> Intent | None:
    """The intent of a built-in call to action, in any language and case (None for others)."""
    key = text.strip().casefold()
    for table in _CTAS.values():
        for intent, options in table.items():
            if any(key == option.casefold() for option in options):
                return intent
    return None


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


# What follows a recurring price, as each market writes it on an ad: glued to the price by a
# slash ("9,99 €/Monat", "$35/mo", "¥3,000/月") or, in Hebrew and Arabic, a word after a no-break
# space ("59.90 ₪ לחודש", "49 ر.س. شهريًا"): a slash between right-to-left words and a number
# reads in either direction. Languages without an entry get English.
_NBSP = "\u00a0"
_PERIOD_SUFFIX: dict[str, dict[Period, str]] = {
    "en": {"day": "/day", "night": "/night", "week": "/week", "month": "/mo", "year": "/yr"},
    "de": {"day": "/Tag", "night": "/Nacht", "week": "/Woche", "month": "/Monat", "year": "/Jahr"},
    "fr": {"day": "/jour", "night": "/nuit", "week": "/semaine", "month": "/mois", "year": "/an"},
    "es": {"day": "/día", "night": "/noche", "week": "/semana", "month": "/mes", "year": "/año"},
    "it": {
        "day": "/giorno",
        "night": "/notte",
        "week": "/settimana",
        "month": "/mese",
        "year": "/anno",
    },
    "pt": {"day": "/dia", "night": "/noite", "week": "/semana", "month": "/mês", "year": "/ano"},
    "ru": {"day": "/день", "night": "/ночь", "week": "/нед.", "month": "/мес.", "year": "/год"},
    "pl": {"day": "/dzień", "night": "/noc", "week": "/tydz.", "month": "/mies.", "year": "/rok"},
    "tr": {"day": "/gün", "night": "/gece", "week": "/hafta", "month": "/ay", "year": "/yıl"},
    "zh": {"day": "/天", "night": "/晚", "week": "/周", "month": "/月", "year": "/年"},
    "zh-Hant": {"day": "/天", "night": "/晚", "week": "/週", "month": "/月", "year": "/年"},
    "ja": {"day": "/日", "night": "/泊", "week": "/週", "month": "/月", "year": "/年"},
    "ko": {"day": "/일", "night": "/박", "week": "/주", "month": "/월", "year": "/년"},
    "hi": {"day": "/दिन", "night": "/रात", "week": "/सप्ताह", "month": "/माह", "year": "/वर्ष"},
    "he": {
        "day": f"{_NBSP}ליום",
        "night": f"{_NBSP}ללילה",
        "week": f"{_NBSP}לשבוע",
        "month": f"{_NBSP}לחודש",
        "year": f"{_NBSP}לשנה",
    },
    "ar": {
        "day": f"{_NBSP}يوميًا",
        "night": f"{_NBSP}لليلة",
        "week": f"{_NBSP}أسبوعيًا",
        "month": f"{_NBSP}شهريًا",
        "year": f"{_NBSP}سنويًا",
    },
}


def period_suffix(period: Period, language: str) -> str:
    """What follows a price paid per ``period`` in this language ("/Monat", "/mo", " לחודש"
    after a no-break space); English for languages without an entry."""
    tag = language.lower().replace("_", "-")
    if tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo")):
        return _PERIOD_SUFFIX["zh-Hant"][period]
    return _PERIOD_SUFFIX.get(tag.split("-")[0], _PERIOD_SUFFIX["en"])[period]


def format_price(price: Price, language: str) -> str:
    """A price as the language writes it ("$189", "268 ₽", "19,99 €"), without bidi marks; a
    recurring price with its period ("9,99 €/Monat", "$35/mo"), never without it."""
    text = format_amount(price, language)
    if price.period is not None:
        text += period_suffix(price.period, language)
    return text


def format_amount(price: Price, language: str) -> str:
    """The amount and currency of a price alone ("19,99 €"), whatever its period."""
    loc = _locale(language)
    amount = round(price.amount, 2)
    try:
        if float(amount).is_integer():
            # Whole amounts read cleaner without ".00": strip the fraction from the pattern.
            pattern = loc.currency_formats["standard"].pattern
            whole = regex.sub(r"0[.,]0+", "0", pattern)
            text = format_currency(
                amount, price.currency, format=whole, locale=loc, currency_digits=False
            )
        else:
            text = format_currency(amount, price.currency, locale=loc)
    except (KeyError, ValueError):
        text = f"{amount:g} {price.currency}"
    return _BIDI_MARKS.sub("", text).strip()


# Languages that put a (narrow no-break) space between a number and "%".
_SPACED_PERCENT = frozenset({"de", "fr", "ru", "pl", "tr", "es"})


def percent_badge(value: float, language: str) -> str:
    """A discount as a badge: "−20%" ("−20 %" where the language spaces the sign, "20%オフ")."""
    number = f"{value:g}"
    if language in ("ja",):
        return f"{number}%オフ"
    if language == "zh":
        return ""  # Chinese states a discount as 折 ("8折"): the claim's own words serve
    if language == "tr":
        return f"%{number} indirim"
    sep = "\u202f" if language in _SPACED_PERCENT and language != "tr" else ""
    return f"−{number}{sep}%"


def free_label(language: str) -> str:
    """A one-word "FREE" badge in the language, or "" where none is known."""
    return _FREE_LABEL.get(language, "")


def list_points(items: list[str], language: str) -> str:
    """Selling points as a list without a conjunction ("a, b", "a、b").

    "and" claims the items are parallel, and selling points rarely are: "In 30 Sekunden
    bereit und Milchaufschäumer" or "Доставка за 30 минут и 2000+ ресторанов" join a state to
    a thing. A comma list reads as ad copy whatever each point's grammar.
    """
    return _LIST.get(language, ", ").join(items)


# The compact separator of ad copy per language: Japanese uses the nakaguro 「・」, Chinese the
# full-width bar, Russian a comma (a middle dot reads as foreign there).
_DOT: dict[str, str] = {"ja": "・", "zh": "｜", "ru": ", ", "ar": " • ", "he": " • "}


def ad_sep(language: str) -> str:
    """The separator :func:`dot_join` puts between two phrases in this language."""
    return _DOT.get(language, " · " if language not in _CJK_PUNCT else "，")


def dot_join(items: list[str], language: str = "en") -> str:
    """Join short phrases with the language's compact ad separator (" · " by default).

    A phrase's own full stop goes ("30-day free returns. · $129" and "30天无理由退货。｜100%亚麻"
    are a sentence end glued to a separator); an abbreviation's stays ("ab 9 zł/mies.").
    """
    return ad_sep(language).join(end_headline(i, language) for i in items)


def sentence_sep(language: str) -> str:
    """What goes between two sentences: a space, or nothing in Chinese and Japanese."""
    return "" if language in _CJK_PUNCT else " "


def colon(language: str) -> str:
    """A colon and its spacing ("：" in Chinese and Japanese; French puts a no-break space
    before it: "CONSOLE NOVA X : 1 JEU OFFERT")."""
    if language in _CJK_PUNCT:
        return "："
    return "\u00a0: " if language.split("-")[0].lower() == "fr" else ": "


def end_sentence(text: str, language: str) -> str:
    """Text ending with a full stop of the language unless it already ends a sentence."""
    text = text.rstrip().rstrip(",;:，；：、")
    if not text or text[-1] in _TERMINAL:
        return text
    lang = base_language(language)
    return text + ("。" if lang in _CJK_PUNCT else _FULL_STOP.get(lang, "."))


# A symbol or emoji that closes the copy ("Seat selection included ✓", "Kahvaltı dahil ★★★★")
# takes no full stop after it: "✓." and "★." read as a typing slip in every market. Between two
# sentences the stop stays ("…included ✓. Save 15%"): without it they run into one.
_STOP_AFTER_SYMBOL = regex.compile(
    r"([\p{So}\p{Emoji_Presentation}][\uFE0E\uFE0F\u200D]*)[.。．।۔]$"
)


def end_copy(text: str) -> str:
    """A field's text without a full stop right after a closing symbol ("★." -> "★")."""
    return _STOP_AFTER_SYMBOL.sub(r"\1", text.rstrip())


# A headline is not a sentence: it ends without a full stop, unless that stop is an
# abbreviation's ("Müller & Co.", "ab 9 zł/mies.", "5 000 руб."). "?", "!" and "…" stay.
_HEADLINE_STOP = regex.compile(r"(?<![.．])[.。．।۔]$")
_ABBREVIATIONS = (
    "co corp inc ltd llc etc jr sr dr mr mrs vs approx incl excl "
    "inkl exkl ca usw bzw evtl mwst zzgl str cie ltda cia sra dto "
    "руб коп мес тыс млн млрд ул "
)
_LANGUAGE_ABBREVIATIONS = {"pl": "ok tys mies mln mld gr ul nr r", "ru": "г"}


def _abbreviation_rx(language: str) -> regex.Pattern[str]:
    words = (_ABBREVIATIONS + _LANGUAGE_ABBREVIATIONS.get(language, "")).split()
    alternatives = "|".join(regex.escape(w) for w in words)
    return regex.compile(
        # "zł/mies.", "€/Std.": a unit after a slash; "z.B.", "U.S.": letters with inner stops.
        rf"(?:/\s?\p{{L}}+|(?<![\p{{L}}])(?:{alternatives})|(?<![\p{{L}}])\p{{L}}(?:\.\p{{L}})+)\.$",
        regex.IGNORECASE,
    )


_ABBREVIATION_STOP = {lang: _abbreviation_rx(lang) for lang in ("", *_LANGUAGE_ABBREVIATIONS)}


def end_headline(text: str, language: str) -> str:
    """A headline without its final full stop ("." "。" "।"), keeping "?", "!", "…" and the
    stop of an abbreviation ("Co.", "etc.", "/мес.")."""
    text = text.rstrip()
    if not _HEADLINE_STOP.search(text):
        return text
    lang = base_language(language)
    if text.endswith(".") and _ABBREVIATION_STOP.get(lang, _ABBREVIATION_STOP[""]).search(text):
        return text
    return text[:-1].rstrip()


# Compiled once: these run for every candidate phrase the copywriter weighs.
_LEADING_LOWER = regex.compile(r"([\p{Ps}\p{Pi}\"']*)(\p{Ll})(\p{L}*)")
_TITLE_WORD = regex.compile(r"(\p{Lu})(\p{Ll}+)(?!\p{L})")


# Turkish and Azerbaijani pair dotted İ/i and dotless I/ı: "ilk" capitalises to "İlk" (not
# "Ilk", another word's spelling) and "İlk" lower-cases to "ilk" (not "i" + a loose dot).
_DOTTED_I_LANGUAGES = frozenset({"tr", "az"})
_DOTTED_UPPER = {"i": "İ", "ı": "I"}
_DOTTED_LOWER = {"I": "ı", "İ": "i"}


def _upper(letter: str, language: str) -> str:
    if base_language(language) in _DOTTED_I_LANGUAGES and letter in _DOTTED_UPPER:
        return _DOTTED_UPPER[letter]
    return letter.upper()


def _lower(letter: str, language: str) -> str:
    if base_language(language) in _DOTTED_I_LANGUAGES and letter in _DOTTED_LOWER:
        return _DOTTED_LOWER[letter]
    lower = letter.lower()
    return lower if len(lower) == 1 else letter  # "İ" elsewhere: no letter + loose dot


# A Turkish phrase that ends on a plural noun in the instrumental case ("Aylık 149,90 TL'den
# başlayan fiyatlarla", "with prices starting from …") opens a sentence that never comes: on its
# own, as a headline or a sentence of the body, it reads as a fragment. The bare plural
# ("… başlayan fiyatlar", "prices starting from …") stands alone. Only -lar+la and -ler+le (the
# case ending in vowel harmony with the plural), so "NOVA25 koduyla" (a code's "with") stays.
_TR_PLURAL_WITH = regex.compile(r"(?<=\p{L}lar)la$|(?<=\p{L}ler)le$")


def standalone_phrase(text: str, language: str) -> str:
    """An offer phrase as it reads on its own: a Turkish "…fiyatlarla" is "…fiyatlar"."""
    if base_language(language) != "tr":
        return text
    return _TR_PLURAL_WITH.sub("", text.rstrip())


def capitalize_first(text: str, language: str = "") -> str:
    """Upper-case the first letter when its word is all lower case ("eSIM" and "iPhone" stay);
    ``language`` picks Turkish İ for i."""
    # Only a leading letter: "20% off" and "3-season" must not become "20% Off", "3-Season".
    m = _LEADING_LOWER.match(text)
    if not m or any(c.isupper() for c in m.group(3)):
        return text
    upper = _upper(m.group(2), language)
    if len(upper) != 1:  # "ß" would become "SS" and change the length
        return text
    return m.group(1) + upper + text[m.end(2) :]


# German capitalises nouns, so a selling point's first word keeps its capital mid-sentence
# unless it is surely not a noun: a word of a closed class (prepositions, articles, particles)
# or a common ad adverb/adjective, or an adjective by its suffix (-lich, -bar and their
# endings). Anything else is left as written: a lower-cased noun is a spelling mistake, a
# capitalised adverb only a style slip.
_DE_NOT_NOUN_WORDS = (
    "ab alle allen aller als am an auch auf aus bei beim bis da das dem den der des die "
    "durch ein eine einem einen einer für gegen im in ins mit nach nur ohne pro seit so "
    "über um und unter vom von vor zu zum zur oder sowie inklusive inkl exklusiv "
    "jetzt sofort schon immer noch sehr besonders ganz extra gratis kostenlos neu schnell "
    "leicht einfach frisch direkt bequem sicher perfekt ideal super hochwertig handgemacht "
    "nachhaltig fair"
)
_DE_NOT_NOUNS = frozenset(_DE_NOT_NOUN_WORDS.split())
# Those adjectives inflected before a noun ("Fairer Handel", "Kostenlose Rücksendung",
# "Frische Bohnen"): lower case mid-sentence like their base form.
_DE_ADJECTIVE_WORDS = (
    "kostenlos neu schnell leicht einfach frisch direkt bequem sicher perfekt super "
    "hochwertig handgemacht nachhaltig fair exklusiv"
)
_DE_ADJECTIVES = frozenset(_DE_ADJECTIVE_WORDS.split())
_DE_INFLECTION = regex.compile(r"(?:e[mnrs]?)$")
_DE_ADJECTIVE = regex.compile(r"(?:lich|bar)(?:e[mnrs]?)?$")
# Nouns that end like an adjective ("Nachbar", "Minibar").
_DE_BAR_NOUNS = ("nachbar", "minibar", "snackbar", "cocktailbar", "hausbar", "hotelbar")


def _de_not_noun(word: str) -> bool:
    folded = word.casefold()
    if folded in _DE_NOT_NOUNS:
        return True
    inflection = _DE_INFLECTION.search(folded)
    if inflection and folded[: inflection.start()] in _DE_ADJECTIVES:
        return True
    suffix = _DE_ADJECTIVE.search(folded)  # anchored at the end of the word
    return suffix is not None and suffix.start() >= 3 and not folded.endswith(_DE_BAR_NOUNS)


# One-letter words that are a preposition, article or conjunction of the language: "À partir
# de 12,50 €" after "Vélo électrique Volta :" reads "à partir de" in running text, as does
# Portuguese "a partir de", Polish "w", Russian "в". Any other lone capital ("I", a model
# letter "S", an initial) keeps its case, and so does one before a capitalised word ("O
# Boticário", "W Hotels": a name that starts with an article).
_ONE_LETTER_WORDS = {
    "en": "A",
    "fr": "À A Y",
    "pt": "A À O E É",
    "es": "A Y O E U",
    "it": "A E È O I",
    "ca": "A I O",
    "pl": "W Z O A I U",
    "cs": "V S Z K O A I U",
    "sk": "V S Z K O A I U",
    "ru": "В С К О У И А",
    "uk": "В У З І Й А О",
    "tr": "O",
}
_ONE_LETTER = {lang: frozenset(words.split()) for lang, words in _ONE_LETTER_WORDS.items()}
_ONE_LETTER_WORD = regex.compile(r"(\p{Lu}) (?=\p{Ll})")


def decapitalize_first(text: str, language: str) -> str:
    """Lower-case a title-case first word for use mid-sentence; German nouns keep capitals."""
    one = _ONE_LETTER_WORD.match(text)
    if one and one.group(1) in _ONE_LETTER.get(base_language(language), ()):
        return _lower(one.group(1), language) + text[1:]
    m = _TITLE_WORD.match(text)
    if not m:
        return text
    if base_language(language) == "de" and not _de_not_noun(m.group(0)):
        return text
    return _lower(m.group(1), language) + text[1:]


def _slavic(n: int, forms: tuple[str, ...], *, polish: bool) -> str:
    """The Russian or Polish plural of a counted word (1 месяц, 2 месяца, 5 месяцев, 21 месяц;
    Polish: 1 miesiąc, 2 miesiące, 5 miesięcy, 21 miesięcy)."""
    one, few, many = forms
    if n == 1 or (not polish and n % 10 == 1 and n % 100 != 11):
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _uncounted(*words: str) -> dict[Period, tuple[str, ...]]:
    """Words of the five periods (day, night, week, month, year) the same in singular and
    plural ("12 ay", "12か月"), or whose number takes no plural here ("12-month")."""
    return {p: (w, w) for p, w in zip(PERIODS, words, strict=True)}


# How many periods a minimum term lasts, per language: (singular, plural) of each period, or
# for Russian and Polish (one, few, many), for Arabic (one, two, 3-10, 11 and more).
_TERM_UNITS: dict[str, dict[Period, tuple[str, ...]]] = {
    "en": _uncounted("day", "night", "week", "month", "year"),
    "de": {
        "day": ("Tag", "Tage"),
        "night": ("Nacht", "Nächte"),
        "week": ("Woche", "Wochen"),
        "month": ("Monat", "Monate"),
        "year": ("Jahr", "Jahre"),
    },
    "fr": {
        "day": ("jour", "jours"),
        "night": ("nuit", "nuits"),
        "week": ("semaine", "semaines"),
        "month": ("mois", "mois"),
        "year": ("an", "ans"),
    },
    "es": {
        "day": ("día", "días"),
        "night": ("noche", "noches"),
        "week": ("semana", "semanas"),
        "month": ("mes", "meses"),
        "year": ("año", "años"),
    },
    "it": {
        "day": ("giorno", "giorni"),
        "night": ("notte", "notti"),
        "week": ("settimana", "settimane"),
        "month": ("mese", "mesi"),
        "year": ("anno", "anni"),
    },
    "pt": {
        "day": ("dia", "dias"),
        "night": ("noite", "noites"),
        "week": ("semana", "semanas"),
        "month": ("mês", "meses"),
        "year": ("ano", "anos"),
    },
    "ru": {
        "day": ("день", "дня", "дней"),
        "night": ("ночь", "ночи", "ночей"),
        "week": ("неделя", "недели", "недель"),
        "month": ("месяц", "месяца", "месяцев"),
        "year": ("год", "года", "лет"),
    },
    "pl": {
        "day": ("dzień", "dni", "dni"),
        "night": ("noc", "noce", "nocy"),
        "week": ("tydzień", "tygodnie", "tygodni"),
        "month": ("miesiąc", "miesiące", "miesięcy"),
        "year": ("rok", "lata", "lat"),
    },
    "tr": _uncounted("gün", "gece", "hafta", "ay", "yıl"),
    "ja": _uncounted("日", "泊", "週間", "か月", "年"),
    "zh": _uncounted("天", "晚", "周", "个月", "年"),
    "zh-Hant": _uncounted("天", "晚", "週", "個月", "年"),
    "ko": _uncounted("일", "박", "주", "개월", "년"),
    "hi": {
        "day": ("दिन", "दिन"),
        "night": ("रात", "रातें"),
        "week": ("सप्ताह", "सप्ताह"),
        "month": ("महीना", "महीने"),
        "year": ("वर्ष", "वर्ष"),
    },
    "he": {
        "day": ("יום", "ימים"),
        "night": ("לילה", "לילות"),
        "week": ("שבוע", "שבועות"),
        "month": ("חודש", "חודשים"),
        "year": ("שנה", "שנים"),
    },
    "ar": {
        "day": ("يوم", "يومين", "أيام", "يومًا"),
        "night": ("ليلة", "ليلتين", "ليالٍ", "ليلة"),
        "week": ("أسبوع", "أسبوعين", "أسابيع", "أسبوعًا"),
        "month": ("شهر", "شهرين", "أشهر", "شهرًا"),
        "year": ("سنة", "سنتين", "سنوات", "سنة"),
    },
}
# The terms line's words for a minimum term of ``{n} {unit}``, per language.
_TERM_FORM = {
    "en": "{n}-{unit} minimum term",
    "de": "Mindestlaufzeit {n} {unit}",
    "fr": "Engagement {n} {unit}",
    "es": "Permanencia mínima {n} {unit}",
    "it": "Vincolo minimo {n} {unit}",
    "pt": "Fidelidade mínima de {n} {unit}",
    "ru": "Минимальный срок: {n} {unit}",
    "pl": "Minimalny okres umowy: {n} {unit}",
    "tr": "{n} {unit} taahhüt",
    "ja": "最低契約期間{n}{unit}",
    "zh": "最低合约期{n}{unit}",
    "zh-Hant": "最低合約期{n}{unit}",
    "ko": "최소 약정 {n}{unit}",
    "hi": "न्यूनतम अवधि {n} {unit}",
    "he": "התחייבות ל-{n} {unit}",
    "ar": "التزام لمدة {n} {unit}",
}


def term_text(price: Price, language: str) -> str:
    """The minimum term of a price in the language's words ("12-month minimum term",
    "Mindestlaufzeit 12 Monate", "最低契約期間12か月"); empty when the price has none. English
    for languages without an entry."""
    if price.min_term is None or price.period is None:
        return ""
    tag = language.lower().replace("_", "-")
    key = "zh-Hant" if tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo")) else tag.split("-")[0]
    if key not in _TERM_FORM:
        key = "en"
    n, forms = price.min_term, _TERM_UNITS[key][price.period]
    if key in ("ru", "pl"):
        unit = _slavic(n, forms, polish=key == "pl")
    elif key == "ar":
        if n <= 2:  # "لمدة سنة", "لمدة شهرين": one and two are said by the word alone
            return _TERM_FORM[key].format(n="", unit=forms[n - 1]).replace("  ", " ")
        unit = forms[2] if n <= 10 else forms[3]
    else:
        unit = forms[0] if n == 1 else forms[1]
    return _TERM_FORM[key].format(n=n, unit=unit)
