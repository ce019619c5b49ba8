"""``/ctr``: train, list, evaluate and explain the tenant's CTR model; rank a task by it.

Training reads the tenant's impression and click events from the analytics store (optionally
a ``since``/``until`` window), the features of the creatives they name from the metadata
database, and stores the model as the tenant's next version with its metrics and data window.
From then on the tenant's generations, re-renders and ``GET /ctr/ranking`` rank by it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime, BaseModel

from adcraft.api.analytics_deps import AnalyticsDep
from adcraft.api.ctr_features import StoredCreative, stored_creatives
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.lookup import get_owned
from adcraft.config import CtrSettings
from adcraft.db.models import CreativeRow, Task
from adcraft.errors import InputError, NotFound
from adcraft.scoring.ctr.features import CountRow
from adcraft.scoring.ctr.registry import ModelRegistry, NoModel
from adcraft.scoring.ctr.store_counts import StoreCounts

router = APIRouter(prefix="/ctr", tags=["ctr"])

VersionPath = Annotated[str, Path(pattern=r"^(latest|v\d{4,})$", max_length=16)]

# One training per tenant at a time in this process: two would race for the next version.
_training: dict[str, threading.Lock] = {}
_training_guard = threading.Lock()


class WindowIn(BaseModel):
    """The events a model is trained or evaluated on: ``[since, until)``, open ends allowed."""

    since: AwareDatetime | None = None
    until: AwareDatetime | None = None


def _tenant_lock(tenant_id: str) -> threading.Lock:
    with _training_guard:
        return _training.setdefault(tenant_id, threading.Lock())


def _counts(
    a: AnalyticsDep, tenant_id: str, window: WindowIn, settings: CtrSettings
) -> StoreCounts:
    return StoreCounts(
        a.require_store(),
        tenant_id,
        since=window.since,
        until=window.until,
        max_events=settings.max_events,
    )


def _known_rows(
    rows: Sequence[CountRow], creatives: dict[str, StoredCreative]
) -> tuple[list[CountRow], int]:
    """Rows of creatives that still exist (a deleted creative's events are skipped, counted)."""
    kept = [r for r in rows if r.creative_id in creatives]
    return kept, sum(r.impressions for r in rows if r.creative_id not in creatives)


def _version_out(meta: dict[str, Any], latest: str | None) -> dict[str, Any]:
    return {
        "version": meta["version"],
        "latest": meta["version"] == latest,
        "created_at": meta["created_at"],
        "window": {"since": meta["window"][0], "until": meta["window"][1]},
        "metrics": meta["summary"],
        "data": meta.get("extra", {}).get("data", {}),
    }


def _meta(registry: ModelRegistry, tenant_id: str, version: str) -> dict[str, Any]:
    """A version's metadata; a version that does not exist is not found (404)."""
    try:
        return registry.meta(tenant_id, None if version == "latest" else version)
    except NoModel as exc:
        raise NotFound(str(exc)) from exc


@router.post("/models", status_code=201)
def train_model(
    body: WindowIn, p: PrincipalDep, s: SessionDep, c: ContainerDep, a: AnalyticsDep
) -> dict[str, Any]:
    """Train the next model version from your impression and click events (422 naming the
    minimum when there are too few)."""
    from adcraft.scoring.ctr.model import Minimum, train

    settings = c.settings.ctr
    with _tenant_lock(p.tenant_id):
        source = _counts(a, p.tenant_id, body, settings)
        rows = source.count_rows()
        creatives = {
            sc.row.id: sc
            for sc in stored_creatives(s, p.tenant_id, ids=[r.creative_id for r in rows])
        }
        kept, unknown = _known_rows(rows, creatives)
        model = train(
            [sc.features for sc in creatives.values()],
            kept,
            minimum=Minimum(settings.min_impressions, settings.min_clicks, settings.min_creatives),
        )
        model.extra["data"] = {
            "orphan_clicks": source.orphan_clicks,
            "impressions_of_deleted_creatives": unknown,
        }
        registry = ModelRegistry(c.settings.data_dir)
        version = registry.save(p.tenant_id, model, source.window())
    return _version_out(registry.meta(p.tenant_id, version), version)


@router.get("/models")
def list_models(p: PrincipalDep, c: ContainerDep) -> dict[str, Any]:
    """Your model versions, newest first, with their metrics and data windows."""
    registry = ModelRegistry(c.settings.data_dir)
    latest = registry.latest(p.tenant_id)
    versions = [
        _version_out(registry.meta(p.tenant_id, v), latest)
        for v in reversed(registry.versions(p.tenant_id))
    ]
    return {"latest": latest, "versions": versions}


@router.get("/models/{version}")
def get_model(version: VersionPath, p: PrincipalDep, c: ContainerDep) -> dict[str, Any]:
    """One model version (``latest`` for the current one)."""
    registry = ModelRegistry(c.settings.data_dir)
    return _version_out(_meta(registry, p.tenant_id, version), registry.latest(p.tenant_id))


@router.post("/models/{version}/evaluate")
def evaluate_model(
    version: VersionPath,
    body: WindowIn,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    a: AnalyticsDep,
) -> dict[str, Any]:
    """AUC, calibration error (ECE) and log loss of a version on your events in a window
    (e.g. the days after its training window)."""
    from adcraft.scoring.ctr.model import expected_calibration_error, log_loss, weighted_auc

    registry = ModelRegistry(c.settings.data_dir)
    meta = _meta(registry, p.tenant_id, version)
    model = registry.load(p.tenant_id, meta["version"])
    source = _counts(a, p.tenant_id, body, c.settings.ctr)
    rows = source.count_rows()
    creatives = {
        sc.row.id: sc.features
        for sc in stored_creatives(s, p.tenant_id, ids=[r.creative_id for r in rows])
    }
    kept = [r for r in rows if r.creative_id in creatives]
    if not kept:
        raise InputError("no impressions of your creatives in this window to evaluate on")
    pred = model.predict_rows(kept, creatives)
    clicks = np.array([r.clicks for r in kept], dtype=float)
    imps = np.array([r.impressions for r in kept], dtype=float)
    first, last = source.window()
    return {
        "version": meta["version"],
        "window": {"since": _iso(first), "until": _iso(last)},
        "impressions": int(imps.sum()),
        "clicks": int(clicks.sum()),
        "auc": _finite(weighted_auc(pred, clicks, imps)),
        "ece": _finite(expected_calibration_error(pred, clicks, imps)),
        "log_loss": _finite(log_loss(pred, clicks, imps)),
    }


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def _finite(x: float) -> float | None:
    """JSON has no NaN: an undefined figure (AUC without clicks) is null."""
    return round(x, 5) if np.isfinite(x) else None


def _scored(c: ContainerDep, tenant_id: str, items: list[StoredCreative]) -> list[dict[str, Any]]:
    """Each creative scored by the tenant's ranker, best first (passing every gate first)."""
    from adcraft.scoring.ctr.ranker import CtrRanker
    from adcraft.scoring.rank import QualityRanker

    ranker = CtrRanker.from_registry(c.settings.data_dir, tenant_id)
    quality = QualityRanker()
    scored: list[tuple[bool, float, str, dict[str, Any]]] = []
    for sc in items:
        result = ranker.score(sc.version.metrics, sc.context)
        passed = bool(sc.version.gates_passed)
        item = {
            "creative_id": sc.row.id,
            "format": sc.row.format,
            "style": sc.row.style,
            "variant": sc.row.variant,
            "version": sc.version.number,
            "gates_passed": passed,
            "predicted_ctr": round(result.score / 100, 6) if ranker.model else None,
            "quality_score": round(quality.score(sc.version.metrics, sc.context).score, 3),
            "reasons": list(result.reasons),
        }
        scored.append((not passed, -result.score, sc.row.id, item))
    scored.sort(key=lambda t: t[:3])
    return [{"rank": i, **t[3]} for i, t in enumerate(scored, 1)]


@router.get("/ranking")
def ranking(
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    task: Annotated[str, Query(min_length=1, max_length=64, description="Generate task id")],
) -> dict[str, Any]:
    """A task's creatives ranked by your latest model's predicted CTR (by the quality score
    while you have none), each with its reasons in words."""
    get_owned(s, Task, task, p.tenant_id, "task")
    registry = ModelRegistry(c.settings.data_dir)
    items = _scored(c, p.tenant_id, stored_creatives(s, p.tenant_id, task_id=task))
    return {"task_id": task, "model_version": registry.latest(p.tenant_id), "items": items}


@router.get("/creatives/{creative_id}/explanation")
def explanation(
    creative_id: str, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> dict[str, Any]:
    """Your latest model's predicted CTR for one creative and why, in words."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    registry = ModelRegistry(c.settings.data_dir)
    registry.meta(p.tenant_id)  # NoModel (422) naming how to train one
    (item,) = _scored(c, p.tenant_id, stored_creatives(s, p.tenant_id, ids=[row.id]))
    return {
        "creative_id": row.id,
        "model_version": registry.latest(p.tenant_id),
        "predicted_ctr": item["predicted_ctr"],
        "reasons": item["reasons"],
    }
