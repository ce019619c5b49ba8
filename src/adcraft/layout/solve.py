"""The layout engine: template + copy + format + style + product shape -> a Layout. Pure.

The canvas is split into a product region and a text region that never intersect, so text can
never cover the product. Text blocks are fitted together with one shared scale factor, which keeps
the hierarchy (headline > body > fine print) intact while everything shrinks to fit; below each
field's readable minimum, optional fields are dropped, and if a required field still does not fit
the engine raises :class:`CopyTooLong` saying how many characters would fit — it never overflows.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import regex

from adcraft.domain.creative import BUTTON_KINDS, TEXT_KINDS, Background, Element, Layout
from adcraft.domain.formats import Format, Shape
from adcraft.domain.template import Arrangement, Template
from adcraft.errors import CopyTooLong
from adcraft.layout.capitals import upper
from adcraft.layout.fonts import Weight
from adcraft.layout.geometry import Rect
from adcraft.layout.linebreak import MIN_HYPHENATED
from adcraft.layout.styles import Style, choose_arrangement
from adcraft.layout.typography import (
    FittedText,
    drawable,
    fallback_faces,
    fit_text,
    paragraph_direction,
    resolve_face,
)

# Fields dropped first when space runs out; required fields are never dropped.
_DROP_ORDER = ("disclaimer", "body", "price", "badge", "logo")
_PLATED = BUTTON_KINDS
# Letters a headline word needs before it may be hyphenated ("Milchaufschäumer" may,
# "HEADPHONES" may not).
_HEADLINE_HYPHENATED = 12
# A row whose text leaves more than this share of the width free tries larger text.
_ROW_SLACK = 0.25
_ROW_GROWTH = (1.6, 1.4, 1.2)
_BUTTON_PREF = 0.2  # a badge in a row is sized like the CTA button
_CTA_SHARE_AT_LEAST = 0.32  # of a row's width, before a banner shows no button
# A small mobile banner (320x50, 300x50) gives its button up to this share of the row before it
# shows no button: "Jetzt bestellen" at 12 px is 114 px, a third of the row is 99.
_CTA_SHARE_SMALL = 0.42
_SMALL_ROW_W = 400  # a row narrower than this (in pixels) is a small mobile banner's
# In a leaderboard (728x90) 0.2 of the row's height is a 13 px button beside a 31 px headline:
# its buttons (badge, price, CTA) are set 17 px, else 15 px, where the headline keeps its size.
_LEADERBOARD_BUTTON_PREFS = (0.26, 0.23)
# Banners at least this many times wider than tall show the body under the headline.
_SUBLINE_ASPECT = 7
#: No text is drawn smaller than this at 1x: a small banner shows fewer fields instead.
MIN_TEXT_PX = 12
_SCALES = tuple(round(0.9**k, 4) for k in range(26))
_COMFORT_SCALE = 0.6
# Smallest share of its preferred size a block keeps while the shared scale goes down.
_KEEP = {"cta": 0.75, "price": 0.6, "badge": 0.6}


@dataclass(frozen=True)
class SolveInput:
    """Everything the layout engine needs; no pixels."""

    template: Template
    fmt: Format
    style: Style
    copy: Mapping[str, str]
    language: str
    product_aspect: float | None = None
    """Width/height of the product cut-out; None for a text-led design."""
    price_text: str | None = None
    prior_price_text: str | None = None
    """The price before the sale, drawn struck through before ``price_text`` in its pill."""
    logo_aspect: float | None = None
    """Width/height of the brand logo; None when there is no logo."""
    extra_fields: Mapping[str, str] | None = None
    """Template fields shown where the format has room although its shape leaves them out
    ("disclaimer": the deal's deadline in small print on a banner): optional, so the first
    dropped when space runs out."""
    text_scale: float = 1.0
    """Every text block's preferred size times this: below 1 where the format caps how much
    of the image text may cover (:attr:`Format.max_text_share`)."""
    product_name: str = ""
    """The brief's product name: its model number stays with it in every line break."""


@dataclass(frozen=True)
class _Block:
    kind: str
    text: str
    family: str
    weight: Weight
    pref: float
    min_px: int
    max_lines: int
    required: bool
    aspect: float | None = None  # image blocks (logo) only
    struck: str | None = None  # the price pill's prior price, at the start of its text


@dataclass(frozen=True)
class _Placed:
    block: _Block
    fitted: FittedText | None
    w: int
    h: int
    pad_x: int = 0
    pad_y: int = 0


# Where a format caps the share of the image text may cover, what the layout gives up, in
# order, until the text fits under it: a little size, the body, then more size.
_TEXT_CAP_STEPS = ((0.9, False), (1.0, True), (0.9, True), (0.8, True), (0.7, True), (0.6, True))
# Elements whose area counts as text against such a cap ("text, including logos with text").
_CAPPED_KINDS = TEXT_KINDS | {"logo"}


def text_share(layout: Layout) -> float:
    """The share of the canvas the text (and the logo) covers, as a platform's text cap counts
    it: the union of their boxes, clipped to the canvas."""
    boxes = [
        (max(0, x), max(0, y), min(layout.width, x + w), min(layout.height, y + h))
        for e in layout.elements
        if e.kind in _CAPPED_KINDS
        for x, y, w, h in (e.box,)
    ]
    boxes = [b for b in boxes if b[2] > b[0] and b[3] > b[1]]
    if not boxes:
        return 0.0
    xs = sorted({v for b in boxes for v in (b[0], b[2])})
    ys = sorted({v for b in boxes for v in (b[1], b[3])})
    covered = 0
    for x0, x1 in itertools.pairwise(xs):
        for y0, y1 in itertools.pairwise(ys):
            if any(b[0] <= x0 and x1 <= b[2] and b[1] <= y0 and y1 <= b[3] for b in boxes):
                covered += (x1 - x0) * (y1 - y0)
    return covered / (layout.width * layout.height)


def solve(inp: SolveInput) -> Layout:
    """Lay out one creative. Raises CopyTooLong when required copy cannot fit.

    Where the format caps the share of the image text may cover (Google responsive display:
    20 %), text that covers more is set a little smaller, then the body is left out, then the
    rest is set smaller still; a layout that still covers more is returned as it is, and the
    creative is then not publishable (:func:`adcraft.compose.make_creative`)."""
    layout = _solve(inp)
    cap = inp.fmt.max_text_share
    if cap is None or text_share(layout) <= cap:
        return layout
    body = bool(inp.copy.get("body", "").strip())
    for scale, without_body in _TEXT_CAP_STEPS:
        if without_body and not body:
            continue
        copy = {k: v for k, v in inp.copy.items() if not (without_body and k == "body")}
        try:
            trial = _solve(replace(inp, copy=copy, text_scale=inp.text_scale * scale))
        except CopyTooLong:
            continue
        if without_body and "body" not in trial.dropped_fields:
            trial = trial.model_copy(update={"dropped_fields": (*trial.dropped_fields, "body")})
        if text_share(trial) <= cap:
            return trial
    return layout


def _solve(inp: SolveInput, pill_left_out_for_copy: bool = True) -> Layout:
    """One layout of the creative, without regard to a text cap.

    ``pill_left_out_for_copy``: False lays out the price pill even where a copy field states
    the price (that field was dropped for room, see below)."""
    fmt, style, template = inp.fmt, inp.style, inp.template
    width, height = fmt.size
    shape = fmt.shape
    rule = template.shapes[shape]
    short = min(width, height)
    safe = Rect(*fmt.safe_box())
    margin = round(short * (0.14 if shape is Shape.BANNER else 0.06))
    content = safe.inset(margin)
    # The brief's language sets the direction, not the first letter: a Hebrew headline that
    # opens with a Latin brand is still a right-to-left paragraph.
    rtl = paragraph_direction(inp.language) == "rtl"
    has_product = template.uses_product and inp.product_aspect is not None
    if has_product:
        allowed = rule.arrangements
    else:
        allowed = ("row",) if shape is Shape.BANNER else ("text_only",)
    fields = _fields(inp, shape, short)
    priced = bool(inp.price_text) and rule.show_price and any(n == "cta" for n, _ in fields)
    stating = (
        _fields_stating_price(inp, fields) if priced and pill_left_out_for_copy else frozenset()
    )
    blocks = _blocks(inp, shape, fields, pill=not stating)
    gap = max(4, round(short * 0.03))

    if allowed == ("row",) or (has_product and choose_arrangement(style, allowed, rtl) == "row"):
        elements, dropped = _row_with_buttons(inp, blocks, content, gap, rtl, has_product)
        arrangement: Arrangement = "row"
    else:
        elements, dropped, arrangement = _best_column(inp, blocks, content, gap, allowed, rtl)
    if stating and stating <= set(dropped):
        # The pill was left out because these fields state the price, but fitting dropped them
        # all: the creative would show no price at all, and say nothing of it. Solved again with
        # the pill (optional as ever, so a size without room drops it, and then lists "price"
        # among its dropped fields). Only this case pays for a second solve.
        return _solve(inp, pill_left_out_for_copy=False)
    return Layout(
        format_id=fmt.id,
        width=width,
        height=height,
        template=template.id,
        style=style.name,
        arrangement=arrangement,
        background=Background(kind="solid", colors=("#ffffff",)),
        elements=tuple(elements),
        dropped_fields=tuple(dropped),
    )


@dataclass(frozen=True)
class _Candidate:
    elements: list[Element]
    dropped: list[str]
    arrangement: Arrangement
    quality: float


# The style's favourite composition is kept unless another one is clearly better.
_PREFERENCE_MARGIN = 0.8


def _best_column(
    inp: SolveInput,
    blocks: Sequence[_Block],
    content: Rect,
    gap: int,
    allowed: tuple[Arrangement, ...],
    rtl: bool,
) -> tuple[list[Element], list[str], Arrangement]:
    """Try the allowed compositions in the style's order and keep the most legible one."""
    style = inp.style
    ordered: list[Arrangement] = []
    for a in (*style.arrangements, *allowed):
        pick = choose_arrangement(replace(style, arrangements=(a,)), allowed, rtl)
        if a in allowed and pick not in ordered:
            ordered.append(pick)
    best: _Candidate | None = None
    error: CopyTooLong | None = None
    for i, arrangement in enumerate(ordered):
        try:
            cand = _column(inp, blocks, content, gap, arrangement, rtl)
        except CopyTooLong as exc:
            error = error or exc
            continue
        weight = 1.0 if i == 0 else _PREFERENCE_MARGIN
        if best is None or cand.quality * weight > best.quality:
            best = replace(cand, quality=cand.quality * weight)
    if best is None:
        assert error is not None
        raise error
    return best.elements, best.dropped, best.arrangement


def _column(
    inp: SolveInput,
    blocks: Sequence[_Block],
    content: Rect,
    gap: int,
    arrangement: Arrangement,
    rtl: bool,
) -> _Candidate:
    """Lay out one column composition and rate it (text scale, fields kept, product size)."""
    style = inp.style
    shape = inp.fmt.shape
    short = min(inp.fmt.size)
    share = inp.template.shapes[shape].product_share
    text_region, product_region = _split(content, arrangement, share, gap)
    placed, dropped, g = _fit_column(blocks, text_region, short, gap, inp, shape)
    if product_region is not None and arrangement in ("text_top", "text_bottom"):
        # Text takes only the height it needs; the product gets the rest of the column.
        used = _stack_height(placed, g)
        product_h = content.h - used - 2 * gap
        if arrangement == "text_bottom":
            product_region, text_region = content.split_y(product_h, 2 * gap)
        else:
            text_region, product_region = content.split_y(used, 2 * gap)
    elements = _place_column(placed, text_region, g, _align(style, arrangement, rtl))
    product_share = 0.0
    if product_region is not None and inp.product_aspect:
        stacked = arrangement in ("text_top", "text_bottom")
        anchor = {"text_top": "top", "text_bottom": "bottom"}.get(arrangement, "center")
        product = _product_element(product_region, inp.product_aspect, style, anchor)
        elements.insert(0, product)
        product_share = product.box[2] * product.box[3] / max(1, content.w * content.h)
        if stacked:
            # Product and text sit together; the spare height goes above and below the pair,
            # not into a gap between them (a wide product in a skyscraper leaves plenty).
            elements = _centre_vertically(elements, content)
            if shape is Shape.SKYSCRAPER:
                elements = _spread_pair(elements, content, arrangement)
    head = next((p for p in placed if p.block.kind == "headline" and p.fitted), None)
    scale = head.fitted.size / (head.block.pref * short) if head and head.fitted else 0.5
    quality = min(scale, 1.0) - 0.08 * len(dropped) + 0.5 * min(product_share, 0.5)
    return _Candidate(elements, dropped, arrangement, quality)


def _align(style: Style, arrangement: Arrangement, rtl: bool) -> str:
    if arrangement == "text_only":
        return "center"
    if style.align == "center":
        return "center"
    return "right" if rtl else "left"


def _case(text: str, style: Style, kind: str, language: str) -> str:
    if kind in ("headline", "cta") and style.uppercase_heading:
        return upper(text, language)
    return text


def _fields(inp: SolveInput, shape: Shape, short: int) -> list[tuple[str, str]]:
    """The template fields this size draws where there is room, as (name, text), in reading
    order."""
    template, rule = inp.template, inp.template.shapes[shape]
    names = list(rule.fields)
    # A leaderboard (728x90, 970x90) has room beside its headline that would otherwise stay
    # empty: it takes the body as a second, smaller line when the copy has one (optional, so
    # it is the first thing dropped when it does not fit).
    subline = shape is Shape.BANNER and _leaderboard(inp.fmt)
    if subline and "body" in template.fields and "body" not in names and "headline" in names:
        names.insert(names.index("headline") + 1, "body")
    out: list[tuple[str, str]] = []
    for name in names:
        spec = template.fields[name]
        text = inp.copy.get(name, "").strip()
        if not text or (short < spec.min_short_side and not (subline and name == "body")):
            continue
        out.append((name, text))
    return out


def _blocks(
    inp: SolveInput, shape: Shape, fields: Sequence[tuple[str, str]], pill: bool
) -> list[_Block]:
    """The text and image blocks of this creative, in reading order; ``pill``: with the price
    pill (before the CTA) where the format shows a price."""
    template, rule = inp.template, inp.template.shapes[shape]
    out: list[_Block] = []
    if inp.logo_aspect and rule.show_logo:
        out.append(_Block("logo", "", "", "regular", 0.07, 0, 1, False, aspect=inp.logo_aspect))
    for name, text in fields:
        if name == "cta" and inp.price_text and rule.show_price and pill:
            out.append(_price_block(inp, shape))
        out.append(_text_block(inp, shape, name, text, template.fields[name].required))
    kinds = {b.kind for b in out}
    for name, text in (inp.extra_fields or {}).items():
        if name in template.fields and name not in kinds and text.strip():
            out.append(_text_block(inp, shape, name, text.strip(), False))
    return out


def _text_block(inp: SolveInput, shape: Shape, name: str, text: str, required: bool) -> _Block:
    """A text field's block, in the style's face for its role."""
    style, spec = inp.style, inp.template.fields[name]
    heading = spec.role in ("display", "badge", "button")
    family = style.heading_family if heading else style.body_family
    weight: Weight = (
        (style.heading_weight if spec.role == "display" else "bold")
        if heading
        else style.body_weight
    )
    text = _case(text, style, name, inp.language)
    text = drawable(text, resolve_face(text, family, weight, inp.language))
    return _Block(
        kind=name,
        text=text,
        family=family,
        weight=weight,
        pref=inp.template.size_for(shape, name) * inp.text_scale,
        min_px=max(spec.min_px, MIN_TEXT_PX),
        max_lines=spec.max_lines,
        required=required,
    )


def _fields_stating_price(inp: SolveInput, fields: Sequence[tuple[str, str]]) -> frozenset[str]:
    """The drawn fields that already state the price (a price-led headline, "Gift Box｜¥268";
    small print "Potem 39 zł/mies."): a pill beside them would show the same price twice.

    Only fields this size draws count: copy it leaves out states nothing on the image. A sale
    keeps its pill even beside a price-led headline (none count): the struck regular price is
    what the discount is taken from, and the headline does not say it."""
    price = " ".join((inp.price_text or "").split()).casefold()
    if not price or inp.prior_price_text:
        return frozenset()
    drawn = [*fields, *(inp.extra_fields or {}).items()]  # small print added for a deal too
    return frozenset(name for name, text in drawn if price in " ".join(text.split()).casefold())


def _price_block(inp: SolveInput, shape: Shape) -> _Block:
    size = inp.template.size_for(shape, "cta") * (1.15 if shape is not Shape.BANNER else 1.0)
    size *= inp.text_scale
    family = inp.style.heading_family
    text = inp.price_text or ""
    struck = inp.prior_price_text
    if struck:
        # "~~49,99 €~~ 39,99 €": each price keeps its no-break space, so a narrow pill puts
        # the prior price on a line of its own above the price, never half of either.
        text = f"{struck} {text}"
    text = drawable(text, resolve_face(text, family, "bold", inp.language))
    lines = 2 if struck else 1
    return _Block("price", text, family, "bold", size, MIN_TEXT_PX, lines, False, struck=struck)


def _split(
    content: Rect, arrangement: Arrangement, share: float, gap: int
) -> tuple[Rect, Rect | None]:
    """(text region, product region) for a column arrangement."""
    if arrangement == "text_only":
        return content, None
    if arrangement in ("text_left", "text_right"):
        product_w = round(content.w * share)
        text_w = content.w - product_w - gap
        if arrangement == "text_left":
            text, product = content.split_x(text_w, gap)
        else:
            product, text = content.split_x(product_w, gap)
        return text, product
    product_h = round(content.h * share)
    text_h = content.h - product_h - gap
    if arrangement == "text_bottom":
        product, text = content.split_y(product_h, gap)
    else:
        text, product = content.split_y(text_h, gap)
    return text, product


# Scripts whose lines need more room than a Latin style's 1.04-1.12, and how much at least:
# - Han, kana and hangul fill their whole em square where Latin letters leave room above and
#   below: the lines of a Chinese or Japanese paragraph all but touch. 1.3 is the tight end
#   of what CJK typesetting uses for display text.
# - Arabic stacks dots, shadda and vowel marks above and below the letters: at 1.05 the kasra
#   of one line lands on the next ("ليالٍ" reads "ثمنٍ" over it) and the dots of "دبي" touch
#   the line below. Naskh display type is set at 1.4 or more.
# - Devanagari and the other Indic scripts (and Thai) hang vowel signs above the head line and
#   below the base: 1.3.
_SCRIPT_LINE_SPACING = (
    (regex.compile(r"\p{Arabic}"), 1.4),
    (regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]"), 1.3),
    (
        regex.compile(
            r"[\p{Devanagari}\p{Bengali}\p{Gurmukhi}\p{Gujarati}\p{Tamil}\p{Telugu}"
            r"\p{Kannada}\p{Malayalam}\p{Thai}]"
        ),
        1.3,
    ),
)


def _line_spacing(text: str, style: Style) -> float:
    """The style's line spacing, opened up for text in a script that needs more room."""
    for script, spacing in _SCRIPT_LINE_SPACING:
        if script.search(text):
            return max(style.line_spacing, spacing)
    return style.line_spacing


def _fit_block(
    block: _Block, size: int, max_w: int, inp: SolveInput, max_h: int | None = None
) -> _Placed | None:
    """Fit one block at (at most) ``size`` px into ``max_w`` (and ``max_h``, for buttons in thin
    banners, whose padding then shrinks); None if it cannot fit at its minimum size."""
    if block.kind == "logo":
        h = max(12, size)
        w = round(h * (block.aspect or 1.0))
        if w > max_w:
            w = max_w
            h = max(1, round(w / (block.aspect or 1.0)))
        return _Placed(block, None, w, h)
    plated = block.kind in _PLATED
    pad_x = round(size * 0.9) if plated else 0
    pad_y = round(size * 0.5) if plated else 0
    face = resolve_face(block.text, block.family, block.weight, inp.language)
    fitted = fit_text(
        block.text,
        face,
        box_w=max(1, max_w - 2 * pad_x),
        box_h=10**6,
        max_size=size,
        min_size=min(block.min_px, size),
        max_lines=block.max_lines,
        language=inp.language,
        line_spacing=_line_spacing(block.text, inp.style),
        hyphenate=True,
        # A display headline hyphenates only long compounds (German, Russian): "HEAD-/PHONES"
        # at headline size reads as a mistake, a smaller size does not.
        min_hyphenated=_HEADLINE_HYPHENATED if block.kind == "headline" else MIN_HYPHENATED,
        balance=block.kind == "headline",
        names=(inp.product_name,) if inp.product_name else (),
    )
    if fitted is None:
        return None
    if plated:
        # Padding follows the size actually chosen, so small buttons stay balanced.
        pad_x, pad_y = round(fitted.size * 0.9), round(fitted.size * 0.5)
        if max_h is not None and fitted.height + 2 * pad_y > max_h:
            pad_y = (max_h - fitted.height) // 2
            if pad_y < 2:
                return None
    return _Placed(block, fitted, fitted.width + 2 * pad_x, fitted.height + 2 * pad_y, pad_x, pad_y)


def _fit_column(
    blocks: Sequence[_Block],
    region: Rect,
    short: int,
    gap: int,
    inp: SolveInput,
    shape: Shape,
) -> tuple[list[_Placed], list[str], int]:
    """Largest common scale at which the blocks stack into the region, dropping optionals.

    Returns the fitted blocks, the dropped field names and the gap between blocks.
    """
    active = list(blocks)
    dropped: list[str] = []
    # First keep every block readable-large, dropping optional ones (fine print, body...)
    # rather than shrinking everything; only with nothing left to drop may text get small.
    for floor in (_COMFORT_SCALE, 0.0):
        active = list(blocks)
        dropped = []
        while True:
            result = _try_scales(active, region, short, gap, inp, floor)
            if result is not None:
                return result[0], dropped, result[1]
            optional = [b for b in active if not b.required]
            victim = next((k for k in _DROP_ORDER if any(b.kind == k for b in optional)), None)
            if victim is None:
                break
            active = [b for b in active if b.kind != victim]
            dropped.append(victim)
    raise _too_long(active, region, inp, short)


def _try_scales(
    blocks: Sequence[_Block],
    region: Rect,
    short: int,
    gap: int,
    inp: SolveInput,
    floor: float = 0.0,
) -> tuple[list[_Placed], int] | None:
    """Fit the blocks at the largest shared scale >= ``floor``; (blocks, gap) or None."""
    for s in _SCALES:
        if s < floor:
            return None
        # Buttons and badges shrink less than text: a tiny CTA is the first thing to look wrong.
        targets = [
            max(b.min_px, round(b.pref * short * max(s, _KEEP.get(b.kind, 0.0)))) for b in blocks
        ]
        placed: list[_Placed] = []
        for block, target in zip(blocks, targets, strict=True):
            p = _fit_block(block, target, region.w, inp)
            if p is None:
                break
            placed.append(p)
        else:
            g = round(gap * max(s, 0.4))
            total = sum(p.h for p in placed) + g * (len(placed) - 1)
            if total <= region.h:
                return placed, g
        if all(t == b.min_px for t, b in zip(targets, blocks, strict=True)):
            return None
    return None


def _too_long(blocks: Sequence[_Block], region: Rect, inp: SolveInput, short: int) -> CopyTooLong:
    """Blame the text that cannot fit and estimate how many characters would.

    A text too wide for the region even alone at its smallest size (a call to action whose
    one word is wider than the column) is the one to shorten, however short it is: blaming
    the longest text instead would shorten a headline that was never the problem. Otherwise
    the longest text is blamed.
    """
    texts = [b for b in blocks if b.text]
    too_wide = [b for b in texts if _fit_block(b, b.min_px, region.w, inp) is None]
    pool = too_wide or texts
    worst = max(pool, key=lambda b: len(b.text) * b.pref) if pool else blocks[0]
    share = max(0.1, region.h / max(1, len(blocks))) / max(1.0, worst.min_px * 1.3)
    pad = 2 * round(worst.min_px * 0.9) if worst.kind in _PLATED else 0
    per_line = max(1, round((region.w - pad) / max(1.0, worst.min_px * 0.6)))
    fits = max(1, min(len(worst.text) - 1, round(per_line * min(worst.max_lines, share) * 0.85)))
    return CopyTooLong(
        worst.kind,
        worst.text,
        fits,
        f"{worst.kind} ({len(worst.text)} chars) does not fit {inp.fmt.id} "
        f"({inp.fmt.width}x{inp.fmt.height}) even at {worst.min_px}px: shorten it to about "
        f"{fits} characters",
    )


def _stack_height(placed: Sequence[_Placed], gap: int) -> int:
    """Total height of the stacked blocks with ``gap`` between them."""
    return sum(p.h for p in placed) + gap * (len(placed) - 1)


def _place_column(placed: Sequence[_Placed], region: Rect, g: int, align: str) -> list[Element]:
    """Stack fitted blocks vertically, centred in the region, aligned per style."""
    total = _stack_height(placed, g)
    y = region.y + max(0, (region.h - total) // 2)
    out: list[Element] = []
    for p in placed:
        if align == "left":
            x = region.x
        elif align == "right":
            x = region.right - p.w
        else:
            x = region.x + (region.w - p.w) // 2
        out.append(_element(p, x, y, align))
        y += p.h + g
    return out


def _element(p: _Placed, x: int, y: int, align: str) -> Element:
    """Turn a fitted block at (x, y) into a layout element."""
    if p.block.kind == "logo":
        return Element(kind="logo", box=(x, y, p.w, p.h), align=align)
    f = p.fitted
    assert f is not None
    plate_box = (x, y, p.w, p.h) if p.block.kind in _PLATED else None
    text_box = (x + p.pad_x, y + p.pad_y, f.width, f.height)
    return Element(
        kind=p.block.kind,
        box=plate_box or text_box,
        text=p.block.text,
        lines=f.lines,
        font=f.face.id,
        font_size=f.size,
        line_height=f.line_height,
        plate="none" if plate_box is None else "rounded",
        plate_box=plate_box,
        align="center" if plate_box else align,
        direction=f.direction,
        fallback_fonts=fallback_faces(f.lines, f.face),
        struck=p.block.struck,
    )


def _product_element(region: Rect, aspect: float, style: Style, anchor: str = "center") -> Element:
    """Place the product in its region, scaled per style; ``anchor`` keeps it next to the text
    in stacked compositions (podium styles stand it a little above the region's floor)."""
    w, h = region.fit(aspect, style.product_scale)
    x = region.x + (region.w - w) // 2
    lift = round(region.h * 0.08) if style.background == "podium" else 0
    if anchor == "top":
        y = region.y
    elif anchor == "bottom" or lift:
        y = region.bottom - h - lift
    else:
        y = region.y + (region.h - h) // 2
    return Element(kind="product", box=(x, max(region.y, y), w, h))


def _centre_vertically(elements: list[Element], content: Rect) -> list[Element]:
    """Shift all elements so their joint height is centred in the content box."""
    top = min(e.box[1] for e in elements)
    bottom = max(e.box[1] + e.box[3] for e in elements)
    dy = content.y + (content.h - (bottom - top)) // 2 - top
    if dy == 0:
        return elements
    out = []
    for e in elements:
        x, y, w, h = e.box
        update: dict[str, object] = {"box": (x, y + dy, w, h)}
        if e.plate_box is not None:
            px, py, pw, ph = e.plate_box
            update["plate_box"] = (px, py + dy, pw, ph)
        out.append(e.model_copy(update=update))
    return out


def _leaderboard(fmt: Format) -> bool:
    """A banner at least ``_SUBLINE_ASPECT`` times as wide as tall (728x90, 970x90)."""
    width, height = fmt.size
    return width >= _SUBLINE_ASPECT * height


def _spread_pair(elements: list[Element], content: Rect, arrangement: str) -> list[Element]:
    """A skyscraper's product and text with the spare height shared evenly above, between and
    below them, instead of two bands of a quarter of the banner each above and below."""
    top = min(e.box[1] for e in elements)
    spare = 2 * (top - content.y)
    if spare < content.h * 0.2:
        return elements
    shift = spare // 6  # from half of the spare at each end to a third
    out = []
    for e in elements:
        first = (e.kind == "product") == (arrangement == "text_bottom")
        dy = -shift if first else shift
        x, y, w, h = e.box
        update: dict[str, object] = {"box": (x, y + dy, w, h)}
        if e.plate_box is not None:
            px, py, pw, ph = e.plate_box
            update["plate_box"] = (px, py + dy, pw, ph)
        out.append(e.model_copy(update=update))
    return out


def _row_with_buttons(
    inp: SolveInput,
    blocks: Sequence[_Block],
    content: Rect,
    gap: int,
    rtl: bool,
    has_product: bool,
) -> tuple[list[Element], list[str]]:
    """A thin banner's row; in a leaderboard with its buttons set larger when that costs the
    headline nothing (neither its size nor a field): 13 px buttons beside a 31 px headline read
    as an afterthought, a headline pushed from one line at 31 px to two at 19 px is worse."""
    plain = _solve_row(inp, blocks, content, gap, rtl, has_product)
    if not _leaderboard(inp.fmt):
        return plain

    def headline(elements: list[Element]) -> int:
        return next((e.font_size or 0 for e in elements if e.kind == "headline"), 0)

    for pref in _LEADERBOARD_BUTTON_PREFS:
        large = _solve_row(inp, blocks, content, gap, rtl, has_product, pref)
        if sorted(large[1]) == sorted(plain[1]) and headline(large[0]) >= headline(plain[0]):
            return large
    return plain


def _solve_row(
    inp: SolveInput,
    blocks: Sequence[_Block],
    content: Rect,
    gap: int,
    rtl: bool,
    has_product: bool,
    button_pref: float = 0.0,
) -> tuple[list[Element], list[str]]:
    """Thin banners: logo | product | text | price | CTA in one row (mirrored for RTL)."""
    h = content.h
    dropped: list[str] = []
    by_kind = {b.kind: b for b in blocks}
    fixed: list[tuple[str, _Placed | None, int]] = []  # (kind, placed, width)
    budget = content.w
    if "logo" in by_kind:
        logo = _fit_block(replace(by_kind["logo"]), round(h * 0.55), round(content.w * 0.14), inp)
        if logo:
            fixed.append(("logo", logo, logo.w))
            budget -= logo.w + gap
    if has_product and inp.product_aspect:
        pw = min(
            round(h * inp.product_aspect),
            round(content.w * inp.template.shapes[Shape.BANNER].product_share),
        )
        fixed.append(("product", None, pw))
        budget -= pw + gap
    tail: list[_Placed] = []
    # In a leaderboard the badge sits in the row beside the text, not stacked over it: the
    # headline then has the banner's whole height, and the row no long empty stretch.
    inline = ("badge",) if _leaderboard(inp.fmt) else ()
    for kind in (*inline, "price", "cta"):
        if kind not in by_kind:
            continue
        b = by_kind[kind]
        pref = max(b.pref, _BUTTON_PREF) if kind == "badge" else b.pref
        pref = max(pref, button_pref)
        p = _fit_block(b, max(b.min_px, round(pref * h)), round(content.w * 0.26), inp, h)
        if p is None or p.h > h:
            p = _fit_block(b, b.min_px, round(content.w * 0.26), inp, h)
        shares = (_CTA_SHARE_AT_LEAST, _CTA_SHARE_SMALL) if content.w < _SMALL_ROW_W else ()
        for share in shares if kind == "cta" else ():
            # A small banner's button may take more of the row rather than lose its label
            # ("Оформить" is 80 px at 12 px on a 320x50, a quarter of the row is 79).
            if p is None or p.h > h:
                p = _fit_block(b, b.min_px, round(content.w * share), inp, h)
        if (p is None or p.h > h) and kind == "cta" and not shares:
            p = _fit_block(b, b.min_px, round(content.w * _CTA_SHARE_AT_LEAST), inp, h)
        if p is None or p.h > h:
            if b.required:
                widest = max((_CTA_SHARE_AT_LEAST, *shares)) if kind == "cta" else 0.26
                raise _too_long([b], Rect(0, 0, round(content.w * widest), h), inp, h)
            dropped.append(kind)
            continue
        tail.append(p)
        budget -= p.w + gap
    for optional in ("badge", "price"):
        if budget < content.w * 0.3 and any(p.block.kind == optional for p in tail):
            extra = next(p for p in tail if p.block.kind == optional)
            tail.remove(extra)
            budget += extra.w + gap
            dropped.append(optional)
    text_blocks = [b for b in blocks if b.kind not in ("logo", "price", "cta", *inline)]
    text_region = Rect(0, 0, max(1, budget), h)
    stacked, more, row_gap = _fit_column(
        text_blocks, text_region, h, max(2, gap // 3), inp, Shape.BANNER
    )
    dropped.extend(more)
    stack_w = max((p.w for p in stacked), default=0)
    if budget - stack_w > content.w * _ROW_SLACK:
        # Short copy in a wide banner: larger text fills the row instead of an empty stretch.
        kept = [b for b in text_blocks if b.kind not in more]
        for k in _ROW_GROWTH:
            grown = [replace(b, pref=b.pref * k) for b in kept]
            try:
                big, big_more, big_gap = _fit_column(
                    grown, text_region, h, max(2, gap // 3), inp, Shape.BANNER
                )
            except CopyTooLong:
                continue
            if not big_more and max((p.w for p in big), default=0) <= budget:
                stacked, row_gap = big, big_gap
                stack_w = max((p.w for p in stacked), default=0)
                break
    stack_h = _stack_height(stacked, row_gap)
    # Order left to right; right-to-left languages read the row mirrored.
    items: list[tuple[str, int]] = [(k, w) for k, _, w in fixed] + [("text", stack_w)]
    items += [(p.block.kind, p.w) for p in tail]
    if rtl:
        items.reverse()
    free = content.w - sum(w for _, w in items) - gap * (len(items) - 1)
    # The slack is shared between the gaps (the CTA still ends the row), so a wide banner has
    # no single empty stretch; with text and CTA alone, the text is centred in its share.
    gaps = len(items) - 1
    spread = free // gaps if gaps > 1 else 0
    text_slack = free - spread * gaps
    x = content.x
    out: list[Element] = []
    tails = {p.block.kind: p for p in tail}
    logos = {k: p for k, p, _ in fixed if p is not None}
    for kind, w in items:
        if kind == "text":
            align = "right" if rtl else "left"
            tx = x + (text_slack if rtl else 0)
            if gaps == 1:
                tx = x + text_slack // 2
            y = content.y + (h - stack_h) // 2
            for p in stacked:
                px = tx + (stack_w - p.w if rtl else 0)
                out.append(_element(p, px, y, align))
                y += p.h + row_gap
            x += w + text_slack + gap + spread
            continue
        if kind == "product":
            assert inp.product_aspect
            pw, ph = Rect(x, content.y, w, h).fit(inp.product_aspect)
            out.insert(
                0,
                Element(kind="product", box=(x + (w - pw) // 2, content.y + (h - ph) // 2, pw, ph)),
            )
        elif kind == "logo":
            lp = logos["logo"]
            out.append(Element(kind="logo", box=(x, content.y + (h - lp.h) // 2, lp.w, lp.h)))
        else:
            p = tails[kind]
            out.append(_element(p, x, content.y + (h - p.h) // 2, "center"))
        x += w + gap + spread
    return out, dropped
