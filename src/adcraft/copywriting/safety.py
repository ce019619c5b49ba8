"""Input hygiene and output moderation for LLM-written copy.

Input: the brief's text is untrusted. :func:`clean_untrusted` normalises it (NFKC, no
zero-width or bidi control characters) and :func:`injection_flags` names instruction-like text
in it ("ignore previous instructions", role markers, chat-template tokens) in the supported
languages; :mod:`adcraft.copywriting.injection` removes such sentences from the brief before
any copy is written, and whatever still reaches a prompt goes in as delimited data.

Output: :class:`OutputChecker` rejects copy with offensive terms (small per-language lists,
plus ``alt-profanity-check`` for English when installed), brand-banned or competitor words,
URLs or HTML, and optionally whatever a :class:`~adcraft.copywriting.ports.Moderator` flags.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import regex

from adcraft.copywriting.injection import patterns_in
from adcraft.copywriting.locale import format_price
from adcraft.copywriting.ports import Moderator
from adcraft.domain.brief import Brief
from adcraft.errors import ProviderError

# Zero-width characters, bidi embeddings/overrides/isolates and marks, the BOM, soft hyphen.
_INVISIBLE = regex.compile(
    r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u00ad]"
)
_CONTROL = regex.compile(r"[\p{Cc}--[\n\t]]", regex.V1)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Offensive words per language: a short, conservative list of unambiguous terms. Brands add
# their own via BrandVoice.banned_words; English also gets the alt-profanity-check model.
OFFENSIVE: dict[str, frozenset[str]] = {
    "en": _words(
        "fuck fucking fucked motherfucker shit shitty bullshit bitch bastard asshole cunt dick "
        "cock pussy whore slut retard retarded faggot nigger wank twat"
    ),
    "ru": _words("хуй хуйня пизда пиздец блядь блять бля ебать ёбаный ебаный сука мудак гандон"),
    "de": _words("scheiße scheisse ficken fick arschloch fotze hure wichser schlampe"),
    "es": _words("mierda puta puto joder coño cabrón gilipollas pendejo chingar verga"),
    "zh": _words("他妈的 操你 傻逼 妈的 婊子 贱人 狗屎 王八蛋"),
    "ar": _words("كس شرموطة عاهرة منيوك زب خرا"),
    "fr": _words("merde putain salope connard enculé"),
}
_URL = regex.compile(
    r"(?i)\b(?:https?://|www\.)\S+|\b[\w.-]+@[\w-]+\.\w{2,}\b|\b\S+\.(?:com|net|org|ru|cn|io)\b"
)
_HTML = regex.compile(r"<\s*/?\s*[a-zA-Z][^>]{0,200}>|&[a-z]+;|\*\*|__|\]\(")


def clean_untrusted(text: str) -> str:
    """NFKC-normalise text and drop zero-width, bidi-control and control characters."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub(" ", text)


def injection_flags(text: str) -> tuple[str, ...]:
    """Names of the prompt-injection patterns found in untrusted text (empty when clean)."""
    return patterns_in(clean_untrusted(text))


_MARK_AFTER_ALPHABET = regex.compile(r"(?<=[\p{Latin}\p{Cyrillic}\p{Greek}]\p{M}*)\p{M}+")
_CJK_TERM = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")


def fold_term(text: str) -> str:
    """Text for word matching: NFKC, no invisible characters, case-folded, and without accents
    on Latin, Cyrillic and Greek letters ("Günstig" and "gunstig", "Ёлка" and "елка" match).

    Marks of other scripts stay: they are letters there (Hindi vowel signs, Japanese dakuten).
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    bare = _MARK_AFTER_ALPHABET.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", bare)


def contains_term(text: str, term: str) -> bool:
    """Whether text contains term as a whole word (a substring in scripts without spaces).

    Case- and accent-insensitive; a Chinese, Japanese or Thai term is found anywhere, a Latin
    term inside Chinese copy is still matched whole ("Smartwatch" does not hit "art").
    """
    t = fold_term(term).strip()
    if not t:
        return False
    folded = fold_term(text)
    if _CJK_TERM.search(t):
        return t in folded
    pattern = rf"(?<![\p{{L}}\p{{N}}\p{{M}}]){regex.escape(t)}(?![\p{{L}}\p{{N}}\p{{M}}])"
    return regex.search(pattern, folded) is not None


def banned_in(text: str, words: Sequence[str]) -> list[str]:
    """The brand's banned words found in text, in the order given."""
    return [w for w in words if contains_term(text, w)]


def _contains(text: str, term: str, language: str) -> bool:
    return contains_term(text, term)


@cache
def _profanity_model() -> Callable[[list[str]], Sequence[float]] | None:
    try:
        from profanity_check import predict_prob  # type: ignore[import-untyped]
    except Exception:
        return None
    return predict_prob  # type: ignore[no-any-return]


_profanity_lock = threading.Lock()
# Scores by text: the model is deterministic and one call costs ~60 ms whatever its size, while a
# set shows the same few lines on dozens of sizes (and a re-render shows them again).
_profanity_scores: dict[str, float] = {}
_PROFANITY_CACHE_SIZE = 20_000


def _profanity(model: Callable[[list[str]], Sequence[float]], texts: list[str]) -> list[float]:
    """The model's score of each text, each distinct text scored once per process."""
    with _profanity_lock:  # sklearn predict is not documented as thread-safe
        new = [t for t in dict.fromkeys(texts) if t not in _profanity_scores]
        if new:
            if len(_profanity_scores) + len(new) > _PROFANITY_CACHE_SIZE:
                _profanity_scores.clear()
            _profanity_scores.update(zip(new, map(float, model(new)), strict=True))
        return [_profanity_scores[t] for t in texts]


def profanity_available() -> bool:
    """Whether ``alt-profanity-check`` is installed and loads."""
    return _profanity_model() is not None


@dataclass(frozen=True)
class Violation:
    """One reason a field was rejected."""

    field: str
    reason: str
    term: str = ""

    def describe(self) -> str:
        """A sentence the model (and the user) can act on."""
        what = f' "{self.term}"' if self.term else ""
        return f'field "{self.field}" contains {self.reason}{what}'


@dataclass(frozen=True)
class OutputChecker:
    """Rejects copy with offensive, banned or competitor terms, links, markup or moderation hits."""

    language: str = "en"
    banned_words: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    use_profanity_model: bool = True
    profanity_threshold: float = 0.85
    moderator: Moderator | None = None

    def check(self, fields: Mapping[str, str]) -> list[Violation]:
        """Every problem found, field by field; empty when the copy may be shown."""
        found: list[Violation] = []
        offensive = OFFENSIVE.get(self.language, frozenset()) | OFFENSIVE["en"]
        for name, text in fields.items():
            folded = clean_untrusted(text).casefold()
            found += [
                Violation(name, "an offensive word", w)
                for w in sorted(offensive)
                if _contains(folded, w, self.language)
            ]
            found += [
                Violation(name, "a banned word", w)
                for w in self.banned_words
                if _contains(folded, w, self.language)
            ]
            found += [
                Violation(name, "a competitor's name", w)
                for w in self.competitors
                if _contains(folded, w, self.language)
            ]
            if _URL.search(text):
                found.append(Violation(name, "a link or e-mail address"))
            if _HTML.search(text):
                found.append(Violation(name, "HTML or markdown"))
        found += self._model_checks(fields)
        return found

    def _model_checks(self, fields: Mapping[str, str]) -> list[Violation]:
        out: list[Violation] = []
        texts = {n: t for n, t in fields.items() if t.strip()}
        if self.use_profanity_model and self.language == "en" and texts:
            model = _profanity_model()
            if model is not None:
                probs = _profanity(model, list(texts.values()))
                for name, p in zip(texts, probs, strict=True):
                    if p >= self.profanity_threshold:
                        out.append(Violation(name, f"offensive language (score {p:.2f})"))
        if self.moderator is not None and texts:
            joined = "\n".join(texts.values())
            try:
                cats = self.moderator.flagged(joined)
            except ProviderError:
                cats = ()  # moderation is an extra gate: an outage must not block all copy
            if cats:
                out.append(Violation("*", "content flagged by moderation: " + ", ".join(cats)))
        return out


def scrub(text: str) -> str:
    """Remove links and markup from text as a last resort before it is shown."""
    text = _URL.sub("", text)
    text = _HTML.sub("", text)
    return regex.sub(r"\s{2,}", " ", text).strip()


_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> set[str]:
    from adcraft.copywriting.facts import normalize_for_match

    # "1,299" and "1299" and "1 299" are one number; "4.8" keeps its decimal point.
    folded = normalize_for_match(text)
    out = set()
    for n in _NUMBER.findall(folded):
        n = regex.sub(r"[.,](?=\d{3}(?!\d))", "", n).replace(",", ".")
        out.add(regex.sub(r"\.0+$", "", n))  # "189.00" is "189"
    return out


def invented_numbers(fields: Mapping[str, str], source: str) -> list[Violation]:
    """Numbers in the copy that appear nowhere in the brief: an invented price, date or claim."""
    allowed = _numbers(source)
    return [
        Violation(name, "a number that is not in the brief", n)
        for name, text in fields.items()
        for n in sorted(_numbers(text) - allowed)
    ]


_SCRIPTS: dict[str, str] = {
    "ru": "Cyrillic",
    "zh": "Han",
    "ja": "Han|Hiragana|Katakana",
    "ko": "Hangul|Han",
    "ar": "Arabic",
    "he": "Hebrew",
}


# One compiled alternation names a letter's script (checked per letter: a pattern compiled per
# call cost more than the rest of the copywriter).
_SCRIPT_OF_LETTER = regex.compile(
    "|".join(
        rf"(?P<{name}>\p{{{name}}})"
        for name in (
            "Latin",
            "Cyrillic",
            "Han",
            "Hiragana",
            "Katakana",
            "Hangul",
            "Arabic",
            "Hebrew",
            "Thai",
            "Greek",
            "Devanagari",
        )
    )
)


def foreign_script(text: str, lang: str) -> str | None:
    """The script most letters of text are in, when the language is not written in it."""
    letters = regex.findall(r"\p{L}", text)
    if len(letters) < 4:
        return None
    counts: dict[str, int] = {}
    for ch in letters:
        m = _SCRIPT_OF_LETTER.match(ch)
        if m is not None and m.lastgroup is not None:
            counts[m.lastgroup] = counts.get(m.lastgroup, 0) + 1
    if not counts:
        return None
    top = max(counts, key=lambda k: counts[k])
    expected = _SCRIPTS.get(lang, "Latin").split("|")
    return None if top in expected or counts[top] * 2 < len(letters) else top


def brief_text(brief: Brief) -> str:
    """All brief text the copy may quote numbers from."""
    price = format_price(brief.price, brief.language) if brief.price else ""
    return " ".join(
        (
            brief.product_name,
            brief.description,
            brief.offer,
            *brief.selling_points,
            *brief.extra_offers,
            price,
            str(brief.price.amount) if brief.price else "",
        )
    )
