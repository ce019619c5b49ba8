"""One creative, end to end: copy for the size -> layout -> pixels -> metrics -> encoded bytes.

Everything here is deterministic for its inputs; the pipeline runs it in worker processes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from PIL import Image

from adcraft.copywriting.claimcheck import ClaimContext, code_faults, context_for_brief, verdict
from adcraft.copywriting.essentials import Pill, says, settle
from adcraft.copywriting.facts import extract_facts, missing_facts
from adcraft.copywriting.fitting import fit_field
from adcraft.copywriting.limits import Counting
from adcraft.copywriting.locale import (
    capitalize_first,
    chinese_tag,
    format_price,
    standalone_phrase,
    term_text,
)
from adcraft.copywriting.offline import Copywriter, FieldSpec
from adcraft.copywriting.platform_deals import whole_platform_deals
from adcraft.domain.aspect import aspect_group
from adcraft.domain.brief import Brief
from adcraft.domain.creative import TEXT_KINDS, Background, CopySet, Element, Layout
from adcraft.domain.formats import Format
from adcraft.domain.template import Template
from adcraft.domain.visual import Visual
from adcraft.errors import CopyTooLong
from adcraft.layout.placement import Placement, PlacementRefused, cropped, place
from adcraft.layout.solve import SolveInput, solve, text_share
from adcraft.layout.styles import Style
from adcraft.layout.typography import clean_text
from adcraft.notes import say
from adcraft.render.backgrounds import (
    Scene,
    plan_background,
    plan_scene_background,
    remember_scene,
    vary_background,
)
from adcraft.render.color import Palette
from adcraft.render.draw import render
from adcraft.render.encode import ImageFormat, choose_format, encode
from adcraft.scoring.metrics import compute_metrics, product_quality

MAX_REWRITES = 3
_TERMS = "disclaimer"
# Platform text fields that are display hints or not ad copy; the rest are written for upload.
_SKIP_PLATFORM_FIELDS = ("_max", "truncation_safe", "visible", "app_name", "ad_name", "path")


@dataclass(frozen=True)
class Job:
    """What every creative of one brief shares; sent once to each worker process."""

    brief: Brief
    visual: Visual | None
    logo: Image.Image | None
    palette: Palette
    copywriter: Copywriter
    price_text: str | None
    image_format: str
    seed: int
    n_variants: int
    scene: Scene | None = None
    """A background picture used by every creative instead of a painted background."""
    scenes: Mapping[str, Scene] | None = None
    """Scenes by aspect group (``adcraft.domain.aspect``): a format takes its group's scene,
    so each shape gets a background composed for it; ``scene`` covers a missing group."""
    look: int = 0
    """How many new looks the version is from the generated one: moves the style's
    background (``vary_background``) so a new look never repeats the previous pixels."""
    claims: ClaimContext | None = None
    """The brief's claims and words, for the publishability check (built once per set)."""
    framed_visual: Visual | None = None
    """The photo whole, framed, for a size whose hand adjustment keeps its background
    (``Placement.keep_background``); None when the picture has no background to keep."""

    def scene_for(self, width: int, height: int) -> Scene | None:
        """The scene of a format's aspect group, else the set's one scene (or None)."""
        if self.scenes:
            found = self.scenes.get(aspect_group(width, height))
            if found is not None:
                return found
        return self.scene

    def claim_context(self) -> ClaimContext:
        """The brief's claim context, built here when the job was made without one."""
        return self.claims if self.claims is not None else context_for_brief(self.brief)


@dataclass(frozen=True)
class Variant:
    """One look: a style and a template, kept across every size."""

    index: int
    style: Style
    template: Template


@dataclass
class Made:
    """A finished creative before ranking, with its encoded bytes."""

    id: str
    fmt: Format
    variant: Variant
    layout: Layout
    copy: CopySet
    platform_text: dict[str, str]
    metrics: dict[str, float]
    data: bytes
    image_format: ImageFormat
    thumbnail: Image.Image
    warnings: list[str] = field(default_factory=list)
    publishable: bool = True
    publishable_reasons: tuple[str, ...] = ()
    platform_truncated: tuple[str, ...] = ()
    """Platform text fields cut at a word boundary to meet the platform's limit."""


class CopyBook:
    """Copy per variant and per set of field limits, written once and reused across sizes."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._cache: dict[tuple[int, tuple[FieldSpec, ...]], CopySet] = {}

    def get(self, variant: int, specs: tuple[FieldSpec, ...]) -> CopySet:
        """Copy for these fields; the copywriter is asked once per distinct limits."""
        key = (variant, specs)
        if key not in self._cache:
            self._cache[key] = self._job.copywriter.write(
                self._job.brief, specs, variant=variant, n_variants=self._job.n_variants
            )
        return self._cache[key]


def field_specs(
    template: Template,
    fmt: Format,
    limits: dict[str, int] | None = None,
    without: frozenset[str] = frozenset(),
) -> tuple[FieldSpec, ...]:
    """The on-image fields of a template for a format's shape, with their limits, less the
    fields named in ``without``."""
    caps = template.limits_for(fmt.shape)
    if limits:
        caps = {k: min(v, limits.get(k, v)) for k, v in caps.items()}
    return tuple(
        FieldSpec(n, template.fields[n].purpose, caps[n]) for n in caps if n not in without
    )


def platform_specs(fmt: Format) -> tuple[FieldSpec, ...]:
    """Text fields uploaded with the image (Meta primary text, Google long headline ...)."""
    out: list[FieldSpec] = []
    for name, limit in fmt.text_limits.items():
        if any(s in name for s in _SKIP_PLATFORM_FIELDS):
            continue
        safe = fmt.text_limits.get(f"{name}_truncation_safe", limit)
        # Google Ads counts CJK characters twice; Meta, TikTok and the others count each once.
        counting: Counting = "width" if fmt.platform.lower().startswith("google") else "graphemes"
        purpose = f"{fmt.platform} {name.replace('_', ' ')}"
        out.append(FieldSpec(name, purpose, min(limit, safe), counting))
    return tuple(out)


def creative_id(job: Job, variant: int, fmt: Format) -> str:
    """Stable id: same brief, seed, variant and format -> same id."""
    key = f"{job.brief.model_dump_json(exclude={'image'})}|{job.seed}|{variant}|{fmt.id}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


@dataclass
class Planned:
    """The pure half of a creative: its copy and layout, before any pixel is drawn."""

    layout: Layout
    copy: CopySet
    rewrites: int
    warnings: list[str]
    unpublishable: tuple[str, ...] = ()
    """Why the creative is not a whole ad (no headline, no button, a half deal), if it is not."""


def plan_creative(
    job: Job, book: CopyBook, variant: Variant, fmt: Format, without: frozenset[str] = frozenset()
) -> Planned:
    """Write copy for the size and lay it out, asking for shorter copy when it does not fit.

    ``without``: fields written empty, so the others must say what those would have said.
    """
    warnings: list[str] = []
    limits: dict[str, int] = {}

    def written(specs: tuple[FieldSpec, ...]) -> CopySet:
        copy = book.get(variant.index, specs)
        if not without:
            return copy
        return copy.model_copy(update={"fields": {**copy.fields, **dict.fromkeys(without, "")}})

    copy = written(field_specs(variant.template, fmt, without=without))
    layout: Layout | None = None
    rewrites = 0
    truncated = list(copy.truncated)
    while layout is None:
        fields = _clean(copy.fields, warnings)
        try:
            layout = solve(_solve_input(job, variant, fmt, fields))
        except CopyTooLong as exc:
            limits[exc.field] = min(exc.fits_chars, limits.get(exc.field, 10**6) - 1)
            if limits[exc.field] < 1:
                raise
            rewrites += 1
            if rewrites <= MAX_REWRITES:
                copy = written(field_specs(variant.template, fmt, limits, without))
            else:
                # The copywriter could not get short enough: a shorter whole phrasing, else
                # leave an optional field out; a cut is the last resort, and it is reported.
                spec = variant.template.fields.get(exc.field)
                others = [t for k, t in copy.fields.items() if k != exc.field]
                fitted = fit_field(
                    exc.field,
                    copy.fields[exc.field],
                    limits[exc.field],
                    job.brief,
                    job.claim_context(),
                    required=spec.required if spec is not None else True,
                    used=others,
                )
                copy = copy.model_copy(update={"fields": {**copy.fields, exc.field: fitted.text}})
                if fitted.action == "cut":
                    truncated.append(exc.field)
                elif fitted.action == "dropped":
                    note = say("field_left_out", field=exc.field, format=fmt.id)
                    if note not in warnings:
                        warnings.append(note)
    # A field the layout had to drop may have carried a key fact: check what is really shown.
    shown: dict[str, str] = {e.kind: e.text or "" for e in layout.elements if e.kind in TEXT_KINDS}
    if _TERMS not in without and code_faults(shown, job.claim_context()):
        # The terms line that was to give the promo code is not on the image (this size left
        # it out): write again without it, so the headline or body gives the code itself or
        # leaves out the discount that needs it.
        return plan_creative(job, book, variant, fmt, without | {_TERMS})
    # No advertiser name, headline or text beside the image (IAB display): the image itself
    # must say what it sells.
    stands_alone = fmt.kind == "creative" and not fmt.text_limits
    # What is left on a small size must still be a whole ad: a headline, a button, no half deal,
    # and the deal's deadline in small print or a warning that it is not shown.
    settled = settle(
        layout,
        fields,
        brief=job.brief,
        ctx=job.claim_context(),
        format_id=fmt.id,
        lay_out=lambda changed, extra, priced: _solved(job, variant, fmt, changed, extra, priced),
        stands_alone=stands_alone,
        # A feed image is seen before the text beside it: it says what it sells too.
        named=fmt.kind == "creative",
        text_cap=fmt.max_text_share,
        pinned=frozenset(copy.pinned),
    )
    layout = settled.layout
    warnings.extend(w for w in settled.warnings if w not in warnings)
    if settled.fields != fields:
        changed = {k: v for k, v in settled.fields.items() if fields.get(k) != v}
        copy = copy.model_copy(update={"fields": {**copy.fields, **changed}})
        truncated = [t for t in truncated if t not in changed]  # a replaced field is whole
    shown = {e.kind: e.text or "" for e in layout.elements if e.kind in TEXT_KINDS}
    price = job.brief.price
    term = term_text(price, job.brief.language) if price is not None else ""
    if term and "price" in shown and not says(shown.values(), term):
        # A price with a minimum term is shown with the term or not at all: this size has no
        # room for the terms line that says it, so the pill is left out (and that is said).
        unpriced = _solved(job, variant, fmt, settled.fields, {}, priced=False)
        if unpriced is not None:
            layout = unpriced
            shown = {e.kind: e.text or "" for e in layout.elements if e.kind in TEXT_KINDS}
            note = say("price_left_out_term", price_text=job.price_text, term=term, format=fmt.id)
            if note not in warnings:
                warnings.append(note)
    if price is not None and price.period is not None and "price" in layout.dropped_fields:
        # A recurring price is shown with its period or not at all: say which sizes lack it.
        note = say("price_left_out_period", price_text=job.price_text, format=fmt.id)
        if note not in warnings:
            warnings.append(note)
    # Emoji are flagged where they are drawn: not for a field this size leaves out.
    warnings = [w for w in warnings if not _emoji_note_for_hidden_field(w, shown)]
    lost = missing_facts(extract_facts(job.brief.offer, job.brief.language), shown)
    copy = copy.model_copy(
        update={"truncated": tuple(sorted(set(truncated))), "missing_facts": lost}
    )
    return Planned(layout, copy, rewrites, warnings, settled.unpublishable)


def _solved(
    job: Job,
    variant: Variant,
    fmt: Format,
    fields: Mapping[str, str],
    extra: Mapping[str, str],
    priced: Pill = True,
) -> Layout | None:
    """The layout of changed copy, None when it does not fit (no rewrite is asked for);
    ``priced``: False leaves the price out, a text is what the pill says instead."""
    try:
        inp = _solve_input(job, variant, fmt, dict(fields))
        if not priced:
            inp = replace(inp, price_text=None, prior_price_text=None)
        elif isinstance(priced, str) and inp.price_text:
            inp = replace(inp, price_text=priced)
        return solve(replace(inp, extra_fields=dict(extra)))
    except CopyTooLong:
        return None


def make_creative(
    job: Job, book: CopyBook, variant: Variant, fmt: Format, placement: Placement | None = None
) -> Made:
    """Lay out, draw, measure and encode one creative; ``placement`` is a hand adjustment of
    this size, refused (PlacementRefused) where it breaks a guarantee of the layout."""
    if placement is not None and placement.keep_background:
        if job.framed_visual is None:
            raise PlacementRefused(
                f"this adjustment of {fmt.id} is refused: the picture has no background to keep "
                "(it was given with a transparent background)"
            )
        job = replace(job, visual=job.framed_visual)
    if placement is not None and placement.crops():
        if job.visual is None:
            raise PlacementRefused(f"this adjustment of {fmt.id} is refused: it has no photo")
        # The crop keeps the photo's shape, so the plan (made for the whole photo) holds.
        job = replace(job, visual=cropped(job.visual, placement, fmt.id))
    planned = plan_creative(job, book, variant, fmt)
    layout, copy, warnings = planned.layout, planned.copy, planned.warnings
    if placement is not None:
        layout = place(layout, placement, fmt.safe_box())
    background = _background(job, variant, layout)
    layout = _with_sources(layout.model_copy(update={"background": background}))
    if job.visual is not None and not job.visual.has_cutout:
        layout = _framed(layout)
    drawn = render(layout, job.visual, job.palette, variant.style, job.logo)
    metrics = compute_metrics(
        drawn.layout, saliency=drawn.saliency, background=drawn.base, safe_box=fmt.safe_box()
    )
    if job.visual is not None:
        metrics.update(
            product_quality(job.visual.sharpness, job.visual.exposure, job.visual.clipped)
        )
    metrics.update(
        {
            "overflow": 0.0,
            "copy_rewrites": float(planned.rewrites),
            "truncated_fields": float(len(copy.truncated)),
            "missing_facts": float(len(copy.missing_facts)),
            "dropped_fields": float(len(layout.dropped_fields)),
        }
    )
    image_format, warn = choose_format(fmt, job.image_format)
    if warn:
        warnings.append(warn)
    max_bytes = fmt.max_file_kb * 1024 if fmt.max_file_kb else None
    data = encode(drawn.image, image_format, max_bytes=max_bytes)
    thumb = _thumbnail(drawn.image)
    platform_set = book.get(variant.index, platform_specs(fmt)) if fmt.text_limits else None
    platform_copy = platform_set.fields if platform_set is not None else {}
    if platform_copy:
        platform_copy, notes = whole_platform_deals(
            platform_copy,
            platform_specs(fmt),
            job.claim_context(),
            product_name=job.brief.product_name,
            format_id=fmt.id,
            pinned=frozenset(platform_set.pinned) if platform_set is not None else frozenset(),
        )
        warnings.extend(n for n in notes if n not in warnings)
    shown: dict[str, str] = {e.kind: e.text or "" for e in layout.elements if e.kind in TEXT_KINDS}
    judged = verdict(shown, platform_copy, job.claim_context(), cut_on_image=copy.truncated)
    reasons = tuple(dict.fromkeys((*planned.unpublishable, *judged.reasons)))
    publishable = judged.publishable and not planned.unpublishable
    over = _over_text_cap(fmt, drawn.layout)
    if over is not None:
        reasons, publishable = (*reasons, over), False
    metrics["publishable"] = 1.0 if publishable else 0.0
    metrics["claim_faults"] = float(len(judged.reasons))
    return Made(
        id=creative_id(job, variant.index, fmt),
        fmt=fmt,
        variant=variant,
        layout=drawn.layout,
        copy=copy,
        platform_text=dict(platform_copy),
        metrics=metrics,
        data=data,
        image_format=image_format,
        thumbnail=thumb,
        warnings=warnings,
        publishable=publishable,
        publishable_reasons=reasons,
        platform_truncated=platform_set.truncated if platform_set is not None else (),
    )


def _over_text_cap(fmt: Format, layout: Layout) -> str | None:
    """Why the creative breaks its format's text cap (Google responsive display: at most 20 %
    of the image), None where it keeps to it or the format has none."""
    cap = fmt.max_text_share
    if cap is None:
        return None
    share = text_share(layout)
    if share <= cap:
        return None
    return say("text_over_cap", format=fmt.id, share=f"{share:.1%}", cap=f"{cap:.0%}")


def make_logo_creative(job: Job, variant: Variant, fmt: Format) -> Made:
    """A logo format (Google logo, TikTok profile image): the brand logo in its safe area."""
    assert job.logo is not None
    width, height = fmt.size
    x, y, w, h = fmt.safe_box()
    pad = round(min(w, h) * 0.1)
    area = (x + pad, y + pad, w - 2 * pad, h - 2 * pad)
    background = Background(kind="solid", colors=(job.palette.background,))
    layout = Layout(
        format_id=fmt.id,
        width=width,
        height=height,
        template="logo",
        style=variant.style.name,
        arrangement="logo",
        background=background,
        elements=(Element(kind="logo", box=area, src=LOGO_FILE),),
    )
    drawn = render(layout, None, job.palette, variant.style, job.logo)
    image_format, warn = choose_format(fmt, job.image_format)
    max_bytes = fmt.max_file_kb * 1024 if fmt.max_file_kb else None
    data = encode(drawn.image, image_format, max_bytes=max_bytes)
    thumb = _thumbnail(drawn.image)
    return Made(
        id=creative_id(job, -1, fmt),
        fmt=fmt,
        variant=variant,
        layout=drawn.layout,
        copy=CopySet(fields={}, language=job.brief.language),
        platform_text={},
        metrics={"safe_zone_violations": 0.0},
        data=data,
        image_format=image_format,
        thumbnail=thumb,
        warnings=[warn] if warn else [],
    )


def _background(job: Job, variant: Variant, layout: Layout) -> Background:
    """The job's scene cover-fitted to this format, else the style's own background."""
    scene = job.scene_for(layout.width, layout.height)
    if scene is None:
        bg = plan_background(variant.style, job.palette, layout, job.seed + variant.index)
        return vary_background(bg, job.look, job.seed + variant.index)
    # Workers get the job by pickle: register its pixels here, in the process that draws.
    remember_scene(scene)
    return plan_scene_background(scene, layout)


THUMB_SIDE = 220
"""Long side of the thumbnail each creative carries: the contact sheet's cell. Thumbnails
cross from the worker processes, so a bigger one only costs transfer time."""


def _thumbnail(image: Image.Image, side: int = THUMB_SIDE) -> Image.Image:
    """A contact-sheet thumbnail, its long side at most ``side``: an integer box reduction of
    the full-size image (the cheapest resampling), then a small exact resize."""
    factor = max(1, max(image.width, image.height) // side)
    small = image.reduce(factor) if factor > 1 else image.copy()
    small.thumbnail((side, side), Image.Resampling.BILINEAR)
    return small


def _emoji_note_for_hidden_field(warning: str, shown: dict[str, str]) -> bool:
    name, _, note = warning.partition(": ")
    return note.startswith("emoji drawn:") and name not in shown


def _clean(fields: dict[str, str], warnings: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, text in fields.items():
        cleaned, notes = clean_text(text)
        out[name] = cleaned
        warnings.extend(f"{name}: {n}" for n in notes if f"{name}: {n}" not in warnings)
    return out


def price_label(brief: Brief, claims: ClaimContext | None = None) -> str | None:
    """What the price pill says: the brief's price, or the brief's own "from"/"per month"
    claim of that amount ("月額980円から", "החל מ-59.90 ₪ לחודש"): a bare "￥980" beside a
    monthly plan drops both qualifiers."""
    if brief.price is None:
        return None
    amount, currency = brief.price.amount, brief.price.currency
    ctx = claims or context_for_brief(brief)
    if ctx.unstated_period is not None and abs(ctx.unstated_period[0] - amount) < 0.005:
        # The brief's own words price per period but the price has none: "$35" alone reads as
        # a one-off price, so no pill until the marketer sets the period (a brief warning says
        # so); a creative that shows the price anyway is not publishable.
        return None
    for c in ctx.claims:
        priced = c.kind in ("price_from", "per_period") and c.currency in (None, currency)
        # A recurring price is shown with its own period, never a claim's without it.
        priced = priced and brief.price.period in (None, c.period)
        if priced and c.value is not None and abs(c.value - amount) < 0.005:
            # As the copy says it on its own ("…başlayan fiyatlar", not "…fiyatlarla"): the
            # pill must read as the headline that states the price does, or both are shown.
            # A label of its own starts as one: "От 490 ₽/мес.", not "от 490 ₽/мес.".
            return capitalize_first(standalone_phrase(c.text, brief.language), brief.language)
    return format_price(brief.price, brief.language)


def prior_price_label(brief: Brief) -> str | None:
    """The brief's regular price as the language writes it, drawn struck through before the
    price pill's price; None when the brief has none."""
    if brief.regular_price is None:
        return None
    return format_price(brief.regular_price, brief.language)


def layout_language(brief: Brief) -> str:
    """The tag text is set in: "zh-Hant" for Traditional Chinese (its glyph forms, punctuation
    placement and phrase breaks differ from Simplified), from the brief's tag or, when the tag
    says only "zh", from the characters it is written in."""
    if brief.language != "zh":
        return brief.language
    if brief.script:
        return "zh-Hant" if brief.script == "Hant" else "zh"
    return chinese_tag(" ".join((brief.product_name, brief.description, brief.offer)))


def _solve_input(job: Job, variant: Variant, fmt: Format, fields: dict[str, str]) -> SolveInput:
    visual = job.visual
    aspect = visual.image.width / visual.image.height if visual is not None else None
    logo_aspect = job.logo.width / job.logo.height if job.logo is not None else None
    return SolveInput(
        template=variant.template,
        fmt=fmt,
        style=variant.style,
        copy=fields,
        language=layout_language(job.brief),
        product_aspect=aspect,
        price_text=job.price_text,
        prior_price_text=prior_price_label(job.brief) if job.price_text else None,
        logo_aspect=logo_aspect,
        product_name=job.brief.product_name,
    )


def _with_sources(layout: Layout) -> Layout:
    """Point image elements at the files written beside the creatives."""
    src = {"product": PRODUCT_FILE, "logo": LOGO_FILE}
    elements: list[Element] = [
        e.model_copy(update={"src": src[e.kind]}) if e.kind in src else e for e in layout.elements
    ]
    return layout.model_copy(update={"elements": tuple(elements)})


def _framed(layout: Layout) -> Layout:
    """Say that the product is drawn as a framed photo (rounded corners), not a cut-out: the
    one kind of product picture a size may crop (``Placement.photo_zoom``)."""
    elements = tuple(
        e.model_copy(update={"plate": "rounded"}) if e.kind == "product" else e
        for e in layout.elements
    )
    return layout.model_copy(update={"elements": elements})


PRODUCT_FILE = "product-cutout.png"
LOGO_FILE = "logo.png"
ProgressFn = Callable[[int, int, str], None]
