"""A ``generate`` task: run the pipeline into a scratch folder, then keep its files in the store."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from adcraft.compose import ProgressFn
from adcraft.config import Settings
from adcraft.db.models import BriefRow, Task
from adcraft.errors import ConfigError
from adcraft.imagery.cutout import BackgroundRemover
from adcraft.notes import say
from adcraft.output import CONTACT_SHEET, MANIFEST
from adcraft.pipeline import generate
from adcraft.scoring.gates import Gate, build_gates, build_image_encoder
from adcraft.scoring.gates.settings import default_gate_settings
from adcraft.scoring.rank import Ranker
from adcraft.scoring.ranking import ImageEncoder
from adcraft.store.base import AssetStore
from adcraft.tasks.generated import (
    build_picture_source,
    build_scene_painter,
    keep_picture,
    keep_scenes,
    scene_text,
)
from adcraft.tasks.inputs import load_brief
from adcraft.tasks.outputs import Outcome, RenderedCreative, layout_boxes
from adcraft.tenants.providers import TenantProviders
from adcraft.tenants.providers import load as load_overrides
from adcraft.tenants.providers import load_without_key as load_overrides_without_key
from adcraft.wiring import create_ranker
from adcraft.wiring.tenant import ReportingCopywriter, tenant_copywriter

_CTYPE = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp"}


def run_generate(
    session: Session,
    store: AssetStore,
    task: Task,
    progress: ProgressFn,
    workers: int,
    settings: Settings | None = None,
) -> Outcome:
    """Render the set of a generate task; every file goes to the store before anything is saved."""
    req: dict[str, Any] = task.request
    brief_row = session.get(BriefRow, task.brief_id)
    assert brief_row is not None
    settings = settings or Settings()
    engine = engine_for(session, task.tenant_id, settings)
    copywriter, remover, gates = engine.copywriter, engine.remover, engine.gates
    styles = req.get("styles") or list(engine.default_styles) or None
    with tempfile.TemporaryDirectory(prefix="adcraft-task-") as tmp:
        folder = Path(tmp)
        brief = load_brief(session, store, brief_row, folder)
        session.rollback()  # end the read transaction: rendering takes a while
        out = folder / "out"
        # Generated picture and scenes: providers from adcraft.wiring, as the settings name.
        generated = req.get("image_source") == "generate"
        source = build_picture_source(settings, gates) if generated else None
        painter = (
            build_scene_painter(
                settings,
                scene_text(req.get("scene"), brief, styles[0] if styles else None),
                int(req["seed"]),
            )
            if req.get("background") == "scene"
            else None
        )
        made = generate(
            brief,
            formats=req["formats"],
            styles=styles,
            variants=int(req["variants"]),
            seed=int(req["seed"]),
            out_dir=out,
            image_format=req.get("image_format", "jpeg"),
            workers=workers,
            progress=progress,
            # The tenant's or the configured copywriter, built through adcraft.wiring as the
            # CLI's is; the ranker too, with the tenant's CTR model when it has one.
            copywriter=copywriter,
            ranker=engine.ranker,
            gates=gates,
            image_encoder=engine.image_encoder,
            remover=remover,
            image_source=source,
            image_description=req.get("image_description"),
            scene_painter=painter,
        )
        progress(1, 1, "saving files")
        painted: dict[str, Any] = {}
        if source is not None:
            painted["picture"] = keep_picture(store, task.tenant_id, source, made.image_source)
        if painter is not None:
            painted["scene"] = keep_scenes(store, task.tenant_id, painter)
        manifest = json.loads((out / MANIFEST).read_text("utf-8"))
        outcome = _store_outputs(store, task, req, manifest, out, brief_row.image_asset_id, painted)
    _flag_copy(outcome, copywriter.report.as_dict(), copywriter.report.fallbacks)
    return outcome


@dataclass
class Engine:
    """What renders a tenant's creatives, wired as the settings and the tenant's overrides say:
    generation tasks and style previews both take it from here (one composition root)."""

    copywriter: ReportingCopywriter
    remover: BackgroundRemover | None
    gates: list[Gate]
    ranker: Ranker
    default_styles: tuple[str, ...]
    """The tenant's styles when a request names none (empty: the built-in order)."""
    image_encoder: ImageEncoder | None = None
    """What ranking's diversity compares the creatives with (the configured CLIP model)."""


def engine_for(session: Session, tenant_id: str, settings: Settings) -> Engine:
    """The tenant's copywriter (or the configured one), remover, gates and ranker."""
    overrides, unreadable = _tenant_overrides(session, tenant_id, settings)
    copywriter = tenant_copywriter(overrides, settings.providers)
    if unreadable:
        copywriter = ReportingCopywriter(
            copywriter, copywriter.report, unusable=f"the tenant's LLM settings: {unreadable}"
        )
    remover = None
    if overrides.default_remover:
        from adcraft.imagery.removers import get_remover

        remover = get_remover(overrides.default_remover)
    return Engine(
        copywriter=copywriter,
        remover=remover,
        gates=build_gates(default_gate_settings(), tenant_id),
        image_encoder=build_image_encoder(default_gate_settings(), tenant_id),
        # The tenant's CTR model when it has one, built through adcraft.wiring as the CLI's is.
        ranker=create_ranker(tenant=tenant_id, data_dir=settings.data_dir),
        default_styles=tuple(overrides.default_styles),
    )


def _tenant_overrides(
    session: Session, tenant_id: str, settings: Settings
) -> tuple[TenantProviders, str | None]:
    """The tenant's overrides; a key that no longer decrypts is reported, not fatal."""
    from adcraft.container import resolve_secret

    try:
        return load_overrides(session, tenant_id, resolve_secret(settings)), None
    except ConfigError as exc:
        row = load_overrides_without_key(session, tenant_id)
        return row, str(exc)


def _flag_copy(outcome: Outcome, report: dict[str, Any], fallbacks: dict[int, str]) -> None:
    """Say in the task result and on each creative when the built-in writer stood in."""
    outcome.result["copy"] = report
    if not fallbacks:
        return
    for c in outcome.creatives:
        reason = fallbacks.get(c.variant - 1)
        if reason is not None:
            c.warnings = [
                say("copy_fallback", provider=report["provider"], reason=reason),
                *c.warnings,
            ]
    variants = ", ".join(map(str, report["fallback_variants"]))
    outcome.result["warnings"] = [
        say(
            "copy_fallback_set",
            variants=variants,
            provider=report["provider"],
            reason="; ".join(report["fallback_reasons"]),
        ),
        *outcome.result.get("warnings", []),
    ]


def _store_outputs(
    store: AssetStore,
    task: Task,
    req: dict[str, Any],
    manifest: dict[str, Any],
    out: Path,
    image_asset_id: str | None,
    painted: dict[str, Any],
) -> Outcome:
    from adcraft.tasks.outputs import copy_limits

    outcome = Outcome()
    for c in manifest["creatives"]:
        data = (out / c["file"]).read_bytes()
        fmt = c["image_format"]
        key = store.put(task.tenant_id, data, _EXT[fmt], _CTYPE[fmt])
        render = {
            "seed": int(req["seed"]),
            "copy_variant": int(c["variant"]) - 1,
            "n_variants": int(req["variants"]),
            "image_asset_id": image_asset_id,
            "overrides": {},
            "image_format": req.get("image_format", "jpeg"),
            "copy_limits": copy_limits(c["template"], c["format"]),
            **painted,
        }
        outcome.creatives.append(
            RenderedCreative(
                pipeline_id=c["id"],
                format=c["format"],
                platform=c["platform"],
                width=c["width"],
                height=c["height"],
                variant=c["variant"],
                style=c["style"],
                template=c["template"],
                rank=c["rank"],
                score=c["score"],
                image_key=key,
                image_format=fmt,
                bytes=len(data),
                metrics=c["metrics"],
                copy=c["copy"],
                platform_text=c.get("platform_text", {}),
                warnings=c.get("warnings", []),
                render=render,
                gates=c.get("gates", []),
                gates_passed=bool(c.get("passed_gates", True)),
                layout=layout_boxes(c.get("elements", [])),
            )
        )
    result: dict[str, Any] = {
        "warnings": manifest.get("warnings", []),
        "injections": manifest.get("injections", []),
    }
    sheet = out / CONTACT_SHEET
    if sheet.exists():
        result["contact_sheet_key"] = store.put(
            task.tenant_id, sheet.read_bytes(), "png", "image/png"
        )
    cutout = out / "product-cutout.png"
    if cutout.exists():
        result["cutout_key"] = store.put(task.tenant_id, cutout.read_bytes(), "png", "image/png")
    outcome.result = result
    return outcome
