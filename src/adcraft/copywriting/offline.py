"""The built-in offline copywriter: ad copy assembled from the brief's own words, within limits.

It never translates or invents claims. Each field gets candidate phrasings built from the offer,
the selling points, the description and the product name, longest first; the first one that
fits its character limit and keeps the offer's key facts wins, and only when none fits is a
text cut (and the field reported in ``CopySet.truncated``). Variants take different angles
(offer-led, product-led, benefit-led, urgency, price-led, second offer) and skip an angle that
would read like an earlier variant. An LLM copywriter can replace it behind ``Copywriter``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol, runtime_checkable

import regex

from adcraft.copywriting.claimcheck import recurring_faults, shows_number, shows_other_period
from adcraft.copywriting.claims import DEAL_KINDS, Claim, required_code
from adcraft.copywriting.facts import KeyFact, fact_present, missing_facts
from adcraft.copywriting.injection import neutralize_brief
from adcraft.copywriting.limits import Counting, fits, truncate
from adcraft.copywriting.locale import (
    capitalize_first,
    cta_options,
    end_copy,
    end_headline,
    percent_badge,
)
from adcraft.copywriting.phrasing import (
    ANGLES,
    Angle,
    Material,
    angle_options,
    dedupe,
    gather,
    said_once,
    sanitize,
    sound,
    tidy,
)
from adcraft.copywriting.safety import banned_in
from adcraft.domain.brief import Brief
from adcraft.domain.creative import CopySet

__all__ = ["ANGLES", "BuiltinCopywriter", "Copywriter", "FieldSpec", "sanitize"]

Role = Literal["headline", "body", "cta", "badge", "disclaimer", "text", "long", "name", "path"]

_CACHE_SIZE = 64
_NEAR_DUPLICATE = 0.8


@dataclass(frozen=True)
class FieldSpec:
    """A text field to write: its name, what it is for, and its character limit."""

    name: str
    purpose: str
    max_chars: int
    counting: Counting = "graphemes"
    """``width`` for platforms that count CJK characters twice (Google Ads)."""

    def __post_init__(self) -> None:
        if self.max_chars < 1:
            raise ValueError(f"field {self.name!r}: max_chars must be >= 1, got {self.max_chars}")

    def fits(self, text: str) -> bool:
        """Whether text is within this field's limit."""
        return fits(text, self.max_chars, self.counting)


@runtime_checkable
class Copywriter(Protocol):
    """Writes one variant of ad copy for a brief and a set of fields."""

    name: str

    def write(
        self, brief: Brief, fields: Sequence[FieldSpec], *, variant: int, n_variants: int
    ) -> CopySet:
        """Copy for every field, each within its limit."""
        ...


def _role(name: str) -> Role:
    n = name.lower()
    if n in ("cta", "call_to_action", "call_to_action_text", "button"):
        return "cta"
    if n in ("badge", "disclaimer"):
        return "badge" if n == "badge" else "disclaimer"
    if n.endswith(("brand_name", "business_name", "app_name", "ad_name")) or n == "brand":
        return "name"
    if n.startswith("path") or "display_path" in n:
        return "path"
    if n == "long_headline":
        return "long"
    if "headline" in n or "title" in n:
        return "headline"
    return "body" if n == "body" else "text"


def is_headline(name: str) -> bool:
    """Whether a field is a headline (on the image or in the platform text), which ends
    without a full stop; a long headline may be a sentence."""
    return _role(name) == "headline"


@dataclass(frozen=True)
class _Pick:
    text: str
    own: bool
    truncated: bool


def _pick(
    spec: FieldSpec,
    own: Sequence[str],
    fallback: Sequence[str],
    must: Sequence[KeyFact],
    m: Material,
    *,
    alone: bool = False,
) -> _Pick:
    """The first candidate that fits and keeps the most of ``must``; cut one as a last resort.

    ``alone``: no terms line is shown with this field (see :func:`sound`)."""
    pool: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for text, is_own in [(c, True) for c in own] + [(c, False) for c in fallback]:
        if text and text not in seen:
            seen.add(text)
            pool.append((text, is_own))
    # A brand's banned word is never written: a candidate with one is not a candidate. A field
    # left with nothing is empty (the layout leaves it out) rather than off-brand.
    if m.banned:
        pool = [p for p in pool if not banned_in(p[0], m.banned)]
    # Nor is a recurring price with another period ("$35 a year" beside a price of "$35/mo",
    # a brief that contradicts itself), nor, in such a brief, a shortening of those words that
    # leaves the period out ("Just $35"): a wrong price is worse than none.
    if m.check is not None and m.check.recurring is not None:
        check, strict = m.check, m.check.recurring.contradicted
        pool = [
            p
            for p in pool
            if not (recurring_faults(p[0], check) if strict else shows_other_period(p[0], check))
        ]
    fitting = [p for p in pool if spec.fits(p[0])]
    # A candidate the publishability check would hold back ("₺2.500" without "indirim", a
    # deadline without its "jusqu'au") is written only when no sound one fits: a shorter true
    # line beats a complete wrong one.
    fitting = [p for p in fitting if sound(p[0], m, spec.name, alone=alone)] or fitting
    if fitting:
        best, best_score = fitting[0], 0
        for text, is_own in fitting if must else ():
            score = sum(fact_present(f, text) for f in must)
            if score == len(must):
                return _Pick(text, is_own, False)
            if score > best_score:
                best, best_score = (text, is_own), score
        return _Pick(best[0], best[1], False)
    for text, is_own in pool[:20]:
        cut = truncate(text, spec.max_chars, m.lang, counting=spec.counting)
        if cut and all(fact_present(f, cut) for f in must):
            return _Pick(cut, is_own, True)
    first = pool[0][0] if pool else ""
    cut = truncate(first, spec.max_chars, m.lang, counting=spec.counting)
    return _Pick(cut, False, bool(cut))


# A badge carries a deal claim (DEAL_KINDS, strongest first). Prices, deadlines and codes are
# never a badge: a bare "250 €" beside the price pill reads as a second price. Nor is a claim
# that needs a code: the code does not fit a badge, and "−15%" without it promises the discount
# to everyone.


def _badge_options(m: Material) -> list[tuple[str, Claim]]:
    """Whole-claim badges ("−20%", "Spare 250 €", "3 for 2"), strongest claim first."""
    out: list[tuple[str, Claim]] = []
    for kind in DEAL_KINDS:
        for claim in (c for c in m.claims if c.kind == kind):
            if required_code(claim, m.claims) is not None:
                continue
            if kind == "percent_off" and claim.scope is None and claim.value is not None:
                # "20% off" with nothing after it is the same promise as "−20%".
                short = percent_badge(claim.value, m.lang)
                if short:
                    out.append((short, claim))
            out.append((tidy(claim.text, m.lang), claim))
    return out


def _badge(m: Material, spec: FieldSpec) -> tuple[str, Claim | None]:
    """A very short label made of one whole claim, or "" when none fits."""
    for option, claim in _badge_options(m):
        if option and spec.fits(option) and not banned_in(option, m.banned):
            return option, claim
    return "", None


def _shows_claim(text: str, claim: Claim) -> bool:
    """Whether text already states the claim (its phrase, or its number with its unit)."""
    folded = text.casefold()
    if claim.text.casefold() in folded:
        return True
    return claim.value is not None and shows_number(text, claim.value)


def _cta(m: Material, spec: FieldSpec) -> _Pick:
    """The brief's call to action, else the longest of the language's list that fits.

    A call to action is never cut ("Купить сейча" is no button): when none fits, the field
    stays empty and the layout leaves the button out.
    """
    options = ([m.cta] if m.cta else []) + list(cta_options(m.cta_lang, m.intent))
    for option in options:
        if spec.fits(option) and not banned_in(option, m.banned):
            return _Pick(option, True, False)
    return _Pick("", True, False)


def _compose(
    m: Material, angle: Angle, k: int, specs: Sequence[FieldSpec], turn: int = 0
) -> tuple[CopySet, bool]:
    """One variant under one angle; the flag says the angle's own words filled the key field.

    ``turn`` (the variant number) rotates which selling points and description sentence the
    body uses, so two variants do not repeat the same supporting lines.
    """
    budget = max((s.max_chars for s in specs), default=1)
    opts = angle_options(m, angle, k, budget=budget, turn=turn)
    # A sentence that says again what an earlier one of the same text said in other words
    # ("…taahhütsüz kullanım. … Taahhüt yok.") is left out of each candidate before picking.
    opts = replace(
        opts,
        body=dedupe([said_once(c, m) for c in opts.body]),
        body_fallback=dedupe([said_once(c, m) for c in opts.body_fallback]),
        text=dedupe([said_once(c, m) for c in opts.text]),
    )
    roles = {s.name: _role(s.name) for s in specs}
    out: dict[str, _Pick] = {}

    def missing(*, badge: bool = True) -> list[KeyFact]:
        picks = [p for n, p in out.items() if badge or roles[n] != "badge"]
        return [f for f in m.facts if not any(fact_present(f, p.text) for p in picks)]

    badge_claims: dict[str, Claim] = {}
    for spec in specs:
        if roles[spec.name] == "badge":
            text, claim = _badge(m, spec)
            out[spec.name] = _Pick(text, True, False)
            if claim is not None:
                badge_claims[spec.name] = claim
        elif roles[spec.name] == "cta":
            out[spec.name] = _cta(m, spec)
        elif roles[spec.name] == "name":
            out[spec.name] = _pick(spec, [m.brand, *m.names], [], (), m)
        elif roles[spec.name] == "path":
            slugs = [regex.sub(r"[^\p{L}\p{N}]+", "-", n).strip("-") for n in m.names]
            out[spec.name] = _pick(spec, [s for s in slugs if s], [], (), m)
    for spec in specs:
        # Platform text is shown on its own, so each one keeps every fact it can.
        if roles[spec.name] in ("text", "long"):
            own = opts.text if roles[spec.name] == "text" else opts.long
            out[spec.name] = _pick(spec, own, [], m.facts, m, alone=True)
    first_roles = ("headline", "body") if angle in ("offer", "urgency") else ("body", "headline")
    # A promo code is terms: with a terms line below, headline and body need not carry it
    # ("₺2.500 indirim + kılıf hediye" above, "NOVA25 koduyla …" in the fine print).
    terms_below = any(r == "disclaimer" for r in roles.values())
    for role in first_roles:
        for spec in (s for s in specs if roles[s.name] == role):
            own = opts.headline if role == "headline" else opts.body
            fallback = opts.headline_fallback if role == "headline" else opts.body_fallback
            # The badge is the last resort for a fact: headline and body try to carry all.
            need = [f for f in missing(badge=False) if not (terms_below and f.kind == "code")]
            out[spec.name] = _pick(spec, own, fallback, need, m, alone=not terms_below)
    for spec in specs:
        if roles[spec.name] == "disclaimer":
            terms = [e for i, x in enumerate(m.extras) if angle != "extra" or i != k for e in x]
            if angle == "extra" and not any(m.extras[k][0] in p.text for p in out.values()):
                terms.insert(0, m.extras[k][0])  # the headline cut the second offer short
            if m.offer_forms and not any(m.offer_forms[0] in p.text for p in out.values()):
                # The offer was shortened everywhere: its full wording is the terms line.
                terms.insert(0, m.offer_forms[0])
            terms += [capitalize_first(f.text, m.lang) for f in m.facts if f.kind == "deadline"]
            if m.term:
                # A price with a minimum term says it in the terms line, whatever else is there.
                terms = [*(f"{t} · {m.term}" for t in terms), m.term]
            chosen = _pick(spec, terms, [], missing(), m)
            out[spec.name] = chosen if not chosen.truncated else _Pick("", True, False)
    fields = {s.name: end_copy(out[s.name].text) for s in specs}
    for name in (n for n, r in roles.items() if r == "headline"):
        fields[name] = end_headline(fields[name], m.lang)
    # A platform line under the headline that only says it again ("14 Tage kostenlos testen"
    # under "14 Tage kostenlos testen") says something else from its own candidates.
    heads = [_plain(fields[n]) for n, r in roles.items() if r == "headline" and fields[n]]

    def repeats(text: str) -> bool:
        return bool(_plain(text)) and any(_plain(text) in h for h in heads)

    for spec in (s for s in specs if roles[s.name] == "text" and repeats(fields[s.name])):
        other = _pick(spec, [c for c in opts.text if not repeats(c)], [], m.facts, m, alone=True)
        if other.text and not repeats(other.text):
            out[spec.name] = other
            fields[spec.name] = end_copy(other.text)
    for name, claim in badge_claims.items():
        # One fact, one place: a badge that repeats what the headline or body says is dropped.
        said = " ".join(fields[o] for o in fields if roles[o] in ("headline", "body", "disclaimer"))
        if _shows_claim(said, claim) or _plain(fields[name]) in _plain(said):
            fields[name] = ""
    _drop_restated(fields, roles, m)
    _drop_echoes(fields, roles)
    shown = _tokens(" ".join(fields.values()))
    if m.names and not any(_tokens(n) <= shown for n in m.names):
        # The copy never names the product (an offer-only headline): let the freed body do it.
        for spec in (s for s in specs if roles[s.name] == "body" and not fields[s.name]):
            named = _pick(spec, list(m.names), [], (), m)
            if named.text and not named.truncated:
                fields[spec.name] = named.text
    key = _key_field(specs, roles)
    own_fit = key is None or (out[key].own and not out[key].truncated)
    copy = CopySet(
        fields=fields,
        language=m.lang,
        angle=angle,
        key_facts=tuple(f.text for f in m.facts),
        missing_facts=missing_facts(m.facts, fields),
        attempts=0,
        truncated=tuple(s.name for s in specs if out[s.name].truncated),
        provider="builtin",
    )
    return copy, own_fit


# A full stop ends a sentence before a space ("₺2.500" is one number); a CJK one anywhere.
_SENTENCE_STOP = regex.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")
_JOINERS = " ,;:·–—-+｜、，：；・"
_LEADING_JOINER = regex.compile(rf"^[\s{regex.escape(_JOINERS)}]+")


def _claims_of_a_field(text: str) -> list[str]:
    """A field's text and each of its sentences, without their full stop: what a later field
    must not say again word for word. Only a piece with a number or of two words and more
    ("−20 %", "₺2.500 indirim + kılıf hediye"): one plain word is no claim to repeat."""
    pieces = [text, *_SENTENCE_STOP.split(text)]
    out = []
    for piece in (p.strip().rstrip(".!?。！？").strip() for p in pieces):
        if piece and (regex.search(r"\p{N}", piece) or " " in piece) and piece not in out:
            out.append(piece)
    return out


def _without(text: str, piece: str, lang: str) -> str | None:
    """``text`` without ``piece`` where the piece opens or closes one of its sentences, what
    is left of that sentence kept ("−20 % avec le code TERROIR20" less "−20 %" is "Avec le code
    TERROIR20"); None where the piece is not there so, or sits mid-sentence (taking it out
    there would leave a broken sentence)."""
    # Whole words and whole numbers only: not "500 indirim" out of "₺2.500 indirim".
    edge_before, edge_after = r"(?<![\p{L}\p{N}]|\p{N}[.,])", r"(?![\p{L}\p{N}]|[.,]\p{N})"
    m = regex.search(edge_before + regex.escape(piece) + edge_after, text)
    if m is None:
        return None
    before, after = text[: m.start()], text[m.end() :]
    opens = not before.strip() or before.rstrip()[-1] in ".!?。！？"
    closes = not after.strip() or after.lstrip()[0] in ".!?。！？"
    if opens and closes:  # the whole sentence: it goes
        rest = after.lstrip().lstrip(".!?。！？").lstrip()
        return f"{before.rstrip()} {rest}".strip() if before.strip() else rest
    if opens:
        rest = capitalize_first(_LEADING_JOINER.sub("", after), lang)
        return f"{before.rstrip()} {rest}".strip() if before.strip() else rest
    if closes:
        return before.rstrip(_JOINERS) + after.lstrip()
    return None


def _drop_restated(fields: dict[str, str], roles: dict[str, Role], m: Material) -> None:
    """A body or terms line that says again, word for word, a claim the headline says says
    only the rest: "−20 %" above "−20 % avec le code TERROIR20 jusqu'au 31 mars" reads twice,
    "Avec le code TERROIR20 jusqu'au 31 mars" under it reads once (and "₺2.500 indirim + kılıf
    hediye" above "NOVA25 koduyla ₺2.500 indirim + kılıf hediye" leaves "NOVA25 koduyla").
    The shorter text is kept only where the claim check passes it.

    Only the headline's claims: every size shows the headline, while a body may be left out
    of a small size, and then the terms line's full wording is what still shows the deal."""
    said = [
        piece
        for name, role in roles.items()
        if role == "headline"
        for piece in _claims_of_a_field(fields[name])
    ]
    for name in (n for n, r in roles.items() if r in ("body", "disclaimer")):
        text = fields[name]
        for piece in sorted(said, key=len, reverse=True):
            for part in (piece, *_before_claims(text, piece, m)):
                cut = _without(text, part, m.lang) if text else None
                if cut is not None and (not cut or sound(cut, m, name)):
                    text = cut
                    break
        fields[name] = text


def _before_claims(text: str, piece: str, m: Material) -> list[str]:
    """What of the headline's ``piece`` comes before a claim it runs into in ``text``: the
    headline "SkyFly: رحلات إلى دبي" opens the body's "SkyFly: رحلات إلى دبي ابتداءً من 499 ر.س",
    whose price claim needs its "رحلات إلى دبي" (what the price is for), so only "SkyFly:" can
    go; the body says the deal without saying the headline again."""
    at = text.find(piece)
    if at < 0:
        return []
    end = at + len(piece)
    out: list[str] = []
    for claim in m.claims:
        start = text.find(claim.text, at)
        if at < start < end < start + len(claim.text):
            head = text[at:start].rstrip(_JOINERS)
            if regex.search(r"[\p{L}\p{N}]", head) and head not in out:
                out.append(head)
    return out


def _drop_echoes(fields: dict[str, str], roles: dict[str, Role]) -> None:
    """Empty a body or terms line that only repeats words already shown above it.

    A sparse brief ("15% off this week" and nothing else) would otherwise print its one line
    as headline, again as body, and its deadline a third time as fine print. An empty field
    is left out of the layout, which gives the rest more room.
    """
    shown: frozenset[str] = frozenset()
    for role in ("headline", "body", "disclaimer"):
        for name in (n for n, r in roles.items() if r == role):
            words = _tokens(fields[name])
            if role != "headline" and words and words <= shown:
                fields[name] = ""
            else:
                shown |= words


def _key_field(specs: Sequence[FieldSpec], roles: dict[str, Role]) -> str | None:
    """The field a reader sees first: what makes two variants read alike or not."""
    for wanted in ("headline", "long", "body", "text"):
        for s in specs:
            if roles[s.name] == wanted:
                return s.name
    return None


def _plain(text: str) -> str:
    return regex.sub(r"[^\p{L}\p{N}]+", " ", text.casefold()).strip()


def _tokens(text: str) -> frozenset[str]:
    return frozenset(regex.findall(r"\p{Han}|[\p{L}\p{N}]+", text.casefold()))


def _similar(a: str, b: str) -> bool:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return a == b
    return len(ta & tb) / len(ta | tb) >= _NEAR_DUPLICATE


def _near_duplicate(a: CopySet, b: CopySet, key: str | None, roles: dict[str, Role]) -> bool:
    """Same key text, or the same words in the key field and in the rest of the copy."""
    if key is None:
        return a.fields == b.fields
    if _plain(a.fields[key]) == _plain(b.fields[key]):
        return True
    # Buttons, badges and names repeat across variants by design: only copy counts.
    copy = [n for n, r in roles.items() if n != key and r in ("body", "text", "long", "headline")]
    if not copy:
        return False
    rest_a = " ".join(a.fields[n] for n in copy)
    rest_b = " ".join(b.fields[n] for n in copy)
    return _similar(a.fields[key], b.fields[key]) and _similar(rest_a, rest_b)


def _choices(m: Material, angle: Angle) -> range:
    """The k values an angle can take: which selling point, which extra offer, which pair."""
    if angle == "benefit":
        return range(len(m.points))
    if angle == "extra":
        return range(len(m.extras))
    if angle == "features":
        return range(max(0, len(m.points) - 1))
    # "Name from $12.50" next to an offer "From $12.50/month" would say the price twice and
    # drop its period: the price angle is only for a price no offer already states.
    claimed = any(c.kind in ("price", "price_from", "per_period") for c in m.claims)
    price = m.price if not claimed and not _price_said(m) else ""
    present = {"offer": m.offer_forms, "urgency": m.hooks, "price": price, "product": m.names}
    return range(1 if present[angle] else 0)


def _price_said(m: Material) -> bool:
    """Whether the price's number is already in an offer (as a price, not a saving)."""
    number = regex.sub(r"[^\d.,]", "", m.price).strip(".,")
    return bool(number) and any(number in " ".join(x) for x in (m.offer_forms, *m.extras))


def _plan(m: Material, specs: tuple[FieldSpec, ...], n: int) -> list[CopySet]:
    """Copy for variants 0..n-1; variant v depends only on the variants before it."""
    roles = {s.name: _role(s.name) for s in specs}
    key = _key_field(specs, roles)
    done: list[CopySet] = []
    used: set[tuple[Angle, int]] = set()
    angles: list[tuple[Angle, int]] = []
    repeats = 0
    for v in range(n):
        start = v % len(ANGLES)
        order: tuple[Angle, ...] = (*ANGLES[start:], *ANGLES[:start], "features")
        chosen: tuple[CopySet, Angle, int] | None = None
        spare: tuple[CopySet, Angle, int] | None = None
        for angle in order:
            for k in _choices(m, angle):
                if (angle, k) in used:
                    continue
                copy, own_fit = _compose(m, angle, k, specs, turn=v)
                if own_fit and not any(_near_duplicate(copy, d, key, roles) for d in done):
                    chosen = (copy, angle, k)
                    break
                if spare is None and own_fit:
                    spare = (copy, angle, k)
            if chosen is not None:
                break
        # Nothing new: a near repeat from an unused angle, else cycle what was written, rather
        # than invent a claim the brief does not make.
        pick = chosen or spare
        if pick is not None:
            used.add(pick[1:])
            done.append(pick[0])
            angles.append(pick[1:])
        elif done:
            # Every angle is used: take an earlier one again with the supporting lines turned,
            # which reads differently; a word-for-word repeat only when nothing else is left.
            again = done[repeats % len(done)]
            fresh: list[CopySet] = []
            for angle, k in angles:
                copy, _ = _compose(m, angle, k, specs, turn=v)
                if not any(copy.fields == d.fields for d in done):
                    fresh.append(copy)
            # A new headline first (what a viewer reads first), else any new wording.
            heads = {_plain(d.fields[key]) for d in done} if key is not None else set()
            new_head = [c for c in fresh if key is not None and _plain(c.fields[key]) not in heads]
            again = (new_head or fresh or [again])[0]
            done.append(again)
            repeats += 1
        else:
            done.append(_compose(m, "offer" if m.offer_forms else "product", 0, specs)[0])
    return done


_cache: dict[tuple[Brief, tuple[FieldSpec, ...]], list[CopySet]] = {}
_cache_lock = threading.Lock()


def _unique(fields: Sequence[FieldSpec]) -> tuple[FieldSpec, ...]:
    """Specs in order, the first of each name (a name can hold only one text)."""
    first: dict[str, FieldSpec] = {}
    for f in fields:
        first.setdefault(f.name, f)
    return tuple(first.values())


class BuiltinCopywriter:
    """Deterministic rule-based copy from the brief's own words; needs no network or model."""

    name: str = "builtin"

    def write(
        self, brief: Brief, fields: Sequence[FieldSpec], *, variant: int, n_variants: int
    ) -> CopySet:
        """Copy for every field of one variant, each field within its limit."""
        if variant < 0:
            raise ValueError(f"variant must be >= 0, got {variant}")
        specs = _unique(fields)
        # The whole set is planned at once so variants can avoid repeating each other; the plan
        # is prefix-stable, so a larger n_variants never changes the earlier variants.
        n = max(n_variants, variant + 1)
        key = (brief, specs)
        try:
            with _cache_lock:
                cached = _cache.get(key)
            hashable = True
        except TypeError:  # an unhashable brief (exotic image object): plan without the cache
            cached, hashable = None, False
        if cached is None or len(cached) < n:
            # Instruction-like sentences are no material for copy (the pipeline removes and
            # reports them first; this keeps direct callers safe too).
            cached = _plan(gather(neutralize_brief(brief)[0]), specs, n)
            if hashable:
                with _cache_lock:
                    if len(_cache) >= _CACHE_SIZE:
                        _cache.pop(next(iter(_cache)))
                    _cache[key] = cached
        return cached[variant]
