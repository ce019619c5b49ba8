"""The use case: brief -> copy -> imagery -> layout -> render -> score -> a ranked CreativeSet."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from adcraft.allocator import keep_freed_buffers
from adcraft.compose import (
    CopyBook,
    Job,
    Made,
    ProgressFn,
    Variant,
    make_creative,
    make_logo_creative,
    price_label,
)
from adcraft.copywriting.claimcheck import brief_claim_warnings, context_for_brief
from adcraft.copywriting.injection import injection_warning, neutralize_brief
from adcraft.copywriting.offline import BuiltinCopywriter, Copywriter
from adcraft.domain.brief import Brief
from adcraft.domain.creative import CreativeSet, DuplicateNote, ImageOrigin
from adcraft.domain.formats import Format, default_registry
from adcraft.domain.template import load_template
from adcraft.domain.visual import Visual
from adcraft.errors import InputError
from adcraft.experiments.creative_features import copy_text
from adcraft.imagery.aspect_scenes import GroupScenePainter
from adcraft.imagery.cutout import BackgroundRemover
from adcraft.imagery.load import LOGO_MAX_PIXELS, WORK_MAX_SIDE, load_image
from adcraft.imagery.source import ImageRequest, ImageSource
from adcraft.imagery.visual import build_visual
from adcraft.layout.styles import DEFAULT_STYLE_ORDER, get_style
from adcraft.notes import say as say_note
from adcraft.output import to_creative_set, write_output
from adcraft.render.backgrounds import Scene, make_scene, scene_file
from adcraft.render.color import Palette, harmonise, palette_from_brand
from adcraft.render.textengine import BASIC_WARNING, has_raqm
from adcraft.scoring.gates import Gate, GateInput, build_gates, build_image_encoder
from adcraft.scoring.gates.settings import default_gate_settings
from adcraft.scoring.rank import Ranker
from adcraft.scoring.ranking import ImageEncoder, Ranking, Scored, rank_creatives
from adcraft.wiring import create_ranker

MAX_VARIANTS = 24
_NEUTRAL = ("#3b5b92", "#d9d4cc")


def generate(
    brief: Brief,
    *,
    formats: str | Sequence[str] = "all",
    styles: Sequence[str] | None = None,
    variants: int = 6,
    seed: int = 0,
    out_dir: str | Path | None = None,
    image_format: str = "jpeg",
    copywriter: Copywriter | None = None,
    remover: BackgroundRemover | None = None,
    ranker: Ranker | None = None,
    gates: Sequence[Gate] | None = None,
    workers: int | None = None,
    progress: ProgressFn | None = None,
    image_source: ImageSource | None = None,
    image_description: str | None = None,
    background_image: str | Path | Image.Image | None = None,
    scene_painter: GroupScenePainter | None = None,
    image_encoder: ImageEncoder | None = None,
) -> CreativeSet:
    """Make ranked ad creatives for every requested format; write them to ``out_dir`` if given.

    The picture is the brief's photo unless ``image_source`` is given (the image bank, a
    generator...): then the source supplies it for the product text and ``image_description``,
    seeded by ``seed``, and the brief's photo is not used. ``background_image`` (a path or an
    image, e.g. a scene painted around the product) replaces the painted backgrounds;
    ``scene_painter`` paints a scene around the product for each aspect group the formats need,
    so every format gets a background composed for its shape. ``image_encoder`` measures how
    alike the creatives look for the ranking's diversity (without ``gates`` given, the one
    configured with the gates is used).
    """
    if not 1 <= variants <= MAX_VARIANTS:
        raise InputError(f"variants must be between 1 and {MAX_VARIANTS}, got {variants}")
    if image_format not in ("png", "jpeg", "jpg", "webp"):
        raise InputError(f"image format {image_format!r} is not one of png, jpeg, webp")
    fmts = default_registry().select(formats)
    style_names = list(styles or DEFAULT_STYLE_ORDER)
    chosen_styles = [get_style(s) for s in style_names]
    report = progress or (lambda done, total, step: None)
    # Instruction-like sentences are taken out of the brief before anything is made from it,
    # so no copy, platform text or manifest can carry them; each is reported.
    brief, injections = neutralize_brief(brief)

    report(0, 1, "reading product image")
    picture = _visual(brief, remover, image_source, image_description, seed)
    visual, warnings = picture.visual, picture.warnings
    scene = _scene(background_image, warnings)
    scenes = _group_scenes(scene_painter, visual, fmts, report)
    claims = context_for_brief(brief)
    job = Job(
        brief=brief,
        visual=visual,
        logo=_logo(brief),
        palette=_palette(brief, visual),
        copywriter=copywriter or BuiltinCopywriter(),
        price_text=price_label(brief, claims),
        image_format="jpeg" if image_format == "jpg" else image_format,
        seed=seed,
        n_variants=variants,
        scene=scene,
        scenes=scenes,
        claims=claims,
    )
    plan = [
        _variant(i, chosen_styles[i % len(chosen_styles)], visual, brief) for i in range(variants)
    ]
    warnings.extend(brief_claim_warnings(brief, job.claim_context()))
    if not has_raqm():
        warnings.append(BASIC_WARNING)  # the manifest says the text was laid out without raqm
    made = _run(job, plan, fmts, workers, report)
    notes = [injection_warning(i) for i in injections]
    for m in made:
        m.warnings[:0] = notes
    if gates is None:
        gate_settings = default_gate_settings()
        gates = build_gates(gate_settings)
        image_encoder = image_encoder or build_image_encoder(gate_settings)
    ranking = rank_made(made, job, ranker or create_ranker(), gates, image_encoder)
    ranked = [(s.item, s.score, s.reasons) for s in ranking.ranked]
    creative_set = to_creative_set(
        brief,
        seed,
        ranked,
        [*notes, *warnings],
        picture.origin,
        injections,
        gates={s.item.id: s.gates for s in ranking.ranked},
        duplicates=[duplicate_note(s) for s in ranking.duplicates],
    )
    if out_dir is not None:
        report(len(made), len(made), "writing files")
        creative_set = write_output(creative_set, ranked, job, Path(out_dir))
    return creative_set


@dataclass
class _Picture:
    """The creative set's picture, what to warn about it, and where it came from."""

    visual: Visual | None
    warnings: list[str]
    origin: ImageOrigin | None = None


def _visual(
    brief: Brief,
    remover: BackgroundRemover | None,
    source: ImageSource | None = None,
    description: str | None = None,
    seed: int = 0,
) -> _Picture:
    if source is not None:
        return _sourced(brief, remover, source, description, seed)
    unused = ["the image description is only used with an image source"] if description else []
    if brief.image is None:
        return _Picture(None, [say_note("no_product_image"), *unused])
    loaded = load_image(brief.image, max_side=WORK_MAX_SIDE)
    visual = build_visual(loaded, remover)
    return _Picture(visual, [*loaded.warnings, *visual.warnings, *unused])


def _sourced(
    brief: Brief,
    remover: BackgroundRemover | None,
    source: ImageSource,
    description: str | None,
    seed: int,
) -> _Picture:
    """The picture from an image source, asked for with the product title and main offer."""
    product = f"{brief.product_name}. {brief.offer}" if brief.offer else brief.product_name
    wanted = description.strip() if description and description.strip() else None
    sourced = source.get(ImageRequest(product=product, description=wanted, seed=seed))
    visual = sourced.visual(remover)
    warnings = [*sourced.warnings, *visual.warnings]
    if brief.image is not None:
        warnings.insert(0, say_note("photo_not_used", source=source.name))
    origin = ImageOrigin(source=sourced.source, description=sourced.description, key=sourced.key)
    return _Picture(visual, warnings, origin)


def _scene(background: str | Path | Image.Image | None, warnings: list[str]) -> Scene | None:
    """The background picture, loaded as safely as a product photo."""
    if background is None:
        return None
    if isinstance(background, Image.Image):
        return make_scene(background)
    loaded = load_image(background, max_side=WORK_MAX_SIDE)
    warnings.extend(loaded.warnings)
    return make_scene(loaded.image)


def _group_scenes(
    painter: GroupScenePainter | None,
    visual: Visual | None,
    fmts: Sequence[Format],
    report: ProgressFn,
) -> dict[str, Scene] | None:
    """A scene painted around the product per aspect group the formats fall in."""
    if painter is None:
        return None
    if visual is None:
        raise InputError(
            "a painted scene is composed around the product: give a product picture "
            "(a photo, a bank pick or a generated one), or use the style's backgrounds"
        )
    groups = painter.groups_for((f.width, f.height) for f in fmts if f.width and f.height)
    report(0, 1, f"painting {len(groups)} scene(s): {', '.join(groups)}")
    painted = painter.paint(visual.image, groups)
    return {
        group: replace(make_scene(p.image, focus=p.focus), src=scene_file(group))
        for group, p in painted.items()
    }


def _logo(brief: Brief) -> Image.Image | None:
    if brief.brand.logo is None:
        return None
    return load_image(
        brief.brand.logo, max_pixels=LOGO_MAX_PIXELS, max_side=WORK_MAX_SIDE
    ).image.convert("RGBA")


def _palette(brief: Brief, visual: Visual | None) -> Palette:
    """Brand colors when given, else harmonised with the product's own colors."""
    if brief.brand.colors:
        return palette_from_brand(brief.brand.colors)
    if visual is not None and visual.dominant_colors:
        return harmonise(visual.dominant_colors)
    return harmonise(_NEUTRAL)


def _variant(index: int, style: object, visual: Visual | None, brief: Brief) -> Variant:
    """Pick the template: text-led without a picture, offer-first on every third variant."""
    if visual is None:
        template = load_template("text_led")
    elif index % 3 == 2 and brief.offer:
        template = load_template("promo")
    else:
        template = load_template("classic")
    return Variant(index=index, style=style, template=template)  # type: ignore[arg-type]


def _run(
    job: Job, plan: list[Variant], fmts: list[Format], workers: int | None, report: ProgressFn
) -> list[Made]:
    logo_fmts = [f for f in fmts if f.kind == "logo"]
    fmts = [f for f in fmts if f.kind != "logo"]
    if logo_fmts and job.logo is None:
        ids = ", ".join(f.id for f in logo_fmts)
        raise InputError(f"{ids}: logo formats are made from the brand logo; pass --logo FILE")
    logos = [make_logo_creative(job, plan[0], f) for f in logo_fmts]
    return logos + _run_creatives(job, plan, fmts, workers, report)


def _run_creatives(
    job: Job, plan: list[Variant], fmts: list[Format], workers: int | None, report: ProgressFn
) -> list[Made]:
    total = len(plan) * len(fmts)
    n = workers if workers is not None else min(len(plan), os.cpu_count() or 1)
    if total < 16 or not isinstance(job.copywriter, BuiltinCopywriter):
        # LLM copywriters wait on the network, hold clients that do not cross processes, and
        # their concurrency cap is per process: one process serves them best.
        n = 1
    made: list[Made] = []
    if n <= 1:
        book = CopyBook(job)
        for variant in plan:
            for fmt in fmts:
                made.append(make_creative(job, book, variant, fmt))
                report(len(made), total, f"rendering {fmt.id}")
        return made
    with ProcessPoolExecutor(max_workers=n, initializer=_init_worker, initargs=(job,)) as pool:
        futures = [pool.submit(_render_variant, v, fmts) for v in plan]
        for fut in futures:
            made.extend(fut.result())
            report(len(made), total, f"rendered variant {made[-1].variant.index + 1}")
    return made


_WORKER_JOB: Job | None = None


def _init_worker(job: Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job
    keep_freed_buffers()  # a worker process is ours: recycle the big image buffers


def _render_variant(variant: Variant, fmts: Iterable[Format]) -> list[Made]:
    assert _WORKER_JOB is not None
    book = CopyBook(_WORKER_JOB)
    return [make_creative(_WORKER_JOB, book, variant, fmt) for fmt in fmts]


def gate_input(m: Made, job: Job) -> GateInput:
    """What the quality gates see of a finished creative."""
    fields = {**m.copy.fields, **{f"platform:{k}": v for k, v in m.platform_text.items()}}
    headline = m.copy.fields.get("headline", "")
    return GateInput(
        id=m.id,
        image=Image.open(io.BytesIO(m.data)),
        format_id=m.fmt.id,
        product=job.visual.image if job.visual is not None else None,
        fields=fields,
        language=job.brief.language,
        banned_words=tuple(job.brief.brand.banned_words),
        description=f"{job.brief.product_name}. {headline}".strip(". "),
    )


def rank_made(
    made: list[Made],
    job: Job,
    ranker: Ranker,
    gates: Sequence[Gate],
    encoder: ImageEncoder | None = None,
) -> Ranking[Made]:
    """Gates → score → MMR over the finished creatives; near-copies left out (scoring.ranking).
    Diversity is measured on ``encoder``'s embeddings when an image encoder is configured.

    A creative that fails a gate, or is not publishable (a claim shown without its qualifier,
    a cut word...), never ranks above one that passes and is."""

    claim_kinds = tuple(sorted({str(c.kind) for c in job.claim_context().claims}))

    def score(m: Made) -> tuple[float, tuple[str, ...]]:
        context = {
            "id": m.id,
            "format": m.fmt.id,
            "style": m.variant.style.name,
            "template": m.variant.template.id,
            "category": job.brief.category or "general",
            "language": job.brief.language,
            "claim_kinds": claim_kinds,
            "headline_chars": len(m.copy.fields.get("headline", "")),
            "body_chars": len(m.copy.fields.get("body", "")),
            "copy_text": copy_text(m.copy.fields),
        }
        result = ranker.score(m.metrics, context)
        return round(result.score, 3), result.reasons

    # A stable input order (by id) makes the ranking independent of worker scheduling.
    made = sorted(made, key=lambda m: m.id)
    inputs = [gate_input(m, job) for m in made]
    return rank_creatives(
        made, inputs, score, gates, publishable=lambda m: m.publishable, encoder=encoder
    )


def duplicate_note(s: Scored[Made]) -> DuplicateNote:
    """Why a creative was left out of the set."""
    failed = next(r for r in s.gates if r.gate == "duplicate" and not r.passed)
    same_as = failed.reason.split("creative ", 1)[1].split(" ", 1)[0]
    return DuplicateNote(
        id=s.item.id,
        format=s.item.fmt.id,
        variant=s.item.variant.index + 1,
        same_as=same_as,
        reason=failed.reason,
    )
