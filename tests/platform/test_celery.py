"""Celery on a real Redis, metadata on a real PostgreSQL: killed workers and outages."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.db.models import CreativeRow, Task, Version
from adcraft.store.base import KEY_RE
from tests.platform.conftest import (
    SECRET,
    Stack,
    make_stack,
    settings_env,
    start_worker,
    wait_task,
    wait_worker_ready,
)
from tests.platform.servers import PostgresServer, RedisServer, ServerThread


@pytest.fixture
def killable(
    tmp_path: Path, redis_server: RedisServer, postgres_server: PostgresServer
) -> Iterator[Stack]:
    """Celery settings with a short visibility timeout so a lost task comes back quickly."""
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        database={"url": postgres_server.new_database("kill")},
        tasks={
            "runner": "celery",
            "broker_url": redis_server.url.replace("/0", "/1"),
            # Room for the re-run on a loaded 2-core machine (34 creatives took over 15 s at a
            # load of 8); the visibility timeout must stay above the hard limit.
            "soft_time_limit_s": 40,
            "hard_time_limit_s": 45,
            "visibility_timeout_s": 46,
            "restore_interval_s": 1,
        },
        security={"secret_key": SECRET},
    )
    container, ka, kb = make_stack("kill", settings)
    with ServerThread(create_app(container)) as srv:
        yield Stack("kill", srv.url, ka, kb, container, settings, settings_env(settings))
    container.engine.dispose()


def test_worker_killed_mid_task_completes_exactly_once(killable: Stack, tmp_path: Path) -> None:
    log = tmp_path / "w1.log"
    w1 = start_worker(killable.env, log)
    wait_worker_ready(log)
    body = {
        "brief": {"product_name": "Kill Test Tent", "offer": "20% off"},
        "formats": ["meta", "iab"],
        "variants": 2,
    }
    task_id = killable.a.post("/generate", json=body).json()["id"]
    end = time.monotonic() + 60
    while time.monotonic() < end:
        t = killable.a.get(f"/tasks/{task_id}").json()
        if t["status"] == "running" and t["progress"]["done"] >= 3:
            break
        time.sleep(0.05)
    assert t["status"] == "running", t
    os.killpg(w1.pid, signal.SIGKILL)  # the whole worker, mid-task, no chance to ack or clean up
    w1.wait()
    time.sleep(1)
    assert killable.a.get(f"/tasks/{task_id}").json()["status"] == "running"

    log2 = tmp_path / "w2.log"
    w2 = start_worker(killable.env, log2)
    try:
        done = wait_task(killable.a, task_id, timeout=180)
    finally:
        os.killpg(w2.pid, signal.SIGKILL)
        w2.wait()
    assert done["status"] == "completed", done.get("error")
    assert done["attempts"] == 2
    with killable.container.sessions() as s:
        creatives = s.scalars(select(CreativeRow).where(CreativeRow.task_id == task_id)).all()
        n_versions = s.scalar(
            select(func.count()).select_from(Version).where(Version.task_id == task_id)
        )
    n_formats = len(set(c.format for c in creatives))
    assert n_formats == 17 and len(creatives) == 34, "one row per format x variant, no duplicates"
    assert n_versions == 34
    assert len({(c.format, c.variant) for c in creatives}) == len(creatives)
    # Content-addressed keys: the re-run wrote the same objects again, nothing extra.
    files = [p for p in (killable.settings.data_dir / "assets").rglob("*") if p.is_file()]
    rel = [str(p.relative_to(killable.settings.data_dir / "assets")) for p in files]
    assert all(KEY_RE.match(r) for r in rel)
    image_files = [r for r in rel if r.endswith(".jpg") and "tent" not in r]
    assert len(image_files) <= 34 + 1


@pytest.mark.parametrize("stack", ["celery"], indirect=True)
def test_dead_redis_gives_503_then_recovers(stack: Stack) -> None:
    redis: RedisServer = stack.extra["redis"]
    with stack.container.sessions() as s:
        before = s.scalar(select(func.count()).select_from(Task))
    redis.stop()
    try:
        r = stack.a.post(
            "/generate",
            json={"brief": {"product_name": "Outage"}, "formats": ["300x250"], "variants": 1},
        )
        assert r.status_code == 503, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "retry" in r.json()["detail"].lower() and r.headers["retry-after"]
        ready = httpx.get(stack.url + "/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["queue"] is False
        with stack.container.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Task)) == before, "no partial task"
    finally:
        redis.start()
    assert httpx.get(stack.url + "/readyz").status_code == 200
    r = stack.a.post(
        "/generate", json={"brief": {"product_name": "Back"}, "formats": ["300x250"], "variants": 1}
    )
    assert r.status_code == 202
    assert wait_task(stack.a, r.json()["id"])["status"] == "completed"


@pytest.mark.parametrize("stack", ["celery"], indirect=True)
def test_dead_postgres_gives_503_then_recovers(stack: Stack) -> None:
    pg: PostgresServer = stack.extra["postgres"]
    assert stack.a.get("/campaigns").status_code == 200
    pg.stop()
    try:
        r = stack.a.get("/campaigns")
        assert r.status_code == 503, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "Traceback" not in r.text
        r = stack.a.post("/campaigns", json={"name": "during outage"})
        assert r.status_code == 503
        ready = httpx.get(stack.url + "/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["database"] is False
    finally:
        pg.start()
    assert stack.a.get("/campaigns").status_code == 200
    names = [c["name"] for c in stack.a.get("/campaigns", params={"limit": 200}).json()["items"]]
    assert "during outage" not in names
