"""/metrics after real tasks: queue wait and run histograms per queue, failures per tenant,
worker liveness, queue depth and oldest pending age; behind a token or on a port of its own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.container import Container
from adcraft.db.models import Asset, Tenant
from tests.platform.conftest import SECRET, make_stack, tent_bytes, wait_task
from tests.platform.servers import PostgresServer, RedisServer, ServerThread, free_port

TOKEN = "scrape-" + "t" * 30
BRIEF = {"brief": {"product_name": "Trail 3 Tent"}, "formats": ["300x250"], "variants": 1}


def _settings(tmp: Path, **over: Any) -> Settings:
    base: dict[str, Any] = {
        "environment": "test",
        "data_dir": tmp,
        "tasks": {"local_workers": 1, "local_mode": "thread"},
        "security": {"secret_key": SECRET},
        "events": {"enabled": False},
        "server": {"metrics_token": TOKEN},
    }
    for k, v in over.items():
        base[k] = {**base[k], **v} if isinstance(base.get(k), dict) else v
    return Settings(**base)


@contextmanager
def _serving(settings: Settings) -> Iterator[tuple[str, httpx.Client, Container]]:
    container, key_a, _ = make_stack("metrics", settings)
    try:
        with (
            ServerThread(create_app(container)) as srv,
            httpx.Client(
                base_url=srv.url + "/api/v1", headers={"Authorization": f"Bearer {key_a}"}
            ) as a,
        ):
            yield srv.url, a, container
    finally:
        container.engine.dispose()


def scrape(url: str, token: str = TOKEN) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition, by name and sorted labels (parsed, not grepped)."""
    r = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 200, r.text
    out = {}
    for fam in text_string_to_metric_families(r.text):
        for s in fam.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _tenant_id(c: Container, name: str) -> str:
    with c.sessions() as s:
        t = s.query(Tenant).filter_by(name=name).one()
        return str(t.id)


def test_scrape_after_real_tasks(tmp_path: Path) -> None:
    with _serving(_settings(tmp_path)) as (url, a, c):
        done = [a.post("/generate", json=BRIEF).json()["id"] for _ in range(2)]
        # A failure: the product photo's file is gone from the store when the worker reads it.
        up = a.post(
            "/assets",
            files={"file": ("tent.jpg", tent_bytes(), "image/jpeg")},
            data={"kind": "image", "caption": "tent"},
        )
        assert up.status_code == 201, up.text
        with c.sessions() as s:
            key = s.get(Asset, up.json()["id"]).key  # type: ignore[union-attr]
        c.store.delete(key)
        bad = a.post("/generate", json={**BRIEF, "image_asset_id": up.json()["id"]})
        assert bad.status_code == 202, bad.text
        assert [wait_task(a, t)["status"] for t in done] == ["completed", "completed"]
        failed = wait_task(a, bad.json()["id"])
        assert failed["status"] == "failed", failed

        m = scrape(url + "/metrics")
        q = (("queue", "generate"),)
        assert m[("adcraft_task_run_seconds_count", q)] == 3
        assert m[("adcraft_task_queue_wait_seconds_count", q)] == 3
        assert m[("adcraft_task_run_seconds_sum", q)] > 0
        assert m[("adcraft_task_run_seconds_bucket", (("le", "+Inf"), *q))] == 3
        assert m[("adcraft_task_run_seconds_count", (("queue", "render"),))] == 0
        reason = failed["error"]["type"]
        tenant = _tenant_id(c, "tenant-a")
        labels = (("reason", reason), ("tenant", tenant))
        assert m[("adcraft_task_failures_total", labels)] == 1
        assert m[("adcraft_workers_live", (("runner", "local"),))] == 1
        assert m[("adcraft_queue_depth", q)] == 0
        assert m[("adcraft_queue_oldest_pending_seconds", q)] == 0
        assert m[("adcraft_metrics_database_up", ())] == 1
        assert m[("adcraft_tasks", (("status", "completed"),))] == 2

        # Counted once: a second scrape does not add the same tasks again.
        again = scrape(url + "/metrics")
        assert again[("adcraft_task_run_seconds_count", q)] == 3
        assert again[("adcraft_task_failures_total", labels)] == 1


def test_token_is_required(tmp_path: Path) -> None:
    with _serving(_settings(tmp_path)) as (url, _a, _c):
        assert httpx.get(url + "/metrics").status_code == 401
        wrong = httpx.get(url + "/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and "metrics_token" in wrong.json()["detail"]
        # A scraper is not throttled like a failed API-key guess.
        for _ in range(40):
            assert (
                httpx.get(
                    url + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
                ).status_code
                == 200
            )


def test_own_port_serves_metrics_and_the_api_port_does_not(tmp_path: Path) -> None:
    port = free_port()
    settings = _settings(tmp_path, server={"metrics_port": port})
    with _serving(settings) as (url, a, _c):
        assert httpx.get(url + "/metrics").status_code == 404
        assert wait_task(a, a.post("/generate", json=BRIEF).json()["id"])["status"] == "completed"
        m = scrape(f"http://127.0.0.1:{port}/metrics")
        assert m[("adcraft_task_run_seconds_count", (("queue", "generate"),))] == 1
        assert httpx.get(f"http://127.0.0.1:{port}/metrics").status_code == 401
        assert httpx.get(f"http://127.0.0.1:{port}/other").status_code == 404


def test_queue_depth_and_oldest_age_while_no_celery_worker_runs(
    tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer
) -> None:
    settings = _settings(
        tmp_path,
        database={"url": postgres_server.new_database("metrics_depth")},
        # A broker database of its own: the shared Redis's queues belong to other tests.
        tasks={"runner": "celery", "broker_url": redis_server.url.rsplit("/", 1)[0] + "/7"},
    )
    with _serving(settings) as (url, a, _c):
        ids = [a.post("/generate", json=BRIEF).json()["id"] for _ in range(3)]
        assert all(a.get(f"/tasks/{t}").json()["status"] == "pending" for t in ids)
        end = time.monotonic() + 30
        while True:  # the oldest pending age grows with the clock; wait until it shows
            m = scrape(url + "/metrics")
            age = m[("adcraft_queue_oldest_pending_seconds", (("queue", "generate"),))]
            if age > 0 or time.monotonic() > end:
                break
            time.sleep(0.1)
        assert m[("adcraft_queue_depth", (("queue", "generate"),))] == 3
        assert age > 0
        assert m[("adcraft_workers_live", (("runner", "celery"),))] == 0
