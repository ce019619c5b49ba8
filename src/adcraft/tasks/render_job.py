"""A ``render`` task: re-render one variant in every size of its set with new copy or image.

Uses the pipeline's per-creative step (compose.make_creative) so a version looks exactly like a
generated creative would with the same inputs.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

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
from adcraft.config import Settings
from adcraft.copywriting.injection import injection_warning, neutralize_brief
from adcraft.copywriting.limits import truncate
from adcraft.copywriting.offline import BuiltinCopywriter, Copywriter, FieldSpec
from adcraft.db.models import BriefRow, Task
from adcraft.db.variants import variant_sizes
from adcraft.domain.brief import Brief
from adcraft.domain.creative import CopySet
from adcraft.domain.formats import Format, default_registry
from adcraft.domain.template import load_template
from adcraft.domain.visual import Visual
from adcraft.imagery.load import LOGO_MAX_PIXELS, WORK_MAX_SIDE, load_image
from adcraft.imagery.visual import build_visual
from adcraft.layout.placement import Placement, PlacementRefused
from adcraft.layout.styles import get_style
from adcraft.notes import NOT_PUBLISHABLE, say
from adcraft.output import SCORE_PREFIX
from adcraft.pipeline import gate_input
from adcraft.render.color import Palette, harmonise, palette_from_brand
from adcraft.scoring.gates import build_gates, failures, passed_all, run_gates
from adcraft.scoring.gates.settings import default_gate_settings
from adcraft.store.base import AssetStore
from adcraft.tasks.generated import picture_bytes, version_scenes
from adcraft.tasks.inputs import load_brief
from adcraft.tasks.outputs import Outcome, RenderedCreative, copy_limits, layout_boxes
from adcraft.wiring import create_ranker

_NEUTRAL = ("#3b5b92", "#d9d4cc")
_CTYPE = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp"}


def pin(spec: FieldSpec, text: str, language: str) -> tuple[str, bool]:
    """The marketer's text as one size shows it: verbatim when it fits, else shortened.

    The edit preview and the re-render both call this, so what the preview shows for a size is
    what that size gets.
    """
    if spec.fits(text):
        return text, False
    return truncate(text, spec.max_chars, language, counting=spec.counting), True


class PinnedCopywriter:
    """Copy of a chosen variant, with the marketer's edited fields kept verbatim where they fit."""

    name = "pinned"

    def __init__(self, base: Copywriter, copy_variant: int, overrides: dict[str, str]) -> None:
        self._base = base
        self._copy_variant = copy_variant
        self._overrides = overrides

    def write(
        self, brief: Brief, fields: Sequence[FieldSpec], *, variant: int, n_variants: int
    ) -> CopySet:
        """The base copy for the pinned variant, edited fields replacing generated ones."""
        cv = self._copy_variant
        copy = self._base.write(brief, fields, variant=cv, n_variants=max(n_variants, cv + 1))
        out = dict(copy.fields)
        truncated = list(copy.truncated)
        for spec in fields:
            if spec.name not in self._overrides:
                continue
            # A smaller size may have a tighter limit than the one the marketer edited in.
            text, shortened = pin(spec, self._overrides[spec.name], brief.language)
            if shortened:
                truncated.append(spec.name)
            out[spec.name] = text
        pinned = tuple(spec.name for spec in fields if spec.name in self._overrides)
        return copy.model_copy(
            update={"fields": out, "truncated": tuple(truncated), "pinned": pinned}
        )


def _visual(brief: Brief) -> tuple[Visual | None, list[str]]:
    if brief.image is None:
        return None, []
    loaded = load_image(brief.image, max_side=WORK_MAX_SIDE)
    visual = build_visual(loaded)
    return visual, list(loaded.warnings) + list(visual.warnings)


def _framed(brief: Brief, visual: Visual | None) -> Visual | None:
    """The photo whole, framed, for the sizes that keep its background; None when the picture
    has no background (it came transparent)."""
    if brief.image is None or visual is None or visual.remover == "alpha":
        return None
    if not visual.has_cutout:
        return visual  # already the whole photo
    return build_visual(load_image(brief.image, max_side=WORK_MAX_SIDE), cut_out=False)


def _palette(brief: Brief, visual: Visual | None) -> Palette:
    if brief.brand.colors:
        return palette_from_brand(brief.brand.colors)
    if visual is not None and visual.dominant_colors:
        return harmonise(visual.dominant_colors)
    return harmonise(_NEUTRAL)


def make_placed(
    job: Job,
    book: CopyBook,
    variant: Variant,
    fmt: Format,
    placed: dict[str, float] | None,
    action: str | None,
) -> tuple[Made, list[str]]:
    """One size with its hand adjustment, and the warnings to show with it.

    An adjustment that breaks a guarantee of the layout is refused (PlacementRefused) when it
    is what this version makes (``place``); when another change (new text, a new photo) no
    longer fits it, the size goes back to the engine's layout and says so, rather than the
    whole version failing.
    """
    if not placed:
        return make_creative(job, book, variant, fmt), []
    try:
        return make_creative(job, book, variant, fmt, Placement.model_validate(placed)), []
    except PlacementRefused as exc:
        if action == "place":
            raise
        note = say("placement_set_aside", reason=str(exc))
        return make_creative(job, book, variant, fmt), [note]


def run_render(
    session: Session,
    store: AssetStore,
    task: Task,
    progress: ProgressFn,
    settings: Settings | None = None,
    *,
    data_dir: Path | None = None,
) -> Outcome:
    """Render every size of the task's variant with the render parameters in its request;
    scored by the tenant's ranker (its CTR model under ``data_dir`` when it has one)."""
    req: dict[str, Any] = task.request
    render: dict[str, Any] = dict(req["render"])
    siblings = variant_sizes(session, task.tenant_id, req["source_task_id"], int(req["variant"]))
    if req.get("action") == "place":
        # A hand adjustment changes one size: only that size gets a new version.
        siblings = [c for c in siblings if c.id == req["creative_id"]]
    brief_row = session.get(BriefRow, task.brief_id)
    assert brief_row is not None
    settings = settings or Settings()
    # The same gates as generation (tenant settings); the duplicate check compares a set
    # with itself, and a re-render makes one version per size, so it does not apply here.
    gates = [
        g for g in build_gates(default_gate_settings(), task.tenant_id) if g.name != "duplicate"
    ]
    with tempfile.TemporaryDirectory(prefix="adcraft-render-") as tmp:
        brief = load_brief(
            session, store, brief_row, Path(tmp), image_asset_id=render.get("image_asset_id")
        )
        session.rollback()
        brief, removed = neutralize_brief(brief)
        notes = [injection_warning(i) for i in removed]
        progress(0, len(siblings), "reading product image")
        if render.get("picture"):
            # The generated picture: kept for edits, painted anew (new seed) for a new look.
            product = f"{brief.product_name}. {brief.offer}" if brief.offer else brief.product_name
            data, render["picture"] = picture_bytes(
                store, settings, task.tenant_id, render["picture"], product, gates
            )
            brief = brief.model_copy(update={"image": data})
        visual, _warnings = _visual(brief)
        scenes = None
        if render.get("scene"):
            scenes, render["scene"] = version_scenes(
                store,
                settings,
                task.tenant_id,
                render["scene"],
                visual.image if visual is not None else None,
                [(c.width, c.height) for c in siblings],
            )
        logo = (
            load_image(
                brief.brand.logo, max_pixels=LOGO_MAX_PIXELS, max_side=WORK_MAX_SIDE
            ).image.convert("RGBA")
            if brief.brand.logo
            else None
        )
        overrides = dict(render.get("overrides") or {})
        by_format: dict[str, dict[str, str]] = dict(render.get("overrides_by_format") or {})
        placements: dict[str, dict[str, float]] = dict(render.get("placement_by_format") or {})
        copywriter = PinnedCopywriter(BuiltinCopywriter(), int(render["copy_variant"]), overrides)
        job = Job(
            brief=brief,
            visual=visual,
            logo=logo,
            palette=_palette(brief, visual),
            copywriter=copywriter,
            price_text=price_label(brief),
            image_format=render.get("image_format", "jpeg"),
            seed=int(render["seed"]),
            n_variants=int(render["n_variants"]),
            scenes=scenes,
            look=int(render.get("look", 0)),
            framed_visual=(
                _framed(brief, visual)
                if any(p.get("keep_background") for p in placements.values())
                else None
            ),
        )
        outcome = Outcome()
        book = CopyBook(job)
        ranker = create_ranker(tenant=task.tenant_id, data_dir=data_dir)
        for i, c in enumerate(siblings):
            size_job, size_book = job, book
            if c.format in by_format:
                # A per-size text chosen in the edit preview: this size gets its own copy.
                pinned = PinnedCopywriter(
                    BuiltinCopywriter(),
                    int(render["copy_variant"]),
                    {**overrides, **by_format[c.format]},
                )
                size_job = replace(job, copywriter=pinned)
                size_book = CopyBook(size_job)
            fmt = default_registry()[c.format]
            variant = Variant(
                index=c.variant - 1,
                style=get_style(c.style),
                template=load_template(c.template if c.template != "logo" else "classic"),
            )
            # A hand adjustment of this size (the creative dialog's layout editor).
            size_render: dict[str, Any] = render
            set_aside: list[str] = []
            made: Made
            if fmt.kind == "logo":
                made = make_logo_creative(size_job, variant, fmt)
            else:
                made, set_aside = make_placed(
                    size_job, size_book, variant, fmt, placements.get(c.format), req.get("action")
                )
                if set_aside:
                    kept = {k: v for k, v in placements.items() if k != c.format}
                    size_render = {**render, "placement_by_format": kept}
            scored = ranker.score(made.metrics, {"format": fmt.id, "style": c.style})
            (checks,) = run_gates(gates, [gate_input(made, size_job)])
            ext = _EXT[made.image_format]
            key = store.put(task.tenant_id, made.data, ext, _CTYPE[made.image_format])
            limits = copy_limits(c.template, c.format)
            outcome.creatives.append(
                RenderedCreative(
                    pipeline_id=c.id,  # the creative row this version belongs to
                    format=c.format,
                    platform=c.platform,
                    width=c.width,
                    height=c.height,
                    variant=c.variant,
                    style=c.style,
                    template=c.template,
                    rank=c.rank,
                    score=round(scored.score, 3),
                    image_key=key,
                    image_format=made.image_format,
                    bytes=len(made.data),
                    metrics=dict(sorted(made.metrics.items())),
                    copy=dict(made.copy.fields),
                    platform_text=dict(made.platform_text),
                    warnings=notes
                    + set_aside
                    + list(made.warnings)
                    # Why this version may not be published, as the generated one says it.
                    + [f"{NOT_PUBLISHABLE}{r}" for r in made.publishable_reasons]
                    + [f"gate: {r}" for r in failures(checks)]
                    + [f"{SCORE_PREFIX}{r}" for r in scored.reasons],
                    render={**size_render, "copy_limits": limits},
                    gates=[r.model_dump() for r in checks],
                    gates_passed=passed_all(checks),
                    layout=layout_boxes(made.layout.elements),
                )
            )
            progress(i + 1, len(siblings), f"rendering {c.format}")
        return outcome
