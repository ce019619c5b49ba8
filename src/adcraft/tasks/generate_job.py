"""A ``generate`` task: run the pipeline into a scratch folder, then keep its files in the store."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from adcraft.compose import ProgressFn
from adcraft.db.models import BriefRow, Task
from adcraft.output import CONTACT_SHEET, MANIFEST
from adcraft.pipeline import generate
from adcraft.store.base import AssetStore
from adcraft.tasks.inputs import load_brief
from adcraft.tasks.outputs import Outcome, RenderedCreative
from adcraft.wiring import create_copywriter

_CTYPE = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp"}


def run_generate(
    session: Session, store: AssetStore, task: Task, progress: ProgressFn, workers: int
) -> Outcome:
    """Render the set of a generate task; every file goes to the store before anything is saved."""
    req: dict[str, Any] = task.request
    brief_row = session.get(BriefRow, task.brief_id)
    assert brief_row is not None
    with tempfile.TemporaryDirectory(prefix="adcraft-task-") as tmp:
        folder = Path(tmp)
        brief = load_brief(session, store, brief_row, folder)
        session.rollback()  # end the read transaction: rendering takes a while
        out = folder / "out"
        generate(
            brief,
            formats=req["formats"],
            styles=req.get("styles") or None,
            variants=int(req["variants"]),
            seed=int(req["seed"]),
            out_dir=out,
            image_format=req.get("image_format", "jpeg"),
            workers=workers,
            progress=progress,
            # The configured copywriter and ranker, as the CLI gets them (adcraft.wiring).
            copywriter=create_copywriter(),
        )
        progress(1, 1, "saving files")
        manifest = json.loads((out / MANIFEST).read_text("utf-8"))
        return _store_outputs(store, task, req, manifest, out, brief_row.image_asset_id)


def _store_outputs(
    store: AssetStore,
    task: Task,
    req: dict[str, Any],
    manifest: dict[str, Any],
    out: Path,
    image_asset_id: str | None,
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
