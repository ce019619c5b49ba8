"""``/ctr``: train, list, evaluate and explain the tenant's CTR model; rank a task by it.

Training is a background job (api/ctr_jobs.py): ``POST /ctr/models`` answers 202 with the job,
``GET /ctr/jobs/{id}`` follows it. The job reads the tenant's impression and click events from
the analytics store (optionally a ``since``/``until`` window), the features of the creatives
they name from the metadata database, and stores the model as the tenant's next version with
its metrics and data window. From then on the tenant's generations, re-renders and
``GET /ctr/ranking`` rank by it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import delete, select

from adcraft.api import ctr_jobs
from adcraft.api.analytics_deps import AnalyticsDep
from adcraft.api.ctr_features import StoredCreative, stored_creatives
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.lookup import get_owned
from adcraft.db.engine import unit_of_work
from adcraft.db.models import CreativeRow, CtrJob, Task
from adcraft.errors import InputError, NotFound, QueueUnavailable
from adcraft.scoring.ctr.registry import ModelRegistry, NoModel

router = APIRouter(prefix="/ctr", tags=["ctr"])

VersionPath = Annotated[str, Path(pattern=r"^(latest|v\d{4,})$", max_length=16)]


class WindowIn(BaseModel):
    """The events a model is trained or evaluated on: ``[since, until)``, open ends allowed."""

    since: AwareDatetime | None = None
    until: AwareDatetime | None = None


def _version_out(meta: dict[str, Any], latest: str | None) -> dict[str, Any]:
    return {
        "version": meta["version"],
        "latest": meta["version"] == latest,
        "created_at": meta["created_at"],
        "window": {"since": meta["window"][0], "until": meta["window"][1]},
        "metrics": meta["summary"],
        "data": meta.get("extra", {}).get("data", {}),
        "copy_wording": _wording_out(meta.get("text")),
    }


def _wording_out(text: dict[str, Any] | None) -> dict[str, Any] | None:
    """Which text encoder the copy-wording features come from, and how many; None: none."""
    if not text:
        return None
    return {"encoder": text["encoder"], "features": len(text["components"])}


def _meta(registry: ModelRegistry, tenant_id: str, version: str) -> dict[str, Any]:
    """A version's metadata; a version that does not exist is not found (404)."""
    try:
        return registry.meta(tenant_id, None if version == "latest" else version)
    except NoModel as exc:
        raise NotFound(str(exc)) from exc


@router.post("/models", status_code=202)
def train_model(
    body: WindowIn,
    request: Request,
    response: Response,
    p: PrincipalDep,
    c: ContainerDep,
    a: AnalyticsDep,
) -> dict[str, Any]:
    """Queue a training of your next model version from your impression and click events;
    follow the job at ``GET /ctr/jobs/{id}``. Refused at once (422 naming the minimum) when the
    window holds too few, and 409 while another training of yours is queued or running."""
    settings = c.settings
    source = ctr_jobs.counts(settings, a.require_store(), p.tenant_id, body.since, body.until)
    ctr_jobs.refuse_too_little(settings, source.summary())
    trainer: ctr_jobs.CtrTrainer | None = getattr(request.app.state, "ctr_trainer", None)
    if trainer is None:
        raise QueueUnavailable("CTR training is not running in this process")
    job = ctr_jobs.create_job(c.sessions, settings, p.tenant_id, body.since, body.until)
    try:
        trainer.submit(job.id)
    except QueueUnavailable:
        with unit_of_work(c.sessions) as s:  # never leave a job queued that nothing will run
            s.execute(delete(CtrJob).where(CtrJob.id == job.id))
        raise
    response.headers["Location"] = f"/api/v1/ctr/jobs/{job.id}"
    return ctr_jobs.job_out(job)


@router.get("/jobs")
def list_jobs(
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Your training jobs, newest first."""
    ctr_jobs.expire_lost(s, c.settings, p.tenant_id)
    s.commit()
    rows = s.scalars(
        select(CtrJob)
        .where(CtrJob.tenant_id == p.tenant_id)
        .order_by(CtrJob.created_at.desc())
        .limit(limit)
    ).all()
    return {"jobs": [ctr_jobs.job_out(j) for j in rows]}


@router.get("/jobs/{job_id}")
def get_job(
    job_id: Annotated[str, Path(max_length=64)], p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> dict[str, Any]:
    """A training job: ``queued``, ``running``, then ``completed`` with its model version or
    ``failed`` with the reason."""
    ctr_jobs.expire_lost(s, c.settings, p.tenant_id)
    s.commit()
    return ctr_jobs.job_out(get_owned(s, CtrJob, job_id, p.tenant_id, "training job"))


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
    source = ctr_jobs.counts(c.settings, a.require_store(), p.tenant_id, body.since, body.until)
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
