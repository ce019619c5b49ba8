"""A creative's warnings and not-publishable reasons with stable codes, to say in any language.

Every such line the engine writes (the claim check's faults, the essentials of a small size, a
field left out or cut, an emoji removed, an image format overridden, a sentence removed as
prompt injection, a hand adjustment set aside, a failed gate) comes from one template of
:data:`TEMPLATES` (English, as the CLI, the CSV and older clients show it). :func:`parse` reads
such a line back — also one stored before codes existed — as a :class:`Note`: its code and the
values in it. A line no template made is code ``other``, shown as it is.

Values come back as the engine wrote them (a field name, a format id, the ad's own words in
quotes: those stay in the ad's language), except the numbers of a sale that promises more than
its prices give, which come back as numbers. A deal shown without some of its parts also gives
each missing part on its own (``gap_code``, ``gap_deadline``, ``gap_qualifier``), so a client
can say "its promo code" in its language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from adcraft.coded_text import CodedText

#: code -> English template (``str.format``). Codes are part of the API: never rename one.
TEMPLATES: dict[str, str] = {
    # The claim check (copywriting.claimcheck): why shown text cannot be published as it is.
    "claim_changed": '{field}: "{shown}" changes the meaning of "{claim}"',
    "claim_not_in_brief": '{field}: "{shown}" is a claim the brief does not make',
    "claim_drops_scope": '{field}: "{shown}" drops what it applies to (brief: "{brief}")',
    "claim_other_scope": '{field}: "{shown}" is for something else (brief: "{brief}")',
    "price_without_period": (
        '{field}: "{price_text}" is shown without its period: the brief\'s {source} prices per '
        '{period} ("{phrase}"): set the price\'s period so it is shown with it'
    ),
    "price_shown_bare": (
        '{field}: "{shown}" is shown without its period (the price is "{price_text}")'
    ),
    "price_other_period": (
        '{field}: "{shown}" gives the price another period than the brief\'s "{price_text}"'
    ),
    "price_without_term": '{field}: "{shown}" is shown without its minimum term "{term}"',
    "claim_drops_period": '{field}: "{shown}" drops the period (brief: "{brief}")',
    "claim_drops_condition": (
        '{field}: "{shown}" drops the condition "{condition}" (brief: "{brief}")'
    ),
    "claim_drops_from": '{field}: "{shown}" drops "from" (brief: "{brief}")',
    "claim_without_condition": '{field}: "{shown}" without its condition (brief: "{brief}")',
    "claim_without_up_to": '{field}: "{shown}" without its "up to" (brief: "{brief}")',
    "text_over_cap": (
        "{format}: text covers {share} of the image, more than the {cap} the platform allows"
    ),
    "claim_without_qualifier": '{field}: "{shown}" without "{qualifier}" (brief: "{brief}")',
    "number_without_claim": '{field}: "{shown}" shown without its claim "{claim}"',
    "number_not_in_brief": '{field}: the number "{number}" is not in the brief',
    "half_price_without_item_of": (
        '{field}: "{shown}" without the item it is for (brief: "{brief}")'
    ),
    "half_price_without_item": '{field}: "{shown}" without the item it is for',
    "ends_mid_phrase": '{field}: "{shown}" ends mid-phrase',
    "ends_on_word": '{field}: "{shown}" ends on "{word}"',
    "word_cut": '{field}: "{word}" is cut (from "{whole}")',
    "kana_cut": '{field}: "{shown}" is cut (the brief goes on with "{next}")',
    "cut_to_fit": "{field}: cut to fit",
    "needs_code": '{field}: "{shown}" needs code {promo}, shown nowhere (brief: "{brief}")',
    "brief_contradiction": 'brief: "{first}" and "{second}" contradict each other',
    "brief_percent_above_prices": (
        'brief: "{claim}" promises more than the prices give: {regular:g} → {price:g} '
        "is {percent:.0f} % off"
    ),
    "brief_amount_above_prices": (
        'brief: "{claim}" promises more than the prices give: {regular:g} → {price:g} '
        "saves {saved:g}"
    ),
    # The essentials of a small size (copywriting.essentials): a whole ad or none.
    "no_headline": (
        "no headline fits {format}, not even the product name: the ad would not say what it sells"
    ),
    "no_cta": (
        "no call to action fits {format}, not even the shortest: the ad would have no button"
    ),
    "deal_not_whole": 'the deal cannot be shown whole on {format}: "{shown}" is shown without '
    "{missing}",
    "deal_named_instead": (
        '{fields}: "{shown}" is shown without {missing} on {format}, where it does not fit '
        "whole: the headline names the product instead"
    ),
    "deal_left_out": (
        '{fields}: "{shown}" is shown without {missing} on {format}, where it does not fit '
        "whole: left out"
    ),
    "deal_named_and_left_out": (
        '{fields}: "{shown}" is shown without {missing} on {format}, where it does not fit '
        "whole: the headline names the product instead and left out"
    ),
    "headline_replaced": (
        "headline: the written headline does not fit {format}: the product name is shown instead"
    ),
    "headline_named_instead": (
        'headline: "{headline}" does not say what the ad sells and the product name does not '
        "fit beside it on {format}: the product name is shown instead"
    ),
    "edit_without_product_name": (
        "the edited text does not name the product on {format}: a banner shown on its own "
        "should say what it sells"
    ),
    "image_without_product_name": (
        "the product name does not fit the image of {format} beside the rest: only the text "
        "beside the image says what the ad sells"
    ),
    "no_product_name": (
        "the product name does not fit {format} beside the rest: the ad would not say what it sells"
    ),
    "no_provider": (
        "finance: {format} does not name who provides this financial service: the brand kit's "
        "logo or name must be on it (set them, or the name has no room here)"
    ),
    "credit_left_out": (
        '{field}: "{shown}" left out on {format}: a credit offer must name its lender, and the '
        "brand kit names none"
    ),
    "price_left_out_period": (
        'price: left out, "{price_text}" does not fit {format} with its period (a recurring '
        "price is never shown without it)"
    ),
    "price_left_out_term": (
        'price: left out, "{price_text}" has a minimum term ("{term}") that does not fit '
        "{format} (such a price is never shown without it)"
    ),
    "price_left_out_trial": (
        'price: left out beside the free trial "{trial}" on {format}: "{price_text}" has no '
        "period, so it could read as the price of the trial; set the price's period, or say "
        "in an offer what the trial leads into, to show it"
    ),
    "price_left_out_stay": (
        'price: left out beside the stay "{stay}" on {format}: "{price_text}" has no period, so '
        'it could read as the price of the whole stay; set the price\'s period to "night" to '
        "show it"
    ),
    "price_gave_way": (
        "price: left out on {format} so that the product name fits: a banner shown on its own "
        "must say what it sells"
    ),
    "cta_replaced": 'cta: "{cta}" does not fit {format}: "{shorter}" is shown instead',
    "cta_missing_replaced": (
        'cta: the call to action does not fit {format}: "{shorter}" is shown instead'
    ),
    "deadline_not_shown": (
        'deadline: "{shown}" is shown without its deadline "{deadline}": {format} '
        "has no room for it in small print"
    ),
    # Layout and drawing.
    "field_left_out": "{field}: left out, no whole phrasing fits {format}",
    "truncated": "truncated: {field}",
    "emoji_drawn": "{field}: emoji drawn: {emoji} (in colour, Noto Color Emoji)",
    "emoji_removed": "{field}: removed emoji {emoji}: not in the bundled emoji font",
    "chars_removed": "{field}: removed {chars}: no bundled font can draw it",
    "image_format_unwritable": (
        "{format} accepts {accepts}, none of which adcraft writes; wrote jpeg"
    ),
    "image_format_refused": (
        "{format} does not accept {requested}; it accepts {accepts}: wrote {wrote}"
    ),
    "placement_set_aside": "layout: the hand adjustment of this size was set aside: {reason}",
    # The brief and the copywriter.
    "injection_removed": 'injection: removed from {field} ({pattern}): "{sentence}"',
    "copy_fallback": "copy: written by the built-in writer, {provider} failed: {reason}",
    # A gate the creative failed (its reason as the gate wrote it).
    "gate_failed": "gate: {gate} ({subject}): {reason}",
    # Set-level warnings: about a whole run, preview, import or experiment, not one creative.
    "preview_scene_later": (
        "preview: the generated picture and painted scene are made only when the set is "
        "generated; the preview shows each style's own design"
    ),
    "photo_not_used": "the product photo is not used: the picture comes from {source}",
    "no_product_image": "no product image: using text-led designs",
    "offer_no_words": '{label} "{text}" has no words: say what its numbers are (e.g. "50 % off")',
    "offer_other_script": (
        '{label} "{text}" is not written in the brief\'s language ({language}): '
        "its claims are checked as written and may be misread"
    ),
    "offer_too_long": (
        "offer has {length} characters: an image shows only its whole claims "
        "({shown}); the rest is left out, never cut mid-sentence"
    ),
    "copy_fallback_set": (
        "copy: the built-in writer wrote variant(s) {variants} because {provider} failed: {reason}"
    ),
    "import_image_missing": '{sku}: image "{image}" was not uploaded with the file',
    "price_period_hint": (
        'price: {source} ("{phrase}") is priced per {period}, but the price has no period: if '
        '"{price_text}" is the price of one {period}, set the price\'s period to "{period}" so '
        "every creative shows it"
    ),
    "price_recurring_hint": (
        'price: {source} ("{phrase}") suggests a recurring price, but the price has no period: '
        'if "{price_text}" is paid per month, night or year, set the price\'s period so every '
        "creative shows it"
    ),
    "price_period_missing": (
        'price: {source} prices per {period} ("{phrase}") but the price has no period: set the '
        'price\'s period to "{period}" so every creative shows it with the price ("{price_text}" '
        "alone reads as a one-off price); until then no creative shows the price"
    ),
    "discount_without_reference_price": (
        'price: {label} "{deal}" announces a price reduction, but the brief gives no regular '
        'price: beside "{price_text}" it does not say which price it is taken from, and EU '
        "price rules (Omnibus directive, PAngV §11) ask a price reduction to state the prior "
        "price: set regular_price, the lowest price of the last 30 days"
    ),
    "reference_price_in_words": (
        'price: {label} names {prior} as the prior price in words ("{phrase}"), but the brief '
        "sets no regular price: if {prior} is the lowest price of the last 30 days (EU price "
        "rules), set regular_price to it so every creative shows it struck through beside "
        '"{price_text}"'
    ),
    "provider_not_named": (
        "finance: the images name no provider: rules for advertising credit and financial "
        "services ask for the provider's name in the ad; give the brand kit a logo (drawn on "
        "each image where it fits) or a name (drawn as small print); until then a financial "
        "product's creatives are not publishable and a credit offer is left off"
    ),
    "point_without_up_to": (
        'selling point {n}: "{shown}" without its "up to" (brief: "{brief}"): the built-in '
        "writer adds it; write it into the point"
    ),
    "point_without_condition": (
        'selling point {n}: "{shown}" without the condition the description gives it '
        '("{condition}"): the built-in writer adds it; write it into the point'
    ),
    "text_engine_basic": (
        "text engine: basic layout (libraqm/libfribidi missing); fine for scripts without "
        "shaping, other scripts are refused: install libfribidi (Debian/Ubuntu: apt-get install "
        "libfribidi0; Fedora: dnf install fribidi; macOS: brew install fribidi) and start "
        "adcraft again"
    ),
    "clicks_ignored": (
        "arm {arm} on {day}: {ignored} clicks without impressions ignored "
        "(no impression of this arm to the same viewer)"
    ),
}

CODES: tuple[str, ...] = (*TEMPLATES, "other")
"""Every code a client may meet (``other``: a line no template made)."""

NOT_PUBLISHABLE = "not publishable: "
"""Prefix of the warnings that repeat a not-publishable reason (API records)."""

_NUMBERS = frozenset({"regular", "price", "percent", "saved"})
_SHAPES = {
    "field": r"[\w:\-]+",
    "format": r"[\w\-.]+",
    "pattern": r"[\w\-]+",
    "gate": r"[\w\-]+",
    "length": r"\d+",
    "ignored": r"\d+",
    "n": r"\d+",
    "language": r"[\w\-]+",
}
_NUMBER = r"-?\d+(?:\.\d+)?(?:e[+\-]?\d+)?"
_GAP = re.compile(
    r'its (promo code|deadline|qualifier|price after the trial) "(.*?)"(?=, its |$)', re.DOTALL
)
_GAP_PARAM = {
    "promo code": "gap_code",
    "deadline": "gap_deadline",
    "qualifier": "gap_qualifier",
    "price after the trial": "gap_after_trial",
}


def _shape(name: str) -> str:
    return _NUMBER if name in _NUMBERS else _SHAPES.get(name, ".+?")


_TEXT = CodedText(TEMPLATES, _shape)


def say(code: str, **params: object) -> str:
    """The English line of a note."""
    return _TEXT.say(code, **params)


def missing_parts(kinds: tuple[str, ...], parts: tuple[str, ...]) -> str:
    """'its promo code "SPRING15", its deadline "until Sunday"': what a shown deal lacks."""
    return ", ".join(f'its {kind} "{part}"' for kind, part in zip(kinds, parts, strict=True))


@dataclass(frozen=True)
class Note:
    """One warning or not-publishable reason: its code, values and English text."""

    code: str
    text: str
    params: dict[str, float | str] = field(default_factory=dict)
    blocks: bool = False
    """A ``not publishable: …`` warning: the reason keeps the creative from being published."""


def parse(text: str) -> Note:
    """The note the engine wrote as ``text``; code ``other`` when no template made it. A
    ``not publishable: `` prefix is read as :attr:`Note.blocks`."""
    body, blocks = text, text.startswith(NOT_PUBLISHABLE)
    if blocks:
        body = text.removeprefix(NOT_PUBLISHABLE)
    found = _TEXT.read(body)
    if found is None:
        return Note(code="other", text=text, blocks=blocks)
    code, raw = found
    params: dict[str, float | str] = {
        name: float(value) if name in _NUMBERS else value for name, value in raw.items()
    }
    if "missing" in params:
        for kind, part in _GAP.findall(str(params["missing"])):
            params[_GAP_PARAM[kind]] = part
    return Note(code=code, text=text, params=params, blocks=blocks)


def parse_blocking(text: str) -> Note:
    """A not-publishable reason as creatives list it (``publishable_reasons``, without the
    ``not publishable: `` prefix of the warnings): always a note that blocks."""
    return parse(text if text.startswith(NOT_PUBLISHABLE) else NOT_PUBLISHABLE + text)
