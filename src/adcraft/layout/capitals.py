"""Upper-casing that follows the language's own rules.

Styles with capital headings upper-case the headline and the call to action. `str.upper()` knows
no language, and three of its results are wrong on an ad:

- Turkish and Azerbaijani have a dotted and a dotless i: "indirim" is "İNDİRİM", not "INDIRIM"
  (which reads as a different, misspelt word), and "ı" stays "I".
- Greek drops the accent (tonos) in capitals: "Αγόρασε" is "ΑΓΟΡΑΣΕ"; "ΑΓΌΡΑΣΕ" is a spelling
  error a Greek reader notices at once. The diaeresis stays ("ΐ" → "Ϊ").
- A unit symbol after a number is case-sensitive: "40 h" is hours and "40 H" henries, "5 mm"
  is not "5 MM", "2 kg" is not "2 KG", "500 ml" is not "500 ML". Units keep their case.

Languages written in scripts without case (Arabic, Hebrew, Chinese, Japanese, Korean, Hindi…)
keep the text as written: capitals would touch only the Latin names in it ("SKYFLY: טיסות",
"ポケットWI-FI"), which reads as a misspelt brand, not as a style.
"""

from __future__ import annotations

import re
import unicodedata

_TURKIC = frozenset({"tr", "az", "crh", "tt"})
_CASELESS = frozenset(
    {"ar", "he", "fa", "ur", "yi", "zh", "ja", "ko", "hi", "mr", "ne", "bn", "th", "ka", "am"}
)

# Unit symbols as the SI and the trade write them; matched after a number only, so a word that
# happens to be spelt like one ("min" in "Admin") is upper-cased as usual.
_UNITS = (
    "mAh|Ah|kWh|Wh|kW|W|mW|V|mV|Hz|kHz|MHz|GHz|dB|lm|"
    "GB|MB|TB|KB|kB|Gb|Mb|Gbps|Mbps|"
    "mm|cm|dm|km|m|µm|nm|mg|kg|g|ml|mL|cl|dl|l|L|"
    "h|min|s|ms|"
    "km/h|m/s|kcal|cal|mph|fps|px|dpi|ppm|"
    "ч|мин|сек|мм|см|км|м|кг|г|мг|мл|л|Вт|кВт|мАч|ГБ|МБ|ТБ|Гц|"
    "dk|sn|sa"
)
_UNIT_AFTER_NUMBER = re.compile(rf"(?<=\d)(\s?)({_UNITS})(?!\w)")

_GREEK_ACCENTS = {"\u0301", "\u0300", "\u0342", "\u0313", "\u0314", "\u0345"}


def upper(text: str, language: str) -> str:
    """`text` in capitals as `language` writes them (see the module docstring)."""
    lang = language.split("-")[0].lower()
    if lang in _CASELESS:
        return text
    kept = [(m.start(2), m.group(2)) for m in _UNIT_AFTER_NUMBER.finditer(text)]
    turkic = lang in _TURKIC
    out = (text.replace("i", "İ").replace("ı", "I") if turkic else text).upper()
    if any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in out):
        out = _greek_capitals(out)
    if kept and len(out) == len(text):
        # Same length: the positions still line up ("ß" → "SS" would shift them; such a text
        # keeps the plain result rather than misplace a unit).
        chars = list(out)
        for start, unit in kept:
            chars[start : start + len(unit)] = unit
        out = "".join(chars)
    return out


def _greek_capitals(text: str) -> str:
    """Drop the accents Greek capitals do not carry, keep the diaeresis."""
    out: list[str] = []
    for ch in text:
        if not ("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff"):
            out.append(ch)
            continue
        parts = unicodedata.normalize("NFD", ch)
        kept = "".join(p for p in parts if p not in _GREEK_ACCENTS)
        out.append(unicodedata.normalize("NFC", kept).upper())
    return "".join(out)
