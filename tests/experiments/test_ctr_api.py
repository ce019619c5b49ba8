"""The CTR model through the API: trained by a background job from the tenant's events in the
analytics store (one job per tenant at a time, a failure reported in words), refused with the
minimum on too little data, listed, evaluated, explained, and used to rank."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete

from adcraft.api import ctr_jobs
from adcraft.container import Container
from adcraft.db.engine import unit_of_work
from adcraft.db.models import BriefRow, Campaign, CreativeRow, CtrJob, Task, Version
from adcraft.experiments.creative_features import CreativeFeatures
from adcraft.experiments.event_log import impression_events
from adcraft.experiments.simulator import World, make_world, simulate_impressions
from adcraft.scoring.ctr.ranker import CtrRanker
from adcraft.scoring.rank import QualityRanker
from adcraft.wiring import create_ranker
from tests.analytics.app_fixtures import App, start_app

N_CREATIVES = 12


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from start_app(tmp_path)


def add_world(container: Container, tenant_id: str, world: World) -> tuple[str, dict[str, str]]:
    """The simulated creatives as one task's stored creatives; (task id, sim id → row id)."""
    ids: dict[str, str] = {}
    with unit_of_work(container.sessions) as s:
        camp = Campaign(tenant_id=tenant_id, name="sim")
        s.add(camp)
        s.flush()
        brief = BriefRow(
            tenant_id=tenant_id,
            campaign_id=camp.id,
            data={"product_name": "Trail tent", "offer": "20% off", "category": "outdoor"},
        )
        s.add(brief)
        s.flush()
        task = Task(
            tenant_id=tenant_id, campaign_id=camp.id, brief_id=brief.id, kind="generate", request={}
        )
        s.add(task)
        s.flush()
        for i, c in enumerate(world.creatives):
            row = CreativeRow(
                tenant_id=tenant_id,
                campaign_id=camp.id,
                task_id=task.id,
                pipeline_id=c.creative_id,
                format=c.format_id,
                platform="sim",
                width=1080,
                height=1080,
                variant=i + 1,
                style=c.style,
                template=c.template,
                rank=i + 1,
            )
            s.add(row)
            s.flush()
            s.add(_version(tenant_id, row.id, task.id, c))
            ids[c.creative_id] = row.id
        return task.id, ids


def _version(tenant_id: str, creative_id: str, task_id: str, c: CreativeFeatures) -> Version:
    return Version(
        tenant_id=tenant_id,
        creative_id=creative_id,
        number=1,
        task_id=task_id,
        action="generated",
        image_key="none",
        image_format="jpeg",
        bytes=1,
        score=QualityRanker().score(c.metrics, {}).score,
        metrics=dict(c.metrics),
        copy_fields={"headline": "h" * c.headline_chars, "body": "b" * c.body_chars},
        platform_text={},
        copy_limits={},
        warnings=[],
        render={},
    )


def post_traffic(app: App, world: World, ids: dict[str, str], n: int, seed: int) -> int:
    """Simulated impressions and clicks of the world's creatives through ``POST /events``."""
    imps = simulate_impressions(world, n, seed, users=3000)
    start = datetime.now(UTC) - timedelta(hours=2)
    events = []
    for ev in impression_events(world, imps, tenant_id=app.tenant_a, start=start):
        events.append({**ev, "creative_id": ids[ev["creative_id"]]})
    for i in range(0, len(events), 1000):
        r = app.post("/events", app.key_a, json={"events": events[i : i + 1000]})
        assert r.status_code == 202, r.text
        assert r.json()["accepted"] == len(events[i : i + 1000]), r.text
    app.client.app.state.analytics.sink.flush()  # type: ignore[attr-defined]
    return int(imps.click.sum())


def queue_training(app: App, key: str, window: dict[str, str] | None = None) -> dict[str, Any]:
    """``POST /ctr/models``: the queued job (202, its address in Location)."""
    r = app.post("/ctr/models", key, json=window or {})
    assert r.status_code == 202, r.text
    job: dict[str, Any] = r.json()
    assert job["status"] in ("queued", "running") and job["model_version"] is None
    assert r.headers["location"] == f"/api/v1/ctr/jobs/{job['id']}"
    return job


def wait_job(
    app: App, key: str, job_id: str, states: tuple[str, ...] = ("completed", "failed")
) -> dict[str, Any]:
    """The job once it is in one of ``states`` (polled; the deadline only bounds a hang)."""
    deadline = time.monotonic() + 120
    while True:
        r = app.get(f"/ctr/jobs/{job_id}", key)
        assert r.status_code == 200, r.text
        job: dict[str, Any] = r.json()
        if job["status"] in states:
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job['status']}"
        time.sleep(0.05)  # polling for the state, not standing in for it


def train(app: App, key: str, window: dict[str, str] | None = None) -> dict[str, Any]:
    """Queue a training, follow it to the end and return the model version it made."""
    job = wait_job(app, key, queue_training(app, key, window)["id"])
    assert job["status"] == "completed", job
    assert job["error"] is None
    assert job["created_at"] <= job["started_at"] <= job["finished_at"]
    r = app.get(f"/ctr/models/{job['model_version']}", key)
    assert r.status_code == 200, r.text
    model: dict[str, Any] = r.json()
    return model


def test_too_little_data_is_refused_naming_the_minimum(app: App) -> None:
    world = make_world(N_CREATIVES, seed=5)
    _task, ids = add_world(app.container, app.tenant_a, world)
    post_traffic(app, world, ids, 500, seed=6)
    r = app.post("/ctr/models", app.key_a, json={})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "500 impressions" in detail
    assert "the minimum is 10000 impressions, 200 clicks and 10 creatives" in detail
    # Refused at once: no job was queued.
    assert app.get("/ctr/jobs", app.key_a).json() == {"jobs": []}
    assert app.get("/ctr/models", app.key_a).json() == {"latest": None, "versions": []}
    assert app.get("/ctr/models/latest", app.key_a).status_code == 404
    one = next(iter(ids.values()))
    r = app.get(f"/ctr/creatives/{one}/explanation", app.key_a)
    assert r.status_code == 422 and "POST /api/v1/ctr/models" in r.json()["detail"]


def test_train_list_evaluate_explain_and_rank(app: App) -> None:
    world = make_world(N_CREATIVES, seed=7)
    task, ids = add_world(app.container, app.tenant_a, world)
    before = app.get("/ctr/ranking", app.key_a, params={"task": task}).json()
    assert before["model_version"] is None
    assert all(i["predicted_ctr"] is None for i in before["items"])
    assert [i["quality_score"] for i in before["items"]] == sorted(
        (i["quality_score"] for i in before["items"]), reverse=True
    )

    clicks = post_traffic(app, world, ids, 24_000, seed=8)
    model = train(app, app.key_a)
    assert model["version"] == "v0001" and model["latest"] is True
    assert model["metrics"]["impressions"] == 24_000
    assert model["metrics"]["clicks"] == clicks
    assert model["metrics"]["creatives"] == N_CREATIVES
    assert 0.5 < model["metrics"]["oof_auc"] < 1
    assert model["window"]["since"] < model["window"]["until"]
    assert model["data"] == {"orphan_clicks": 0, "impressions_of_deleted_creatives": 0}
    # The copy's wording through the image bank's configured encoder (the default one here).
    assert model["copy_wording"] == {"encoder": "use-multilingual-v3", "features": 8}

    listed = app.get("/ctr/models", app.key_a).json()
    assert listed["latest"] == "v0001" and [v["version"] for v in listed["versions"]] == ["v0001"]
    assert app.get("/ctr/models/v0001", app.key_a).json()["metrics"] == model["metrics"]
    assert app.get("/ctr/models/v0009", app.key_a).status_code == 404
    assert app.get("/ctr/models", app.key_b).json()["latest"] is None  # tenant B has none

    ev = app.post("/ctr/models/latest/evaluate", app.key_a, json={})
    assert ev.status_code == 200, ev.text
    assert ev.json()["impressions"] == 24_000 and ev.json()["auc"] > 0.5
    empty = {"since": "2001-01-01T00:00:00Z", "until": "2001-01-02T00:00:00Z"}
    r = app.post("/ctr/models/latest/evaluate", app.key_a, json=empty)
    assert r.status_code == 422 and "no impressions" in r.json()["detail"]

    after = app.get("/ctr/ranking", app.key_a, params={"task": task}).json()
    assert after["model_version"] == "v0001"
    predicted = [i["predicted_ctr"] for i in after["items"]]
    assert predicted == sorted(predicted, reverse=True)
    truth = dict(zip([ids[c.creative_id] for c in world.creatives], world.true_ctr(), strict=True))
    by_model = np.array([truth[i["creative_id"]] for i in after["items"]])
    by_quality = np.array([truth[i["creative_id"]] for i in before["items"]])
    # The learned order follows the true CTRs, closer than the quality score's order does.
    # (Several creatives' true CTRs differ by a few hundredths of a point — 0.69 % and 0.71 % —
    # and their ids are random UUIDs, on which row order and ties depend: 0.80 was one adjacent
    # swap from the 0.797 one CI run got, so the bound leaves room for such a swap.)
    assert _rank_corr(by_model) > 0.75
    assert _rank_corr(by_model) > _rank_corr(by_quality) + 0.15

    top = after["items"][0]
    r = app.get(f"/ctr/creatives/{top['creative_id']}/explanation", app.key_a)
    assert r.status_code == 200, r.text
    why = r.json()
    assert why["predicted_ctr"] == top["predicted_ctr"]
    assert why["reasons"][0].startswith("predicted CTR")
    assert any("points of CTR" in reason for reason in why["reasons"])
    assert app.get(f"/ctr/creatives/{top['creative_id']}/explanation", app.key_b).status_code == 404


def test_the_service_ranks_a_tenant_by_its_own_model(app: App) -> None:
    data_dir = app.container.settings.data_dir
    world = make_world(N_CREATIVES, seed=9)
    _task, ids = add_world(app.container, app.tenant_a, world)
    post_traffic(app, world, ids, 12_000, seed=10)
    assert isinstance(create_ranker(tenant=app.tenant_a, data_dir=data_dir), QualityRanker)
    train(app, app.key_a)
    ranker = create_ranker(tenant=app.tenant_a, data_dir=data_dir)
    assert isinstance(ranker, CtrRanker) and ranker.model is not None
    # Another tenant without a model keeps the quality score.
    assert isinstance(create_ranker(tenant=app.tenant_b, data_dir=data_dir), QualityRanker)


def test_one_training_at_a_time_per_tenant(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(N_CREATIVES, seed=12)
    _task, ids = add_world(app.container, app.tenant_a, world)
    post_traffic(app, world, ids, 12_000, seed=13)
    # Hold the job before it trains (the real training runs once released), so the second
    # request meets it running whatever the machine's speed.
    release = threading.Event()
    real = ctr_jobs.train_version

    def held(*args: Any, **kw: Any) -> str:
        assert release.wait(120)
        return real(*args, **kw)

    monkeypatch.setattr(ctr_jobs, "train_version", held)
    first = queue_training(app, app.key_a)
    running = wait_job(app, app.key_a, first["id"], ("running",))
    assert running["started_at"] is not None and running["finished_at"] is None

    r = app.post("/ctr/models", app.key_a, json={})
    assert r.status_code == 409, r.text
    assert first["id"] in r.json()["detail"] and "running" in r.json()["detail"]
    # Another tenant is not held up by A's training (B has no events: refused for that).
    assert app.post("/ctr/models", app.key_b, json={}).status_code == 422
    assert app.get(f"/ctr/jobs/{first['id']}", app.key_b).status_code == 404

    release.set()
    done = wait_job(app, app.key_a, first["id"])
    assert done["status"] == "completed" and done["model_version"] == "v0001"
    # Finished, it no longer blocks the next training.
    assert train(app, app.key_a)["version"] == "v0002"
    jobs = app.get("/ctr/jobs", app.key_a).json()["jobs"]
    assert [j["model_version"] for j in jobs] == ["v0002", "v0001"]


def test_a_failed_training_says_why(app: App) -> None:
    world = make_world(N_CREATIVES, seed=14)
    _task, ids = add_world(app.container, app.tenant_a, world)
    post_traffic(app, world, ids, 12_000, seed=15)
    # Enough events up front, but five of the twelve creatives they count are deleted since:
    # only the training itself finds that out.
    gone = list(ids.values())[:5]
    with unit_of_work(app.container.sessions) as s:
        s.execute(delete(Version).where(Version.creative_id.in_(gone)))
        s.execute(delete(CreativeRow).where(CreativeRow.id.in_(gone)))
    job = wait_job(app, app.key_a, queue_training(app, app.key_a)["id"])
    assert job["status"] == "failed" and job["model_version"] is None
    assert "over 7 creatives; the minimum is 10000 impressions" in job["error"]
    assert job["finished_at"] is not None
    assert app.get("/ctr/models", app.key_a).json() == {"latest": None, "versions": []}


def test_a_job_whose_process_died_is_failed_and_blocks_nothing(app: App) -> None:
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    with unit_of_work(app.container.sessions) as s:
        lost = CtrJob(
            tenant_id=app.tenant_a,
            status="running",
            created_at=long_ago,
            started_at=long_ago,
            heartbeat_at=long_ago,
        )
        s.add(lost)
        s.flush()
        lost_id = lost.id
    job = app.get(f"/ctr/jobs/{lost_id}", app.key_a).json()
    assert job["status"] == "failed" and "stopped before it finished" in job["error"]
    world = make_world(N_CREATIVES, seed=16)
    _task, ids = add_world(app.container, app.tenant_a, world)
    post_traffic(app, world, ids, 12_000, seed=17)
    assert train(app, app.key_a)["version"] == "v0001"


def _rank_corr(truth_in_ranked_order: np.ndarray[Any, Any]) -> float:
    """Spearman correlation between a ranking and the true CTRs of its items."""
    n = truth_in_ranked_order.size
    true_rank = np.argsort(np.argsort(-truth_in_ranked_order))
    return float(np.corrcoef(np.arange(n), true_rank)[0, 1])
