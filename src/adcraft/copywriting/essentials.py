"""A whole ad or none: the essentials checked on what each creative really shows, after layout.

A small banner (320x50, 468x60, 300x250) has room for little, and the layout leaves out what
does not fit. What is left must still be an ad a marketer would publish: it says what it sells
(a headline), asks for the click (a call to action), and any deal it shows is whole, with its
promo code and qualifier. A wrong ad is worse than no ad, so :func:`settle`, run once the layout
is known:

- replaces a half deal ("−15%" without the code that unlocks it, "15% off" without "monthly
  rentals", and, where the brand kit requires deadlines, "20% off" without "until Sunday") by
  the product name as the headline, and leaves it out of any other field;
- gives a creative with no headline the product name as its headline;
- gives a creative with no button a shorter call to action of the same language;
- on a format whose image is the whole ad (IAB display: no advertiser name, headline or text
  beside it), makes sure the ad names what it sells — the product's name, a short form of it,
  the brand or its logo: "Free shipping · ¥3,980 · Buy now" sells nothing in particular;
- shows the deal's deadline ("this weekend only", "bis 31.12.") in small print where the format
  has room, and otherwise says that it is missing;
- and, when the creative still lacks its headline or its button, says in plain words why it is
  not publishable: it is never shipped half.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from adcraft.copywriting.claimcheck import (
    GAP_AFTER_TRIAL,
    GAP_CODE,
    GAP_DEADLINE,
    GAP_QUALIFIER,
    ClaimContext,
    DealGap,
    after_trial,
    after_trial_text,
    brief_line,
    deal_gaps,
    then_word,
)
from adcraft.copywriting.claims import DEAL_KINDS, Claim, parse_claims, required_code
from adcraft.copywriting.locale import (
    all_ctas,
    capitalize_first,
    colon,
    cta_intent,
    cta_options,
    decapitalize_first,
)
from adcraft.copywriting.periods import stay_in_nights
from adcraft.copywriting.phrasing import latin_brand, name_forms, overlap_join
from adcraft.copywriting.provider_named import financial_product, offers_credit
from adcraft.domain.brief import Brief
from adcraft.domain.creative import TEXT_KINDS, Layout
from adcraft.layout.solve import text_share
from adcraft.notes import missing_parts, say

SMALL_PRINT = "disclaimer"
"""The template field that carries small print (terms, the deal's deadline)."""
# A deal without one of these is not whole: completed in small print or not shown. (Without
# its deadline alone it is still true while it runs: shown, with a warning, unless the brand
# kit requires deadlines; see half_parts.)
_HALF = (GAP_CODE, GAP_QUALIFIER, GAP_AFTER_TRIAL)
_MAX_CTA_TRIES = 8
# A share of the image kept free under a text cap when the name is added (see _named).
_CAP_MARGIN = 0.01

Pill = bool | str
"""What the price pill says: True the brief's price as the job writes it, False no pill, a text
the price with the word that places it ("Potem 39 zł/mies." beside a free trial)."""
LayOut = Callable[[Mapping[str, str], Mapping[str, str], Pill], Layout | None]
"""(copy fields, small print fields shown where there is room, the price pill) -> the layout,
or None when the copy does not fit the format."""


@dataclass(frozen=True)
class Settled:
    """A creative's layout and copy once its essentials are settled."""

    layout: Layout
    fields: dict[str, str]
    """The copy as now laid out (the small print included when it is shown)."""
    warnings: tuple[str, ...]
    """What was changed or is missing, in plain words."""
    unpublishable: tuple[str, ...] = ()
    """Why the creative may not go out as it is; empty when it may."""


def half_parts(brief: Brief) -> tuple[str, ...]:
    """The parts without which a shown deal is a half deal for this brief: its promo code,
    qualifier and price after a trial always; its deadline too where the brand kit says a
    time-limited offer must be shown with its end date (legal review in Japan, Korea, China,
    Israel, the EU)."""
    return (*_HALF, GAP_DEADLINE) if brief.brand.deadline_required else _HALF


def shown_fields(layout: Layout) -> dict[str, str]:
    """The text each element of a layout shows, by field."""
    return {e.kind: e.text or "" for e in layout.elements if e.kind in TEXT_KINDS and e.text}


def settle(
    layout: Layout,
    fields: Mapping[str, str],
    *,
    brief: Brief,
    ctx: ClaimContext,
    format_id: str,
    lay_out: LayOut,
    stands_alone: bool = False,
    named: bool = False,
    text_cap: float | None = None,
    pinned: frozenset[str] = frozenset(),
) -> Settled:
    """Check one laid-out creative for a whole ad and repair what can be repaired (see the
    module's description); ``lay_out`` lays out changed copy; ``stands_alone``: the format
    shows the image alone, so the image must name the product; ``named``: the image should
    name it all the same (a feed image is seen before the text beside it), said in a warning
    where it cannot; ``text_cap``: the share of the image text may cover (Google: a fifth),
    which naming never pushes it over; ``pinned``: fields the marketer wrote, which naming the
    product never rewrites."""
    state = _State(layout, dict(fields), {}, [], lay_out, half_parts(brief))
    _whole_deals(state, brief, ctx, format_id)
    _headline(state, brief, format_id)
    _button(state, brief, format_id)
    if stands_alone or named:
        _named(state, brief, ctx, format_id, pinned, replace=stands_alone, text_cap=text_cap)
    _pill_leans_on_copy(state, brief, ctx)
    _deadline(state, ctx, format_id)
    _provider(state, brief, format_id, pinned)
    _trial_terms_without_trial(state, ctx)
    _no_price_beside_an_open_deal(state, brief, ctx, format_id)
    blockers: list[str] = []
    shown = shown_fields(state.layout)
    if not shown.get("headline", "").strip():
        blockers.append(say("no_headline", format=format_id))
    if not shown.get("cta", "").strip():
        blockers.append(say("no_cta", format=format_id))
    for gap in _half(deal_gaps(shown, ctx), state.half):
        missing = missing_parts(gap.missing, gap.parts)
        blockers.append(say("deal_not_whole", format=format_id, shown=gap.shown, missing=missing))
    credit = financial_product(brief) or any(offers_credit(t) for t in shown.values())
    if credit and not names_provider(state.layout, brief):
        blockers.append(say("no_provider", format=format_id))
    if stands_alone and not names_product(state.layout, brief):
        if pinned & {"headline", "body"}:
            # The marketer's own words: flagged, not overruled.
            state.warnings.append(say("edit_without_product_name", format=format_id))
        else:
            blockers.append(say("no_product_name", format=format_id))
    elif named and not names_product(state.layout, brief):
        state.warnings.append(say("image_without_product_name", format=format_id))
    out = {**state.fields, **state.extra}
    return Settled(state.layout, out, tuple(dict.fromkeys(state.warnings)), tuple(blockers))


@dataclass
class _State:
    layout: Layout
    fields: dict[str, str]
    extra: dict[str, str]
    warnings: list[str]
    lay_out: LayOut
    half: tuple[str, ...]
    """The parts a shown deal may not lack (see half_parts)."""
    priced: Pill = True
    """The price pill laid out (it gives way only for the product name: see _named; it says
    "then" beside a free trial: see _then_in_pill)."""

    def shown(self) -> dict[str, str]:
        return shown_fields(self.layout)

    def attempt(
        self,
        fields: dict[str, str],
        extra: dict[str, str] | None = None,
        priced: Pill | None = None,
    ) -> bool:
        """Lay out changed copy; keep it when it fits."""
        extra = self.extra if extra is None else extra
        priced = self.priced if priced is None else priced
        relaid = self.lay_out(fields, extra, priced)
        if relaid is None:
            return False
        self.layout, self.fields, self.extra, self.priced = relaid, fields, extra, priced
        return True

    def try_keep(
        self,
        fields: dict[str, str],
        keep: Callable[[], bool],
        extra: dict[str, str] | None = None,
        priced: Pill | None = None,
    ) -> bool:
        """Like ``attempt``, but the new layout stays only when ``keep`` holds for it; else
        the layout is left exactly as it was."""
        previous = self.snapshot()
        if self.attempt(fields, extra, priced) and keep():
            return True
        self.restore(previous)
        return False

    def snapshot(self) -> tuple[Layout, dict[str, str], dict[str, str], Pill]:
        """What a failed repair puts back with :meth:`restore`."""
        return self.layout, self.fields, self.extra, self.priced

    def restore(self, snapshot: tuple[Layout, dict[str, str], dict[str, str], Pill]) -> None:
        self.layout, self.fields, self.extra, self.priced = snapshot


def _half(gaps: list[DealGap], half: tuple[str, ...]) -> list[DealGap]:
    """The deals shown without a part in ``half``."""
    return [g for g in gaps if any(m in half for m in g.missing)]


def _small_print(state: _State, line: str, whole: Callable[[dict[str, str]], bool]) -> bool:
    """Show ``line`` as small print; kept when everything shown before is still shown and
    ``whole`` holds for what is shown now, else the layout is left as it was."""
    before = state.shown()
    fields = dict(state.fields)
    if fields.get(SMALL_PRINT, "").strip() and SMALL_PRINT not in before:
        fields[SMALL_PRINT] = ""  # hidden small print written for a larger size gives way

    def keeps() -> bool:
        shown = state.shown()
        lost = set(before) - set(shown)
        if "price" in lost and says(shown.values(), before["price"]):
            lost.discard("price")  # the small print says the price: the pill is not drawn twice
        return not lost and whole(shown)

    return state.try_keep(fields, keeps, {**state.extra, SMALL_PRINT: line[:1].upper() + line[1:]})


def says(texts: Iterable[str], words: str) -> bool:
    """Whether one of ``texts`` says ``words`` (any case, any spacing)."""
    want = " ".join(words.split()).casefold()
    return any(want in " ".join(t.split()).casefold() for t in texts)


def _code_in_small_print(state: _State, gaps: list[DealGap], ctx: ClaimContext) -> bool:
    """A deal that lacks only its promo code (and deadline) is completed in small print:
    "Code SPRING15 · until Sunday" under "15% off"."""
    if SMALL_PRINT in state.shown() or any(GAP_QUALIFIER in g.missing for g in gaps):
        return False
    parts: list[str] = []
    for g in gaps:
        code = required_code(g.claim, ctx.claims)
        for missing, part in zip(g.missing, g.parts, strict=True):
            text = code.text if missing == GAP_CODE and code is not None else part
            if text not in parts:
                parts.append(text)
    return _small_print(state, " · ".join(parts), lambda shown: not deal_gaps(shown, ctx))


def _then_in_pill(state: _State, gaps: list[DealGap], brief: Brief, ctx: ClaimContext) -> bool:
    """A free trial shown beside the bare price pill ("30 dni za darmo" and "39 zł/mies."):
    the pill says "then" ("Potem 39 zł/mies."), so the price reads as what the trial leads
    into, not as the price of the trial. True when every deal is whole then, else the layout
    is left as it was (small print, or the name instead of the trial, are tried next)."""
    then = then_word(ctx.language)
    pill = state.shown().get("price", "")
    if (
        then is None
        or not pill
        or state.priced is not True
        or brief.regular_price is not None  # the struck price stays first in its pill
        or not all(g.missing == (GAP_AFTER_TRIAL,) for g in gaps)
    ):
        return False
    return state.try_keep(
        state.fields,
        lambda: "price" in state.shown() and not _half(deal_gaps(state.shown(), ctx), state.half),
        priced=capitalize_first(f"{then} {pill}", ctx.language),
    )


def _pill_leans_on_copy(state: _State, brief: Brief, ctx: ClaimContext) -> None:
    """A price pill that repeats what the copy beside it says ("BLUEJET FLIGHTS TO LISBON"
    over "Flights to Lisbon from £49") says only the price ("From £49"), read with the copy
    as :func:`deal_gaps` reads it; kept when no deal is left less whole than before."""
    pill = state.shown().get("price", "")
    if not pill or state.priced is not True or brief.regular_price is not None:
        return
    claim = next(
        (c for c in ctx.claims if c.kind == "price_from" and c.scope and says([pill], c.text)),
        None,
    )
    if claim is None or claim.scope is None:
        return
    others = [t for k, t in state.shown().items() if k != "price"]
    bare = " ".join(claim.text.replace(claim.scope, " ").split()).strip(" :,")
    if not bare or not says(others, claim.scope):
        return
    before = len(_half(deal_gaps(state.shown(), ctx), state.half))
    state.try_keep(
        state.fields,
        lambda: (
            "price" in state.shown()
            and len(_half(deal_gaps(state.shown(), ctx), state.half)) <= before
        ),
        priced=capitalize_first(bare, ctx.language),
    )


def _whole_deals(state: _State, brief: Brief, ctx: ClaimContext, format_id: str) -> None:
    """A deal shown without its code gets it in small print where there is room; one shown
    without its qualifier, or with no room for the code, gives way to the product name."""
    for _ in range(2):
        gaps = _half(deal_gaps(state.shown(), ctx), state.half)
        if (
            not gaps
            or _date_alone(state, gaps, ctx)
            or _then_in_pill(state, gaps, brief, ctx)
            or _code_in_small_print(state, gaps, ctx)
        ):
            return
        carriers = [
            k
            for k, text in state.shown().items()
            if k in state.fields and any(g.shown in text for g in gaps)
        ] or ["headline"]
        fields = dict(state.fields)
        for k in carriers:
            fields[k] = brief.product_name if k == "headline" else ""
        if not state.attempt(fields):
            return
        named = "headline" in carriers
        left_out = any(k != "headline" for k in carriers)
        code = (
            "deal_named_and_left_out"
            if named and left_out
            else ("deal_named_instead" if named else "deal_left_out")
        )
        for g in gaps:
            state.warnings.append(
                say(
                    code,
                    fields=", ".join(carriers),
                    shown=g.shown,
                    missing=missing_parts(g.missing, g.parts),
                    format=format_id,
                )
            )


def _headline(state: _State, brief: Brief, format_id: str) -> None:
    """No headline on the image: the product name says what the ad sells."""
    if state.shown().get("headline", "").strip():
        return
    named = state.attempt({**state.fields, "headline": brief.product_name})
    if named and state.shown().get("headline", "").strip():
        state.warnings.append(say("headline_replaced", format=format_id))


def _button(state: _State, brief: Brief, format_id: str) -> None:
    """No button on the image: a shorter call to action of the same language."""
    if state.shown().get("cta", "").strip():
        return
    current = state.fields.get("cta", "")
    for cta in _shorter_ctas(brief, current):
        if state.attempt({**state.fields, "cta": cta}) and state.shown().get("cta"):
            if current:
                note = say("cta_replaced", cta=current, format=format_id, shorter=cta)
            else:
                note = say("cta_missing_replaced", format=format_id, shorter=cta)
            state.warnings.append(note)
            return


def _folded(text: str) -> str:
    # Caseless comparison that survives capital headings: "İNTERNETİ" folds to "i̇nterneti̇"
    # (the loose dot goes), and Turkish dotless "ı" to "i", as its capital "I" folds: a
    # headline set in capitals ("RÜZGAR KOŞU AYAKKABISI") still shows "Rüzgar Koşu Ayakkabısı".
    return text.casefold().replace("\u0307", "").replace("ı", "i")


def names_product(layout: Layout, brief: Brief) -> bool:
    """Whether a laid-out creative says what it sells: the brand's logo is drawn, or a text
    shows the product name, one of its short forms or the brand name."""
    if any(e.kind == "logo" for e in layout.elements):
        return True
    names = [*name_forms(brief.product_name, brief.language)]
    if brief.brand.name:
        names.append(brief.brand.name)
    shown = _folded(" ".join(shown_fields(layout).values()))
    return any(_folded(n) in shown for n in names if n.strip())


def names_provider(layout: Layout, brief: Brief) -> bool:
    """Whether a creative says who provides what it advertises: the logo is drawn, or its text
    shows the brand's name."""
    if any(e.kind == "logo" for e in layout.elements):
        return True
    name = brief.brand.name.strip() if brief.brand.name else ""
    return bool(name) and _folded(name) in _folded(" ".join(shown_fields(layout).values()))


def _provider(state: _State, brief: Brief, format_id: str, pinned: frozenset[str]) -> None:
    """A financial product's creative that names no provider gets the brand's name as small
    print; another product's credit offer that names no lender is left off (see
    ``provider_named``)."""
    if names_provider(state.layout, brief):
        return
    if financial_product(brief):
        name = (brief.brand.name or "").strip()
        small = state.shown().get(SMALL_PRINT, "")
        if not name:
            return
        if not small:
            _small_print(state, name, lambda shown: True)
            return
        # Small print already shown ("2 meses gratis…") gets the provider after it.
        before = set(state.shown())
        line = f"{small} · {name}"

        def keeps() -> bool:
            return before <= set(state.shown()) and names_provider(state.layout, brief)

        if SMALL_PRINT in state.fields and SMALL_PRINT not in pinned:
            state.try_keep({**state.fields, SMALL_PRINT: line}, keeps)
        elif SMALL_PRINT in state.extra:
            state.try_keep(state.fields, keeps, {**state.extra, SMALL_PRINT: line})
        return
    for name, text in state.shown().items():
        if name in ("headline", "cta") or name in pinned or not offers_credit(text):
            continue
        if name in state.fields:
            cleared = {**state.fields, name: ""}
            if state.try_keep(cleared, lambda: True):
                state.warnings.append(
                    say("credit_left_out", field=name, shown=text, format=format_id)
                )
        elif name in state.extra and state.try_keep(
            state.fields, lambda: True, {**state.extra, name: ""}
        ):
            state.warnings.append(say("credit_left_out", field=name, shown=text, format=format_id))


def _button_sizes(layout: Layout) -> dict[str, int]:
    return {e.kind: e.font_size or 0 for e in layout.elements if e.kind in ("cta", "price")}


def _named(
    state: _State,
    brief: Brief,
    ctx: ClaimContext,
    format_id: str,
    pinned: frozenset[str],
    *,
    replace: bool,
    text_cap: float | None = None,
) -> None:
    """An ad that does not name its product gets the name: before the headline ("Lumina
    serum: free shipping"), else before the body, else (``replace``: the image is the whole
    ad) as the headline itself (the headline's own text is then left out, with a warning).
    Each try keeps everything else shown and shows no deal by halves."""
    if names_product(state.layout, brief):
        return
    lang = brief.language
    shown = state.shown()
    headline, body = shown.get("headline", ""), shown.get("body", "")
    half_before = len(_half(deal_gaps(shown, ctx), state.half))
    buttons_before = _button_sizes(state.layout)

    def keeps(kinds: set[str], given_up: frozenset[str] = frozenset()) -> bool:
        now = state.shown()
        buttons = _button_sizes(state.layout)
        return (
            kinds <= set(now)
            and names_product(state.layout, brief)
            and len(_half(deal_gaps(now, ctx), state.half)) <= half_before
            # Nor bring the text up to the share of the image the platform allows: the name is
            # an addition, so it keeps a margin under the cap (the scorer counts text pixels
            # on the drawn boxes, a little more than the layout's own count).
            and (text_cap is None or text_share(state.layout) <= text_cap - _CAP_MARGIN)
            # A longer headline must not squeeze the price and the button smaller.
            and all(
                buttons.get(k, 0) >= size for k, size in buttons_before.items() if k not in given_up
            )
        )

    def attempt(field: str, text: str, kinds: set[str]) -> bool:
        return state.try_keep({**state.fields, field: text}, lambda: keeps(kinds))

    names = name_forms(brief.product_name, lang)
    # As a prefix, the short form first: it leaves room. The brand alone ("Barista Pro" of
    # "מכונת קפה Barista Pro") comes last: it drops what kind of product it is.
    brand = latin_brand(brief.product_name.split(" "))
    prefixes = [*reversed([n for n in names if n != brand]), *([brand] if brand else [])]
    for field, text in (("headline", headline), ("body", body)):
        if not text or field not in state.fields or field in pinned:
            continue
        said = _folded(text).rstrip(".!。！ ")
        for name in prefixes:
            # A text the name already says ("Unlimited 5G" for "Unlimited 5G Plan") is not
            # said twice ("Unlimited 5G Plan: unlimited 5G"): the name alone replaces it.
            if said and said in _folded(name):
                if attempt(field, name, set(shown)):
                    return
                continue
            # Nor is a text that opens with the name's last words: the name runs into it
            # ("BlueJet Flights to Lisbon from £49", not "…Lisbon: flights to Lisbon from £49").
            joined = overlap_join(name, text)
            if joined is not None:
                if attempt(field, joined, set(shown)):
                    return
                # Where it does not fit, the name is never set before its own words again
                # ("BlueJet Flights to Lisbon: flights to Lisbon from £49" reads as a stutter).
                continue
            # Nor before a text that opens with the name's first words: "Unlimited 5G Plan:
            # unlimited 5G, no contract" says them twice.
            lead = _folded(" ".join(name.split()[:2]))
            if len(name.split()) >= 2 and said.startswith(lead):
                continue
            # One colon to a line: "SkyFly: flights to Dubai — daily direct flights".
            sep = " — " if any(c in text + name for c in ":：") else colon(lang)
            if attempt(field, f"{name}{sep}{decapitalize_first(text, lang)}", set(shown)):
                return
    if not replace or "headline" not in state.fields or "headline" in pinned:
        # Beside text that names the product (a feed's page name and headline), the image
        # keeps its own headline: the offer it leads with is worth more than the name again.
        return

    def name_as_headline(kinds: set[str], given_up: frozenset[str]) -> bool:
        for name in names:
            named = {**state.fields, "headline": name}
            priced = False if "price" in given_up else None
            if state.try_keep(named, lambda: keeps(kinds, given_up), priced=priced):
                if headline:
                    state.warnings.append(
                        say("headline_named_instead", headline=headline, format=format_id)
                    )
                return True
        return False

    if name_as_headline(set(shown) | {"headline"}, frozenset()):
        return
    # Last, the price gives its room to the name: a banner without a price is still an ad,
    # one that does not say what it sells is not ("2点目半額 · ￥2,980 · 今すぐ注文" on a 320x50).
    if "price" in shown and name_as_headline(
        (set(shown) - {"price"}) | {"headline"}, frozenset({"price"})
    ):
        state.warnings.append(say("price_gave_way", format=format_id))


def _shorter_ctas(brief: Brief, current: str) -> list[str]:
    """Calls to action of the brief's language shorter than ``current``, the brief's own
    intent first, each group longest first."""
    limit = len(current) - 1 if current else 10**6
    intent = cta_intent(brief.category, f"{brief.product_name} {brief.description}")
    same = sorted(cta_options(brief.language, intent), key=len, reverse=True)
    others = sorted(all_ctas(brief.language) - set(same), key=len, reverse=True)
    out = [c for c in [*same, *others] if len(c) <= limit and c.casefold() != current.casefold()]
    if len(out) > _MAX_CTA_TRIES:
        # The longest of the brief's intent first, and the shortest of all as the last try.
        shortest = sorted(out, key=len)[:2]
        out = [*(c for c in out[: _MAX_CTA_TRIES - 2] if c not in shortest), *shortest]
    return out


def _trial_terms_without_trial(state: _State, ctx: ClaimContext) -> None:
    """Small print that completes a free trial ("Potem 39 zł/mies.", "Danach 9,99 €/Monat"),
    and a pill that says "then", go with the trial: where the banner no longer shows the
    trial (its headline names the product instead), a "then" that follows nothing is left
    out too (the pill says the price alone again)."""
    after = after_trial(ctx)
    if after is None:
        return
    if isinstance(state.priced, str) and _shown_trial(state.shown(), ctx, "price") is None:
        state.attempt(state.fields, priced=True)
    shown = state.shown()
    small = shown.get(SMALL_PRINT, "")
    if not small or _shown_trial(shown, ctx, SMALL_PRINT) is not None:
        return
    if _folded(small).rstrip(". ") != _folded(after_trial_text(after, ctx)).rstrip(". "):
        return
    extra = {k: v for k, v in state.extra.items() if k != SMALL_PRINT}
    state.attempt({**state.fields, SMALL_PRINT: ""}, extra)


def _no_price_beside_an_open_deal(
    state: _State, brief: Brief, ctx: ClaimContext, format_id: str
) -> None:
    """A price with no period beside a deal that makes its period matter: a free trial where
    nothing says what it leads into ("免費試用14天" beside "NT$390": monthly after the trial,
    or once?), or a stay counted in nights ("احجز 3 ليالٍ وادفع ثمن ليلتين" beside "650 ر.س.":
    a night, or the stay?). Beside the deal the price reads as the deal's own, so the pill is
    left out of that creative until the brief says (the set's warning asks for the period); a
    creative that does not show the deal keeps it."""
    price = brief.price
    shown = state.shown()
    pill = shown.get("price")
    if price is None or price.period is not None or not pill:
        return
    # Only a brief that offers a trial and says nothing of what follows has an open trial:
    # the shown copy is parsed for it only then.
    open_trial = any(c.kind == "free_trial" for c in ctx.claims) and after_trial(ctx) is None
    trial = _shown_trial(shown, ctx, "price") if open_trial else None
    stay = next((s for k, t in shown.items() if k != "price" and (s := stay_in_nights(t))), None)
    if trial is not None:
        note = say("price_left_out_trial", trial=trial.text, price_text=pill, format=format_id)
    elif stay is not None:
        note = say("price_left_out_stay", stay=stay, price_text=pill, format=format_id)
    else:
        return
    if state.attempt(state.fields, priced=False):
        state.warnings.append(note)


def _shown_trial(shown: Mapping[str, str], ctx: ClaimContext, without: str) -> Claim | None:
    """The free trial a creative shows in a field other than ``without``; None if none."""
    language, currency = ctx.language, ctx.default_currency
    return next(
        (
            c
            for k, text in shown.items()
            if k != without
            for c in parse_claims(text, language, default_currency=currency)
            if c.kind == "free_trial"
        ),
        None,
    )


def _dated_lines(gap: DealGap, deadline: str, ctx: ClaimContext) -> list[str]:
    """The small print that dates a deal, best first. Where the brief dates one deal on its
    own line among others, the deadline names it with the brief's own words ("Скидка 20% до
    15 января" beside "Вторая пара за полцены": a bare "До 15 января" there says both end, a
    false urgency for the other). A deadline on a line of its own ("Só até domingo") dates
    every deal and stands alone."""
    if sum(c.kind in DEAL_KINDS for c in ctx.claims) < 2:
        return [deadline]
    line = brief_line(ctx, gap.claim.text, deadline)
    return [line, deadline] if line is not None else [deadline]


def _dated(state: _State, gap: DealGap, ctx: ClaimContext) -> bool:
    """Show the deadline of a deal shown without it in small print, where there is room."""
    deadline = gap.parts[gap.missing.index(GAP_DEADLINE)]

    def dated(shown: dict[str, str]) -> bool:
        gaps = deal_gaps(shown, ctx)
        return not any(GAP_DEADLINE in g.missing for g in gaps if g.claim == gap.claim)

    return SMALL_PRINT not in state.shown() and any(
        _small_print(state, line, dated) for line in _dated_lines(gap, deadline, ctx)
    )


def _date_alone(state: _State, gaps: list[DealGap], ctx: ClaimContext) -> bool:
    """Half deals that lack only their deadline (the brand kit requires it) are dated in small
    print as :func:`_deadline` dates them, the brief's own words first; True when all are
    whole then, else the layout is left as it was (a deal that gives way to the name takes no
    small print dating it along). One that lacks its code too is left to
    :func:`_code_in_small_print`, whose one line carries both."""
    if not all(g.missing == (GAP_DEADLINE,) for g in gaps):
        return False
    previous = state.snapshot()
    for gap in gaps:
        _dated(state, gap, ctx)
    if not _half(deal_gaps(state.shown(), ctx), state.half):
        return True
    state.restore(previous)
    return False


def _undated(state: _State, gap: DealGap, ctx: ClaimContext) -> bool:
    """Whether the deal of ``gap`` is still shown without its deadline."""
    gaps = deal_gaps(state.shown(), ctx)
    return any(GAP_DEADLINE in g.missing for g in gaps if g.claim == gap.claim)


def _deadline(state: _State, ctx: ClaimContext, format_id: str) -> None:
    """A deal shown without its deadline: the deadline in small print, or a warning."""
    gaps = [g for g in deal_gaps(state.shown(), ctx) if GAP_DEADLINE in g.missing]
    for gap in gaps:
        if _dated(state, gap, ctx) or not _undated(state, gap, ctx):
            # Dated now, or by the small print an earlier deal's deadline put there ("截至周日"
            # under "立减500元 + 送手机壳" dates both): no warning that would not be true.
            continue
        deadline = gap.parts[gap.missing.index(GAP_DEADLINE)]
        state.warnings.append(
            say("deadline_not_shown", shown=gap.shown, deadline=deadline, format=format_id)
        )
