"""A deal in the platform text is shown whole or not at all.

The text uploaded beside the image (Meta primary text, headline and description; Google's
headlines and descriptions) is read field by field: Meta cuts a description or hides it on some
placements, Google pairs its headlines and descriptions as it likes. So each field that shows a
deal shows it with its promo code, its deadline and, for a free trial, the price it leads into
("…20% הנחה עם הקוד BARISTA20. עד יום ראשון בלבד."), in the brief's own words, within the
field's limit. Where the deal cannot be made whole within the limit, the field says something
else (the deal is left out, a headline names the product) and a warning says so, as the
on-image path does (:mod:`adcraft.copywriting.essentials`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import regex

from adcraft.copywriting.claimcheck import (
    GAP_AFTER_TRIAL,
    GAP_CODE,
    GAP_DEADLINE,
    ClaimContext,
    DealGap,
    after_trial,
    after_trial_text,
    brief_line,
    deal_gaps,
)
from adcraft.copywriting.claims import base_language, required_code
from adcraft.copywriting.locale import (
    STOPS_ANYWHERE,
    STOPS_BEFORE_SPACE,
    ad_sep,
    capitalize_first,
    end_headline,
    end_sentence,
    sentence_sep,
)
from adcraft.copywriting.offline import FieldSpec, is_headline
from adcraft.notes import missing_parts, say

# A sentence ends at a stop before a space or the end ("₺2.500" is one number); a CJK one
# anywhere.
_SENTENCE_END = regex.compile(rf"[{STOPS_BEFORE_SPACE}](?=\s|$)|[{STOPS_ANYWHERE}]")
# A Korean or Japanese deadline that is a bare adverbial phrase ("일요일까지", "日曜日まで") is
# no sentence: after the deal it reads as a stray fragment ("…20% 할인. 일요일까지."), so it
# leads the deal's clause instead, the way a native writes it ("일요일까지 쿠폰 … 20% 할인.",
# "日曜日まで、2点目半額。"), joined by what follows it there.
_LEADING_DEADLINE = {
    "ko": (regex.compile(r"(?:까지|까지만)$"), " "),
    "ja": (regex.compile(r"まで$"), "、"),
}
# Where a clause starts: after a sentence's end, a colon ("오라 비타민C 세럼: 쿠폰 …"), the
# ad separator of a headline, or a line break.
_CLAUSE_BREAK = regex.compile(r"[.!?](?=\s)|[。！？।؟۔：:｜|・·•\n]")


def whole_platform_deals(
    fields: Mapping[str, str],
    specs: Sequence[FieldSpec],
    ctx: ClaimContext,
    *,
    product_name: str,
    format_id: str,
    pinned: frozenset[str] = frozenset(),
) -> tuple[dict[str, str], list[str]]:
    """The platform text with each deal whole in every field that shows it, and a warning
    for each field whose deal could not be made whole there and was left out; ``pinned``:
    fields the marketer wrote, flagged but never rewritten."""
    out = dict(fields)
    notes: list[str] = []
    for spec in specs:
        text = out.get(spec.name, "")
        gaps = deal_gaps({spec.name: text}, ctx) if text else []
        if not gaps:
            continue
        if spec.name in pinned:
            notes += [_flagged(g, format_id) for g in gaps]
            continue
        whole = _completed(text, spec, ctx)
        if whole is not None:
            out[spec.name] = whole
            continue
        out[spec.name] = _without_deals(text, spec, ctx, product_name)
        named = out[spec.name] == product_name != text
        for gap in gaps:
            code = "deal_named_instead" if named else "deal_left_out"
            missing = missing_parts(gap.missing, gap.parts)
            notes.append(
                say(
                    code,
                    fields=f"platform {spec.name}",
                    shown=gap.shown,
                    missing=missing,
                    format=format_id,
                )
            )
    return out, notes


def _flagged(gap: DealGap, format_id: str) -> str:
    missing = missing_parts(gap.missing, gap.parts)
    return say("deal_not_whole", format=format_id, shown=gap.shown, missing=missing)


def _whole(text: str, spec: FieldSpec, ctx: ClaimContext) -> bool:
    return spec.fits(text) and not deal_gaps({spec.name: text}, ctx)


def _completed(text: str, spec: FieldSpec, ctx: ClaimContext) -> str | None:
    """The text with what its deals lack added after the sentence that shows them (a bare
    Korean or Japanese deadline before the deal's clause), first as written, then with its
    other sentences dropped from the end to make room; None where no such text is whole
    within the limit."""
    for shorter in _shortened(text, spec, ctx):
        for candidate in _completions(shorter, spec, ctx):
            if _whole(candidate, spec, ctx):
                return candidate
    return None


def _shortened(text: str, spec: FieldSpec, ctx: ClaimContext) -> Iterator[str]:
    """The text, then the text less its last sentence that shows no deal, and so on."""
    sentences = _sentences(text)
    yield text
    sep = sentence_sep(ctx.language)
    while True:
        gaps = deal_gaps({spec.name: sep.join(sentences)}, ctx)
        shown = [g.shown for g in gaps]
        spare = [i for i, s in enumerate(sentences) if not any(d in s for d in shown)]
        if not spare or len(sentences) < 2:
            return
        del sentences[spare[-1]]
        yield sep.join(sentences)


def _completions(text: str, spec: FieldSpec, ctx: ClaimContext) -> Iterator[str]:
    """The text with the missing parts of its deals added, in each wording the brief allows,
    its own lines first."""
    gaps = deal_gaps({spec.name: text}, ctx)
    if not gaps or any(not _addable(g) for g in gaps):
        return
    for parts in _wordings(gaps, ctx):
        lead = [p for p in parts if _leads(p, gaps, ctx.language)]
        rest = [p for p in parts if p not in lead]
        yield _inserted(
            text, gaps[0].shown, rest, spec, ctx.language, lead=lead, brief_deal=gaps[0].claim.text
        )


def _leads(part: str, gaps: list[DealGap], language: str) -> bool:
    """Whether ``part`` is a bare deadline phrase that goes before its deal: the deadline as
    the claim reads it ("日曜日まで"), not the brief's sentence around it ("セールは日曜日まで",
    which stands after the deal as a sentence of its own)."""
    rule = _LEADING_DEADLINE.get(base_language(language))
    if rule is None:
        return False
    deadlines = (
        p for g in gaps for m, p in zip(g.missing, g.parts, strict=True) if m == GAP_DEADLINE
    )
    bare = part in deadlines
    return bare and rule[0].search(part.rstrip("。.、, ")) is not None


def _addable(gap: DealGap) -> bool:
    # A deal shown without its qualifier ("15% off" for "15% off monthly rentals") is not
    # completed by a line after it: it would still promise 15% on everything.
    return all(m in (GAP_CODE, GAP_DEADLINE, GAP_AFTER_TRIAL) for m in gap.missing)


def _wordings(gaps: list[DealGap], ctx: ClaimContext) -> Iterator[list[str]]:
    """The lines to add: with the deadline as the brief writes it on a line of its own
    ("עד יום ראשון בלבד", "活动截至周日"), then as the bare deadline ("截至周日")."""
    for own in (True, False):
        parts: list[str] = []
        for gap in gaps:
            for missing, part in zip(gap.missing, gap.parts, strict=True):
                line = _part(gap, missing, part, ctx, own=own)
                if line not in parts:
                    parts.append(line)
        yield parts


def _part(gap: DealGap, missing: str, part: str, ctx: ClaimContext, *, own: bool) -> str:
    if missing == GAP_CODE:
        code = required_code(gap.claim, ctx.claims)
        return code.text if code is not None else part
    if missing == GAP_AFTER_TRIAL:
        after = after_trial(ctx)
        return after_trial_text(after, ctx) if after is not None else part
    if own:
        return brief_line(ctx, part) or part
    return part


def _inserted(
    text: str,
    deal: str,
    parts: list[str],
    spec: FieldSpec,
    language: str,
    *,
    lead: Sequence[str] = (),
    brief_deal: str = "",
) -> str:
    """``parts`` right after the sentence that shows ``deal``: as sentences in a text, after
    the language's separator in a headline, which has no full stops; ``lead`` (a bare Korean or
    Japanese deadline) at the start of the deal's clause. A part that says the deal itself (the
    brief's line "-30% z kodem KAWA30 do niedzieli") takes the deal's place instead: after it,
    the deal would be said twice."""
    at = text.find(deal)
    if at >= 0:
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
        stop = _SENTENCE_END.search(text, at + len(deal))
        end = stop.start() if stop is not None else len(text)
        sentence = text[start:end].strip()
        for part in [p for p in parts if sentence and sentence.casefold() in p.casefold()]:
            space = " " if start and not text[start - 1].isspace() else ""
            text = f"{text[:start]}{space}{part}{text[end:]}"
            parts = [p for p in parts if p != part]
            at, deal = text.find(part), part
            break
    if lead and at >= 0:
        joiner = _LEADING_DEADLINE[base_language(language)][1]
        # The deal as shown may take in the name before it ("오라 비타민C 세럼: 쿠폰 …"): its
        # clause starts at the brief's own words where they are there.
        own = text.find(brief_deal, at) if brief_deal else -1
        anchor = own if own >= 0 else at
        start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, anchor)), default=0)
        while start < anchor and text[start].isspace():
            start += 1
        led = "".join(p.rstrip("。.、, ") + joiner for p in lead)
        text = text[:start] + led + text[start:]
        at += len(led)
        if not parts:
            return end_headline(text, language) if is_headline(spec.name) else text
    stop = _SENTENCE_END.search(text, at + len(deal)) if at >= 0 else None
    end = stop.end() if stop is not None else len(text)
    before, after = text[:end].rstrip(), text[end:].strip()
    if is_headline(spec.name):
        added = ad_sep(language).join([end_headline(before, language), *parts])
        return end_headline(f"{added} {after}".strip(), language)
    sep = sentence_sep(language)
    said = [
        end_sentence(s, language) for s in (before, *(capitalize_first(p, language) for p in parts))
    ]
    return sep.join([*said, *([after] if after else [])])


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        out.append(text[start : m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _without_deals(text: str, spec: FieldSpec, ctx: ClaimContext, product_name: str) -> str:
    """The text less the sentences that show a deal by halves; a headline left with nothing
    (or still showing one) names the product, another field says nothing."""
    sentences = _sentences(text)
    sep = sentence_sep(ctx.language)
    while True:
        rest = sep.join(sentences)
        gaps = deal_gaps({spec.name: rest}, ctx) if rest else []
        halves = [i for i, s in enumerate(sentences) if any(g.shown in s for g in gaps)]
        if not gaps or not halves:
            break
        sentences = [s for i, s in enumerate(sentences) if i not in halves]
    if rest and not gaps:
        return end_headline(rest, ctx.language) if is_headline(spec.name) else rest
    # A headline is never left empty (Google asks for its long headline too): the name says
    # what the ad sells.
    if "headline" in spec.name and spec.fits(product_name):
        return product_name
    return ""
